/**
 * Reductions over axes, with `keepdims`: the primitives sum and max, and the ops
 * derived from them (mean, min, logSumExp).
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { stopGradient } from '../autodiff/transforms.js';
import { kernels } from '../kernels/index.js';
import { zeros } from '../tensor/create.js';
import { commonFloatDType } from '../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { equal, where } from './compare.js';
import { broadcastTo, reshape } from './shape.js';
import { expectTensor } from './support.js';
import { exp, log } from './unary.js';

/** The axis or axes a reduction reduces (negative counts from the end); all of them when undefined. */
export type Axes = number | readonly number[];

/** Options of the reductions besides the axis. */
export interface KeepDimsOptions {
  /** Keep reduced axes with extent 1 (default false). */
  readonly keepdims?: boolean;
}

/**
 * The axis and keepdims in one object, the reductions' second argument before 0.2.0.
 *
 * @deprecated Pass the axis as the second argument and keepdims in the third:
 * `sum(x, -1, { keepdims: true })` for `sum(x, { axis: -1, keepdims: true })`. The
 * object form still works in 0.2.x and goes in the next version.
 */
export interface ReduceOptions extends KeepDimsOptions {
  /** The axis or axes to reduce; all when omitted. */
  readonly axis?: Axes;
}

interface Reduction { readonly axes: readonly number[]; readonly keepdims: boolean }

const keptShape = (x: Tensor, axes: readonly number[]): number[] => x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
const outShape = (x: Tensor, { axes, keepdims }: Reduction): number[] =>
  keepdims ? keptShape(x, axes) : x.shape.filter((_, i) => !axes.includes(i));

/** The cotangent of a reduction's output, reshaped to keep the reduced axes. */
const keep = (dy: Tensor, x: Tensor, axes: readonly number[]): Tensor => reshape(dy, keptShape(x, axes));

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

const reduction = (name: string, reducer: 'sum' | 'max', vjp: (dy: Tensor, x: Tensor, out: Tensor, r: Reduction) => Tensor) =>
  definePrimitive<Reduction, 1>({
    name,
    forward: ([x], r) => {
      const out = zeros(outShape(x, r), { dtype: commonFloatDType(name, [x.dtype]) });
      kernels().reduce(x.data, x.shape, r.axes, out.data, reducer);
      return out;
    },
    vjp: (dy, [x], out, r) => [vjp(dy, x, out, r)],
  });

const sumP = reduction('sum', 'sum', (dy, x, _, { axes }) => broadcastTo(keep(dy, x, axes), x.shape));

// The cotangent goes to every element equal to the maximum, split evenly among ties.
const maxP = reduction('max', 'max', (dy, x, out, { axes }) => {
  const hit = equal(x, keep(out, x, axes));
  const count = sumP([hit], { axes, keepdims: true });
  return mul(hit, div(keep(dy, x, axes), count));
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** A reduction's axis argument: the axes, or the deprecated options object. */
type AxisArgument = Axes | ReduceOptions | undefined;

// Derived reductions validate here too, so their errors name them, not the primitives inside.
const resolve = (op: string, x: Tensor, axis: AxisArgument, options: KeepDimsOptions | undefined): Reduction => {
  expectTensor(op, x);
  commonFloatDType(op, [x.dtype]);
  const { axis: axes, keepdims } = readAxisArgument(op, axis, options);
  return { axes: normalizeAxes(op, axes, x.rank), keepdims };
};

/** The axes and keepdims from either call form: `(x, axis, { keepdims })` or the deprecated `(x, { axis, keepdims })`. */
const readAxisArgument = (op: string, axis: AxisArgument, options: KeepDimsOptions | undefined): { axis: Axes | undefined; keepdims: boolean } => {
  const legacy = typeof axis === 'object' && axis !== null && !Array.isArray(axis);
  if (legacy && options !== undefined) throw new SeqgradError(op, 'give the axis as the second argument and keepdims in the third, not an options object and a third argument');
  const rest = legacy ? (axis as ReduceOptions) : options ?? {};
  if (typeof rest !== 'object' || rest === null) throw new SeqgradError(op, `options must be an object, got ${showValue(rest)}`);
  if (rest.keepdims !== undefined && typeof rest.keepdims !== 'boolean') throw new SeqgradError(op, `options.keepdims must be a boolean, got ${showValue(rest.keepdims)}`);
  return { axis: legacy ? (axis as ReduceOptions).axis : (axis as Axes | undefined), keepdims: rest.keepdims ?? false };
};

/** The reduction, unless an axis it reduces is empty: NumPy and PyTorch refuse the extremum of nothing rather than return ∓Infinity. */
const nonEmpty = (op: string, x: Tensor, r: Reduction): Reduction => {
  const empty = r.axes.find((a) => x.shape[a] === 0);
  if (empty !== undefined) throw new SeqgradError(op, `axis ${empty} of x ${showShape(x.shape)} is empty: a ${op === 'max' ? 'maximum' : 'minimum'} of no elements is undefined`);
  return r;
};

/**
 * Sum over `axis` (one axis, several, or all when omitted).
 *
 * @example
 * ```ts
 * sum(x);                            // scalar
 * sum(x, -1, { keepdims: true });    // [..., 1]
 * sum(x, [0, 1]);                    // the first two axes
 * ```
 */
export function sum(x: Tensor, axis?: Axes, options?: KeepDimsOptions): Tensor;
/** @deprecated Pass the axis positionally: `sum(x, axis, { keepdims })`; the options object goes in the next version. */
export function sum(x: Tensor, options: ReduceOptions): Tensor;
export function sum(x: Tensor, axis?: AxisArgument, options?: KeepDimsOptions): Tensor {
  return sumP([x], resolve('sum', x, axis, options));
}

/**
 * Maximum over `axis` (all axes when omitted); the gradient is shared evenly by tied
 * maxima.
 *
 * @example
 * ```ts
 * max(scores, -1);   // the best score of each row
 * ```
 */
export function max(x: Tensor, axis?: Axes, options?: KeepDimsOptions): Tensor;
/** @deprecated Pass the axis positionally: `max(x, axis, { keepdims })`; the options object goes in the next version. */
export function max(x: Tensor, options: ReduceOptions): Tensor;
export function max(x: Tensor, axis?: AxisArgument, options?: KeepDimsOptions): Tensor {
  return maxP([x], nonEmpty('max', x, resolve('max', x, axis, options)));
}

/**
 * The index of the largest element along `axis` (negative counts from the end), as an
 * int32 tensor without that axis: the predicted class of each row, the next token of
 * each hypothesis. The first index wins ties and a NaN counts as the largest, as in
 * NumPy. An index has no gradient, so nothing is recorded on the tape.
 *
 * @example
 * ```ts
 * argmax(tensor([[1, 5, 2], [7, 0, 7]]), -1);   // int32 [1, 0]
 * ```
 */
export const argmax = (x: Tensor, axis: number): Tensor => {
  expectTensor('argmax', x);
  const a = normalizeAxis('argmax', axis, x.rank);
  if (x.shape[a] === 0) throw new SeqgradError('argmax', `axis ${axis} of x ${showShape(x.shape)} is empty: there is no largest element`);
  const out = zeros(x.shape.filter((_, i) => i !== a), { dtype: 'int32' });
  kernels().argmax(x.data, x.shape, a, out.data as Int32Array);
  return out;
};

/**
 * Minimum over `axis` (all axes when omitted), as `-max(-x)`.
 *
 * @example
 * ```ts
 * min(x, 0, { keepdims: true });   // [1, ...]
 * ```
 */
export function min(x: Tensor, axis?: Axes, options?: KeepDimsOptions): Tensor;
/** @deprecated Pass the axis positionally: `min(x, axis, { keepdims })`; the options object goes in the next version. */
export function min(x: Tensor, options: ReduceOptions): Tensor;
export function min(x: Tensor, axis?: AxisArgument, options?: KeepDimsOptions): Tensor {
  const r = nonEmpty('min', x, resolve('min', x, axis, options));
  return neg(maxP([neg(x)], r));
}

/**
 * Mean over `axis` (all axes when omitted).
 *
 * @example
 * ```ts
 * mean(x, -1);   // the mean of each row
 * ```
 */
export function mean(x: Tensor, axis?: Axes, options?: KeepDimsOptions): Tensor;
/** @deprecated Pass the axis positionally: `mean(x, axis, { keepdims })`; the options object goes in the next version. */
export function mean(x: Tensor, options: ReduceOptions): Tensor;
export function mean(x: Tensor, axis?: AxisArgument, options?: KeepDimsOptions): Tensor {
  const r = resolve('mean', x, axis, options);
  const count = r.axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sumP([x], r), count);
}

/**
 * `log(sum(exp(x)))` over `axis` (all axes when omitted), stable for large |x|: the
 * maximum is subtracted first (and treated as a constant, which leaves the gradient
 * exact). Rows that are all -∞ give -∞, not NaN.
 *
 * @example
 * ```ts
 * logSumExp(logits, -1, { keepdims: true });   // [..., 1]
 * ```
 */
export function logSumExp(x: Tensor, axis?: Axes, options?: KeepDimsOptions): Tensor;
/** @deprecated Pass the axis positionally: `logSumExp(x, axis, { keepdims })`; the options object goes in the next version. */
export function logSumExp(x: Tensor, options: ReduceOptions): Tensor;
export function logSumExp(x: Tensor, axis?: AxisArgument, options?: KeepDimsOptions): Tensor {
  const { axes, keepdims } = resolve('logSumExp', x, axis, options);
  const peak = stopGradient(max(x, axes, { keepdims: true }));
  const shift = where(equal(peak, -Infinity), 0, peak);
  const lse = add(log(sum(exp(sub(x, shift)), axes, { keepdims: true })), shift);
  return keepdims ? lse : reshape(lse, outShape(x, { axes, keepdims: false }));
}
