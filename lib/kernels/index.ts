/**
 * Kernels: raw loops over typed arrays behind one `Kernels` interface. They import
 * nothing of seqgrad, know nothing of tapes, and are the one place tuned for speed.
 * Only ops and the tape call them, through `kernels()`.
 *
 * @module
 */
export * from './types.js';
export * from './backend.js';
export { kernels, useBackend, backendName, ready, type BackendName } from './registry.js';
export { referenceKernels } from './reference/index.js';
