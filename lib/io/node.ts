/**
 * Files on disk: checkpoints written atomically, rotating checkpoint directories with
 * a lock, and model files. These modules use `node:fs`, so they live in their own
 * entry, `seqgrad/io/node`; `seqgrad/io` keeps the byte-level encoders, which run in
 * any JavaScript engine.
 *
 * @module
 */
export * from './checkpoint.js';
export * from './rotation.js';
export * from './model-file.js';
