/**
 * Ready-made callbacks: early stopping on a monitored epoch metric, and logging of a
 * learning-rate schedule into the step records. A callback is a plain object of
 * optional hooks (see `Callback`), so custom ones need no helper; a hook returns
 * `{ stop: true }` to end training or `{ logs }` to add numbers to the record. Any
 * per-run state a callback keeps is reset in `onTrainBegin`, so one callback object
 * can serve several runs.
 *
 * @module
 */
import type { Schedule } from '../optim/schedules.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import type { Callback, EpochRecord } from './types.js';

/** Options of `earlyStopping`. */
export interface EarlyStoppingOptions {
  /** The epoch value to watch: `val.loss` (default), `train.loss`, `val.accuracy`, ... */
  readonly monitor?: string;
  /** Training stops after this many epochs in a row without improvement (default 1: at the first). */
  readonly patience?: number;
  /** Whether smaller (`min`, default) or larger (`max`) is better. */
  readonly mode?: 'min' | 'max';
  /** The least change that counts as an improvement (default 0). */
  readonly minDelta?: number;
}

/** The best epoch early stopping has seen. */
export interface BestEpoch<P> {
  /** The epoch, 1-based. */
  readonly epoch: number;
  /** The monitored value there. */
  readonly value: number;
  /** The parameters at the end of that epoch. */
  readonly params: P;
}

/** An early-stopping callback, which also remembers the best epoch and its parameters. */
export interface EarlyStopping<P> extends Callback<P, unknown> {
  /** The best epoch so far in the current (or last) run, undefined before the first epoch. */
  readonly best: () => BestEpoch<P> | undefined;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Stops training once the monitored epoch value has gone `patience` epochs in a row
 * without improving on the best so far by more than `minDelta` (Keras's rule). `best()` returns the best epoch's parameters, to
 * keep them rather than the last ones.
 *
 * @example
 * ```ts
 * const stopper = earlyStopping({ monitor: 'val.loss', patience: 3 });
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * const result = await fit({ ...options, callbacks: [stopper] });
 * const params = stopper.best()?.params ?? result.params;
 * ```
 */
export const earlyStopping = <P = unknown>(options: EarlyStoppingOptions = {}): EarlyStopping<P> => {
  const { monitor = 'val.loss', patience = 1, mode = 'min', minDelta = 0 } = options;
  if (!Number.isInteger(patience) || patience < 1) throw new SeqgradError('earlyStopping', `patience must be an integer >= 1, got ${patience}`);
  if (mode !== 'min' && mode !== 'max') throw new SeqgradError('earlyStopping', `mode must be 'min' or 'max', got ${JSON.stringify(mode)}`);
  if (!(minDelta >= 0)) throw new SeqgradError('earlyStopping', `minDelta must be >= 0, got ${minDelta}`);
  let best: BestEpoch<P> | undefined;
  let wait = 0;
  const improves = (v: number): boolean => best === undefined || (mode === 'min' ? v < best.value - minDelta : v > best.value + minDelta);
  return {
    onTrainBegin: () => {
      best = undefined;
      wait = 0;
    },
    onEpochEnd: (record, state) => {
      const value = monitored(record, monitor, 'earlyStopping');
      if (improves(value)) {
        best = { epoch: record.epoch, value, params: state.params as P };
        wait = 0;
        return undefined;
      }
      wait++;
      return { stop: wait >= patience };
    },
    best: () => best,
  };
};

/**
 * Logs the learning rate a schedule gave each step (as `lr`, or `name`), so it shows
 * in the progress display, the JSON lines and the history. Pass the same schedule the
 * optimizer uses; step s (1-based) used `schedule(s - 1)`, as a schedule is called
 * with the number of updates made before the current one.
 *
 * @example
 * ```ts
 * const lr = cosineWarmup({ peak: 3e-3, warmupSteps: 50, totalSteps: 1000 });
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * await fit({ ...options, optimizer: adam({ lr }), callbacks: [learningRateLogger(lr)] });
 * ```
 */
export const learningRateLogger = (schedule: Schedule | number, name = 'lr'): Callback<unknown, unknown> => {
  if (typeof schedule !== 'function' && !Number.isFinite(schedule)) {
    throw new SeqgradError('learningRateLogger', `schedule must be a function of the step or a number, got ${String(schedule)}`);
  }
  return {
    onStepEnd: (record) => ({ logs: { [name]: typeof schedule === 'number' ? schedule : schedule(record.step - 1) } }),
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * Reads `train.loss`, `val.accuracy`, ... from an epoch record, naming what exists
 * when the monitored value does not.
 *
 * @internal
 */
export const monitored = (record: EpochRecord, monitor: string, op = 'monitored'): number => {
  if (typeof record?.train !== 'object' || record.train === null) throw new SeqgradError(op, `record must be an epoch record { epoch, step, train, val? }, got ${showValue(record)}`);
  if (typeof monitor !== 'string') throw new SeqgradError(op, `monitor must be a name such as "val.loss", got ${showValue(monitor)}`);
  const [group, name] = monitor.split('.', 2) as [string, string | undefined];
  const means = group === 'train' ? record.train : group === 'val' ? record.val : undefined;
  const value = name === undefined ? undefined : means?.[name];
  if (typeof value !== 'number') {
    const available = [
      ...Object.keys(record.train).map((k) => `train.${k}`),
      ...Object.keys(record.val ?? {}).map((k) => `val.${k}`),
    ];
    throw new SeqgradError(op, `monitor ${JSON.stringify(monitor)} is not in epoch ${record.epoch}'s record (it has ${available.join(', ')})`);
  }
  return value;
};
