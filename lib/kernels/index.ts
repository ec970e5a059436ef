/**
 * Kernels: raw loops over typed arrays. They import nothing of seqgrad, know nothing
 * of tapes, and are the one place tuned for speed.
 *
 * @module
 */
export * from './types.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './layout.js';
export * from './matmul.js';
