/**
 * The example's task and model. Task: each sequence is 12 tokens drawn from a
 * vocabulary of 4, and the label is the token that occurs most often (ties are never
 * drawn). Counting over the whole sequence suits a bidirectional network: both
 * directions see every token, and the mean of their outputs over time is a count-like
 * summary. Model: an embedding, two stacked bidirectional GRU layers (concat merge,
 * dropout between them), mean over time, and a dense layer to 4 logits.
 */
import {
  bidirectional, crossEntropy, dense, embedding, gru, initDense, initEmbedding, mean, recurrent, splitKey, stacked, tensor, uniform,
  type DenseParams, type Directions, type EmbeddingParams, type Key, type RecurrentParams, type Tensor,
} from '../../lib/index.js';
import { accuracy, type LossContext } from '../../lib/train/index.js';

/** Distinct tokens (and classes). */
export const VOCAB = 4;
/** Tokens per sequence: even counts make ties possible, which the data skips. */
export const TIME = 12;

/** The model's sizes. */
export interface Sizes {
  /** Embedding width. */
  readonly embed: number;
  /** Hidden units per direction and layer. */
  readonly hidden: number;
}

/** The parameter tree: it is the model. */
export interface Params {
  /** Token embeddings `[VOCAB, embed]`. */
  readonly embed: EmbeddingParams;
  /** Two bidirectional GRU layers. */
  readonly rnn: readonly Directions<RecurrentParams>[];
  /** The classifier over the time-averaged outputs. */
  readonly head: DenseParams;
}

/** A batch: token ids `[batch, time]` and labels `[batch]`, both int32. */
export interface Batch {
  /** Token ids `[batch, TIME]`. */
  readonly ids: Tensor;
  /** The most frequent token of each row `[batch]`. */
  readonly label: Tensor;
}

const cell = gru();
const layer = bidirectional(recurrent(cell), 'concat');
const network = stacked([layer, layer], { dropout: 0.1 });

/** Fresh parameters: PyTorch's default initialisers throughout. */
export const init = (k: Key, { embed, hidden }: Sizes): Params => {
  const [ke, k0f, k0b, k1f, k1b, kh] = splitKey(k, 6);
  const first = { inputSize: embed, hiddenSize: hidden };
  const second = { inputSize: 2 * hidden, hiddenSize: hidden };
  return {
    embed: initEmbedding(ke, { vocabSize: VOCAB, dim: embed }),
    rnn: [
      { forward: cell.init(k0f, first), backward: cell.init(k0b, first) },
      { forward: cell.init(k1f, second), backward: cell.init(k1b, second) },
    ],
    head: initDense(kh, { inputSize: 2 * hidden, outputSize: VOCAB }),
  };
};

/** Logits `[batch, VOCAB]`; dropout between the layers only while training. */
export const logits = (p: Params, ids: Tensor, ctx: Pick<LossContext, 'key' | 'train'>): Tensor => {
  const { outputs } = network(p.rnn, embedding(p.embed, ids), { train: ctx.train, key: ctx.key });
  return dense(p.head, mean(outputs, 1));
};

/** Cross-entropy with accuracy beside it, weighted by the batch's size. */
export const loss = (p: Params, b: Batch, ctx: LossContext) => {
  const z = logits(p, b.ids, ctx);
  return { loss: crossEntropy(z, b.label), metrics: { accuracy: accuracy(z, b.label) }, weight: b.label.size };
};

/**
 * `n` sequences with a unique most frequent token, drawn from `k`: candidates come
 * from one uniform draw and rows with a tie for the most frequent token are skipped.
 */
export const makeData = (k: Key, n: number): Batch => {
  const draws = uniform(k, [3 * n, TIME], { dtype: 'float64' }).data;
  const ids: number[] = [];
  const labels: number[] = [];
  for (let r = 0; r < 3 * n && labels.length < n; r++) {
    const row = Array.from({ length: TIME }, (_, t) => Math.floor(draws[r * TIME + t]! * VOCAB));
    const counts = Array.from({ length: VOCAB }, (_, v) => row.filter((x) => x === v).length);
    const top = Math.max(...counts);
    if (counts.filter((c) => c === top).length > 1) continue;
    ids.push(...row);
    labels.push(counts.indexOf(top));
  }
  if (labels.length < n) throw new Error(`makeData: drew only ${labels.length} of ${n} untied sequences`);
  return { ids: tensor(ids, { shape: [n, TIME], dtype: 'int32' }), label: tensor(labels, { dtype: 'int32' }) };
};
