/**
 * The layers recurrent models are built from: dense (PyTorch `Linear` layout),
 * embedding (a gather whose gradient scatter-adds) and inverted dropout from an
 * explicit key. Each is a params record plus pure functions.
 *
 * @module
 */
export { dense, initDense, type DenseParams, type DenseSizes } from './dense.js';
export { embedding, initEmbedding, type EmbeddingParams, type EmbeddingSizes, type EmbeddingOptions } from './embedding.js';
export { dropout, type DropoutOptions } from './dropout.js';
