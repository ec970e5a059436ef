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
import { SeqgradError, showShape } from '../tensor/errors.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { equal, where } from './compare.js';
import { broadcastTo, reshape } from './shape.js';
import { expectTensor } from './support.js';
import { exp, log, neg } from './unary.js';

/** Which axes to reduce (all when omitted; negative counts from the end) and whether to keep them as extent 1. */
export interface ReduceOptions {
  /** The axis or axes to reduce; all when omitted. */
  readonly axis?: number | readonly number[];
  /** Keep reduced axes with extent 1 (default false). */
  readonly keepdims?: boolean;
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

// Derived reductions validate here too, so their errors name them, not the primitives inside.
const resolve = (op: string, x: Tensor, options: ReduceOptions): Reduction => {
  expectTensor(op, x);
  commonFloatDType(op, [x.dtype]);
  return { axes: normalizeAxes(op, options.axis, x.rank), keepdims: options.keepdims ?? false };
};

/** The reduction, unless an axis it reduces is empty: NumPy and PyTorch refuse the extremum of nothing rather than return ∓Infinity. */
const nonEmpty = (op: string, x: Tensor, r: Reduction): Reduction => {
  const empty = r.axes.find((a) => x.shape[a] === 0);
  if (empty !== undefined) throw new SeqgradError(op, `axis ${empty} of x ${showShape(x.shape)} is empty: a ${op === 'max' ? 'maximum' : 'minimum'} of no elements is undefined`);
  return r;
};

/**
 * Sum over axes (all by default).
 *
 * @example
 * ```ts
 * sum(x);                                  // scalar
 * sum(x, { axis: -1, keepdims: true });    // [..., 1]
 * ```
 */
export const sum = (x: Tensor, options: ReduceOptions = {}): Tensor => sumP([x], resolve('sum', x, options));

/** Maximum over axes; the gradient is shared evenly by tied maxima. */
export const max = (x: Tensor, options: ReduceOptions = {}): Tensor => maxP([x], nonEmpty('max', x, resolve('max', x, options)));

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

/** Minimum over axes, as `-max(-x)`. */
export const min = (x: Tensor, options: ReduceOptions = {}): Tensor => {
  nonEmpty('min', x, resolve('min', x, options));
  return neg(max(neg(x), options));
};

/** Mean over axes (all by default). */
export const mean = (x: Tensor, options: ReduceOptions = {}): Tensor => {
  const { axes } = resolve('mean', x, options);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(x, options), count);
};

/**
 * `log(sum(exp(x)))` over axes, stable for large |x|: the maximum is subtracted first
 * (and treated as a constant, which leaves the gradient exact). Rows that are all -∞
 * give -∞, not NaN.
 */
export const logSumExp = (x: Tensor, options: ReduceOptions = {}): Tensor => {
  const { axes, keepdims } = resolve('logSumExp', x, options);
  const peak = stopGradient(max(x, { axis: axes, keepdims: true }));
  const shift = where(equal(peak, -Infinity), 0, peak);
  const lse = add(log(sum(exp(sub(x, shift)), { axis: axes, keepdims: true })), shift);
  return keepdims ? lse : reshape(lse, outShape(x, { axes, keepdims: false }));
};
