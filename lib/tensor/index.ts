/**
 * The tensor layer: the immutable Tensor, dtypes, shapes and broadcasting, constructors
 * and keyed random draws.
 *
 * @module
 */
export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
export * from './tensor.js';
export * from './create.js';
export * from './random.js';
export * from './lengths.js';
export * from './tuple.js';
