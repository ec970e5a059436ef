/**
 * Constructors: from nested arrays or a typed array and a shape, and the usual filled
 * tensors. Floating tensors default to float32.
 *
 * @module
 */
import { allocate, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { SeqgradError, showShape } from './errors.js';
import { checkShape, sizeOf, type Shape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Options shared by constructors. */
export interface CreateOptions {
  /** Element type; float32 when omitted (int32 for `arange` of integers is not implied). */
  readonly dtype?: DType;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * A tensor from nested arrays (the shape is inferred and must be rectangular) or from
 * a typed array with an explicit shape.
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);                       // float32 [2, 2]
 * const b = tensor(new Float64Array([1, 2, 3]), { shape: [3] });
 * const ids = tensor([0, 2, 1], { dtype: 'int32' });
 * ```
 */
export const tensor = (
  values: NestedArray | TypedArray,
  options: CreateOptions & { readonly shape?: Shape } = {},
): Tensor => {
  if (ArrayBuffer.isView(values)) {
    const shape = options.shape ?? [values.length];
    checkShape('tensor', shape);
    const dtype = options.dtype ?? dtypeOf(values);
    const data = dtype === dtypeOf(values) ? values.slice() : converted(values, dtype);
    return new Tensor(data, shape);
  }
  const shape = inferShape(values);
  if (options.shape && sizeOf(options.shape) !== sizeOf(shape)) {
    throw new SeqgradError('tensor', `values have shape ${showShape(shape)}, which does not fit shape ${showShape(options.shape)}`);
  }
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape));
  let i = 0;
  const fill = (v: NestedArray): void => {
    if (typeof v === 'number') data[i++] = v;
    else v.forEach(fill);
  };
  fill(values);
  return new Tensor(data, options.shape ?? shape);
};

/** A rank-0 tensor holding `value`. */
export const scalar = (value: number, options: CreateOptions = {}): Tensor =>
  full([], value, options);

/** A tensor of `shape` with every element `value`. */
export const full = (shape: Shape, value: number, options: CreateOptions = {}): Tensor => {
  checkShape('full', shape);
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape));
  data.fill(value);
  return new Tensor(data, shape);
};

/** A tensor of zeros. */
export const zeros = (shape: Shape, options: CreateOptions = {}): Tensor => full(shape, 0, options);

/** A tensor of ones. */
export const ones = (shape: Shape, options: CreateOptions = {}): Tensor => full(shape, 1, options);

/** Zeros with the shape and dtype of `t`. */
export const zerosLike = (t: Tensor): Tensor => zeros(t.shape, { dtype: t.dtype });

/** Ones with the shape and dtype of `t`. */
export const onesLike = (t: Tensor): Tensor => ones(t.shape, { dtype: t.dtype });

/**
 * `[start, start + step, ...)` up to but excluding `stop`, as NumPy's arange.
 *
 * @example
 * ```ts
 * arange(0, 5);          // [0, 1, 2, 3, 4]
 * arange(0, 1, 0.25);    // [0, 0.25, 0.5, 0.75]
 * ```
 */
export const arange = (start: number, stop: number, step = 1, options: CreateOptions = {}): Tensor => {
  if (step === 0 || !Number.isFinite(step)) throw new SeqgradError('arange', `step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(options.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
};

/** The `n × n` identity matrix. */
export const eye = (n: number, options: CreateOptions = {}): Tensor => {
  checkShape('eye', [n]);
  const data = allocate(options.dtype ?? 'float32', n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return new Tensor(data, [n, n]);
};

/** A copy of `t` with another dtype (float → int32 truncates toward zero). */
export const astype = (t: Tensor, dtype: DType): Tensor =>
  dtype === t.dtype ? t : new Tensor(converted(t.data, dtype), t.shape);

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** `from` converted to `dtype`: typed-array `set` rounds to float32 and truncates toward zero for int32, as assignment does. */
const converted = (from: TypedArray, dtype: DType): TypedArray => {
  const out = allocate(dtype, from.length);
  out.set(from);
  return out;
};

const inferShape = (values: NestedArray): number[] => {
  if (typeof values === 'number') return [];
  if (!Array.isArray(values)) throw new SeqgradError('tensor', `expected numbers or nested arrays of numbers, got ${typeof values}`);
  if (values.length === 0) return [0];
  const inner = inferShape(values[0]!);
  values.forEach((v, i) => {
    const s = inferShape(v);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      throw new SeqgradError('tensor', `ragged nested array: element 0 has shape ${showShape(inner)}, element ${i} has ${showShape(s)}`);
    }
  });
  return [values.length, ...inner];
};
