/**
 * Generation with a trained encoder-decoder: the source is encoded once, then the
 * decoder runs one step at a time under greedy decoding (a whole batch together) or
 * beam search (each source row on its own, its beams stacked as a batch).
 *
 * @module
 */
import { gather } from '../../ops/indexing.js';
import { tensor } from '../../tensor/create.js';
import { SeqgradError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mapTree } from '../../tree/index.js';
import type { EncoderDecoder, Seq2SeqParams } from './model.js';
import { beamSearch, checkTokens, greedySearch, type BeamOptions, type Hypothesis, type SearchOptions } from './search.js';

/** Options of `greedyDecode`: the search options plus the source lengths. */
export interface GreedyDecodeOptions extends SearchOptions {
  /** Valid length of each source row (default: all full). */
  readonly srcLengths?: readonly number[];
}

/** Options of `beamDecode`: the beam options plus the source lengths. */
export interface BeamDecodeOptions extends BeamOptions {
  /** Valid length of each source row (default: all full). */
  readonly srcLengths?: readonly number[];
}

/**
 * Greedy decoding of every row of `src`: one hypothesis per row.
 *
 * @example
 * ```ts
 * const model = encoderDecoder({ cell: gru(), attention: 'dot' });
 * const params = model.init(key(0), { srcVocab: 30, tgtVocab: 40, embeddingDim: 16, hiddenSize: 32 });
 * const hyps = greedyDecode(model, params, src, { start: 1, end: 2, maxLength: 30 });
 * hyps[0]?.tokens; // the first row's output, ending in 2 unless it ran to 30 tokens
 * ```
 */
export const greedyDecode = <P, C, Q = Seq2SeqParams<P>>(model: EncoderDecoder<P, C, Q>, params: Q, src: Tensor, options: GreedyDecodeOptions): Hypothesis[] => {
  checkModelTokens('greedyDecode', model, params, options);
  return greedySearch(model.decoderStep(params), model.initialState(params, src, options?.srcLengths), options, 'greedyDecode');
};

/**
 * Beam search for every row of `src`: for each row, up to `width` hypotheses, best
 * normalised score first.
 *
 * @example
 * ```ts
 * const model = encoderDecoder({ cell: gru(), attention: 'dot' });
 * const params = model.init(key(0), { srcVocab: 30, tgtVocab: 40, embeddingDim: 16, hiddenSize: 32 });
 * const perRow = beamDecode(model, params, src, { start: 1, end: 2, maxLength: 30, width: 5, alpha: 0.6 });
 * perRow[0]?.[0]?.tokens; // the best output for row 0
 * ```
 */
export const beamDecode = <P, C, Q = Seq2SeqParams<P>>(model: EncoderDecoder<P, C, Q>, params: Q, src: Tensor, options: BeamDecodeOptions): Hypothesis[][] => {
  // options?.: missing options are reported by the search, naming what it needs
  checkModelTokens('beamDecode', model, params, options);
  const state = model.initialState(params, src, options?.srcLengths);
  const step = model.decoderStep(params);
  return Array.from({ length: src.shape[0]! }, (_, b) => {
    const row = tensor([b], { dtype: 'int32' });
    return beamSearch(step, mapTree(state, (x) => gather(x, row, 0), 'beamDecode'), options, 'beamDecode');
  });
};

/** The start and end tokens against the target vocabulary, before the first step embeds the start token. */
const checkModelTokens = <P, C, Q>(op: string, model: EncoderDecoder<P, C, Q>, params: Q, options: SearchOptions | undefined): void => {
  if (typeof model?.decoderStep !== 'function' || typeof model?.targetVocab !== 'function') {
    throw new SeqgradError(op, 'model must be an encoder-decoder, e.g. encoderDecoder({ cell: gru() })');
  }
  if (options !== undefined && options !== null) checkTokens(op, options, model.targetVocab(params));
};
