/**
 * How a run shows its progress. On a terminal, a progress bar per epoch (cli-progress)
 * with the batch count, ETA and the epoch's running loss, a summary line per epoch and
 * a small loss chart at the end; when the output is piped, or when asked, one JSON
 * object per line (per step or per epoch) that other programs can read as it comes;
 * or nothing. The loop only calls a `ProgressReporter`, so a caller can also plug in
 * their own.
 *
 * JSON lines: `{"event":"step","step","epoch","batch","loss","gradNorm","metrics","weight"?,"elapsed"}`
 * per step and `{"event":"epoch","epoch","step","train","val"?,"elapsed"}` per epoch,
 * where `elapsed` is seconds since training began and non-finite numbers print as null.
 *
 * @module
 */
import type { SingleBar } from 'cli-progress';
import { SeqgradError, showValue } from '../tensor/errors.js';
import { terminalChart } from './chart.js';
import { asciichart, cliProgress } from './optional.js';
import type { EpochRecord, History, StepRecord } from './types.js';

/** `auto` draws a bar when the stream is a terminal and writes JSON lines otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'json' | 'none';

/** Where progress is written: a writable stream such as `process.stdout`. */
export interface ProgressStream {
  /** Writes a chunk of text. */
  write(chunk: string): unknown;
  /** True when the stream is a terminal. */
  readonly isTTY?: boolean;
}

/** Options of the progress display. */
export interface ProgressOptions {
  /** The display (default `auto`). */
  readonly mode?: ProgressMode;
  /** JSON lines per step (default) or per epoch only. */
  readonly every?: 'step' | 'epoch';
  /** Where to write (default `process.stdout`). */
  readonly stream?: ProgressStream;
  /** In bar mode, draw the loss chart when training ends (default true). */
  readonly chart?: boolean;
}

/** What the loop tells a progress display. */
export interface ProgressReporter {
  /** An epoch (0-based) starts with `done` of its `total` batches already trained (`total` undefined when unknown). */
  epochBegin(epoch: number, total: number | undefined, done: number): void;
  /** A step ended. */
  step(record: StepRecord): void;
  /** An epoch ended. */
  epochEnd(record: EpochRecord): void;
  /** Training ended. */
  end(history: History): void;
  /** Training failed with an error: release the terminal (a bar hides the cursor). */
  fail?(error: unknown): void;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * The reporter for a mode (or options) and a total number of epochs.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const reporter = createReporter({ mode: 'json', stream: { write: (s) => lines.push(s) } }, 3);
 * ```
 */
export const createReporter = (progress: ProgressMode | ProgressOptions | undefined, epochs: number, op = 'createReporter'): ProgressReporter => {
  const options: ProgressOptions = typeof progress === 'object' ? progress : { mode: progress ?? 'auto' };
  const stream = options.stream ?? defaultStream();
  const mode = options.mode ?? 'auto';
  if (mode === 'none') return silentReporter();
  if (mode === 'json') return jsonReporter(stream, options.every ?? 'step');
  if (mode === 'bar') return barReporter(stream, epochs, options.chart ?? true);
  if (mode === 'auto') return stream.isTTY ? barReporter(stream, epochs, options.chart ?? true) : jsonReporter(stream, options.every ?? 'step');
  throw new SeqgradError(op, `progress must be 'auto', 'bar', 'json' or 'none', got ${JSON.stringify(mode)}`);
};

const checkStream = (op: string, stream: ProgressStream): void => {
  if (typeof stream?.write !== 'function') throw new SeqgradError(op, `stream must have a write(chunk) method (e.g. process.stdout), got ${showValue(stream)}`);
};

/** A reporter that shows nothing. */
export const silentReporter = (): ProgressReporter => ({ epochBegin() {}, step() {}, epochEnd() {}, end() {} });

/**
 * One JSON object per line: per step (and per epoch) or per epoch only.
 *
 * @example
 * ```ts
 * const reporter = jsonReporter(process.stdout, 'epoch');
 * ```
 */
export const jsonReporter = (stream: ProgressStream, every: 'step' | 'epoch' = 'step'): ProgressReporter => {
  checkStream('jsonReporter', stream);
  if (every !== 'step' && every !== 'epoch') throw new SeqgradError('jsonReporter', `every must be 'step' or 'epoch', got ${showValue(every)}`);
  const start = performance.now();
  const elapsed = (): number => Math.round(performance.now() - start) / 1000;
  const line = (value: object): void => void stream.write(`${JSON.stringify(value)}\n`);
  return {
    epochBegin() {},
    step(record) {
      if (every === 'step') line({ event: 'step', ...record, elapsed: elapsed() });
    },
    epochEnd(record) {
      line({ event: 'epoch', ...record, elapsed: elapsed() });
    },
    end() {},
  };
};

/**
 * A progress bar per epoch with ETA and the running loss and metrics, a summary line
 * when each epoch ends, and the loss chart at the end.
 *
 * @example
 * ```ts
 * const reporter = barReporter(process.stdout, 10);
 * ```
 */
export const barReporter = (stream: ProgressStream, epochs: number, chart = true): ProgressReporter => {
  checkStream('barReporter', stream);
  if (!Number.isInteger(epochs) || epochs < 1) throw new SeqgradError('barReporter', `epochs must be a positive integer, got ${showValue(epochs)}`);
  // loaded now, so a missing package stops the run before training rather than after it
  const { SingleBar: Bar } = cliProgress('barReporter');
  if (chart) asciichart('barReporter');
  let bar: SingleBar | undefined;
  let known: number | undefined;
  let seen = 0;
  let sums: Record<string, number> = {};
  let count = 0;
  return {
    epochBegin(epoch, total, done) {
      known = total ?? known;
      sums = {};
      count = 0;
      bar = new Bar(barOptions(stream, known !== undefined));
      bar.start(known ?? Number.MAX_SAFE_INTEGER, done, { epoch: `${epoch + 1}/${epochs}`, stats: '' });
    },
    step(record) {
      // weighted as the epoch summary is, so the live figure ends where the summary starts
      const weight = record.weight ?? 1;
      count += weight;
      seen = record.batch + 1;
      for (const [name, v] of Object.entries({ loss: record.loss, ...record.metrics })) sums[name] = (sums[name] ?? 0) + weight * v;
      bar?.update(seen, { stats: formatStats(sums, count, record.metrics) });
    },
    epochEnd(record) {
      bar?.stop();
      bar = undefined;
      known = known ?? seen; // an iterable's length is learnt from its first epoch
      const val = record.val === undefined ? '' : `  |  val ${formatMeans(record.val)}`;
      stream.write(`epoch ${record.epoch}/${epochs}  train ${formatMeans(record.train)}${val}\n`);
    },
    fail() {
      bar?.stop();
      bar = undefined;
    },
    end(history) {
      bar?.stop();
      if (chart && history.steps.length > 1) stream.write(`${terminalChart(history, { colors: stream.isTTY === true })}\n`);
    },
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const defaultStream = (): ProgressStream => {
  const out = (globalThis as { process?: { stdout?: ProgressStream } }).process?.stdout;
  return out ?? { write: (s: string) => console.log(s.replace(/\n$/, '')) };
};

const barOptions = (stream: ProgressStream, sized: boolean) => ({
  format: sized
    ? 'epoch {epoch} {bar} {value}/{total} | {duration_formatted} < ETA {eta_formatted} | {stats}'
    : 'epoch {epoch} {value} batches | {duration_formatted} | {stats}',
  stream: stream as NodeJS.WritableStream,
  hideCursor: true,
  clearOnComplete: false,
  // Also draw when forced onto a stream that is not a terminal (mode 'bar').
  noTTYOutput: !stream.isTTY,
  barsize: 24,
  barCompleteChar: '\u2588',
  barIncompleteChar: '\u2591',
  etaBuffer: 50,
});

/** Metrics shown at their latest value rather than their running mean. */
const INSTANT = new Set(['lr']);

/** Running means of the epoch so far (the learning rate as it is now): `loss 0.4123 lr 1.00e-4`. */
const formatStats = (sums: Readonly<Record<string, number>>, count: number, last: Readonly<Record<string, number>>): string =>
  Object.entries(sums).map(([name, s]) => `${name} ${formatNumber(INSTANT.has(name) ? last[name]! : s / count)}`).join(' ');

const formatMeans = (means: Readonly<Record<string, number>>): string =>
  Object.entries(means).map(([name, v]) => `${name} ${formatNumber(v)}`).join(' ');

const formatNumber = (v: number): string =>
  !Number.isFinite(v) ? String(v) : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);
