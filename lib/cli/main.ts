/**
 * The `seqgrad` command: `train <task>`, `sample <run>`, `eval <run>`, `predict <run>
 * <input>`, each with `--help`. A task is an example folder's `task.ts` (see
 * contract.ts), loaded only when asked for, so the command starts fast and a task's
 * dataset package is needed only by that task. Run from a clone with
 * `npm run seqgrad -- <command>`; the package's build compiles this file and the
 * task modules together (tsconfig.cli.json) so the installed `seqgrad` finds them.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { Task } from './contract.js';
import { parsePositionals, parseSample, parseTrain, UsageError, wantsHelp } from './options.js';

/** The tasks the command knows, by name. */
export const TASKS = ['names', 'g2p', 'forecast', 'classify', 'gradient-flow'] as const;

const HELP: Readonly<Record<string, string>> = {
  main: `usage: seqgrad <command> [options]

commands:
  train <${TASKS.join('|')}>   train a model into a run folder
  sample <run>                   draw samples from a language-model run (names)
  eval <run>                     evaluate a run's model on its held-out data
  predict <run> <input>          apply a run's model to one input

Run 'seqgrad <command> --help' for a command's options.`,
  train: `usage: seqgrad train <${TASKS.join('|')}> [options]

options:
  --epochs N         epochs to train (task default)
  --hidden N         hidden units of the recurrent layers (task default)
  --lr X             learning rate (task default)
  --seed N           seed of the split, initialisation, shuffling and samples (0)
  --out DIR          run folder (runs/<task>); created when missing
  --max-minutes X    stop training after X minutes (the epoch in progress is still validated and saved)
  --quick            a small configuration that trains in seconds to minutes
  --progress MODE    bar, json or none (bar on a terminal, json otherwise)

The run folder receives metrics.json, model.safetensors, SVG plots and run.json.`,
  sample: `usage: seqgrad sample <run> [--count N] [--temperature X] [--seed N]

Draws names from a names run's model (count 10, temperature 0.8, seed 0).`,
  eval: `usage: seqgrad eval <run>

Re-evaluates the run's saved model on its held-out data and prints the figures.`,
  predict: `usage: seqgrad predict <run> <input>

Applies the run's model to the input: names scores a name and completes it, classify
names the list a first name belongs to, g2p spells out a word's phonemes, forecast
reads the input as the window's values.`,
};

/** Loads a task module, naming what is missing. */
const loadTask = async (name: string): Promise<Task> => {
  if (!(TASKS as readonly string[]).includes(name)) throw new UsageError(`unknown task '${name}'; choose one of ${TASKS.join(', ')}`);
  try {
    return (await import(`../../examples/${name}/task.js`) as { default: Task }).default;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(`examples/${name}/task`)) {
      throw new UsageError(`the ${name} task is not available here: its module examples/${name}/task is missing`);
    }
    throw e;
  }
};

/** Refuses to start when a dataset package of the task is not installed, naming the install command. @internal */
export const checkDatasets = (task: Pick<Task, 'name' | 'datasets'>): void => {
  const require = createRequire(import.meta.url);
  for (const pkg of task.datasets) {
    try {
      require.resolve(pkg);
    } catch {
      throw new UsageError(`the ${task.name} task needs the dataset package ${pkg}; install it with: npm install --save-dev ${pkg}`);
    }
  }
};

/** The task that wrote a run folder. */
const taskOfRun = async (run: string): Promise<Task> => {
  const { readFile } = await import('node:fs/promises');
  let info: { task?: unknown };
  try {
    info = JSON.parse(await readFile(`${run}/run.json`, 'utf8')) as { task?: unknown };
  } catch {
    throw new UsageError(`${run} is not a run folder (no readable run.json); train one with 'seqgrad train <task> --out ${run}'`);
  }
  return loadTask(String(info.task));
};

const print = (lines: readonly string[]): void => void process.stdout.write(`${lines.join('\n')}\n`);

/** Runs one command line (without the node and script arguments); resolves to the exit code. */
export const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    print([HELP['main']!]);
    return command === undefined ? 2 : 0;
  }
  if (HELP[command] === undefined || command === 'main') throw new UsageError(`unknown command '${command}'; choose train, sample, eval or predict`);
  if (wantsHelp(args)) {
    print([HELP[command]!]);
    return 0;
  }
  if (command === 'train') {
    const { task: name, options } = parseTrain(args);
    const task = await loadTask(name);
    checkDatasets(task);
    const report = await task.train(options);
    print([...report.lines, `run folder: ${options.out}`]);
  } else if (command === 'sample') {
    const { run, options } = parseSample(args);
    const task = await taskOfRun(run);
    if (task.sample === undefined) throw new UsageError(`the ${task.name} task does not sample; try eval or predict`);
    print([...(await task.sample(run, options))]);
  } else if (command === 'eval') {
    const [run] = parsePositionals('eval', args, 1);
    print([...(await (await taskOfRun(run!)).evaluate(run!)).lines]);
  } else {
    const [run, input] = parsePositionals('predict', args, 2);
    print([await (await taskOfRun(run!)).predict(run!, input!)]);
  }
  return 0;
};
