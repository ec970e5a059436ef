/**
 * Sequence lengths as callers hold them: a plain array of numbers, or an int32 tensor
 * `[batch]` (what `padBatch` returns and what a `fit` dataset can carry beside the ids,
 * since datasets hold only tensors). One normalising helper, called at the entry of
 * every function that takes lengths, so the checks after it see one form.
 *
 * @module
 */
import { SeqgradError, showShape, showValue } from './errors.js';
import { isTensor, type Tensor } from './tensor.js';

/** Valid length of each batch row: numbers, or an int32 tensor of shape `[batch]`. */
export type Lengths = readonly number[] | Tensor;

/**
 * `lengths` as an array of numbers (undefined stays undefined). A tensor must be int32
 * and one-dimensional; `op` and `name` start the error otherwise. Range checks stay
 * with the caller, which knows the number of steps.
 *
 * @example
 * ```ts
 * toLengths('scan', tensor([3, 1], { dtype: 'int32' })); // [3, 1]
 * toLengths('scan', [3, 1]);                              // [3, 1]
 * ```
 */
export const toLengths = (op: string, lengths: Lengths | undefined, name = 'lengths'): readonly number[] | undefined => {
  if (lengths === undefined) return lengths;
  if (!isTensor(lengths)) {
    if (!Array.isArray(lengths)) throw new SeqgradError(op, `${name} must be an array or an int32 tensor of lengths, got ${showValue(lengths)}`);
    lengths.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 0) throw new SeqgradError(op, `${name}[${i}] = ${showValue(n)} must be a non-negative integer`);
    });
    return lengths;
  }
  if (lengths.dtype !== 'int32' || lengths.rank !== 1) {
    throw new SeqgradError(op, `${name} as a tensor must be int32 of shape [batch], got ${lengths.dtype} ${showShape(lengths.shape)}`);
  }
  return Array.from(lengths.data);
};
