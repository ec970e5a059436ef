/**
 * The fit loop: epochs of training steps over batches from any source, validation at
 * each epoch's end, callbacks that can log, checkpoint or stop, and a progress
 * display. It is a function of its options with no global state: everything a run
 * depends on (parameters, optimizer state, the run key, the position in the data and
 * the epoch's running means) is the `TrainState` threaded from step to step, so
 * passing a saved state back as `resume` continues exactly where a run stopped.
 *
 * @module
 */
import type { GradientTransformation } from '../optim/transformation.js';
import { SeqgradError } from '../tensor/errors.js';
import { checkKey, key as makeKey, type Key } from '../tensor/random.js';
import { batchesPerEpoch, checkSource, epochBatches, type BatchSource } from './batches.js';
import { emptyMean, readMean } from './metrics.js';
import { createReporter, type ProgressMode, type ProgressOptions, type ProgressReporter } from './progress.js';
import { evaluate, trainStep } from './step.js';
import type { Callback, EpochMeans, EpochRecord, History, HookResult, LossFn, StepRecord, TrainState } from './types.js';

/** Options of `fit`. */
export interface FitOptions<P, B, S> {
  /** The initial parameters (a tree of tensors). */
  readonly params: P;
  /** The optimizer, e.g. `chain(clipByGlobalNorm(1), adam({ lr: 1e-3 }))`. */
  readonly optimizer: GradientTransformation<S>;
  /** The optimizer state to start from; `optimizer.init(params)` when omitted. */
  readonly optState?: S;
  /** The loss: `(params, batch, { key, train, step, epoch }) => Tensor | { loss, metrics, weight }`. */
  readonly loss: LossFn<P, B>;
  /** Training batches: an array, an iterable, an async iterable, `(epoch) => iterable`, or `{ dataset, batchSize, shuffle }`. */
  readonly data: BatchSource<B>;
  /** Epochs to run in total (a resumed run counts the epochs already done). */
  readonly epochs: number;
  /** Validation batches, evaluated with `train: false` at the end of every epoch. */
  readonly validation?: BatchSource<B>;
  /** The run key; each step splits its own key from it. `key(0)` when omitted. */
  readonly key?: Key;
  /** Stop once this many updates have been made in total (counting a resumed run's). */
  readonly maxSteps?: number;
  /**
   * A time budget for this call, in seconds. When it runs out mid-epoch, training stops
   * after the current step and the partial epoch still ends as every epoch does
   * (validation, epoch record, epoch callbacks such as checkpointing); a resumed run
   * then starts at the next epoch.
   */
  readonly maxSeconds?: number;
  /** Hooks run in order after each step and epoch. */
  readonly callbacks?: readonly Callback<P, S>[];
  /** The progress display: `auto` (default), `bar`, `json`, `none`, or options. */
  readonly progress?: ProgressMode | ProgressOptions | ProgressReporter;
  /** A saved state to continue from (from `loadTrainState`); overrides params, optState and key. */
  readonly resume?: TrainState<P, S>;
}

/** What `fit` returns. */
export interface FitResult<P, S> {
  /** The trained parameters. */
  readonly params: P;
  /** The final optimizer state. */
  readonly optState: S;
  /** The records of this call's steps and epochs. */
  readonly history: History;
  /** The final state, ready to save or to pass back as `resume`. */
  readonly state: TrainState<P, S>;
  /** Why training ended. */
  readonly stoppedBy: 'epochs' | 'maxSteps' | 'maxSeconds' | 'callback';
}

/** The loop's fixed inputs. @internal */
interface Run<P, B, S> {
  readonly options: FitOptions<P, B, S>;
  readonly callbacks: readonly Callback<P, S>[];
  readonly reporter: ProgressReporter;
  readonly maxSteps: number;
  /** performance.now() at which the time budget runs out (Infinity without one). */
  readonly deadline: number;
  readonly steps: StepRecord[];
  readonly epochs: EpochRecord[];
}

// ---------------------------------------------------------------------------
// the loop
// ---------------------------------------------------------------------------

/**
 * Trains `params` with `optimizer` on `loss` over `data` for `epochs`.
 *
 * @example
 * ```ts
 * type Params = { readonly w: Tensor; readonly b: Tensor };
 * declare const init: (k: Key) => Params;
 * declare const model: (p: Params, x: Tensor, options: { key: Key; train: boolean }) => Tensor;
 * const { params, history } = await fit({
 *   params: init(key(0)),
 *   optimizer: chain(clipByGlobalNorm(1), adam({ lr: 1e-3 })),
 *   loss: (p, { x, y }, { key, train }) => {
 *     const logits = model(p, x, { key, train });
 *     return { loss: crossEntropy(logits, y), metrics: { accuracy: accuracy(logits, y) } };
 *   },
 *   data: { dataset: { x, y }, batchSize: 32, shuffle: key(1) },
 *   validation: { dataset: { x: xVal, y: yVal }, batchSize: 256 },
 *   epochs: 10,
 *   callbacks: [earlyStopping({ monitor: 'val.loss', patience: 3 })],
 * });
 * ```
 */
export const fit = async <P, B, S>(options: FitOptions<P, B, S>): Promise<FitResult<P, S>> => {
  const run = prepare(options);
  let state = initialState(options);
  let stoppedBy: FitResult<P, S>['stoppedBy'] = 'epochs';
  try {
    if (await anyStop(run.callbacks, (c) => c.onTrainBegin?.(state))) stoppedBy = 'callback';
    while (stoppedBy === 'epochs' && state.epoch < options.epochs) {
      if (state.step >= run.maxSteps) {
        stoppedBy = 'maxSteps';
        break;
      }
      if (performance.now() >= run.deadline) {
        stoppedBy = 'maxSeconds';
        break;
      }
      const [next, stop] = await runEpoch(run, state);
      state = next;
      if (stop !== undefined) stoppedBy = stop;
    }
  } catch (error) {
    run.reporter.fail?.(error);
    throw error;
  }
  const history: History = { steps: run.steps, epochs: run.epochs };
  run.reporter.end(history);
  for (const c of run.callbacks) await c.onTrainEnd?.(history, state);
  return { params: state.params, optState: state.optState, history, state, stoppedBy };
};

/** One epoch from `state`'s position: its steps, then validation and the epoch hooks. */
const runEpoch = async <P, B, S>(run: Run<P, B, S>, start: TrainState<P, S>): Promise<[TrainState<P, S>, 'maxSteps' | 'maxSeconds' | 'callback' | undefined]> => {
  const { options, reporter } = run;
  let state = start;
  reporter.epochBegin(state.epoch, batchesPerEpoch(options.data), state.batch);
  for await (const batch of epochBatches(options.data, state.epoch, state.batch)) {
    if (state.step >= run.maxSteps) return [state, 'maxSteps'];
    const [next, raw] = trainStep(options.optimizer, options.loss, state, batch);
    state = next;
    const [record, stop] = await stepHooks(run.callbacks, raw, state);
    run.steps.push(record);
    reporter.step(record);
    if (stop) return [state, 'callback'];
    if (performance.now() >= run.deadline) {
      const [next, stopped] = await endEpoch(run, state);
      return [next, stopped ?? 'maxSeconds'];
    }
  }
  if (state.batch === 0) throw new SeqgradError('fit', `data yielded no batches in epoch ${state.epoch + 1}; there is nothing to train on`);
  return endEpoch(run, state);
};

/** Validation, the epoch record and the epoch hooks; the state moves to the next epoch's start. */
const endEpoch = async <P, B, S>(run: Run<P, B, S>, state: TrainState<P, S>): Promise<[TrainState<P, S>, 'callback' | undefined]> => {
  const { options } = run;
  const train = readMean(state.mean) as EpochMeans;
  const val = options.validation === undefined ? undefined : await evaluate(options.loss, options.validation, state);
  const next: TrainState<P, S> = { ...state, epoch: state.epoch + 1, batch: 0, mean: emptyMean() };
  const record: EpochRecord = { epoch: state.epoch + 1, step: state.step, train, ...(val === undefined ? {} : { val }) };
  run.epochs.push(record);
  run.reporter.epochEnd(record);
  const stop = await anyStop(run.callbacks, (c) => c.onEpochEnd?.(record, next));
  return [next, stop ? 'callback' : undefined];
};

/** Runs the step hooks in order, each seeing the logs of those before it. */
const stepHooks = async <P, S>(callbacks: readonly Callback<P, S>[], raw: StepRecord, state: TrainState<P, S>): Promise<[StepRecord, boolean]> => {
  let record = raw;
  let stop = false;
  for (const c of callbacks) {
    const result = await c.onStepEnd?.(record, state);
    if (result?.logs !== undefined) record = { ...record, metrics: { ...record.metrics, ...result.logs } };
    stop ||= result?.stop === true;
  }
  return [record, stop];
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Calls `hook` on every callback in order (awaiting each) and tells whether any asked to stop. */
const anyStop = async <P, S>(callbacks: readonly Callback<P, S>[], hook: (c: Callback<P, S>) => HookResult): Promise<boolean> => {
  let stop = false;
  for (const c of callbacks) stop = (await hook(c))?.stop === true || stop;
  return stop;
};

const initialState = <P, B, S>(options: FitOptions<P, B, S>): TrainState<P, S> => {
  if (options.resume !== undefined) return options.resume;
  const runKey = options.key === undefined ? makeKey(0) : checkKey('fit', options.key);
  const optState = options.optState ?? options.optimizer.init(options.params);
  return { params: options.params, optState, step: 0, epoch: 0, batch: 0, key: runKey, mean: emptyMean() };
};

/** Checks the options, naming fit and the field, and builds the loop's fixed inputs. */
const prepare = <P, B, S>(options: FitOptions<P, B, S>): Run<P, B, S> => {
  if (typeof options !== 'object' || options === null) throw new SeqgradError('fit', 'expects one options object { params, optimizer, loss, data, epochs }');
  const { epochs, maxSteps, optimizer, loss, resume } = options;
  if (!Number.isInteger(epochs) || epochs <= 0) throw new SeqgradError('fit', `epochs must be a positive integer, got ${epochs}`);
  if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && maxSteps >= 0)) throw new SeqgradError('fit', `maxSteps must be an integer >= 0, got ${maxSteps}`);
  const { maxSeconds } = options;
  if (maxSeconds !== undefined && !(maxSeconds > 0)) throw new SeqgradError('fit', `maxSeconds must be a number > 0, got ${maxSeconds}`);
  if (typeof optimizer?.init !== 'function' || typeof optimizer?.update !== 'function') throw new SeqgradError('fit', 'optimizer must be a GradientTransformation { init, update }');
  if (typeof loss !== 'function') throw new SeqgradError('fit', `loss must be a function (params, batch, ctx) => Tensor | { loss }, got ${typeof loss}`);
  if (resume === undefined && (options.params === undefined || options.params === null)) throw new SeqgradError('fit', 'params is required');
  if (resume !== undefined) checkResume(resume);
  checkSource('fit', 'data', options.data, epochs);
  const known = batchesPerEpoch(options.data);
  if (resume !== undefined && known !== undefined && resume.batch > known) {
    throw new SeqgradError('fit', `resume.batch (${resume.batch}) is beyond the ${known} batches of epoch ${resume.epoch + 1}`);
  }
  if (options.validation !== undefined) checkSource('fit', 'validation', options.validation, epochs);
  const progress = options.progress;
  const reporter = isReporter(progress) ? progress : createReporter(progress, epochs, 'fit');
  return { options, callbacks: options.callbacks ?? [], reporter, maxSteps: maxSteps ?? Infinity, deadline: performance.now() + (maxSeconds ?? Infinity) * 1000, steps: [], epochs: [] };
};

const checkResume = (state: TrainState<unknown, unknown>): void => {
  for (const field of ['step', 'epoch', 'batch'] as const) {
    if (!Number.isInteger(state[field]) || state[field] < 0) throw new SeqgradError('fit', `resume.${field} must be an integer >= 0, got ${state[field]}`);
  }
  checkKey('fit', state.key);
  if (typeof state.mean?.weight !== 'number' || typeof state.mean?.sums !== 'object') throw new SeqgradError('fit', 'resume.mean must be a running mean { sums, weight }');
};

const isReporter = (p: unknown): p is ProgressReporter =>
  typeof p === 'object' && p !== null && typeof (p as ProgressReporter).step === 'function';
