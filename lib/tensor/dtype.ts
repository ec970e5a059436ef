/**
 * Element types. Floating tensors are float32 by default; float64 runs end to end so
 * gradient checks can use central differences; int32 holds indices (token ids, class
 * targets) and takes no gradient.
 *
 * @module
 */
import { SeqgradError } from './errors.js';

/** The element type of a tensor. */
export type DType = 'float32' | 'float64' | 'int32';

/** The typed array backing a tensor of each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** The typed array type that stores a floating dtype. */
export type FloatArray = Float32Array | Float64Array;

/** Allocates a zero-filled typed array of `size` elements for `dtype`. */
export const allocate = (dtype: DType, size: number): TypedArray => {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
  }
};

/** The dtype whose storage is `data`. */
export const dtypeOf = (data: TypedArray): DType =>
  data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64' : 'int32';

/** True for float32 and float64. */
export const isFloat = (dtype: DType): boolean => dtype !== 'int32';

/**
 * The common dtype of the inputs of a floating operation. seqgrad never promotes
 * silently: mixing float32 and float64, or passing int32 where floats are needed, is
 * an error naming the op and both dtypes.
 */
export const commonFloatDType = (op: string, dtypes: readonly DType[]): DType => {
  const first = dtypes[0] ?? 'float32';
  dtypes.forEach((d, i) => {
    if (!isFloat(d)) throw new SeqgradError(op, `argument ${i} has dtype ${d}; a floating dtype (float32 or float64) is required`);
    if (d !== first) throw new SeqgradError(op, `dtypes differ: argument 0 is ${first}, argument ${i} is ${d}; cast one with astype()`);
  });
  return first;
};
