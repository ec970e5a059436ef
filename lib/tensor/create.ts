/**
 * Constructors: from nested arrays or a typed array and a shape, and the usual filled
 * tensors. Floating tensors default to float32.
 *
 * @module
 */
import { allocate, checkDType, checkInt32, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { SeqgradError, showShape, showValue } from './errors.js';
import { checkShape, sizeOf, type Shape } from './shape.js';
import { isTensor, Tensor, type NestedArray } from './tensor.js';

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
  const op = 'tensor';
  const dtype = options.dtype === undefined ? undefined : checkDType(op, options.dtype, 'options.dtype');
  if (ArrayBuffer.isView(values)) {
    const source = checkTypedArray(op, values);
    const shape = options.shape ?? [source.length];
    checkShape(op, shape, 'options.shape');
    const target = dtype ?? dtypeOf(source);
    if (target === 'int32' && source.constructor !== Int32Array) checkInt32(op, source);
    const data = target === dtypeOf(source) ? source.slice() : converted(source, target);
    return new Tensor(data, shape);
  }
  const shape = inferShape(values);
  if (options.shape !== undefined) checkShape(op, options.shape, 'options.shape');
  if (options.shape && sizeOf(options.shape) !== sizeOf(shape)) {
    throw new SeqgradError(op, `values have shape ${showShape(shape)}, which does not fit options.shape ${showShape(options.shape)}`);
  }
  const data = allocate(dtype ?? 'float32', sizeOf(shape), op);
  const flat: number[] = [];
  const fill = (v: NestedArray): void => {
    if (typeof v === 'number') flat.push(v);
    else v.forEach(fill);
  };
  fill(values);
  if (data instanceof Int32Array) checkInt32(op, flat);
  data.set(flat);
  return new Tensor(data, options.shape ?? shape);
};

/** A rank-0 tensor holding `value`. */
export const scalar = (value: number, options: CreateOptions = {}): Tensor =>
  filled('scalar', [], value, options);

/** A tensor of `shape` with every element `value`. */
export const full = (shape: Shape, value: number, options: CreateOptions = {}): Tensor =>
  filled('full', shape, value, options);

/** A tensor of zeros. */
export const zeros = (shape: Shape, options: CreateOptions = {}): Tensor => filled('zeros', shape, 0, options);

/** A tensor of ones. */
export const ones = (shape: Shape, options: CreateOptions = {}): Tensor => filled('ones', shape, 1, options);

/** Zeros with the shape and dtype of `t`. */
export const zerosLike = (t: Tensor): Tensor => filled('zerosLike', like('zerosLike', t).shape, 0, { dtype: t.dtype });

/** Ones with the shape and dtype of `t`. */
export const onesLike = (t: Tensor): Tensor => filled('onesLike', like('onesLike', t).shape, 1, { dtype: t.dtype });

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
  const op = 'arange';
  for (const [name, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SeqgradError(op, `${name} must be a finite number, got ${showValue(v)}`);
  }
  if (step === 0) throw new SeqgradError(op, 'step must be non-zero, got 0');
  const dtype = options.dtype === undefined ? 'float32' : checkDType(op, options.dtype, 'options.dtype');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, n, op);
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  if (dtype === 'int32') checkInt32(op, values);
  data.set(values);
  return new Tensor(data, [n]);
};

/** The `n × n` identity matrix. */
export const eye = (n: number, options: CreateOptions = {}): Tensor => {
  if (!Number.isInteger(n) || n < 0) throw new SeqgradError('eye', `n must be a non-negative integer, got ${showValue(n)}`);
  const data = allocate(options.dtype === undefined ? 'float32' : checkDType('eye', options.dtype, 'options.dtype'), n * n, 'eye');
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return new Tensor(data, [n, n]);
};

/** Options of `astype`. */
export interface AstypeOptions {
  /**
   * How to turn floats with a fraction into int32: `'nearest'` (ties to even, as
   * NumPy's `rint` and `torch.round`) or `'trunc'` (toward zero, as C casts). Without
   * it, a fraction is an error rather than a silent truncation.
   */
  readonly round?: 'nearest' | 'trunc';
}

/**
 * A copy of `t` with another dtype. Casting to int32 refuses NaN, ±Infinity and values
 * outside the int32 range, and refuses fractions unless `options.round` says how to
 * round them.
 *
 * @example
 * ```ts
 * astype(tensor([1.5, 2.5, -0.5]), 'int32', { round: 'nearest' });   // int32 [2, 2, -0]
 * astype(tensor([1, 2], { dtype: 'int32' }), 'float32');
 * ```
 */
export const astype = (t: Tensor, dtype: DType, options: AstypeOptions = {}): Tensor => {
  const op = 'astype';
  if (!isTensor(t)) throw new SeqgradError(op, `argument t must be a Tensor, got ${showValue(t)}`);
  checkDType(op, dtype);
  const { round } = options;
  if (round !== undefined && round !== 'nearest' && round !== 'trunc') {
    throw new SeqgradError(op, `options.round must be 'nearest' or 'trunc', got ${showValue(round)}`);
  }
  if (dtype === t.dtype) return t;
  if (dtype !== 'int32' || t.dtype === 'int32') return new Tensor(converted(t.data, dtype), t.shape);
  const values = round === undefined ? t.data : Array.from(t.data, round === 'trunc' ? Math.trunc : roundHalfEven);
  checkInt32(op, values, 't');
  const out = allocate('int32', values.length, op);
  out.set(values);
  return new Tensor(out, t.shape);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** `from` converted to `dtype`: typed-array `set` rounds to float32 and truncates toward zero for int32, as assignment does. */
const converted = (from: TypedArray, dtype: DType): TypedArray => {
  const out = allocate(dtype, from.length, 'astype');
  out.set(from);
  return out;
};

/** A constant tensor; `op` is the constructor the caller used, so messages name it. */
const filled = (op: string, shape: Shape, value: number, options: CreateOptions): Tensor => {
  checkShape(op, shape);
  if (typeof value !== 'number') throw new SeqgradError(op, `value must be a number, got ${showValue(value)}`);
  const dtype = options.dtype === undefined ? 'float32' : checkDType(op, options.dtype, 'options.dtype');
  if (dtype === 'int32') checkInt32(op, [value], 'value');
  const data = allocate(dtype, sizeOf(shape), op);
  // a fresh array is +0 already; -0 (and anything else) must be written
  if (!Object.is(value, 0)) data.fill(value);
  return new Tensor(data, shape);
};

const like = (op: string, t: Tensor): Tensor => {
  if (!isTensor(t)) throw new SeqgradError(op, `argument t must be a Tensor, got ${showValue(t)}`);
  return t;
};

/** The typed array itself when seqgrad can store it; other views (Uint8Array, BigInt64Array, DataView) are refused, not reinterpreted. */
const checkTypedArray = (op: string, values: ArrayBufferView): TypedArray => {
  if (values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array) return values;
  throw new SeqgradError(op, `values is a ${values.constructor.name}; pass a Float32Array, Float64Array or Int32Array (e.g. Int32Array.from(values)) or nested arrays`);
};

/** Rounds half to even, as NumPy's rint and torch.round do. */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

const inferShape = (values: NestedArray): number[] => {
  if (typeof values === 'number') return [];
  if (!Array.isArray(values)) throw new SeqgradError('tensor', `values must be numbers or nested arrays of numbers, got ${showValue(values)}`);
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
