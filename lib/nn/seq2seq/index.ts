/**
 * Encoder-decoder (seq2seq) models: the model over a cell and an attention form, the
 * deep model (stacked bidirectional encoder, bridge, carry dropout),
 * teacher-forced training, greedy decoding and beam search, and PyTorch parameter names.
 *
 * @module
 */
export {
  encoderDecoder,
  type EncoderDecoder, type EncoderDecoderOptions, type Seq2SeqParams, type EncoderParams, type DecoderParams,
  type Seq2SeqSizes, type Seq2SeqCellSizes, type Seq2SeqBatch, type Seq2SeqOutput, type Encoded, type DecoderState,
} from './model.js';
export {
  deepEncoderDecoder,
  type DeepEncoderDecoder, type DeepEncoderDecoderOptions, type DeepSeq2SeqParams, type DeepSeq2SeqSizes, type EncoderLayerParams, type Seq2SeqTrainOptions,
} from './deep.js';
export { greedySearch, beamSearch, type DecoderStep, type SearchOptions, type BeamOptions, type Hypothesis } from './search.js';
export { greedyDecode, beamDecode, type GreedyDecodeOptions, type BeamDecodeOptions } from './decode.js';
export { fromTorchNames, toTorchNames } from './torch-names.js';
