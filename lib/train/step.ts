/**
 * One training step and one evaluation pass, as pure functions of the training state:
 * a step splits the run key (the step's own key goes to the loss function for
 * dropout), takes the loss and its gradient with `valueAndGrad`, measures the
 * gradient's global norm before any clipping, lets the optimizer transform the
 * gradient and applies the update. Nothing here keeps state between calls, which is
 * what makes a resumed run identical to an uninterrupted one: the next step depends
 * only on the `TrainState` a checkpoint holds and on the batch.
 *
 * @module
 */
import { valueAndGrad } from '../autodiff/transforms.js';
import { globalNorm } from '../optim/clip.js';
import { applyUpdates, type GradientTransformation } from '../optim/transformation.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { splitKey } from '../tensor/random.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { describeValue, epochBatches, type BatchSource } from './batches.js';
import { addToMean, emptyMean, readMean } from './metrics.js';
import type { EpochMeans, LossFn, LossOutput, StepRecord, TrainState } from './types.js';

/** A loss output read into numbers: the loss, the metrics and the batch weight. @internal */
export interface LossValues {
  /** The loss tensor (one element). */
  readonly loss: Tensor;
  /** The metrics as numbers. */
  readonly metrics: Record<string, number>;
  /** The batch's weight in epoch means. */
  readonly weight: number;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Trains on one batch: returns the next state and the step's record (its metrics are
 * the loss function's; callbacks add theirs later).
 *
 * @internal
 */
export const trainStep = <P, B, S>(
  optimizer: GradientTransformation<S>,
  lossFn: LossFn<P, B>,
  state: TrainState<P, S>,
  batch: B,
): [TrainState<P, S>, StepRecord] => {
  const [nextKey, stepKey] = splitKey(state.key);
  const ctx = { key: stepKey, train: true, step: state.step, epoch: state.epoch };
  // The metrics and weight ride out beside the loss as auxiliary data: grad needs a scalar.
  const [[lossTensor, { metrics, weight }], grads] = valueAndGrad((p: P) => {
    const { loss: value, ...aux } = readLossOutput(lossFn(p, batch, ctx));
    return [value, aux];
  }, { hasAux: true })(state.params);
  const gradNorm = globalNorm(grads);
  const [updates, optState] = optimizer.update(grads, state.optState, state.params);
  const params = applyUpdates(state.params, updates);
  const loss = lossTensor.item();
  const record: StepRecord = {
    step: state.step + 1, epoch: state.epoch + 1, batch: state.batch, loss, gradNorm, metrics, ...(weight === 1 ? {} : { weight }),
  };
  const next: TrainState<P, S> = {
    params, optState, key: nextKey, step: state.step + 1, epoch: state.epoch, batch: state.batch + 1,
    mean: addToMean(state.mean, { loss, ...metrics }, weight),
  };
  return [next, record];
};

/**
 * The weighted means of the loss and metrics over `source` with `train: false`; no
 * gradient is taken and the run key is read, not advanced, so evaluating never
 * changes what training does next.
 *
 * @internal
 */
export const evaluate = async <P, B, S>(lossFn: LossFn<P, B>, source: BatchSource<B>, state: TrainState<P, S>): Promise<EpochMeans> => {
  let mean = emptyMean();
  const ctx = { key: state.key, train: false, step: state.step, epoch: state.epoch };
  for await (const batch of epochBatches(source, state.epoch, 0, 'fit')) {
    const { loss, metrics, weight } = readLossOutput(lossFn(state.params, batch, ctx));
    mean = addToMean(mean, { loss: loss.item(), ...metrics }, weight);
  }
  if (mean.weight === 0) throw new SeqgradError('fit', `validation yielded no batches in epoch ${state.epoch + 1}`);
  return readMean(mean) as EpochMeans;
};

/**
 * Reads what a loss function returned, refusing anything but a one-element tensor or
 * `{ loss, metrics?, weight? }` with an error naming fit and the field.
 *
 * @internal
 */
export const readLossOutput = (out: Tensor | LossOutput): LossValues => {
  const wrapped: LossOutput = isTensor(out) ? { loss: out } : out;
  if (typeof wrapped !== 'object' || wrapped === null || !isTensor(wrapped.loss)) {
    throw new SeqgradError('fit', `loss must return a one-element tensor or { loss, metrics }, got ${describeValue(out)}`);
  }
  if (wrapped.loss.size !== 1) {
    throw new SeqgradError('fit', `loss must return a one-element tensor (a scalar loss), got shape ${showShape(wrapped.loss.shape)}; reduce it with mean or sum`);
  }
  const weight = wrapped.weight ?? 1;
  if (!(Number.isFinite(weight) && weight >= 0)) throw new SeqgradError('fit', `loss: weight must be a finite number >= 0, got ${weight}`);
  const metrics: Record<string, number> = {};
  for (const [name, m] of Object.entries(wrapped.metrics ?? {})) {
    if (typeof m === 'number') metrics[name] = m;
    else if (isTensor(m) && m.size === 1) metrics[name] = m.item();
    else throw new SeqgradError('fit', `loss: metrics.${name} must be a number or a one-element tensor, got ${isTensor(m) ? `shape ${showShape(m.shape)}` : describeValue(m)}`);
  }
  return { loss: wrapped.loss, metrics, weight };
};
