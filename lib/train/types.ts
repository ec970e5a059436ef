/**
 * The vocabulary of the fit loop: what a loss function receives and returns, the
 * records a run keeps (one per step, one per epoch), the training state that a
 * checkpoint must hold for a resumed run to continue bit for bit, and the callback
 * hooks. Kept apart from the loop so callbacks, progress reporters and plots can
 * depend on these shapes without depending on the loop.
 *
 * @module
 */
import type { Key } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { RunningMean } from './metrics.js';

/** What the loss function is told besides the parameters and the batch. */
export interface LossContext {
  /** A key for this call's randomness (dropout): split from the run key, fresh every step. */
  readonly key: Key;
  /** True while training, false during validation (turn dropout off). */
  readonly train: boolean;
  /** Updates made before this call (0 on the first training step). */
  readonly step: number;
  /** The epoch being run, 0-based. */
  readonly epoch: number;
}

/** A loss with metrics to report beside it. */
export interface LossOutput {
  /** The scalar (one-element) loss to minimise. */
  readonly loss: Tensor;
  /** Extra numbers to log and average per epoch, e.g. `{ accuracy: accuracy(logits, y) }`. */
  readonly metrics?: Readonly<Record<string, number | Tensor>>;
  /** The batch's weight in epoch means (e.g. its number of examples); 1 when omitted. */
  readonly weight?: number;
}

/** A loss function: a scalar tensor, or `{ loss, metrics, weight }`. */
export type LossFn<P, B> = (params: P, batch: B, ctx: LossContext) => Tensor | LossOutput;

/** What one training step did. */
export interface StepRecord {
  /** Updates made so far, this one included (1 after the first step). */
  readonly step: number;
  /** The epoch of this step, 1-based. */
  readonly epoch: number;
  /** The batch's index within its epoch, 0-based. */
  readonly batch: number;
  /** The batch's loss, before the update. */
  readonly loss: number;
  /** The global L2 norm of the gradient, before any clipping. */
  readonly gradNorm: number;
  /** Metrics the loss function returned and values callbacks logged (e.g. `lr`). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The batch's weight in epoch means, when the loss function gave one other than 1. */
  readonly weight?: number;
}

/** The means of one epoch (`loss` and every metric), for training or validation. */
export type EpochMeans = Readonly<Record<string, number>> & {
  /** The mean loss. */
  readonly loss: number;
};

/** What one epoch did. */
export interface EpochRecord {
  /** The epoch, 1-based. */
  readonly epoch: number;
  /** Updates made by the end of this epoch. */
  readonly step: number;
  /** Weighted means of the epoch's training steps. */
  readonly train: EpochMeans;
  /** Weighted means over the validation data, when there is any. */
  readonly val?: EpochMeans;
}

/** Everything a run recorded. */
export interface History {
  /** One record per training step, in order. */
  readonly steps: readonly StepRecord[];
  /** One record per completed epoch, in order. */
  readonly epochs: readonly EpochRecord[];
}

/**
 * Where a run stands: together with the parameters and optimizer state, exactly what
 * a checkpoint must hold to resume as if never stopped.
 */
export interface TrainPosition {
  /** Updates made so far. */
  readonly step: number;
  /** The current epoch, 0-based. */
  readonly epoch: number;
  /** Batches of the current epoch already trained on (the data order position). */
  readonly batch: number;
  /** The run key the next step splits its key from. */
  readonly key: Key;
  /** The running means of the current epoch's steps so far. */
  readonly mean: RunningMean;
}

/** Parameters, optimizer state and position: the whole state of a run. */
export interface TrainState<P, S> extends TrainPosition {
  /** The parameters. */
  readonly params: P;
  /** The optimizer state. */
  readonly optState: S;
}

/** What a callback may return: stop training, and/or log values into the record. */
export interface CallbackResult {
  /** Stop training after this step or epoch. */
  readonly stop?: boolean;
  /** Numbers merged into the record's metrics (shown in progress and history). */
  readonly logs?: Readonly<Record<string, number>>;
}

/** What a hook returns: nothing, a result, or a promise of one (hooks may write files). */
export type HookResult = void | CallbackResult | Promise<void | CallbackResult>;

/** Hooks called by `fit`; every one optional. State passed is the state after the step or epoch. */
export interface Callback<P, S> {
  /** Before the first step, with the starting state (reset per-run state here). */
  readonly onTrainBegin?: (state: TrainState<P, S>) => HookResult;
  /** After every training step. */
  readonly onStepEnd?: (record: StepRecord, state: TrainState<P, S>) => HookResult;
  /** After every epoch, validation included; `state` points at the next epoch's start. */
  readonly onEpochEnd?: (record: EpochRecord, state: TrainState<P, S>) => HookResult;
  /** Once at the end, however training ended. */
  readonly onTrainEnd?: (history: History, state: TrainState<P, S>) => void | Promise<void>;
}
