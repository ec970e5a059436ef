/**
 * The primitive set and the ops derived from it.
 *
 * Primitives (forward and VJP side by side): add, sub, mul, div, pow, maximum,
 * minimum, neg, exp, log, tanh, sigmoid, relu, sqrt, abs, where, the comparisons,
 * sum, max, matmul, reshape, permute, slice, pad, concat, flip, gather, scatterAdd,
 * and the tape's own broadcastTo / sumTo; and, as an intended exception kept to these
 * few, the fused gate algebra of the LSTM and GRU steps (lstmGates, gruGates,
 * gruResetGates, gruUpdate) and the whole steps around the hidden product
 * (lstmStep, gruStep).
 * Everything else is derived.
 *
 * One convention for axes: an op that works along an axis takes it as the positional
 * argument right after its tensors — `softmax(x, -1)`, `concat(xs, 1)`,
 * `split(x, 4, -1)`, `sum(x, -1, { keepdims: true })` — and an options object, when
 * there is one, holds everything else. (The reductions' older `sum(x, { axis })` form
 * still works in 0.2.x and is deprecated.)
 *
 * @module
 */
export * from './arithmetic.js';
export * from './unary.js';
export * from './power.js';
export * from './compare.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './shape.js';
export * from './matmul.js';
export * from './indexing.js';
export { lstmGates, gruGates, gruResetGates, gruUpdate } from './gates.js';
export { lstmStep, gruStep, type GruStepOptions } from './steps.js';
export type { Operand } from './support.js';
