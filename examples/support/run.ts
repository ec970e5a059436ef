/**
 * What every example's run folder holds and how it is written: `run.json` (the task
 * and options, so the CLI can find its way back from the folder alone),
 * `metrics.json`, the model file and SVG plots; every file written atomically into a
 * folder created on demand. Also the one place that loads a dataset package, so a
 * missing one is reported with the command that installs it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeFileAtomic } from '../../lib/io/node.js';
import type { RunInfo, TrainOptions } from '../../lib/cli/contract.js';

/** Raised when a dataset package is not installed; the CLI prints its message alone. */
export class MissingDatasetError extends Error {
  constructor(readonly packageName: string) {
    super(`the dataset package ${packageName} is not installed; run: npm install --save-dev ${packageName}`);
    this.name = 'MissingDatasetError';
  }
}

const require = createRequire(import.meta.url);

/** The export of a CommonJS dataset package, or a MissingDatasetError naming it. */
export const loadDataset = <T>(packageName: string): T => {
  try {
    return require(packageName) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(packageName)) throw new MissingDatasetError(packageName);
    throw e;
  }
};

/** Writes `value` as indented JSON to `path`, atomically. */
export const writeJson = async (path: string, value: unknown): Promise<void> => {
  await writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`), 'writeJson');
};

/** Reads a JSON file, naming it when it is missing or malformed. */
export const readJson = async <T>(path: string): Promise<T> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${path} is missing: is this a run folder written by \`seqgrad train\`?`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
};

/** Records the task and options in `run.json`. */
export const writeRunInfo = (task: string, options: TrainOptions): Promise<void> =>
  writeJson(join(options.out, 'run.json'), { task, options, finished: new Date().toISOString() } satisfies RunInfo);

/** The run folder's `run.json`. */
export const readRunInfo = (run: string): Promise<RunInfo> => readJson<RunInfo>(join(run, 'run.json'));

/** File names inside a run folder. */
export const FILES = { model: 'model.safetensors', metrics: 'metrics.json', loss: 'loss.svg', run: 'run.json' } as const;
