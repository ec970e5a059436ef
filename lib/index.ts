/**
 * seqgrad: a functional deep-learning DSL for sequence models. Immutable tensors, a
 * reverse-mode tape, pure recurrent cells and `scan`.
 *
 * @module
 */
export * from './tensor/index.js';
export * from './autodiff/index.js';
export * from './ops/index.js';
export * from './tree/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export { useBackend, backendName, ready, type BackendName } from './kernels/index.js';
export * from './text/index.js';
export { encodeModel, decodeModel, MODEL_META_KEY, type ModelContents, type Serialisable, type DecodeModelOptions, type DecodedModel } from './io/model.js';
export type { EncodeTensorsOptions, HalfDType } from './io/safetensors.js';
