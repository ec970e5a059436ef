/**
 * The command line's options: parsed by `node:util`'s parseArgs (strict, so an unknown
 * option is refused by name), then checked by io-ts codecs, so every bad value is
 * reported as `--option: expected ..., got ...`.
 *
 * @module
 */
import * as t from 'io-ts';
import { parseArgs } from 'node:util';
import { formatDecodeErrors } from '../io/codecs.js';
import type { SampleOptions, TrainOptions } from './contract.js';

/** A usage error: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const numberFrom = (name: string, test: (n: number) => boolean) =>
  new t.Type<number, string, unknown>(name, (u): u is number => typeof u === 'number' && test(u), (u, c) => {
    const n = typeof u === 'string' && u.trim() !== '' ? Number(u) : NaN;
    return test(n) ? t.success(n) : t.failure(u, c);
  }, String);

const PositiveInt = numberFrom('a positive integer', (n) => Number.isInteger(n) && n > 0);
const Seed = numberFrom('an integer >= 0', (n) => Number.isSafeInteger(n) && n >= 0);
const Positive = numberFrom('a number > 0', (n) => Number.isFinite(n) && n > 0);
const NonNegative = numberFrom('a number >= 0', (n) => Number.isFinite(n) && n >= 0);

const TrainCodec = t.partial({ epochs: PositiveInt, hidden: PositiveInt, lr: Positive, seed: Seed, 'max-minutes': Positive });
const SampleCodec = t.partial({ count: PositiveInt, temperature: NonNegative, seed: Seed });

/** parseArgs with the given string options plus `--help`; unknown options and missing values name the option. */
const parse = (args: readonly string[], strings: readonly string[], booleans: readonly string[] = []) => {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const s of strings) options[s] = { type: 'string' };
  for (const b of booleans) options[b] = { type: 'boolean' };
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^Unknown option '(.*?)'.*/s, "unknown option '$1'"));
  }
};

const decode = <A>(codec: t.Decoder<unknown, A>, values: Record<string, unknown>): A => {
  const result = codec.decode(values);
  if (result._tag === 'Left') throw new UsageError(formatDecodeErrors(result.left).replace(/(^|; )([a-z-]+):/g, '$1--$2:'));
  return result.right;
};

/** Whether `--help` or `-h` was asked for. */
export const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

/**
 * `train`'s arguments: the task and the options, with defaults filled: seed 0, out
 * `runs/<task>`, a progress bar on a terminal and JSON lines otherwise.
 */
export const parseTrain = (args: readonly string[]): { task: string; options: TrainOptions } => {
  const { values, positionals } = parse(args, ['epochs', 'hidden', 'lr', 'seed', 'out', 'max-minutes', 'progress'], ['quick']);
  if (positionals.length !== 1) throw new UsageError(`train takes one task name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const checked = decode(TrainCodec, values);
  const progress = values['progress'] ?? (process.stdout.isTTY ? 'bar' : 'json');
  if (progress !== 'bar' && progress !== 'json' && progress !== 'none') throw new UsageError(`--progress: expected bar, json or none, got ${JSON.stringify(progress)}`);
  const task = positionals[0]!;
  return {
    task,
    options: {
      seed: checked.seed ?? 0, out: typeof values['out'] === 'string' ? values['out'] : `runs/${task}`, quick: values['quick'] === true, progress,
      ...(checked.epochs === undefined ? {} : { epochs: checked.epochs }),
      ...(checked.hidden === undefined ? {} : { hidden: checked.hidden }),
      ...(checked.lr === undefined ? {} : { lr: checked.lr }),
      ...(checked['max-minutes'] === undefined ? {} : { maxMinutes: checked['max-minutes'] }),
    },
  };
};

/** `sample`'s arguments: the run folder, and count (10), temperature (0.8), seed (0). */
export const parseSample = (args: readonly string[]): { run: string; options: SampleOptions } => {
  const { values, positionals } = parse(args, ['count', 'temperature', 'seed']);
  if (positionals.length !== 1) throw new UsageError('sample takes one run folder');
  const checked = decode(SampleCodec, values);
  return { run: positionals[0]!, options: { count: checked.count ?? 10, temperature: checked.temperature ?? 0.8, seed: checked.seed ?? 0 } };
};

/** The positionals of `eval` (one run) or `predict` (a run and an input). */
export const parsePositionals = (command: string, args: readonly string[], count: number): string[] => {
  const { positionals } = parse(args, []);
  if (positionals.length !== count) throw new UsageError(`${command} takes ${count === 1 ? 'a run folder' : 'a run folder and an input'}, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  return positionals;
};
