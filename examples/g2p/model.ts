/**
 * The G2P model and its use: a bidirectional LSTM encoder bridged to an LSTM decoder
 * with Luong general attention (the library's deepEncoderDecoder), decoded by beam
 * search; phoneme and word error rates on held-out words; and attention weights of a
 * word for the heatmaps.
 */
import { beamDecode, deepEncoderDecoder, lstm, tensor, type DeepSeq2SeqParams, type Key, type LstmParams } from '../../lib/index.js';
import type { Vocab } from '../../lib/text/index.js';
import { errorRate, sequenceErrorRate } from '../../lib/train/index.js';
import { encodeWords, type Entry } from './data.js';

/** The sizes of a run. */
export interface G2PConfig {
  readonly hidden: number; readonly embedding: number; readonly carryDropout: number;
  readonly batch: number; readonly lr: number; readonly beam: number; readonly evalWords: number;
}

/** The model (the same functions for every size). */
export const g2pModel = (config: G2PConfig) => deepEncoderDecoder({ cell: lstm(), attention: 'general', bidirectional: true, carryDropout: config.carryDropout });

/** Parameters of the model. */
export type G2PParams = DeepSeq2SeqParams<LstmParams>;

/** Fresh parameters for the two vocabularies. */
export const initG2P = (k: Key, config: G2PConfig, letters: Vocab, phones: Vocab): G2PParams =>
  g2pModel(config).init(k, { srcVocab: letters.size, tgtVocab: phones.size, embeddingDim: config.embedding, hiddenSize: config.hidden });

/** The best beam-search pronunciation of each word. */
export const pronounce = (config: G2PConfig, params: G2PParams, letters: Vocab, phones: Vocab, words: readonly string[]): string[][] => {
  const out: string[][] = [];
  for (let i = 0; i < words.length; i += 64) {
    const { ids, lengths } = encodeWords(letters, words.slice(i, i + 64));
    const beams = beamDecode(g2pModel(config), params, ids, { start: phones.bos, end: phones.eos, maxLength: 30, width: config.beam, alpha: 0.6, srcLengths: lengths });
    out.push(...beams.map((b) => phones.decodeTokens(b[0]!.tokens)));
  }
  return out;
};

/** Phoneme and word error rates on `entries` (any listed pronunciation counts). */
export const score = (config: G2PConfig, params: G2PParams, letters: Vocab, phones: Vocab, entries: readonly Entry[]) => {
  const predicted = pronounce(config, params, letters, phones, entries.map((e) => e.word));
  const refs = entries.map((e) => e.prons);
  return { per: errorRate(predicted, refs).rate, wer: sequenceErrorRate(predicted, refs), predicted };
};

/** Teacher-forced attention weights of a word against its first pronunciation: `[phones + eos][letters]`. */
export const attentionOf = (config: G2PConfig, params: G2PParams, letters: Vocab, phones: Vocab, entry: Entry): number[][] => {
  const { ids } = encodeWords(letters, [entry.word]);
  const tgtIn = tensor([phones.encode(entry.prons[0]!, { bos: true })], { dtype: 'int32' });
  const { attention } = g2pModel(config).forward(params, { src: ids, tgtIn });
  return (attention!.toArray() as number[][][])[0]!;
};
