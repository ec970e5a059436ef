/**
 * Shared fast-check arbitraries for the seq2seq specs: small random encoder-decoders
 * (GRU or LSTM, every attention form or none) with float64 parameters, and batches of
 * token ids with random source and target lengths.
 */
import fc from 'fast-check';
import { gru, key, lstm, tensor, type Tensor } from '../../../lib/index.js';
import type { AttentionKind } from '../../../lib/nn/attention.js';
import type { Cell } from '../../../lib/nn/cell.js';
import { encoderDecoder, type EncoderDecoder, type Seq2SeqCellSizes, type Seq2SeqParams } from '../../../lib/nn/seq2seq/model.js';

/** A random model with its parameters and a batch. */
export interface ModelCase {
  readonly label: string;
  readonly model: EncoderDecoder<unknown, unknown>;
  readonly params: Seq2SeqParams<unknown>;
  readonly src: Tensor;
  readonly tgtIn: Tensor;
  readonly tgtOut: Tensor;
  readonly srcLengths: readonly number[];
  readonly tgtLengths: readonly number[];
}

/** Sizes of the random models. */
export interface ModelCaseSizes {
  readonly maxVocab: number;
  readonly maxDim: number;
  readonly maxLen: number;
  readonly maxBatch: number;
}

const idsArb = (batch: number, len: number, vocab: number): fc.Arbitrary<Tensor> =>
  fc.array(fc.integer({ min: 0, max: vocab - 1 }), { minLength: batch * len, maxLength: batch * len })
    .map((v) => tensor(v, { shape: [batch, len], dtype: 'int32' }));

const lengthsArb = (batch: number, len: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: len }), { minLength: batch, maxLength: batch });

/** Random small models and batches. */
export const modelCaseArb = (sizes: ModelCaseSizes): fc.Arbitrary<ModelCase> =>
  fc.record({
    cell: fc.constantFrom('gru', 'lstm'),
    attention: fc.constantFrom<AttentionKind | null>(null, 'dot', 'general', 'additive'),
    srcVocab: fc.integer({ min: 2, max: sizes.maxVocab }),
    tgtVocab: fc.integer({ min: 2, max: sizes.maxVocab }),
    emb: fc.integer({ min: 1, max: sizes.maxDim }),
    hidden: fc.integer({ min: 1, max: sizes.maxDim }),
    units: fc.integer({ min: 1, max: sizes.maxDim }),
    batch: fc.integer({ min: 1, max: sizes.maxBatch }),
    srcLen: fc.integer({ min: 1, max: sizes.maxLen }),
    tgtLen: fc.integer({ min: 1, max: sizes.maxLen }),
    seed: fc.nat(10_000),
  }).chain((s) => {
    const cell = (s.cell === 'gru' ? gru() : lstm()) as Cell<unknown, unknown, Seq2SeqCellSizes>;
    const model = encoderDecoder({ cell, attention: s.attention });
    const params = model.init(key(s.seed), { srcVocab: s.srcVocab, tgtVocab: s.tgtVocab, embeddingDim: s.emb, hiddenSize: s.hidden, attentionUnits: s.units, dtype: 'float64' });
    return fc.record({
      label: fc.constant(`${s.cell} attention=${s.attention} vocab ${s.srcVocab}/${s.tgtVocab} emb ${s.emb} hidden ${s.hidden} batch ${s.batch} len ${s.srcLen}/${s.tgtLen}`),
      model: fc.constant(model),
      params: fc.constant(params),
      src: idsArb(s.batch, s.srcLen, s.srcVocab),
      tgtIn: idsArb(s.batch, s.tgtLen, s.tgtVocab),
      tgtOut: idsArb(s.batch, s.tgtLen, s.tgtVocab),
      srcLengths: lengthsArb(s.batch, s.srcLen),
      tgtLengths: lengthsArb(s.batch, s.tgtLen),
    }).map((c) => ({ ...c }));
  });
