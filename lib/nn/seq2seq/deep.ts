/**
 * The encoder-decoder with a deep encoder: a stack of (by default bidirectional)
 * recurrent layers reads the source; a bridge maps the top layer's final carry to the
 * decoder's initial carry; an attention decoder (one layer, as in `encoderDecoder`)
 * writes the target. The bridge is one dense layer and tanh per carry leaf (h, and c
 * for an LSTM) on the concatenated directions, so encoder and decoder widths are free:
 * a bidirectional encoder of 128 units per direction can feed a decoder of 256.
 *
 * Regularisation is recurrent (variational) dropout on the carry of every encoder
 * direction and of the decoder (`carryDropout`: one mask per sequence from an explicit
 * key), and dropout between encoder layers (`stacked`). Both are on only when a call
 * passes `{ train: true, key }`; generation never does, so greedy and beam search
 * (`greedyDecode`, `beamDecode`) drive this model as they drive `encoderDecoder`.
 *
 * @module
 */
import { concat } from '../../ops/shape.js';
import { tanh } from '../../ops/unary.js';
import { SeqgradError } from '../../tensor/errors.js';
import { toLengths, type Lengths } from '../../tensor/lengths.js';
import { splitKey, type Key } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { flatten, unflatten } from '../../tree/index.js';
import { attention, initAttention, lengthMask, type AttentionKind } from '../attention.js';
import { bidirectional, type Directions } from '../bidirectional.js';
import { carryDropout } from '../carry-dropout.js';
import type { Cell } from '../cell.js';
import { checkSize } from '../init.js';
import { dense, initDense, type DenseParams } from '../layers/dense.js';
import { embedding, initEmbedding, type EmbeddingParams } from '../layers/embedding.js';
import { crossEntropy } from '../losses.js';
import { recurrent, type SequenceLayer } from '../recurrent.js';
import { stacked } from '../stacked.js';
import { checkIds, maskTargets, type DecoderParams, type EncoderDecoder, type Encoded, type Seq2SeqBatch, type Seq2SeqCellSizes, type Seq2SeqOutput, type Seq2SeqSizes } from './model.js';

/** Options of `deepEncoderDecoder`. */
export interface DeepEncoderDecoderOptions<P, C> {
  /** The recurrent cell of encoder and decoder, e.g. `lstm()`. */
  readonly cell: Cell<P, C, Seq2SeqCellSizes>;
  /** The attention form (default `general`), or null for none. */
  readonly attention?: AttentionKind | null;
  /** Read the source both ways (default true). */
  readonly bidirectional?: boolean;
  /** Encoder layers (default 1). */
  readonly encoderLayers?: number;
  /** Variational dropout rate on every carry while training (default 0). */
  readonly carryDropout?: number;
  /** Dropout rate between encoder layers while training (default 0). */
  readonly layerDropout?: number;
}

/** Sizes of a deep encoder-decoder: `hiddenSize` is the decoder's. */
export interface DeepSeq2SeqSizes extends Seq2SeqSizes {
  /** Encoder units per direction (default hiddenSize / 2 when bidirectional, else hiddenSize). */
  readonly encoderHidden?: number;
}

/** One encoder layer's parameters: per direction when bidirectional. */
export type EncoderLayerParams<P> = P | Directions<P>;

/** All parameters of a deep encoder-decoder. */
export interface DeepSeq2SeqParams<P> {
  /** Source embedding and the encoder layers, bottom first. */
  readonly encoder: {
    /** The source embedding. */
    readonly embedding: EmbeddingParams;
    /** The encoder layers, bottom first. */
    readonly layers: readonly EncoderLayerParams<P>[];
  };
  /** One dense layer per carry leaf (in the carry's leaf order), encoder final carry to decoder initial carry. */
  readonly bridge: readonly DenseParams[];
  /** The decoder, as in `encoderDecoder` (attention keys are the encoder outputs). */
  readonly decoder: DecoderParams<P>;
}

/** Training switches of a call: dropout on, from this key. */
export interface Seq2SeqTrainOptions {
  /** Apply dropout (default false). */
  readonly train?: boolean;
  /** The key the dropout masks come from (required with train and a rate above 0). */
  readonly key?: Key;
}

/** A deep encoder-decoder: the `EncoderDecoder` functions, with training options on forward and loss. */
export interface DeepEncoderDecoder<P, C> extends EncoderDecoder<P, C, DeepSeq2SeqParams<P>> {
  /** Fresh parameters from a key (`encoderHidden` sets the encoder's width per direction). */
  readonly init: (k: Key, sizes: DeepSeq2SeqSizes) => DeepSeq2SeqParams<P>;
  /** Teacher forcing, with dropout when `options.train`. */
  readonly forward: (params: DeepSeq2SeqParams<P>, batch: Seq2SeqBatch, options?: Seq2SeqTrainOptions) => Seq2SeqOutput;
  /** Mean cross-entropy under teacher forcing, with dropout when `options.train`. */
  readonly loss: (params: DeepSeq2SeqParams<P>, batch: Seq2SeqBatch, options?: Seq2SeqTrainOptions) => Tensor;
}

// ---------------------------------------------------------------------------
// constructor
// ---------------------------------------------------------------------------

/**
 * Builds an encoder-decoder with a stacked, bidirectional encoder and a bridge.
 *
 * @example
 * ```ts
 * const model = deepEncoderDecoder({ cell: lstm(), bidirectional: true, encoderLayers: 2, carryDropout: 0.2 });
 * const params = model.init(key(0), { srcVocab: 30, tgtVocab: 45, embeddingDim: 64, hiddenSize: 256 });
 * declare const batch: Seq2SeqBatch;
 * const loss = model.loss(params, batch, { train: true, key: stepKey });
 * const [best] = beamDecode(model, params, src, { start: 1, end: 2, maxLength: 30, width: 4 })[0]!;
 * ```
 */
export const deepEncoderDecoder = <P, C>(options: DeepEncoderDecoderOptions<P, C>): DeepEncoderDecoder<P, C> => {
  const parts = checkOptions(options);
  const encodeWith = (params: DeepSeq2SeqParams<P>, src: Tensor, srcLengths: Lengths | undefined, train: TrainKeys): Encoded<C> =>
    encode(parts, params, src, srcLengths, train);
  return {
    attention: parts.kind,
    init: (k, sizes) => initDeep(parts, k, sizes),
    encode: (params, src, srcLengths) => encodeWith(params, src, srcLengths, OFF),
    forward: (params, batch, call) => forward(parts, params, batch, trainKeys(parts, call)),
    loss: (params, batch, call) => {
      const tgtOut = checkIds('tgtOut', batch.tgtOut as Tensor, batch.tgtIn?.shape[0]);
      return crossEntropy(forward(parts, params, batch, trainKeys(parts, call)).logits, maskTargets(tgtOut, batch.tgtLengths));
    },
    initialState: (params, src, srcLengths) => {
      const enc = encodeWith(params, src, srcLengths, OFF);
      return { carry: enc.carry, memory: enc.outputs, mask: enc.mask };
    },
    targetVocab: (params) => params.decoder.embedding.weight.shape[0]!,
    decoderStep: (params) => (state, tokens) => {
      const [carry, y] = parts.cell.step(params.decoder.rnn, state.carry, embedding(params.decoder.embedding, tokens));
      return [{ carry, memory: state.memory, mask: state.mask }, head(parts.kind, params.decoder, y, state.memory, state.mask)[0]];
    },
  };
};

// ---------------------------------------------------------------------------
// the model's pieces
// ---------------------------------------------------------------------------

interface Parts<P, C> {
  readonly cell: Cell<P, C, Seq2SeqCellSizes>;
  readonly kind: AttentionKind | null;
  readonly bi: boolean;
  readonly layers: number;
  readonly carryRate: number;
  readonly layerRate: number;
}

/** Keys of a training call: one per encoder direction and layer, one for the decoder, one between layers. */
interface TrainKeys { readonly on: boolean; readonly encoder: readonly Key[]; readonly decoder?: Key; readonly between?: Key }
const OFF: TrainKeys = { on: false, encoder: [] };

const trainKeys = <P, C>(parts: Parts<P, C>, call: Seq2SeqTrainOptions | undefined): TrainKeys => {
  if (call?.train !== true || (parts.carryRate === 0 && parts.layerRate === 0)) return OFF;
  if (call.key === undefined) throw new SeqgradError('deepEncoderDecoder', 'train: true needs a key for the dropout masks ({ train: true, key })');
  const keys = splitKey(call.key, 2 * parts.layers + 2);
  return { on: true, encoder: keys.slice(0, 2 * parts.layers), decoder: keys[2 * parts.layers]!, between: keys[2 * parts.layers + 1]! };
};

/** The cell, with carry dropout from `k` when training. */
const droppedCell = <P, C>(parts: Parts<P, C>, train: TrainKeys, k: Key | undefined): Cell<P, C, Seq2SeqCellSizes> =>
  carryDropout(parts.cell, { rate: parts.carryRate, key: k, train: train.on });

/** The encoder stack for one call: each direction's cell carries its own dropout key. */
const encoderStack = <P, C>(parts: Parts<P, C>, train: TrainKeys) => {
  const layers = Array.from({ length: parts.layers }, (_, l): SequenceLayer<unknown, unknown> => {
    const fwd = recurrent(droppedCell(parts, train, train.encoder[2 * l]));
    if (!parts.bi) return fwd as SequenceLayer<unknown, unknown>;
    const bwd = recurrent(droppedCell(parts, train, train.encoder[2 * l + 1]));
    // bidirectional runs its backward pass with reverse: true, so each direction gets its own masks
    const either: SequenceLayer<P, C> = (p, x, o) => (o?.reverse ? bwd : fwd)(p, x, o);
    return bidirectional(either, 'concat') as SequenceLayer<unknown, unknown>;
  });
  return stacked(layers, { dropout: parts.layerRate });
};

const encode = <P, C>(parts: Parts<P, C>, params: DeepSeq2SeqParams<P>, src: Tensor, srcLengths: Lengths | undefined, train: TrainKeys): Encoded<C> => {
  const lengths = toLengths('deepEncoderDecoder', srcLengths, 'srcLengths');
  const x = embedding(params.encoder.embedding, checkIds('src', src));
  const call = { ...(lengths ? { lengths } : {}), ...(train.on ? { train: true, key: train.between! } : {}) };
  const { outputs, carry } = encoderStack(parts, train)(params.encoder.layers as readonly unknown[], x, call);
  const top = carry[carry.length - 1] as C | Directions<C>;
  const mask = lengths ? lengthMask(lengths, src.shape[1]!, outputs.dtype, 'deepEncoderDecoder') : null;
  return { outputs, carry: bridge(parts, params.bridge, top), mask };
};

/** The decoder's initial carry: per leaf, tanh(dense(concat of the directions' leaves)). */
const bridge = <P, C>(parts: Parts<P, C>, layers: readonly DenseParams[], top: C | Directions<C>): C => {
  const directions = parts.bi ? [(top as Directions<C>).forward, (top as Directions<C>).backward] : [top as C];
  const leaves = directions.map((d) => flatten(d, 'deepEncoderDecoder'));
  if (layers.length !== leaves[0]!.length) {
    throw new SeqgradError('deepEncoderDecoder', `params.bridge has ${layers.length} layers but the carry has ${leaves[0]!.length} leaves`);
  }
  const values = layers.map((w, i) => tanh(dense(w, concat(leaves.map((l) => l[i]!.leaf), -1))));
  return unflatten(directions[0]!, values, 'deepEncoderDecoder');
};

const forward = <P, C>(parts: Parts<P, C>, params: DeepSeq2SeqParams<P>, batch: Seq2SeqBatch, train: TrainKeys): Seq2SeqOutput => {
  const enc = encode(parts, params, batch.src, batch.srcLengths, train);
  const y = embedding(params.decoder.embedding, checkIds('tgtIn', batch.tgtIn, batch.src.shape[0]));
  const layer = recurrent(droppedCell(parts, train, train.decoder));
  const dec = layer(params.decoder.rnn, y, { initialCarry: enc.carry, ...(batch.tgtLengths ? { lengths: batch.tgtLengths } : {}) });
  const [logits, weights] = head(parts.kind, params.decoder, dec.outputs, enc.outputs, enc.mask);
  return { logits, attention: weights };
};

/** Decoder outputs to logits, through attention and Luong's attentional layer when there is attention. */
const head = <P>(kind: AttentionKind | null, p: DecoderParams<P>, y: Tensor, memory: Tensor, mask: Tensor | null): [Tensor, Tensor | null] => {
  if (kind === null || p.combine === null) return [dense(p.out, y), null];
  const att = attention(kind, p.attention, y, memory, mask ? { mask } : {});
  return [dense(p.out, tanh(dense(p.combine, concat([att.context, y], -1)))), att.weights];
};

const initDeep = <P, C>(parts: Parts<P, C>, k: Key, sizes: DeepSeq2SeqSizes): DeepSeq2SeqParams<P> => {
  const { srcVocab, tgtVocab, embeddingDim, hiddenSize, dtype = 'float32' } = sizes;
  const encHidden = sizes.encoderHidden ?? (parts.bi ? hiddenSize / 2 : hiddenSize);
  checkSize('deepEncoderDecoder', 'encoderHidden (hiddenSize / 2 by default when bidirectional)', encHidden);
  const dirs = parts.bi ? 2 : 1;
  const keyDim = dirs * encHidden;
  const [kEmb, kEnc, kBridge, kDec, kAtt, kComb, kOut, kDecEmb] = splitKey(k, 8);
  const layerKeys = splitKey(kEnc, 2 * parts.layers);
  const layers = Array.from({ length: parts.layers }, (_, l) => {
    const cellSizes = { inputSize: l === 0 ? embeddingDim : keyDim, hiddenSize: encHidden, dtype };
    const fwd = parts.cell.init(layerKeys[2 * l]!, cellSizes);
    return parts.bi ? { forward: fwd, backward: parts.cell.init(layerKeys[2 * l + 1]!, cellSizes) } : fwd;
  });
  const decRnn = parts.cell.init(kDec, { inputSize: embeddingDim, hiddenSize, dtype });
  const carryLeaves = flatten(parts.cell.initialCarry(decRnn, 1), 'deepEncoderDecoder').length;
  return {
    encoder: { embedding: initEmbedding(kEmb, { vocabSize: srcVocab, dim: embeddingDim, dtype }), layers },
    bridge: splitKey(kBridge, carryLeaves).map((kb) => initDense(kb, { inputSize: keyDim, outputSize: hiddenSize, dtype })),
    decoder: {
      embedding: initEmbedding(kDecEmb, { vocabSize: tgtVocab, dim: embeddingDim, dtype }),
      rnn: decRnn,
      attention: parts.kind ? initAttention(parts.kind, kAtt, { queryDim: hiddenSize, keyDim, units: sizes.attentionUnits ?? hiddenSize, dtype }) : null,
      combine: parts.kind ? initDense(kComb, { inputSize: keyDim + hiddenSize, outputSize: hiddenSize, dtype }) : null,
      out: initDense(kOut, { inputSize: hiddenSize, outputSize: tgtVocab, dtype }),
    },
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkOptions = <P, C>(options: DeepEncoderDecoderOptions<P, C>): Parts<P, C> => {
  const op = 'deepEncoderDecoder';
  const kind = options?.attention === undefined ? 'general' : options.attention;
  if (kind !== null && kind !== 'dot' && kind !== 'general' && kind !== 'additive') {
    throw new SeqgradError(op, `attention must be dot, general, additive or null, got ${String(kind)}`);
  }
  if (typeof options.cell?.step !== 'function') throw new SeqgradError(op, 'cell must be a recurrent cell, e.g. lstm()');
  const layers = options.encoderLayers ?? 1;
  checkSize(op, 'encoderLayers', layers);
  const carryRate = options.carryDropout ?? 0;
  const layerRate = options.layerDropout ?? 0;
  for (const [name, rate] of [['carryDropout', carryRate], ['layerDropout', layerRate]] as const) {
    if (!(rate >= 0 && rate < 1)) throw new SeqgradError(op, `${name} must lie in [0, 1), got ${rate}`);
  }
  return { cell: options.cell, kind, bi: options.bidirectional ?? true, layers, carryRate, layerRate };
};
