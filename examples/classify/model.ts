/**
 * The classifier: character embeddings, a bidirectional GRU that reads the name both
 * ways (lengths make the backward direction start at each name's last letter), the
 * two final states concatenated, and a dense layer to two logits.
 */
import {
  bidirectional, concat, crossEntropy, dense, embedding, gru, initDense, initEmbedding, recurrent, splitKey,
  type DenseParams, type Directions, type EmbeddingParams, type Key, type RecurrentParams, type Tensor,
} from '../../lib/index.js';
import { accuracy } from '../../lib/train/index.js';
import type { Batch } from './data.js';

/** Sizes (stored as the model file's config). */
export interface Config {
  /** Vocabulary size. */
  readonly vocabSize: number;
  /** Embedding width. */
  readonly embed: number;
  /** Hidden units per direction. */
  readonly hidden: number;
  /** Classes. */
  readonly classes: number;
}

/** The parameter tree. */
export interface Params {
  /** Character embeddings. */
  readonly embed: EmbeddingParams;
  /** Forward and backward GRU. */
  readonly rnn: Directions<RecurrentParams>;
  /** Both final states to class logits. */
  readonly head: DenseParams;
}

const cell = gru();
const layer = bidirectional(recurrent(cell), 'concat');

/** Fresh parameters. */
export const init = (k: Key, c: Config): Params => {
  const [ke, kf, kb, kh] = splitKey(k, 4);
  const sizes = { inputSize: c.embed, hiddenSize: c.hidden };
  return {
    embed: initEmbedding(ke, { vocabSize: c.vocabSize, dim: c.embed }),
    rnn: { forward: cell.init(kf, sizes), backward: cell.init(kb, sizes) },
    head: initDense(kh, { inputSize: 2 * c.hidden, outputSize: c.classes }),
  };
};

/** Class logits `[B, classes]`. */
export const logits = (p: Params, ids: Tensor, lengths: Tensor): Tensor => {
  const { carry } = layer(p.rnn, embedding(p.embed, ids), { lengths });
  return dense(p.head, concat([carry.forward, carry.backward], 1));
};

/** Cross-entropy with accuracy, weighted by batch size. */
export const loss = (p: Params, b: Batch) => {
  const z = logits(p, b.ids, b.lengths);
  return { loss: crossEntropy(z, b.labels), metrics: { accuracy: accuracy(z, b.labels) }, weight: b.labels.size };
};
