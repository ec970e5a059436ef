/**
 * Bad calls for the exports of `seqgrad/io` and `seqgrad/io/node` (bytes, safetensors,
 * checkpoints, model files), `seqgrad/train` (metrics, batches, reporters, callbacks,
 * plots and `fit`) and `seqgrad/onnx` (`exportOnnx`).
 * The table's shape is spec/support/bad-inputs.ts's.
 */
import type { BadCall, Exports, Fixtures } from './bad-calls.js';

const f = (m: Exports, name: string) => m[name] as (...args: unknown[]) => unknown;

/** The 8-byte little-endian header length `n` followed by `rest` bytes. */
const withHeaderLength = (n: bigint, rest = 8): Uint8Array => {
  const bytes = new Uint8Array(8 + rest);
  new DataView(bytes.buffer).setBigUint64(0, n, true);
  return bytes;
};

const history = { steps: [], epochs: [{ epoch: 1, step: 1, train: { loss: 1 } }] };
const stream = { write: () => true };

/** A one-parameter fit over `data`, resuming at `batch` of epoch 0. */
const fitResumingAt = (m: Exports, fx: Fixtures, batch: number, data: unknown): unknown => {
  const params = { w: f(m, 'zeros')([1]) };
  const optimizer = f(m, 'sgd')({ lr: 0.1 }) as { init: (p: unknown) => unknown };
  const resume = { params, optState: optimizer.init(params), step: batch, epoch: 0, batch, key: fx.k, mean: f(m, 'emptyMean')() };
  return f(m, 'fit')({ params, optimizer, loss: (p: { w: unknown }) => f(m, 'sum')(p.w), data, epochs: 1, resume, progress: 'none' });
};

export const IO_TRAIN_CASES: Readonly<Record<string, readonly BadCall[]>> = {
  // ---- io: bytes and safetensors (§3 a header length of 2^62 printed exactly)
  crc32: [{ arg: 'bytes must be a Uint8Array, got "abc"', call: (m) => f(m, 'crc32')('abc') }],
  crc32Hex: [{ arg: 'bytes must be a Uint8Array, got 3', call: (m) => f(m, 'crc32Hex')(3) }],
  littleEndianBytes: [{ arg: 'argument t must be a Tensor', call: (m) => f(m, 'littleEndianBytes')([1, 2]) }],
  headerLength: [{ arg: 'bytes must be a Uint8Array of at least 8 bytes', call: (m) => f(m, 'headerLength')(new Uint8Array(3)) }],
  parseHeader: [
    { arg: 'bytes must be a Uint8Array', call: (m) => f(m, 'parseHeader')('x', 'x.safetensors') },
    { arg: 'x.safetensors: header length 4611686018427387904 runs past the end of the file', op: 'safetensors', call: (m) => f(m, 'parseHeader')(withHeaderLength(2n ** 62n), 'x.safetensors') },
  ],
  checkLayout: [{ arg: 'entries must be an array of header entries, got 3', call: (m) => f(m, 'checkLayout')(3, 0, 'x.safetensors') }],
  decodeSafetensors: [
    { arg: 'bytes must be a Uint8Array', call: (m) => f(m, 'decodeSafetensors')('abc') },
    { arg: '(bytes): header length 4611686018427387904 runs past the end', op: 'safetensors', call: (m) => f(m, 'decodeSafetensors')(withHeaderLength(2n ** 62n)) },
  ],
  encodeSafetensors: [
    { arg: 'tensors.w must be a Tensor, got [1, 2]', call: (m) => f(m, 'encodeSafetensors')({ w: [1, 2] }) },
    { arg: 'options.dtype must be \'float16\' or \'bfloat16\'', call: (m, fx) => f(m, 'encodeSafetensors')({ w: fx.x }, undefined, { dtype: 'float8' }) },
  ],
  tensorName: [{ arg: 'path must be a string, got 3', call: (m) => f(m, 'tensorName')(3) }],
  formatDecodeErrors: [{ arg: 'errors must be an array', call: (m) => f(m, 'formatDecodeErrors')('x') }],
  decodeOrThrow: [{ arg: 'codec must be an io-ts decoder', call: (m) => f(m, 'decodeOrThrow')(3, {}, 'decodeOrThrow', 'x') }],
  writeFileAtomic: [{ arg: 'bytes must be a Uint8Array', call: (m, fx) => f(m, 'writeFileAtomic')(`${fx.dir}/a.bin`, 'abc') }],

  // ---- io: checkpoints and model files
  encodeCheckpoint: [{ arg: 'contents must be { params, optState, meta', call: (m) => f(m, 'encodeCheckpoint')(null) }],
  expectContents: [{ arg: 'contents must be { params, optState, meta', op: 'myWriter', call: (m) => f(m, 'expectContents')('myWriter', { params: {} }) }],
  decodeCheckpoint: [{ arg: 'bytes must be a Uint8Array', call: (m) => f(m, 'decodeCheckpoint')('abc', { params: {}, optState: {} }) }],
  saveCheckpoint: [
    { arg: 'path must be a file path, got 3', call: (m) => f(m, 'saveCheckpoint')(3, { params: {}, optState: {} }) },
    { arg: 'contents must be { params, optState, meta', call: (m, fx) => f(m, 'saveCheckpoint')(`${fx.dir}/c.safetensors`, { params: {}, optState: {} }) }],
  listCheckpoints: [{ arg: 'dir must be a directory path, got 3', call: (m) => f(m, 'listCheckpoints')(3) }],
  latestCheckpoint: [{ arg: 'dir must be a directory path, got null', call: (m) => f(m, 'latestCheckpoint')(null) }],
  encodeModel: [
    { arg: 'contents must be { params, config?, vocab? }, got null', call: (m) => f(m, 'encodeModel')(null) },
    { arg: 'options.dtype must be \'float16\' or \'bfloat16\' (or absent to keep float32 and float64), got "half"', call: (m, fx) => f(m, 'encodeModel')({ params: { w: fx.x } }, { dtype: 'half' }) },
  ],
  decodeModel: [
    { arg: 'bytes must be a Uint8Array', call: (m) => f(m, 'decodeModel')('abc') },
    { arg: 'options.prefix must be a module path such as "rnn"', call: (m) => f(m, 'decodeModel')(new Uint8Array(8), { prefix: 3 }) },
    { arg: 'options.strict must be true or false, got "no"', call: (m) => f(m, 'decodeModel')(new Uint8Array(8), { strict: 'no' }) },
  ],
  saveModel: [
    { arg: 'path must be a file path, got 3', call: (m) => f(m, 'saveModel')(3, {}) },
    { arg: 'options.dtype must be \'float16\' or \'bfloat16\'', call: (m, fx) => f(m, 'saveModel')(`${fx.dir}/m.safetensors`, { params: { w: fx.x } }, { dtype: 'f16' }) },
  ],
  loadModel: [{ arg: 'path must be a file path, got 3', call: (m) => f(m, 'loadModel')(3) }],
  saveTrainState: [{ arg: 'path must be a file path, got 3', call: (m) => f(m, 'saveTrainState')(3, {}) }],
  loadTrainState: [{ arg: 'path must be a file path, got 3', call: (m) => f(m, 'loadTrainState')(3, { params: {}, optState: {} }) }],

  // ---- train: metrics
  accuracy: [{ arg: 'logits must be a Tensor, got string', call: (m, fx) => f(m, 'accuracy')('a', fx.ids) }],
  binaryAccuracy: [{ arg: 'logits must be a Tensor, got string', call: (m, fx) => f(m, 'binaryAccuracy')('a', fx.x) }],
  confusionMatrix: [{ arg: 'argument logits must be a Tensor', call: (m, fx) => f(m, 'confusionMatrix')('a', fx.ids) }],
  perplexity: [{ arg: 'loss must be a scalar tensor or a number, got "x"', call: (m) => f(m, 'perplexity')('x') }],
  rmse: [{ arg: 'prediction has 1 values but truth has 2', call: (m) => f(m, 'rmse')([1], [1, 2]) }],
  mae: [{ arg: 'prediction has 1 values but truth has 2', call: (m) => f(m, 'mae')([1], [1, 2]) }],
  editDistance: [{ arg: 'a must be a string or an array of tokens, got number', call: (m) => f(m, 'editDistance')(3, [1]) }],
  closestReference: [{ arg: 'references must be a non-empty array', call: (m) => f(m, 'closestReference')([1], []) }],
  errorRate: [{ arg: 'predictions has 1 items but references has 0', call: (m) => f(m, 'errorRate')([[1]], []) }],
  exactMatch: [{ arg: 'predictions has 1 items but references has 0', call: (m) => f(m, 'exactMatch')([[1]], []) }],
  sequenceErrorRate: [{ arg: 'predictions has 1 items but references has 0', call: (m) => f(m, 'sequenceErrorRate')([[1]], []) }],
  addToMean: [{ arg: 'weight must be a finite number >= 0, got -1', call: (m) => f(m, 'addToMean')(f(m, 'emptyMean')(), { loss: 1 }, -1) }],
  readMean: [{ arg: 'mean must be a running mean { sums, weight }', call: (m) => f(m, 'readMean')(3) }],
  monitored: [{ arg: 'monitor "val.loss" is not in epoch 1\'s record (it has train.loss)', call: (m) => f(m, 'monitored')(history.epochs[0], 'val.loss') }],

  // ---- train: batches and fit (§2 a resume position beyond the epoch)
  epochOrder: [{ arg: 'n must be a non-negative integer, got -1', call: (m) => f(m, 'epochOrder')(undefined, 0, -1) }],
  takeRows: [{ arg: 'indices[0] = 5 is outside the 2 rows of dataset x', call: (m, fx) => f(m, 'takeRows')({ x: fx.x }, [5]) }],
  epochBatches: [{ arg: 'skip must be a non-negative integer', call: async (m) => {
    for await (const _ of f(m, 'epochBatches')([1], 0, -1) as AsyncIterable<unknown>) void _;
  } }],
  batchesPerEpoch: [{ arg: 'source.batchSize must be a positive integer, got 0', call: (m, fx) => f(m, 'batchesPerEpoch')({ dataset: { x: fx.x }, batchSize: 0 }) }],
  checkSource: [{ arg: 'data is an empty array', op: 'myLoop', call: (m) => f(m, 'checkSource')('myLoop', 'data', [], 1) }],
  fit: [
    { arg: 'resume.batch (5) is beyond the 2 batches of epoch 1', call: (m, fx) => fitResumingAt(m, fx, 5, [0, 1]) },
    { arg: 'resume.batch (5) is beyond the 2 batches of epoch 1', call: (m, fx) => fitResumingAt(m, fx, 5, () => [0, 1]) },
    { arg: 'epochs must be a positive integer', call: (m) => f(m, 'fit')({ epochs: 0 }) },
  ],

  // ---- train: reporters, callbacks and plots
  createReporter: [{ arg: 'progress must be \'auto\', \'bar\', \'json\' or \'none\', got "loud"', call: (m) => f(m, 'createReporter')('loud', 1) }],
  jsonReporter: [{ arg: 'every must be \'step\' or \'epoch\', got "hour"', call: (m) => f(m, 'jsonReporter')(stream, 'hour') }],
  barReporter: [{ arg: 'epochs must be a positive integer, got 0', call: (m) => f(m, 'barReporter')(stream, 0) }],
  earlyStopping: [{ arg: 'patience must be an integer >= 1, got 0', call: (m) => f(m, 'earlyStopping')({ patience: 0 }) }],
  learningRateLogger: [{ arg: 'schedule', call: (m) => f(m, 'learningRateLogger')('fast') }],
  lossPoints: [{ arg: 'history must be { steps, epochs } (fit\'s result.history), got 3', call: (m) => f(m, 'lossPoints')(3) }],
  lossCurveSpec: [{ arg: 'history must be { steps, epochs }', call: (m) => f(m, 'lossCurveSpec')(null) }],
  terminalChart: [{ arg: 'history must be { steps, epochs }', call: (m) => f(m, 'terminalChart')({}) }],
  writeLossPlot: [{ arg: 'path must be a file path, got 3', call: (m) => f(m, 'writeLossPlot')(3, history) }],
  renderSvg: [{ arg: 'spec must be a Vega-Lite spec object, got 3', call: (m) => f(m, 'renderSvg')(3) }],

  // ---- onnx: an async export, so its bad calls reject
  exportOnnx: [
    { arg: 'description: rnn.kind: expected "RNN" | "LSTM" | "GRU", got "Elman"', call: (m) => f(m, 'exportOnnx')({ rnn: { kind: 'Elman', inputSize: 2, hiddenSize: 2 } }, { rnn: {} }) },
    { arg: 'params.rnn: torch.gru: params has no tensor weight_ih_l0', call: (m) => f(m, 'exportOnnx')({ rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 2 } }, { rnn: {} }) },
    { arg: 'description.rnn.projSize 1 cannot be exported', call: (m) => f(m, 'exportOnnx')({ rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 2, projSize: 1 } }, { rnn: {} }) },
  ],
};
