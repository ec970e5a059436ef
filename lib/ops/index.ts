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
 * @module
 */
export * from './arithmetic.js';
export * from './unary.js';
export * from './compare.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './shape.js';
export * from './matmul.js';
export * from './indexing.js';
export { lstmGates, gruGates, gruResetGates, gruUpdate } from './gates.js';
export { lstmStep, gruStep, type GruStepOptions } from './steps.js';
export type { Operand } from './support.js';
