/**
 * softmax and logSoftmax along an axis.
 *
 * NOTE: both are derived from primitives (exp, sub, div, logSumExp) rather than being
 * primitives of their own: the max-shift keeps them stable, and their gradients come
 * out exact from the parts, so a hand-written VJP would only add code to trust.
 *
 * @module
 */
import { stopGradient } from '../autodiff/transforms.js';
import { commonFloatDType } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, sub } from './arithmetic.js';
import { logSumExp, max, sum } from './reduce.js';
import { expectTensor } from './support.js';
import { exp } from './unary.js';

/** Validates in the caller's terms, so a bad axis or dtype names softmax, not the max inside it. */
const checked = (op: string, x: Tensor, axis: number): number => {
  expectTensor(op, x);
  commonFloatDType(op, [x.dtype]);
  return normalizeAxis(op, axis, x.rank);
};

/**
 * `exp(x) / sum(exp(x))` along `axis` (the last by default), computed stably.
 *
 * @example
 * ```ts
 * const probs = softmax(logits);           // rows sum to 1
 * ```
 */
export const softmax = (x: Tensor, axis = -1): Tensor => {
  const a = checked('softmax', x, axis);
  const e = exp(sub(x, stopGradient(max(x, a, { keepdims: true }))));
  return div(e, sum(e, a, { keepdims: true }));
};

/** `x - logSumExp(x)` along `axis` (the last by default): log-probabilities, stable for large |x|. */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => sub(x, logSumExp(x, checked('logSoftmax', x, axis), { keepdims: true }));
