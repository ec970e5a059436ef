/**
 * Metrics a loss function can report next to its loss: classification accuracy from
 * logits, binary accuracy, and perplexity from a mean negative log-likelihood. They
 * read tensor data directly and return plain numbers — a metric is never
 * differentiated, so it stays off the tape. The fit loop averages every reported
 * metric over an epoch, weighted by each batch's weight, in a running mean that can
 * be saved in a checkpoint and restored, so a resumed epoch averages the same steps
 * as an uninterrupted one.
 *
 * @module
 */
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { argmax } from '../ops/reduce.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

/** Sums of weighted values and the total weight, from which epoch means are read. */
export interface RunningMean {
  /** Σ weight · value for each metric name. */
  readonly sums: Readonly<Record<string, number>>;
  /** Σ weight over the batches seen. */
  readonly weight: number;
}

// ---------------------------------------------------------------------------
// metrics
// ---------------------------------------------------------------------------

/**
 * The fraction of rows whose largest logit sits at the label: `logits` is
 * `[..., classes]`, `labels` holds class ids with the leading shape of `logits`.
 * Labels equal to `ignoreIndex` are left out of the count.
 *
 * @example
 * ```ts
 * accuracy(tensor([[2, 1], [0, 3]]), tensor([0, 0], { dtype: 'int32' })); // 0.5
 * ```
 */
export const accuracy = (logits: Tensor, labels: Tensor, options: { readonly ignoreIndex?: number } = {}): number => {
  expectTensors('accuracy', logits, labels, 'labels');
  const classes = logits.shape[logits.rank - 1] ?? 0;
  const leading = logits.shape.slice(0, -1);
  if (logits.rank < 1 || classes < 1 || labels.rank !== leading.length || labels.shape.some((d, i) => d !== leading[i])) {
    throw new SeqgradError('accuracy', `labels ${showShape(labels.shape)} must have the leading shape of logits ${showShape(logits.shape)} (all but the class axis)`);
  }
  const picks = argmax(logits, -1).data;
  let hits = 0;
  let counted = 0;
  for (let r = 0; r < labels.size; r++) {
    const label = labels.data[r]!;
    if (label === options.ignoreIndex) continue;
    counted++;
    if (picks[r] === label) hits++;
  }
  return counted === 0 ? 0 : hits / counted;
};

/**
 * The fraction of elements where `logits > threshold` (default 0, i.e. probability
 * 0.5 for logits) agrees with a 0/1 `targets` tensor of the same shape.
 *
 * @example
 * ```ts
 * binaryAccuracy(tensor([2, -1, 0.5]), tensor([1, 0, 0])); // 2/3
 * ```
 */
export const binaryAccuracy = (logits: Tensor, targets: Tensor, threshold = 0): number => {
  expectTensors('binaryAccuracy', logits, targets, 'targets');
  if (logits.rank !== targets.rank || logits.shape.some((d, i) => d !== targets.shape[i])) {
    throw new SeqgradError('binaryAccuracy', `targets ${showShape(targets.shape)} must have the shape of logits ${showShape(logits.shape)}`);
  }
  let hits = 0;
  for (let i = 0; i < logits.size; i++) if ((logits.data[i]! > threshold ? 1 : 0) === (targets.data[i]! > 0.5 ? 1 : 0)) hits++;
  return logits.size === 0 ? 0 : hits / logits.size;
};

/**
 * Perplexity, `exp(loss)`, for a mean negative log-likelihood in nats (a tensor of
 * one element or a number). For an epoch, apply it to the epoch's mean loss rather
 * than averaging per-batch perplexities (the exponential of a mean is not the mean
 * of exponentials).
 *
 * @example
 * ```ts
 * perplexity(Math.log(4)); // 4: as uncertain as a fair four-way choice
 * ```
 */
export const perplexity = (loss: Tensor | number): number => {
  if (typeof loss !== 'number' && !(isTensor(loss) && loss.size === 1)) {
    throw new SeqgradError('perplexity', `loss must be a scalar tensor or a number, got ${isTensor(loss) ? `a tensor of shape ${showShape(loss.shape)}` : showValue(loss)}`);
  }
  const value = typeof loss === 'number' ? loss : loss.item();
  return Math.exp(value);
};

// ---------------------------------------------------------------------------
// running means
// ---------------------------------------------------------------------------

/** An empty running mean. @internal */
export const emptyMean = (): RunningMean => ({ sums: {}, weight: 0 });

/** `mean` with one more batch of `values` at `weight`. Allocates one small record per step. @internal */
export const addToMean = (mean: RunningMean, values: Readonly<Record<string, number>>, weight: number): RunningMean => {
  checkMean('addToMean', mean);
  if (!(Number.isFinite(weight) && weight >= 0)) throw new SeqgradError('addToMean', `weight must be a finite number >= 0, got ${showValue(weight)}`);
  if (typeof values !== 'object' || values === null) throw new SeqgradError('addToMean', `values must be a record of numbers, got ${showValue(values)}`);
  const sums: Record<string, number> = { ...mean.sums };
  for (const [name, v] of Object.entries(values)) sums[name] = (sums[name] ?? 0) + weight * v;
  return { sums, weight: mean.weight + weight };
};

/** The means of a running mean (NaN-free: empty when nothing was added). @internal */
export const readMean = (mean: RunningMean): Record<string, number> => {
  checkMean('readMean', mean);
  const out: Record<string, number> = {};
  if (mean.weight === 0) return out;
  for (const [name, s] of Object.entries(mean.sums)) out[name] = s / mean.weight;
  return out;
};

const checkMean = (op: string, mean: RunningMean): void => {
  if (typeof mean?.weight !== 'number' || typeof mean?.sums !== 'object' || mean.sums === null) {
    throw new SeqgradError(op, `mean must be a running mean { sums, weight } (see emptyMean), got ${showValue(mean)}`);
  }
};

/** Refuses a metric's arguments when either is not a tensor (they are read directly, off the tape). */
const expectTensors = (op: string, logits: unknown, other: unknown, name: string): void => {
  if (!isTensor(logits)) throw new SeqgradError(op, `logits must be a Tensor, got ${logits === null ? 'null' : typeof logits}`);
  if (!isTensor(other)) throw new SeqgradError(op, `${name} must be a Tensor, got ${other === null ? 'null' : typeof other}`);
};
