/**
 * Checkpoints of a whole training run (Node only): the parameters and optimizer state
 * go into lib/io's atomic safetensors checkpoint, and the rest of the `TrainState` —
 * step, epoch, run key, the batch position within the epoch and the epoch's running
 * means — into its metadata, so that loading a checkpoint and passing it to `fit` as
 * `resume` replays the uninterrupted run bit for bit. The position lives in the
 * metadata's config under `seqgrad.fit` and is decoded with an io-ts codec on load,
 * because a checkpoint is input from outside the program. A `checkpointing` callback
 * saves every N steps or epochs and keeps the newest few.
 *
 * @module
 */
import * as t from 'io-ts';
import { expectPath } from '../io/args.js';
import { loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import { decodeOrThrow, NonNegativeInteger, type CheckpointMeta, type JsonObject } from '../io/codecs.js';
import { listCheckpoints, removeStaleTemporaries, saveRotatingCheckpoint } from '../io/rotation.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import { emptyMean } from './metrics.js';
import type { Callback, TrainState } from './types.js';

/** What to record besides the state: the optimizer's name and the run's config. */
export interface TrainCheckpointOptions {
  /** The optimizer's name for the metadata (default `optimizer`). */
  readonly optimizer?: string;
  /** The run's configuration (any JSON object), kept in the metadata. */
  readonly config?: JsonObject;
}

/** Options of the `checkpointing` callback. */
export interface CheckpointingOptions extends TrainCheckpointOptions {
  /** The directory of `checkpoint-<step>.safetensors` files (created if needed). */
  readonly dir: string;
  /** Save after every this many steps. */
  readonly everySteps?: number;
  /** Save after every this many epochs (default 1 when `everySteps` is not given). */
  readonly everyEpochs?: number;
  /** Keep only the newest this many checkpoints (default 3). */
  readonly keep?: number;
}

/** A loaded run: the state to resume from, the run's config and the raw metadata. */
export interface LoadedTrainState<P, S> {
  /** The state to pass to `fit` as `resume`. */
  readonly state: TrainState<P, S>;
  /** The config that was saved (without seqgrad's own entry). */
  readonly config: JsonObject;
  /** The checkpoint's validated metadata. */
  readonly meta: CheckpointMeta;
  /** The file it came from. */
  readonly path: string;
  /** Newer checkpoints `resumeFrom` skipped to reach this one (empty otherwise). */
  readonly skipped?: readonly SkippedCheckpoint[];
}

/** The config entry holding the position within the epoch. */
export const POSITION_ENTRY = 'seqgrad.fit';

/** Running sums as JSON: non-finite values (a diverged loss) as strings, which JSON numbers cannot hold. */
const Sum = t.union([t.number, t.literal('NaN'), t.literal('Infinity'), t.literal('-Infinity')]);
const PositionCodec = t.type({ batch: NonNegativeInteger, mean: t.type({ sums: t.record(t.string, Sum), weight: t.number }) }, 'the fit position');

// ---------------------------------------------------------------------------
// saving and loading
// ---------------------------------------------------------------------------

/**
 * Saves a run's state to `path` atomically.
 *
 * @example
 * ```ts
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * const result = await fit({ ...options, maxSteps: 100 });
 * await saveTrainState('runs/a/checkpoint-000100.safetensors', result.state, { optimizer: 'adam' });
 * ```
 */
export const saveTrainState = async <P, S>(path: string, state: TrainState<P, S>, options: TrainCheckpointOptions = {}): Promise<void> => {
  expectPath('saveTrainState', path);
  if (typeof state !== 'object' || state === null || state.params === undefined || typeof state.mean !== 'object') {
    throw new SeqgradError('saveTrainState', `state must be a TrainState { params, optState, step, epoch, batch, key, mean } (fit's result.state), got ${showValue(state)}`);
  }
  return saveCheckpoint(path, contents(state, options));
};

/**
 * Loads a run's state from `path`, checked against templates of the parameters and
 * optimizer state (e.g. a fresh init and `optimizer.init` of it).
 *
 * @example
 * ```ts
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * const init = (k: Key) => normal(k, [3, 2]);
 * const saved = await loadTrainState(path, { params: init(key(0)), optState: options.optimizer.init(init(key(0))) });
 * await fit({ ...options, resume: saved.state });
 * ```
 */
export const loadTrainState = async <P, S>(path: string, templates: { readonly params: P; readonly optState: S }): Promise<LoadedTrainState<P, S>> => {
  expectPath('loadTrainState', path);
  const { params, optState, meta } = await loadCheckpoint(path, templates);
  const { [POSITION_ENTRY]: raw, ...config } = meta.config;
  const position = raw === undefined ? { batch: 0, mean: emptyMean() } : decodeOrThrow(PositionCodec, raw, 'loadTrainState', `${path}: config.${POSITION_ENTRY}`);
  const sums = Object.fromEntries(Object.entries(position.mean.sums).map(([k, v]) => [k, Number(v)]));
  const state: TrainState<P, S> = {
    params, optState, step: meta.step, epoch: meta.epoch, batch: position.batch, key: meta.key,
    mean: { sums, weight: position.mean.weight },
  };
  return { state, config, meta, path };
};

/**
 * The state saved in the newest good checkpoint of `dir`, or undefined when there is
 * none (a fresh run). A newer file that is truncated, fails a checksum or does not
 * match the templates is skipped for the one before it; each skipped file is reported
 * to `options.onSkip` (default: a warning on stderr) with the reason, and listed in the
 * result's `skipped`. When files exist but none loads, the error lists them all rather
 * than starting afresh. Temporary files of interrupted saves whose process has died are
 * removed.
 *
 * @example
 * ```ts
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * const templates = { params: options.params, optState: options.optimizer.init(options.params) };
 * const saved = await resumeFrom('runs/a', templates);
 * await fit({ ...options, resume: saved?.state });
 * ```
 */
export const resumeFrom = async <P, S>(
  dir: string,
  templates: { readonly params: P; readonly optState: S },
  options: ResumeOptions = {},
): Promise<LoadedTrainState<P, S> | undefined> => {
  const op = 'resumeFrom';
  if (typeof dir !== 'string' || dir === '') throw new SeqgradError(op, `dir must be a directory path, got ${showValue(dir)}`);
  if (typeof templates !== 'object' || templates === null) throw new SeqgradError(op, `templates must be { params, optState }, got ${showValue(templates)}`);
  const onSkip = options.onSkip ?? ((path, reason) => process.emitWarning(`skipped ${path}: ${reason}`, 'SeqgradWarning'));
  await removeStaleTemporaries(dir);
  const files = (await listCheckpoints(dir)).reverse();
  const skipped: SkippedCheckpoint[] = [];
  for (const { path } of files) {
    try {
      return { ...(await loadTrainState(path, templates)), skipped };
    } catch (e) {
      if (!(e instanceof SeqgradError)) throw e;
      skipped.push({ path, reason: e.message });
      onSkip(path, e.message);
    }
  }
  if (skipped.length > 0) {
    throw new SeqgradError(op, `${dir}: none of the ${skipped.length} checkpoints loads: ${skipped.map((s) => s.reason).join('; ')}`);
  }
  return undefined;
};

/** Options of `resumeFrom`. */
export interface ResumeOptions {
  /** Told of each checkpoint skipped for an older one, and why (default: a process warning). */
  readonly onSkip?: (path: string, reason: string) => void;
}

/** A checkpoint `resumeFrom` passed over, and why. */
export interface SkippedCheckpoint {
  /** The file. */
  readonly path: string;
  /** The error that ruled it out (names the file, and the tensor or field). */
  readonly reason: string;
}

// ---------------------------------------------------------------------------
// the callback
// ---------------------------------------------------------------------------

/**
 * Saves `checkpoint-<step>.safetensors` into `dir` every `everySteps` steps and/or
 * every `everyEpochs` epochs, keeping the newest `keep`. An epoch-end save holds the
 * state at the start of the next epoch.
 *
 * @example
 * ```ts
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * await fit({ ...options, callbacks: [checkpointing({ dir: 'runs/a', everySteps: 100, keep: 2 })] });
 * ```
 */
export const checkpointing = (options: CheckpointingOptions): Callback<unknown, unknown> => {
  const { dir, everySteps, keep = 3 } = options;
  const everyEpochs = options.everyEpochs ?? (everySteps === undefined ? 1 : undefined);
  if (typeof dir !== 'string' || dir === '') throw new SeqgradError('checkpointing', `dir must be a directory path, got ${JSON.stringify(dir)}`);
  for (const [name, v] of [['everySteps', everySteps], ['everyEpochs', everyEpochs], ['keep', keep]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new SeqgradError('checkpointing', `${name} must be a positive integer, got ${v}`);
  }
  const save = async (state: TrainState<unknown, unknown>): Promise<void> => {
    await saveRotatingCheckpoint(dir, contents(state, options), { keep });
  };
  return {
    onStepEnd: async (_, state) => {
      if (everySteps !== undefined && state.step % everySteps === 0) await save(state);
    },
    onEpochEnd: async (record, state) => {
      if (everyEpochs !== undefined && record.epoch % everyEpochs === 0) await save(state);
    },
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const contents = <P, S>(state: TrainState<P, S>, options: TrainCheckpointOptions) => {
  const sums = Object.fromEntries(Object.entries(state.mean.sums).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)]));
  const position = { batch: state.batch, mean: { sums, weight: state.mean.weight } };
  return {
    params: state.params,
    optState: state.optState,
    meta: {
      step: state.step,
      epoch: state.epoch,
      key: state.key,
      optimizer: options.optimizer ?? 'optimizer',
      config: { ...(options.config ?? {}), [POSITION_ENTRY]: position },
    },
  };
};
