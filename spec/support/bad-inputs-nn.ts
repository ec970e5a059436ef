/**
 * Bad calls for the model-building exports of the root entry: layers, losses, cells and
 * combinators, attention, encoder-decoders and their decoding, initialisers, fused gate
 * primitives, lib/text, the tensor helpers and the backend switch; and for the property
 * test helpers of `seqgrad/testing`. The table's shape is spec/support/bad-inputs.ts's.
 */
import type { Tensor } from '../../lib/index.js';
import type { BadCall, Exports, Fixtures } from './bad-calls.js';

const f = (m: Exports, name: string) => m[name] as (...args: unknown[]) => unknown;

interface AnyCell {
  readonly init: (k: unknown, s: unknown) => unknown;
  readonly step: (p: unknown, c: unknown, x: unknown) => unknown;
  readonly initialCarry: (p: unknown, batch: number) => unknown;
}
const cellOf = (m: Exports, name: string, options?: object): AnyCell => f(m, name)(options) as AnyCell;
const initOf = (m: Exports, fx: Fixtures, name: string, sizes: unknown): unknown => cellOf(m, name).init(fx.k, sizes);

/** A tiny encoder-decoder (vocabularies of 5) decoding with `options`. */
const decodeWith = (m: Exports, fx: Fixtures, name: string, options: object): unknown => {
  const model = f(m, 'encoderDecoder')({ cell: f(m, 'gru')(), attention: null }) as { init: (k: unknown, s: unknown) => unknown };
  const params = model.init(fx.k, { srcVocab: 5, tgtVocab: 5, embeddingDim: 2, hiddenSize: 3 });
  return f(m, name)(model, params, fx.ids, { start: 0, end: 1, maxLength: 3, ...options });
};

/** A decoder step over a vocabulary of 4 that always prefers token 1. */
const stepOver4 = (m: Exports) => (state: unknown, tokens: Tensor): [unknown, Tensor] =>
  [state, f(m, 'zeros')([tokens.shape[0], 4]) as Tensor];

/** A float32 cell of input 2 and hidden 3 stepped on a float64 batch of 4. */
const float64Step = (m: Exports, fx: Fixtures, name: string): unknown => {
  const cell = cellOf(m, name);
  const params = cell.init(fx.k, { inputSize: 2, hiddenSize: 3 });
  return cell.step(params, cell.initialCarry(params, 4), f(m, 'zeros')([4, 2], { dtype: 'float64' }));
};

/** The names the cells report under: the variant is part of the name of rnn and gru. */
const GRU = 'gru(reset-after)';

export const NN_CASES: Readonly<Record<string, readonly BadCall[]>> = {
  // ---- cells (§2 lstm projSize; §3 init(key, undefined), a float64 input to a float32 cell)
  lstm: [
    { arg: 'projSize (4) must be smaller than hiddenSize (4)', call: (m, fx) => cellOf(m, 'lstm', { projSize: 4 }).init(fx.k, { inputSize: 2, hiddenSize: 4 }) },
    { arg: 'weight_hr [4, 4] gives projSize (4) but projSize must be smaller than hiddenSize (4)', call: (m, fx) => {
      const cell = cellOf(m, 'lstm', { projSize: 2 });
      const params = cell.init(fx.k, { inputSize: 2, hiddenSize: 4 }) as Record<string, unknown>;
      const bad = { ...params, weight_hr: f(m, 'zeros')([4, 4]), weight_hh: f(m, 'zeros')([16, 4]) };
      return cell.step(bad, { h: f(m, 'zeros')([1, 4]), c: f(m, 'zeros')([1, 4]) }, f(m, 'zeros')([1, 2]));
    } },
    { arg: 'init needs sizes { inputSize, hiddenSize }, got sizes = undefined', call: (m, fx) => initOf(m, fx, 'lstm', undefined) },
    { arg: 'x is float64 but the parameters are float32', call: (m, fx) => float64Step(m, fx, 'lstm') },
  ],
  rnn: [
    { arg: 'init needs sizes { inputSize, hiddenSize }, got sizes = undefined', op: 'rnn(tanh)', call: (m, fx) => initOf(m, fx, 'rnn', undefined) },
    { arg: 'x is float64 but the parameters are float32', op: 'rnn(tanh)', call: (m, fx) => float64Step(m, fx, 'rnn') },
  ],
  gru: [
    { arg: 'init needs sizes { inputSize, hiddenSize }, got sizes = null', op: GRU, call: (m, fx) => initOf(m, fx, 'gru', null) },
    { arg: 'sizes.hiddenSize must be a positive integer, got undefined', op: GRU, call: (m, fx) => initOf(m, fx, 'gru', { inputSize: 2 }) },
    { arg: 'x is float64 but the parameters are float32', op: GRU, call: (m, fx) => float64Step(m, fx, 'gru') },
  ],
  layerNormLstm: [
    { arg: 'init needs sizes { inputSize, hiddenSize }, got sizes = 3', call: (m, fx) => initOf(m, fx, 'layerNormLstm', 3) },
    { arg: 'x is float64 but the parameters are float32', call: (m, fx) => float64Step(m, fx, 'layerNormLstm') },
  ],
  recurrent: [
    { arg: 'cell must be', call: (m) => f(m, 'recurrent')(3) },
    { arg: 'x is float64 but the parameters are float32', op: 'lstm', call: (m, fx) => {
      const layer = f(m, 'recurrent')(f(m, 'lstm')()) as (p: unknown, x: unknown) => unknown;
      return layer(cellOf(m, 'lstm').init(fx.k, { inputSize: 2, hiddenSize: 3 }), f(m, 'zeros')([2, 4, 2], { dtype: 'float64' }));
    } },
  ],
  bidirectional: [{ arg: 'layer must be', call: (m) => f(m, 'bidirectional')(3) }],
  stacked: [{ arg: 'needs a non-empty array of layers', call: (m) => f(m, 'stacked')([]) }],
  carryDropout: [{ arg: 'rate must be a probability in [0, 1), got 2', call: (m) => f(m, 'carryDropout')(f(m, 'gru')(), { rate: 2 }) }],
  hiddenGradientNorms: [{ arg: 'x must be a non-empty [batch, time, features] tensor', call: (m, fx) => f(m, 'hiddenGradientNorms')(f(m, 'gru')(), {}, 'x', () => fx.x) }],

  // ---- encoder-decoders and decoding (§2 end token outside the vocabulary)
  encoderDecoder: [{ arg: 'options.cell must be', call: (m) => f(m, 'encoderDecoder')({ cell: 3 }) }],
  deepEncoderDecoder: [{ arg: 'cell must be a recurrent cell', call: (m) => f(m, 'deepEncoderDecoder')({ cell: 3 }) }],
  greedyDecode: [
    { arg: "end must be a token id in [0, 5) (the decoder's vocabulary), got 99", call: (m, fx) => decodeWith(m, fx, 'greedyDecode', { end: 99 }) },
    { arg: 'start must be a token id (a non-negative integer), got -1', call: (m, fx) => decodeWith(m, fx, 'greedyDecode', { start: -1 }) },
    { arg: 'start must be a token id in [0, 5)', call: (m, fx) => decodeWith(m, fx, 'greedyDecode', { start: 5 }) },
  ],
  beamDecode: [
    { arg: 'end must be a token id in [0, 5)', call: (m, fx) => decodeWith(m, fx, 'beamDecode', { end: 99, width: 2 }) },
    { arg: 'start must be a token id in [0, 5)', call: (m, fx) => decodeWith(m, fx, 'beamDecode', { start: 5, width: 2 }) },
  ],
  greedySearch: [
    { arg: 'step must be a decoder step function', call: (m) => f(m, 'greedySearch')(3, {}, { start: 0, end: 1, maxLength: 2 }) },
    { arg: 'end must be a token id in [0, 4)', call: (m) => f(m, 'greedySearch')(stepOver4(m), { h: f(m, 'zeros')([1, 2]) }, { start: 0, end: 4, maxLength: 2 }) },
  ],
  beamSearch: [
    { arg: 'step must be a decoder step function', call: (m) => f(m, 'beamSearch')(3, {}, { start: 0, end: 1, maxLength: 2, width: 2 }) },
    { arg: /end must be a token id in \[0, 4\) .*got 7/, call: (m) => f(m, 'beamSearch')(stepOver4(m), { h: f(m, 'zeros')([1, 2]) }, { start: 0, end: 7, maxLength: 2, width: 2 }) },
  ],
  toTorchNames: [{ arg: 'params must be an encoderDecoder(lstm) record', call: (m) => f(m, 'toTorchNames')({}) }],
  fromTorchNames: [{ arg: /encoder|missing|flat/, call: (m) => f(m, 'fromTorchNames')({}) }],

  // ---- layers and attention
  dense: [{ arg: 'argument x must be a Tensor', call: (m, fx) => f(m, 'dense')({ weight: fx.x, bias: null }, 'x') }],
  initDense: [{ arg: 'inputSize must be a positive integer, got -1', call: (m, fx) => f(m, 'initDense')(fx.k, { inputSize: -1, outputSize: 2 }) }],
  embedding: [{ arg: 'ids must be an int32 tensor', call: (m, fx) => f(m, 'embedding')({ weight: fx.x }, fx.x) }],
  initEmbedding: [{ arg: 'vocabSize must be a positive integer, got 0', call: (m, fx) => f(m, 'initEmbedding')(fx.k, { vocabSize: 0, dim: 2 }) }],
  dropout: [{ arg: 'rate must be a probability in [0, 1], got 2', call: (m, fx) => f(m, 'dropout')(fx.x, { rate: 2, key: fx.k, training: true }) }],
  layerNorm: [{ arg: 'x must be a float32 or float64 Tensor, got string', call: (m) => f(m, 'layerNorm')('x') }],
  initLayerNorm: [{ arg: 'invalid shape [-1]', call: (m) => f(m, 'initLayerNorm')(-1) }],
  dotAttention: [{ arg: 'query must be [batch, queryDim]', call: (m, fx) => f(m, 'dotAttention')('q', fx.seq) }],
  generalAttention: [{ arg: 'query must be [batch, queryDim]', call: (m, fx) => f(m, 'generalAttention')({ weight: fx.x }, 'q', fx.seq) }],
  additiveAttention: [{ arg: 'query must be [batch, queryDim]', call: (m, fx) => f(m, 'additiveAttention')({ queryWeight: fx.x, keyWeight: fx.x, v: fx.x }, 'q', fx.seq) }],
  attention: [{ arg: 'kind must be dot, general or additive, got cosine', call: (m, fx) => f(m, 'attention')('cosine', {}, fx.x, fx.seq) }],
  initAttention: [{ arg: 'kind must be dot, general or additive, got cosine', call: (m, fx) => f(m, 'initAttention')('cosine', fx.k, { queryDim: 2, keyDim: 2 }) }],
  initWeight: [{ arg: 'unknown scheme "he"', call: (m, fx) => f(m, 'initWeight')('he', fx.k, [2, 2], { hiddenSize: 2 }) }],
  glorotUniform: [{ arg: 'needs a matrix shape whose rows divide into 1 blocks, got [-1]', call: (m, fx) => f(m, 'glorotUniform')(fx.k, [-1]) }],
  orthogonal: [{ arg: 'needs a matrix shape whose rows divide into 1 blocks, got [2]', call: (m, fx) => f(m, 'orthogonal')(fx.k, [2]) }],
  pytorchUniform: [{ arg: 'hiddenSize must be a positive integer, got 0', call: (m, fx) => f(m, 'pytorchUniform')(fx.k, [2, 2], 0) }],

  // ---- losses
  mse: [{ arg: 'input must be a Tensor, got string', call: (m, fx) => f(m, 'mse')('a', fx.x) }],
  huber: [{ arg: 'delta must be positive and finite, got -1', call: (m, fx) => f(m, 'huber')(fx.x, fx.x, { delta: -1 }) }],
  bceWithLogits: [{ arg: 'input must be a Tensor, got string', call: (m, fx) => f(m, 'bceWithLogits')('a', fx.x) }],
  crossEntropy: [{ arg: 'logits must be a Tensor, got string', call: (m, fx) => f(m, 'crossEntropy')('a', fx.ids) }],
  nll: [{ arg: 'logProbs must be a Tensor, got string', call: (m, fx) => f(m, 'nll')('a', fx.ids) }],

  // ---- fused gate primitives
  lstmStep: [{ arg: 'weightHh [2, 2] must be [4·hidden, hiddenIn]', call: (m, fx) => f(m, 'lstmStep')(f(m, 'zeros')([2, 8]), fx.x, fx.x, fx.x) }],
  gruStep: [
    { arg: 'weightHh [2, 2] must be [3·hidden, hiddenIn]', call: (m, fx) => f(m, 'gruStep')(f(m, 'zeros')([2, 6]), fx.x, fx.x) },
    { arg: "options.convention must be 'reset-after' or 'reset-before'", call: (m, fx) => f(m, 'gruStep')(fx.x, fx.x, fx.x, null, { convention: 'before' }) },
  ],
  lstmGates: [{ arg: 'argument gates must be a Tensor', call: (m, fx) => f(m, 'lstmGates')('g', fx.x) }],
  gruGates: [{ arg: 'argument xg must be a Tensor', call: (m, fx) => f(m, 'gruGates')('g', fx.x, fx.x) }],
  gruResetGates: [{ arg: 'argument xg must be a Tensor', call: (m, fx) => f(m, 'gruResetGates')('g', fx.x, fx.x) }],
  gruUpdate: [{ arg: 'argument xg must be a Tensor', call: (m, fx) => f(m, 'gruUpdate')('g', fx.x, fx.x, fx.x) }],

  // ---- sequences and lengths
  checkSequence: [{ arg: 'x must be a non-empty [batch, time, features] tensor', op: 'myLayer', call: (m) => f(m, 'checkSequence')('myLayer', 'x', undefined) }],
  toLengths: [{ arg: 'lengths[0] = 1.5 must be a non-negative integer', op: 'myLayer', call: (m) => f(m, 'toLengths')('myLayer', [1.5]) }],
  lengthMask: [{ arg: 'lengths[0] = 5', call: (m) => f(m, 'lengthMask')([5], 3, 'float32') }],
  checkSize: [{ arg: 'n must be a positive integer, got -1', op: 'myLayer', call: (m) => f(m, 'checkSize')('myLayer', 'n', -1) }],

  // ---- tensor helpers, randomness, backends
  sizeOf: [{ arg: 'shape must be an array', call: (m) => f(m, 'sizeOf')('x') }],
  stridesOf: [{ arg: 'dims must be an array', call: (m) => f(m, 'stridesOf')(3) }],
  threefry: [{ arg: 'k must be two 32-bit unsigned words, got [1.5, 2]', call: (m) => f(m, 'threefry')([1.5, 2], 0, 0) }],
  useBackend: [{ arg: 'name must be \'js\' or \'wasm\', got "cuda"', call: (m) => f(m, 'useBackend')('cuda') }],

  // ---- lib/text
  buildVocab: [{ arg: 'texts must be an iterable of strings', call: (m) => f(m, 'buildVocab')(3) }],
  vocabFromJson: [{ arg: 'json must be { kind, tokens }, got number', call: (m) => f(m, 'vocabFromJson')(3) }],
  padBatch: [{ arg: 'sequences[0][0] = 1.5', call: (m) => f(m, 'padBatch')([[1.5]]) }],
  bucketBatches: [{ arg: 'batchSize must be a positive integer, got 0', call: (m, fx) => f(m, 'bucketBatches')(fx.k, [3, 2], 0) }],
  splitData: [{ arg: 'validation must be a fraction in [0, 1), got 2', call: (m, fx) => f(m, 'splitData')(fx.k, [1, 2], { validation: 2 }) },
    { arg: 'items must be an array, got "abc"', call: (m, fx) => f(m, 'splitData')(fx.k, 'abc') }],
  parseLines: [{ arg: 'text must be a string', call: (m) => f(m, 'parseLines')(3, (l: string) => l) }],
  categorical: [{ arg: /logits must be .*got string/, call: (m, fx) => f(m, 'categorical')(fx.k, 'x') }],
  generate: [{ arg: 'model must be', call: (m, fx) => f(m, 'generate')(3, { prompt: [0], maxLength: 2, key: fx.k }) }],

  // ---- seqgrad/testing
  checkGrad: [{ arg: 'f must be a function of the tree x, got "f"', call: (m, fx) => f(m, 'checkGrad')('f', fx.x64) }],
  shapeArb: [{ arg: 'options.minRank (3) must not exceed options.maxRank (1)', call: (m) => f(m, 'shapeArb')({ minRank: 3, maxRank: 1 }) }],
  broadcastPairArb: [{ arg: 'options.maxDim must be a non-negative integer, got -1', call: (m) => f(m, 'broadcastPairArb')({ maxDim: -1 }) }],
  tensorArb: [{ arg: 'invalid shape [-1]', call: (m) => f(m, 'tensorArb')([-1]) }],
  shapedTensorArb: [{ arg: 'options.minRank must be a non-negative integer, got -1', call: (m) => f(m, 'shapedTensorArb')({ minRank: -1 }) }],
  broadcastTensorsArb: [{ arg: 'options.minDim must be a non-negative integer, got 1.5', call: (m) => f(m, 'broadcastTensorsArb')({ minDim: 1.5 }) }],
};
