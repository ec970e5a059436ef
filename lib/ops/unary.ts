/**
 * Elementwise unary functions. Each VJP is written with seqgrad ops, most of them in
 * terms of the forward's output (`out`), which the tape keeps.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { commonFloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, mul, neg, sign, sub } from './arithmetic.js';
import { greater } from './compare.js';
import { expectTensor, unaryForward } from './support.js';

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

const expP = definePrimitive<void, 1>({
  name: 'exp',
  forward: unaryForward('exp'),
  vjp: (dy, _, out) => [mul(dy, out)],
});

const logP = definePrimitive<void, 1>({
  name: 'log',
  forward: unaryForward('log'),
  vjp: (dy, [x]) => [div(dy, x)],
});

const tanhP = definePrimitive<void, 1>({
  name: 'tanh',
  forward: unaryForward('tanh'),
  vjp: (dy, _, out) => [mul(dy, sub(1, mul(out, out)))],
});

const sigmoidP = definePrimitive<void, 1>({
  name: 'sigmoid',
  forward: unaryForward('sigmoid'),
  vjp: (dy, _, out) => [mul(dy, mul(out, sub(1, out)))],
});

const reluP = definePrimitive<void, 1>({
  name: 'relu',
  forward: unaryForward('relu'),
  vjp: (dy, [x]) => [mul(dy, greater(x, 0))],
});

const sqrtP = definePrimitive<void, 1>({
  name: 'sqrt',
  forward: unaryForward('sqrt'),
  vjp: (dy, _, out) => [div(dy, mul(out, 2))],
});

const absP = definePrimitive<void, 1>({
  name: 'abs',
  forward: unaryForward('abs'),
  // the subgradient at 0 is 0, as in PyTorch
  vjp: (dy, [x]) => [mul(dy, sign(x))],
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** `e^x`. */
export const exp = (x: Tensor): Tensor => expP([expectTensor('exp', x)], undefined);

/** Natural logarithm. */
export const log = (x: Tensor): Tensor => logP([expectTensor('log', x)], undefined);

/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => tanhP([expectTensor('tanh', x)], undefined);

/** The logistic function `1 / (1 + e^-x)`, computed without overflow for any |x|. */
export const sigmoid = (x: Tensor): Tensor => sigmoidP([expectTensor('sigmoid', x)], undefined);

/** `max(x, 0)`; the gradient at 0 is 0. */
export const relu = (x: Tensor): Tensor => reluP([expectTensor('relu', x)], undefined);

/** Square root. */
export const sqrt = (x: Tensor): Tensor => sqrtP([expectTensor('sqrt', x)], undefined);

/** `|x|`; the gradient at 0 is 0. */
export const abs = (x: Tensor): Tensor => absP([expectTensor('abs', x)], undefined);

/**
 * `log(1 + e^x)`, stable for large |x|: `max(x, 0) + log(1 + e^-|x|)`. `maximum` (not
 * relu) splits its tie at 0 evenly, so the gradient at 0 is sigmoid(0) = 0.5 exactly.
 */
export const softplus = (x: Tensor): Tensor => {
  commonFloatDType('softplus', [expectTensor('softplus', x).dtype]);
  return add(maximum(x, 0), log(add(exp(neg(abs(x))), 1)));
};
