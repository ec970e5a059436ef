/**
 * File formats and checkpoints: safetensors encoding and decoding, io-ts codecs for
 * metadata, and atomic, strictly checked checkpoints with rotation. The byte-level
 * modules (safetensors, codecs, checkpoint-format) run anywhere; checkpoint and
 * rotation use `node:fs`.
 *
 * @module
 */
export * from './safetensors.js';
export * from './safetensors-header.js';
export * from './codecs.js';
export * from './crc32.js';

export * from './checkpoint-format.js';
export * from './checkpoint.js';
export * from './rotation.js';
export * from './model.js';
export * from './model-file.js';
