/**
 * Element types. Floating tensors are float32 by default; float64 runs end to end so
 * gradient checks can use central differences; int32 holds indices (token ids, class
 * targets) and takes no gradient.
 *
 * @module
 */
import { SeqgradError, showValue } from './errors.js';
import type { DType, TypedArray } from './elements.js';
import { fresh, noteAllocation, takePooled } from './pool.js';

export type { DType, FloatArray, TypedArray } from './elements.js';

/** The dtypes seqgrad knows, in the order messages list them. */
const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/** Bytes per element of each dtype. */
const BYTES: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4 };

/**
 * Checks that `value` is a dtype seqgrad supports ('float16' and 'bfloat16' are not),
 * naming `op` and the argument otherwise.
 *
 * @internal
 */
export const checkDType = (op: string, value: unknown, name = 'dtype'): DType => {
  if (!DTYPES.includes(value as DType)) {
    throw new SeqgradError(op, `${name} must be one of ${DTYPES.join(', ')}, got ${showValue(value)}`);
  }
  return value as DType;
};

/**
 * Allocates a zero-filled typed array of `size` elements for `dtype` (from the pool of
 * a finished gradient pass's arrays when it has one of that size; see pool.ts). A size
 * the engine cannot allocate is refused naming `op`, the element count and the bytes,
 * instead of the engine's bare RangeError.
 *
 * @internal
 */
export const allocate = (dtype: DType, size: number, op = 'allocate'): TypedArray => obtain(dtype, size, op, true);

/**
 * Like `allocate`, but an array from the pool keeps whatever it held: for a kernel's
 * output that the kernel writes whole, where zero-filling would be wasted work.
 *
 * @internal
 */
export const allocateForKernel = (dtype: DType, size: number, op: string): TypedArray => obtain(dtype, size, op, false);

const obtain = (dtype: DType, size: number, op: string, zeroed: boolean): TypedArray => {
  checkDType(op, dtype);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new SeqgradError(op, `a tensor of ${showValue(size)} elements is too large to allocate (at most 2^53 - 1 can be counted)`);
  }
  const pooled = takePooled(dtype, size, zeroed);
  if (pooled !== undefined) {
    noteAllocation(pooled);
    return pooled;
  }
  try {
    const array = fresh(dtype, size);
    noteAllocation(array);
    return array;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new SeqgradError(op, `a ${dtype} tensor of ${size} elements (${size * BYTES[dtype]} bytes) is too large to allocate (${e.message})`);
  }
};

/** The smallest and largest int32. */
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks that every value fits int32 exactly: an integer in [-2^31, 2^31 - 1]. Typed
 * arrays would otherwise truncate 1.7 to 1, wrap 3e10 and turn NaN into 0, silently.
 *
 * @internal
 */
export const checkInt32 = (op: string, values: ArrayLike<number>, name = 'values'): void => {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
      const why = Number.isInteger(v) ? 'outside the int32 range [-2^31, 2^31 - 1]' : 'not an integer';
      throw new SeqgradError(op, `${name}[${i}] = ${showValue(v)} is ${why}; int32 holds only integers in range${op === 'astype' ? '' : ' (round first, or use astype with { round })'}`);
    }
  }
};

/** The dtype whose storage is `data`. */
export const dtypeOf = (data: TypedArray): DType => {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  // a Uint8Array or BigInt64Array would otherwise pass as int32 and be read wrongly
  throw new SeqgradError('dtypeOf', `data must be a Float32Array, Float64Array or Int32Array, got ${showValue(data)}`);
};

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
