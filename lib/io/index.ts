/**
 * File formats as bytes: safetensors encoding and decoding, io-ts codecs for metadata,
 * strictly checked checkpoint and model contents. Everything here works on
 * `Uint8Array`s and runs in any JavaScript engine, a browser included; reading and
 * writing files is in `seqgrad/io/node`.
 *
 * @module
 */
export * from './safetensors.js';
export * from './safetensors-header.js';
export * from './codecs.js';
export * from './crc32.js';

export * from './checkpoint-format.js';
export * from './model.js';
