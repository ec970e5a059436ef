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
import type { Tensor } from '../tensor/tensor.js';
import { div, sub } from './arithmetic.js';
import { logSumExp, max, sum } from './reduce.js';
import { exp } from './unary.js';

/**
 * `exp(x) / sum(exp(x))` along `axis` (the last by default), computed stably.
 *
 * @example
 * ```ts
 * const probs = softmax(logits);           // rows sum to 1
 * ```
 */
export const softmax = (x: Tensor, axis = -1): Tensor => {
  const e = exp(sub(x, stopGradient(max(x, { axis, keepdims: true }))));
  return div(e, sum(e, { axis, keepdims: true }));
};

/** `x - logSumExp(x)` along `axis` (the last by default): log-probabilities, stable for large |x|. */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => sub(x, logSumExp(x, { axis, keepdims: true }));
