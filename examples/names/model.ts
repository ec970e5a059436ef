/**
 * The character language model: an embedding, a PyTorch-layout LSTM (so the saved
 * tensor names are PyTorch's: `rnn.weight_ih_l0`, ...), and a dense layer to one
 * logit per vocabulary entry. The loss is the mean cross-entropy over real
 * characters and end tokens, i.e. the NLL in nats per character, weighted by the
 * batch's token count so epoch means are per character, not per batch.
 */
import {
  crossEntropy, dense, embedding, generate, initDense, initEmbedding, key, reshape, splitKey, squeeze, torch,
  type DenseParams, type EmbeddingParams, type Key, type LanguageModel, type Tensor, type Vocab,
} from '../../lib/index.js';
import type { Batch } from './corpus.js';

/** The model's sizes (stored in the model file as its config). */
export interface Config {
  /** Vocabulary size (specials included). */
  readonly vocabSize: number;
  /** Embedding width. */
  readonly embed: number;
  /** LSTM hidden units. */
  readonly hidden: number;
}

/** The parameter tree. */
export interface Params {
  /** Character embeddings. */
  readonly embed: EmbeddingParams;
  /** The LSTM, with PyTorch's state_dict names. */
  readonly rnn: torch.StateDict;
  /** Hidden state to logits. */
  readonly head: DenseParams;
}

const lstmOf = (c: Config) => torch.lstm({ inputSize: c.embed, hiddenSize: c.hidden });

/** Fresh parameters (PyTorch's default initialisers). */
export const init = (k: Key, c: Config): Params => {
  const [ke, kr, kh] = splitKey(k, 3);
  return {
    embed: initEmbedding(ke, { vocabSize: c.vocabSize, dim: c.embed }),
    rnn: lstmOf(c).init(kr),
    head: initDense(kh, { inputSize: c.hidden, outputSize: c.vocabSize }),
  };
};

/** Logits `[B, T, vocab]` for a padded batch. */
export const logits = (c: Config, p: Params, ids: Tensor, lengths: Tensor): Tensor => {
  const { y } = lstmOf(c).apply(p.rnn, embedding(p.embed, ids), { lengths });
  return dense(p.head, y);
};

/** The loss for `fit`: NLL per character, weighted by the number of characters. */
export const lossOf = (c: Config) => (p: Params, b: Batch) => {
  const tokens = Array.from(b.lengths.data).reduce((s, n) => s + n, 0);
  return { loss: crossEntropy(logits(c, p, b.ids, b.lengths), b.targets), weight: tokens };
};

/** The model one token at a time, for `generate`. */
export const languageModel = (c: Config, p: Params): LanguageModel<{ readonly h: Tensor; readonly c: Tensor } | null> => ({
  init: () => null,
  step: (carry, ids) => {
    const x = embedding(p.embed, reshape(ids, [ids.size, 1]));
    const out = lstmOf(c).apply(p.rnn, x, carry === null ? {} : { h0: carry.h, c0: carry.c });
    return [{ h: out.hn, c: out.cn! }, dense(p.head, squeeze(out.y, 1))];
  },
});

/** `count` names sampled at `temperature` (the same names for the same seed, in Node and in a browser). */
export const sampleNames = (config: Config, params: Params, vocab: Vocab, count: number, temperature: number, seed: number): string[] =>
  generate(languageModel(config, params), { prompt: [vocab.bos], endToken: vocab.eos, maxLength: 24, temperature, key: key(seed), samples: count })
    .map((ids) => vocab.decode(ids));
