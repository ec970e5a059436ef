/**
 * Metrics for real-valued predictions such as forecasts: root mean squared error and
 * mean absolute error. They take tensors or plain arrays of numbers of one length and
 * read them directly (off the tape), refusing mismatched lengths and non-finite values
 * rather than returning NaN.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

/** Numbers to score: a tensor (any shape, read flat) or an array. */
export type Values = Tensor | ArrayLike<number>;

/**
 * Root mean squared error, `sqrt(mean((prediction - truth)²))`.
 *
 * @example
 * ```ts
 * rmse([1, 2, 3], [1, 2, 5]); // sqrt(4/3) ≈ 1.155
 * ```
 */
export const rmse = (prediction: Values, truth: Values): number =>
  Math.sqrt(meanOf('rmse', prediction, truth, (d) => d * d));

/**
 * Mean absolute error, `mean(|prediction - truth|)`.
 *
 * @example
 * ```ts
 * mae([1, 2, 3], [1, 2, 5]); // 2/3
 * ```
 */
export const mae = (prediction: Values, truth: Values): number => meanOf('mae', prediction, truth, Math.abs);

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const meanOf = (op: string, prediction: Values, truth: Values, f: (d: number) => number): number => {
  const p = numbers(op, 'prediction', prediction);
  const t = numbers(op, 'truth', truth);
  if (p.length !== t.length) throw new SeqgradError(op, `prediction has ${p.length} values but truth has ${t.length}`);
  if (p.length === 0) throw new SeqgradError(op, 'prediction and truth are empty: there is nothing to score');
  let total = 0;
  for (let i = 0; i < p.length; i++) total += f(p[i]! - t[i]!);
  return total / p.length;
};

const numbers = (op: string, name: string, v: Values): ArrayLike<number> => {
  const data = isTensor(v) ? v.data : v;
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
    throw new SeqgradError(op, `${name} must be a tensor or an array of numbers, got ${data === null ? 'null' : typeof data}`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new SeqgradError(op, `${name}[${i}] = ${data[i]} is not a finite number`);
  }
  return data;
};
