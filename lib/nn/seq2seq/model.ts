/**
 * The encoder-decoder (seq2seq) model as pure functions over a params record. The
 * encoder embeds the source and runs a recurrent layer (`recurrent(cell)`, with
 * packed-sequence `srcLengths`); the decoder embeds the target-in tokens and runs the
 * same kind of cell from the encoder's final carry. Without attention the logits are
 * `out(dec_out)`; with attention (Luong dot or general, Bahdanau additive) each
 * decoder output queries the encoder outputs and
 * `logits = out(tanh(combine(concat[ctx, dec_out])))`, Luong's attentional hidden
 * state. Training is teacher forcing: the whole target goes through in one scan, and
 * the loss is the mean cross-entropy of its tokens.
 *
 * Generation uses the same parameters one step at a time (`decoderStep`), driven by the
 * greedy and beam searches of `search.ts`.
 *
 * @module
 */
import { concat } from '../../ops/shape.js';
import { tanh } from '../../ops/unary.js';
import { tensor } from '../../tensor/create.js';
import type { DType } from '../../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../../tensor/errors.js';
import { splitKey, type Key } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { attention, initAttention, lengthMask, type AttentionKind, type AttentionParams } from '../attention.js';
import type { Cell } from '../cell.js';
import { dense, initDense, type DenseParams } from '../layers/dense.js';
import { embedding, initEmbedding, type EmbeddingParams } from '../layers/embedding.js';
import { crossEntropy } from '../losses.js';
import { recurrent, type SequenceLayer } from '../recurrent.js';

/** The sizes a seq2seq cell's `init` is given. */
export interface Seq2SeqCellSizes {
  /** Features in (the embedding width). */
  readonly inputSize: number;
  /** Hidden units. */
  readonly hiddenSize: number;
  /** Parameter dtype. */
  readonly dtype?: DType;
}

/** Sizes of `init`. */
export interface Seq2SeqSizes {
  /** Source vocabulary size. */
  readonly srcVocab: number;
  /** Target vocabulary size. */
  readonly tgtVocab: number;
  /** Embedding width (both sides). */
  readonly embeddingDim: number;
  /** Hidden units of encoder and decoder (and of the attentional layer). */
  readonly hiddenSize: number;
  /** Hidden width of additive attention (default hiddenSize). */
  readonly attentionUnits?: number;
  /** Parameter dtype (default float32). */
  readonly dtype?: DType;
}

/** The encoder's parameters. */
export interface EncoderParams<P> {
  /** Source embedding `[srcVocab, emb]`. */
  readonly embedding: EmbeddingParams;
  /** The encoder cell's parameters. */
  readonly rnn: P;
}

/** The decoder's parameters. */
export interface DecoderParams<P> {
  /** Target embedding `[tgtVocab, emb]`. */
  readonly embedding: EmbeddingParams;
  /** The decoder cell's parameters. */
  readonly rnn: P;
  /** Attention parameters (null for dot attention or none). */
  readonly attention: AttentionParams;
  /** The attentional layer `[hidden, 2·hidden]` on concat[ctx, dec_out] (null without attention). */
  readonly combine: DenseParams | null;
  /** The output projection `[tgtVocab, hidden]`. */
  readonly out: DenseParams;
}

/** All parameters of an encoder-decoder. */
export interface Seq2SeqParams<P> {
  /** Encoder parameters. */
  readonly encoder: EncoderParams<P>;
  /** Decoder parameters. */
  readonly decoder: DecoderParams<P>;
}

/** A training batch: int32 ids, batch-first. */
export interface Seq2SeqBatch {
  /** Source ids `[batch, srcLen]`. */
  readonly src: Tensor;
  /** Decoder input ids `[batch, tgtLen]` (start token, then the target shifted right). */
  readonly tgtIn: Tensor;
  /** Target ids `[batch, tgtLen]` the logits are scored against (used by `loss`). */
  readonly tgtOut?: Tensor;
  /** Valid source length of each row (default: all full). */
  readonly srcLengths?: readonly number[];
  /** Valid target length of each row; tokens past it are not scored (default: all full). */
  readonly tgtLengths?: readonly number[];
}

/** What teacher forcing computes. */
export interface Seq2SeqOutput {
  /** `[batch, tgtLen, tgtVocab]`. */
  readonly logits: Tensor;
  /** Attention weights `[batch, tgtLen, srcLen]`, or null without attention. */
  readonly attention: Tensor | null;
}

/** The encoder's results, which the decoder reads. */
export interface Encoded<C> {
  /** Encoder outputs `[batch, srcLen, hidden]` (zero past each length). */
  readonly outputs: Tensor;
  /** Final carry (at each row's last valid step): the decoder's initial carry. */
  readonly carry: C;
  /** The `[batch, srcLen]` source mask, or null when every row is full. */
  readonly mask: Tensor | null;
}

/** The state the step-wise decoder threads (one row per hypothesis). */
export interface DecoderState<C> {
  /** The decoder cell's carry. */
  readonly carry: C;
  /** The encoder outputs attention reads. */
  readonly memory: Tensor;
  /** The source mask, or null. */
  readonly mask: Tensor | null;
}

/** Options of `encoderDecoder`. */
export interface EncoderDecoderOptions<P, C> {
  /** The recurrent cell of encoder and decoder, e.g. `gru()` or `lstm()`. */
  readonly cell: Cell<P, C, Seq2SeqCellSizes>;
  /** The attention form, or null / absent for none. */
  readonly attention?: AttentionKind | null;
}

/**
 * An encoder-decoder: pure functions over its parameters `Q` (`Seq2SeqParams` for
 * `encoderDecoder`; another record for a model such as `deepEncoderDecoder`), whose
 * decoder cell has parameters `P` and carry `C`.
 */
export interface EncoderDecoder<P, C, Q = Seq2SeqParams<P>> {
  /** The attention form (null for none). */
  readonly attention: AttentionKind | null;
  /** Fresh parameters from a key. */
  readonly init: (k: Key, sizes: Seq2SeqSizes) => Q;
  /** Runs the encoder over `src [batch, srcLen]`. */
  readonly encode: (params: Q, src: Tensor, srcLengths?: readonly number[]) => Encoded<C>;
  /** Teacher forcing: the logits (and attention) for every target position at once. */
  readonly forward: (params: Q, batch: Seq2SeqBatch) => Seq2SeqOutput;
  /** Mean cross-entropy of `batch.tgtOut` under teacher forcing (tokens past `tgtLengths` excluded). */
  readonly loss: (params: Q, batch: Seq2SeqBatch) => Tensor;
  /** The decoder's first state for a source batch, for the searches. */
  readonly initialState: (params: Q, src: Tensor, srcLengths?: readonly number[]) => DecoderState<C>;
  /** The size of the target vocabulary (the decoder's embedding rows), which the searches' start and end tokens must lie in. */
  readonly targetVocab: (params: Q) => number;
  /** One decoder step: previous tokens `[n]` to the next state and logits `[n, tgtVocab]`. */
  readonly decoderStep: (params: Q) => (state: DecoderState<C>, tokens: Tensor) => readonly [DecoderState<C>, Tensor];
}

// ---------------------------------------------------------------------------
// constructor
// ---------------------------------------------------------------------------

/**
 * Builds an encoder-decoder from a cell and an attention form.
 *
 * @example
 * ```ts
 * const model = encoderDecoder({ cell: gru(), attention: 'dot' });
 * const params = model.init(key(0), { srcVocab: 30, tgtVocab: 40, embeddingDim: 16, hiddenSize: 32 });
 * const [loss, grads] = valueAndGrad(model.loss)(params, { src, tgtIn, tgtOut, srcLengths });
 * const best = greedyDecode(model, params, src, { start: 1, end: 2, maxLength: 20 });
 * ```
 */
export const encoderDecoder = <P, C>(options: EncoderDecoderOptions<P, C>): EncoderDecoder<P, C> => {
  if (typeof options?.cell?.step !== 'function') throw new SeqgradError('encoderDecoder', `options.cell must be a recurrent cell, e.g. lstm(), got ${showValue(options?.cell)}`);
  const kind = options.attention ?? null;
  if (kind !== null && kind !== 'dot' && kind !== 'general' && kind !== 'additive') {
    throw new SeqgradError('encoderDecoder', `attention must be dot, general, additive or null, got ${String(kind)}`);
  }
  const parts: Parts<P, C> = { cell: options.cell, layer: recurrent(options.cell), kind };
  return {
    attention: kind,
    init: (k, sizes) => initSeq2Seq(parts, k, sizes),
    encode: (params, src, srcLengths) => encode(parts, params, src, srcLengths),
    forward: (params, batch) => forward(parts, params, batch),
    loss: (params, batch) => {
      const tgtOut = checkIds('tgtOut', batch.tgtOut as Tensor, batch.tgtIn?.shape[0]);
      return crossEntropy(forward(parts, params, batch).logits, maskTargets(tgtOut, batch.tgtLengths));
    },
    initialState: (params, src, srcLengths) => {
      const enc = encode(parts, params, src, srcLengths);
      return { carry: enc.carry, memory: enc.outputs, mask: enc.mask };
    },
    targetVocab: (params) => params.decoder.embedding.weight.shape[0]!,
    decoderStep: (params) => (state, tokens) => {
      const [carry, y] = parts.cell.step(params.decoder.rnn, state.carry, embedding(params.decoder.embedding, tokens));
      const [logits] = head(parts, params.decoder, y, state);
      return [{ carry, memory: state.memory, mask: state.mask }, logits];
    },
  };
};

// ---------------------------------------------------------------------------
// the model's pieces
// ---------------------------------------------------------------------------

/** What the pieces share: the cell, its sequence layer and the attention form. */
interface Parts<P, C> {
  readonly cell: Cell<P, C, Seq2SeqCellSizes>;
  readonly layer: SequenceLayer<P, C>;
  readonly kind: AttentionKind | null;
}

const encode = <P, C>(parts: Parts<P, C>, params: Seq2SeqParams<P>, src: Tensor, srcLengths?: readonly number[]): Encoded<C> => {
  const x = embedding(params.encoder.embedding, checkIds('src', src));
  const { outputs, carry } = parts.layer(params.encoder.rnn, x, srcLengths ? { lengths: srcLengths } : {});
  return { outputs, carry, mask: srcLengths ? lengthMask(srcLengths, src.shape[1]!, outputs.dtype, 'encoderDecoder') : null };
};

/** Decoder outputs `y` to logits (through attention when the model has it) and attention weights. */
const head = <P, C>(parts: Parts<P, C>, p: DecoderParams<P>, y: Tensor, enc: { memory: Tensor; mask: Tensor | null }): [Tensor, Tensor | null] => {
  if (parts.kind === null) return [dense(p.out, y), null];
  const att = attention(parts.kind, p.attention, y, enc.memory, enc.mask ? { mask: enc.mask } : {});
  const feat = tanh(dense(combineOf(p), concat([att.context, y], -1)));
  return [dense(p.out, feat), att.weights];
};

/** Teacher forcing: the decoder reads the whole target-in sequence in one scan. */
const forward = <P, C>(parts: Parts<P, C>, params: Seq2SeqParams<P>, batch: Seq2SeqBatch): Seq2SeqOutput => {
  const { src, tgtIn } = batch;
  const enc = encode(parts, params, src, batch.srcLengths);
  const y = embedding(params.decoder.embedding, checkIds('tgtIn', tgtIn, src.shape[0]));
  const lengths = batch.tgtLengths ? { lengths: batch.tgtLengths } : {};
  const dec = parts.layer(params.decoder.rnn, y, { initialCarry: enc.carry, ...lengths });
  const [logits, weights] = head(parts, params.decoder, dec.outputs, { memory: enc.outputs, mask: enc.mask });
  return { logits, attention: weights };
};

const initSeq2Seq = <P, C>(parts: Parts<P, C>, k: Key, sizes: Seq2SeqSizes): Seq2SeqParams<P> => {
  const { srcVocab, tgtVocab, embeddingDim, hiddenSize, dtype = 'float32' } = sizes;
  const { cell, kind } = parts;
  const [k1, k2, k3, k4, k5, k6, k7] = splitKey(k, 7);
  const rnnSizes = { inputSize: embeddingDim, hiddenSize, dtype };
  return {
    encoder: { embedding: initEmbedding(k1, { vocabSize: srcVocab, dim: embeddingDim, dtype }), rnn: cell.init(k2, rnnSizes) },
    decoder: {
      embedding: initEmbedding(k3, { vocabSize: tgtVocab, dim: embeddingDim, dtype }),
      rnn: cell.init(k4, rnnSizes),
      attention: kind ? initAttention(kind, k5, { queryDim: hiddenSize, keyDim: hiddenSize, units: sizes.attentionUnits ?? hiddenSize, dtype }) : null,
      combine: kind ? initDense(k6, { inputSize: 2 * hiddenSize, outputSize: hiddenSize, dtype }) : null,
      out: initDense(k7, { inputSize: hiddenSize, outputSize: tgtVocab, dtype }),
    },
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const combineOf = <P>(p: DecoderParams<P>): DenseParams => {
  if (!p.combine) throw new SeqgradError('encoderDecoder', 'a model with attention needs params.decoder.combine');
  return p.combine;
};

/** Checks token ids are int32 `[batch, length]` (with the given batch). @internal */
export const checkIds = (name: string, ids: Tensor, batch?: number): Tensor => {
  if (!isTensor(ids) || ids.rank !== 2 || ids.dtype !== 'int32' || (batch !== undefined && ids.shape[0] !== batch)) {
    const got = isTensor(ids) ? `${ids.dtype} ${showShape(ids.shape)}` : String(ids);
    throw new SeqgradError('encoderDecoder', `${name} must be int32 token ids [batch, length]${batch === undefined ? '' : ` with batch ${batch}`}, got ${got}`);
  }
  return ids;
};

/** Targets past each row's length become -100, which crossEntropy ignores. @internal */
export const maskTargets = (tgtOut: Tensor, lengths: readonly number[] | undefined): Tensor => {
  if (!lengths) return tgtOut;
  const [batch, steps] = tgtOut.shape as [number, number];
  if (lengths.length !== batch) throw new SeqgradError('encoderDecoder', `tgtLengths has ${lengths.length} entries but tgtOut ${showShape(tgtOut.shape)} has ${batch} rows`);
  const data = Int32Array.from(tgtOut.data, (v, i) => (i % steps < lengths[Math.floor(i / steps)]! ? v : -100));
  return tensor(data, { shape: tgtOut.shape, dtype: 'int32' });
};
