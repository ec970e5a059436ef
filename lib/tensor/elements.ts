/**
 * The element types' names and typed arrays, in a module of their own: dtype.ts
 * allocates through the pool (pool.ts), and the pool names these types, so they sit
 * below both. dtype.ts re-exports them.
 *
 * @module
 */

/** The element type of a tensor. */
export type DType = 'float32' | 'float64' | 'int32';

/** The typed array backing a tensor of each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** The typed array type that stores a floating dtype. */
export type FloatArray = Float32Array | Float64Array;
