/**
 * The embedding layer in PyTorch's layout: `weight` is `[vocab, dim]` and a lookup is a
 * `gather` of its rows, whose gradient is a scatter-add, so a token repeated in a batch
 * accumulates every one of its gradients into its row. A padding id (PyTorch's
 * `padding_idx`) starts as a zero row and receives no gradient. Initialised like
 * PyTorch's `Embedding`: normal(0, 1).
 *
 * @module
 */
import { stopGradient } from '../../autodiff/transforms.js';
import { where } from '../../ops/compare.js';
import { gather } from '../../ops/indexing.js';
import { tensor } from '../../tensor/create.js';
import type { DType } from '../../tensor/dtype.js';
import { SeqgradError, showShape } from '../../tensor/errors.js';
import { normal, type Key } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { checkSize } from '../init.js';

/** Parameters of an embedding (PyTorch `Embedding` names and shapes). */
export interface EmbeddingParams {
  /** `[vocab, dim]`: row i is the vector of token id i. */
  readonly weight: Tensor;
}

/** Sizes and options of `initEmbedding`. */
export interface EmbeddingSizes {
  /** Number of token ids. */
  readonly vocabSize: number;
  /** Width of each vector. */
  readonly dim: number;
  /** An id whose row starts at zero (PyTorch's `padding_idx`). */
  readonly paddingIndex?: number;
  /** Parameter dtype (default float32). */
  readonly dtype?: DType;
}

/** Options of `embedding`. */
export interface EmbeddingOptions {
  /** An id whose row gets no gradient (PyTorch's `padding_idx`). */
  readonly paddingIndex?: number;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * A fresh `[vocab, dim]` table, normal(0, 1) as PyTorch's `Embedding`, with the padding
 * row (if any) zero.
 *
 * @example
 * ```ts
 * const p = initEmbedding(key(0), { vocabSize: 30, dim: 16, paddingIndex: 0 });
 * ```
 */
export const initEmbedding = (k: Key, sizes: EmbeddingSizes): EmbeddingParams => {
  const { vocabSize, dim, paddingIndex, dtype = 'float32' } = sizes;
  checkSize('initEmbedding', 'vocabSize', vocabSize);
  checkSize('initEmbedding', 'dim', dim);
  const weight = normal(k, [vocabSize, dim], { dtype });
  if (paddingIndex === undefined) return { weight };
  checkPadding('initEmbedding', paddingIndex, vocabSize);
  const data = weight.data.slice();
  data.fill(0, paddingIndex * dim, (paddingIndex + 1) * dim);
  return { weight: tensor(data, { shape: weight.shape }) };
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Looks up int32 token `ids` of any shape: the result is `[...ids.shape, dim]`.
 *
 * @example
 * ```ts
 * const p = initEmbedding(key(0), { vocabSize: 10, dim: 4 });
 * const ids = tensor([[1, 2, 2], [0, 9, 1]], { dtype: 'int32' });
 * const vectors = embedding(p, ids);   // [2, 3, 4]
 * ```
 */
export const embedding = (params: EmbeddingParams, ids: Tensor, options: EmbeddingOptions = {}): Tensor => {
  const weight = checkEmbedding(params, ids);
  const { paddingIndex } = options;
  const rows = gather(weight, ids, 0);
  if (paddingIndex === undefined) return rows;
  checkPadding('embedding', paddingIndex, weight.shape[0]!);
  if (!ids.data.includes(paddingIndex)) return rows;
  // padding positions read the same values through stopGradient, so the padding row gets no gradient
  const isPad = tensor(Int32Array.from(ids.data, (i) => (i === paddingIndex ? 1 : 0)), { shape: [...ids.shape, 1], dtype: 'int32' });
  return where(isPad, stopGradient(rows), rows);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkPadding = (op: string, paddingIndex: number, vocab: number): void => {
  if (!Number.isInteger(paddingIndex) || paddingIndex < 0 || paddingIndex >= vocab) {
    throw new SeqgradError(op, `paddingIndex ${paddingIndex} is not a token id in [0, ${vocab})`);
  }
};

const checkEmbedding = (params: EmbeddingParams, ids: Tensor): Tensor => {
  const weight = params?.weight;
  if (!isTensor(weight) || weight.rank !== 2) {
    throw new SeqgradError('embedding', `params.weight must be a [vocab, dim] tensor, got ${isTensor(weight) ? showShape(weight.shape) : String(weight)}`);
  }
  if (!isTensor(ids) || ids.dtype !== 'int32') {
    const got = isTensor(ids) ? `${ids.dtype} ${showShape(ids.shape)}` : String(ids);
    throw new SeqgradError('embedding', `ids must be an int32 tensor of token ids, got ${got} (make them with tensor(ids, { dtype: 'int32' }))`);
  }
  const vocab = weight.shape[0]!;
  const bad = ids.data.findIndex((i) => i < 0 || i >= vocab);
  if (bad >= 0) {
    throw new SeqgradError('embedding', `ids ${showShape(ids.shape)} hold ${ids.data[bad]} at flat position ${bad}, outside the vocabulary [0, ${vocab}) of weight ${showShape(weight.shape)}`);
  }
  return weight;
};
