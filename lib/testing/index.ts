/**
 * Tools for testing differentiable code: `checkGrad` against finite differences and
 * fast-check arbitraries for shapes and tensors, so users can property-test their own
 * cells exactly as seqgrad tests its own.
 *
 * @module
 */
export * from './check-grad.js';
export * from './arbitraries.js';
