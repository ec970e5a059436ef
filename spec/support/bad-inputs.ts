/**
 * One or more bad calls for every public function, keyed by the function's name. Each
 * case names the argument the error must mention; spec/bad-inputs.spec.ts asserts the
 * call throws a SeqgradError whose message starts with the function's name and names
 * that argument. Cases marked with a section number (§2, §3) are the items of issue 9.
 * The model-building and testing exports' cases live in bad-inputs-nn.ts, those of
 * seqgrad/io, seqgrad/io/node, seqgrad/train and seqgrad/onnx in bad-inputs-io-train.ts.
 */
import type { Tensor } from '../../lib/index.js';
import { IO_TRAIN_CASES } from './bad-inputs-io-train.js';
import { NN_CASES } from './bad-inputs-nn.js';
import type { BadCall, Exports } from './bad-calls.js';

export type { BadCall, Exports, Fixtures } from './bad-calls.js';

const f = (m: Exports, name: string) => m[name] as (...args: unknown[]) => unknown;

/** Unary tensor functions: a string where the tensor goes. */
const unary = ['abs', 'exp', 'log', 'neg', 'relu', 'sigmoid', 'softplus', 'sqrt', 'tanh', 'square', 'sign', 'stopGradient', 'zerosLike', 'onesLike', 'logSoftmax', 'softmax', 'sum', 'mean', 'max', 'min', 'logSumExp', 'flip', 'squeeze'];
/** Binary elementwise functions: a string as argument 0. */
const binary = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'];

export const CASES: Readonly<Record<string, readonly BadCall[]>> = {
  ...NN_CASES,
  ...IO_TRAIN_CASES,
  ...Object.fromEntries(unary.map((n) => [n, [{ arg: /argument x|x must|argument t/, call: (m: Exports) => f(m, n)('x') }]])),
  ...Object.fromEntries(binary.map((n) => [n, [{ arg: 'argument 0', call: (m: Exports) => f(m, n)('a', 1) }]])),

  // ---- tensor: constructors and dtypes (§2 int32, NaN, non-numbers; §3 dtype TypeError, sizes, NaN printing)
  tensor: [
    { arg: 'values[0] = 1.7 is not an integer', call: (m) => f(m, 'tensor')([1.7, -2.5, 3e10], { dtype: 'int32' }) },
    { arg: 'values[0] = NaN', call: (m) => f(m, 'tensor')([NaN], { dtype: 'int32' }) },
    { arg: 'values is a Uint8Array', call: (m) => f(m, 'tensor')(new Uint8Array(2)) },
    { arg: 'values is a BigInt64Array', call: (m) => f(m, 'tensor')(new BigInt64Array(2)) },
    { arg: 'options.dtype must be one of float32, float64, int32, got "float16"', call: (m) => f(m, 'tensor')([1], { dtype: 'float16' }) },
  ],
  full: [
    { arg: 'value must be a number, got "x"', call: (m) => f(m, 'full')([2], 'x') },
    { arg: 'value[0] = 2.5 is not an integer', call: (m) => f(m, 'full')([2], 2.5, { dtype: 'int32' }) },
  ],
  scalar: [{ arg: 'value must be a number, got undefined', call: (m) => f(m, 'scalar')(undefined) }],
  zeros: [
    { arg: 'a float32 tensor of 1000000000000 elements', call: (m) => f(m, 'zeros')([1e6, 1e6]) },
    { arg: 'invalid shape [NaN]', call: (m) => f(m, 'zeros')([NaN]) },
  ],
  ones: [{ arg: 'invalid shape [-1]', call: (m) => f(m, 'ones')([-1]) }],
  arange: [
    { arg: 'stop must be a finite number, got NaN', call: (m) => f(m, 'arange')(0, NaN) },
    { arg: 'stop must be a finite number, got Infinity', call: (m) => f(m, 'arange')(0, Infinity) },
    { arg: /a float32 tensor of 10000000000000 elements .* too large/, call: (m) => f(m, 'arange')(0, 1e13) },
  ],
  eye: [{ arg: 'n must be a non-negative integer', call: (m) => f(m, 'eye')(-1) }],
  astype: [
    { arg: 't[0] = NaN', call: (m) => f(m, 'astype')(f(m, 'tensor')([NaN, 1e10]), 'int32', { round: 'nearest' }) },
    { arg: 't[1] = 10000000000 is outside the int32 range', call: (m) => f(m, 'astype')(f(m, 'tensor')(new Float64Array([1, 1e10])), 'int32', { round: 'trunc' }) },
    { arg: 't[0] = 1.5 is not an integer', call: (m) => f(m, 'astype')(f(m, 'tensor')([1.5]), 'int32') },
    { arg: 'dtype must be one of float32, float64, int32, got "bfloat16"', call: (m, fx) => f(m, 'astype')(fx.x, 'bfloat16') },
  ],
  allocate: [{ arg: 'dtype must be one of', call: (m) => f(m, 'allocate')('float16', 2, 'allocate') }],
  allocateForKernel: [{ arg: 'dtype must be one of', call: (m) => f(m, 'allocateForKernel')('float16', 2, 'allocateForKernel') }],
  checkDType: [{ arg: 'dtype must be one of', call: (m) => f(m, 'checkDType')('checkDType', 'float16') }],
  checkInt32: [{ arg: 'values[0] = 0.5', call: (m) => f(m, 'checkInt32')('checkInt32', [0.5]) }],
  dtypeOf: [{ arg: 'data must be a Float32Array', call: (m) => f(m, 'dtypeOf')(new Uint8Array(1)) }],
  commonFloatDType: [{ arg: 'argument 0 has dtype int32', call: (m) => f(m, 'commonFloatDType')('commonFloatDType', ['int32']) }],
  checkShape: [{ arg: 'invalid shape [0.5]', call: (m) => f(m, 'checkShape')('checkShape', [0.5]) }],
  normalizeAxis: [{ arg: 'axis 3 is out of range', call: (m) => f(m, 'normalizeAxis')('normalizeAxis', 3, 2) }],
  normalizeAxes: [{ arg: 'axis [0, 0] names axis 0 twice', call: (m) => f(m, 'normalizeAxes')('normalizeAxes', [0, 0], 2) }],
  broadcastShapes: [{ arg: 'shapes [2] and [3] do not broadcast', call: (m) => f(m, 'broadcastShapes')('broadcastShapes', [2], [3]) }],
  key: [{ arg: 'seed must be a safe integer, got "7"', call: (m) => f(m, 'key')('7') }],
  splitKey: [{ arg: 'n must be a positive integer', call: (m, fx) => f(m, 'splitKey')(fx.k, 0) }],
  checkKey: [{ arg: 'expected a PRNG key', call: (m) => f(m, 'checkKey')('checkKey', [1.5, 2]) }],
  normal: [
    { arg: 'options.std must be a finite number >= 0, got -1', call: (m, fx) => f(m, 'normal')(fx.k, [2], { std: -1 }) },
    { arg: 'options.mean must be a finite number, got NaN', call: (m, fx) => f(m, 'normal')(fx.k, [2], { mean: NaN }) },
    { arg: 'options.dtype must be one of', call: (m, fx) => f(m, 'normal')(fx.k, [2], { dtype: 'float16' }) },
  ],
  uniform: [{ arg: 'low', call: (m, fx) => f(m, 'uniform')(fx.k, [2], { low: 1, high: 0 }) }],
  bernoulli: [{ arg: 'p must lie in [0, 1]', call: (m, fx) => f(m, 'bernoulli')(fx.k, 2, [2]) }],
  permutation: [{ arg: 'n must be a non-negative integer', call: (m, fx) => f(m, 'permutation')(fx.k, -1) }],

  // ---- ops (§2 clip, repeated axes, empty max/min, reshape; §3 fractional slice)
  clip: [
    { arg: 'low (1) must not exceed high (-1)', call: (m, fx) => f(m, 'clip')(fx.x, 1, -1) },
    { arg: 'low must be a number, got NaN', call: (m, fx) => f(m, 'clip')(fx.x, NaN, 1) },
  ],
  sumRepeatedAxis: [{ arg: 'axis [0, 0] names axis 0 twice', op: 'sum', call: (m, fx) => f(m, 'sum')(fx.x, { axis: [0, 0] }) }],
  maxEmptyAxis: [{ arg: 'axis 0 of x [0, 3] is empty', op: 'max', call: (m) => f(m, 'max')(f(m, 'zeros')([0, 3]), { axis: 0 }) }],
  minEmptyAxis: [{ arg: 'axis 0 of x [0, 3] is empty', op: 'min', call: (m) => f(m, 'min')(f(m, 'zeros')([0, 3]), { axis: 0 }) }],
  reshape: [{ arg: 'cannot reshape [0, 3] (0 elements) to [-1, 0]', call: (m) => f(m, 'reshape')(f(m, 'zeros')([0, 3]), [-1, 0]) }],
  slice: [{ arg: 'begin[0] = 0.5 must be an integer', call: (m, fx) => f(m, 'slice')(fx.x, [0.5, 0], [1, 1]) }],
  pad: [{ arg: 'widths', call: (m, fx) => f(m, 'pad')(fx.x, [[1, 1]]) }],
  permute: [{ arg: 'perm', call: (m, fx) => f(m, 'permute')(fx.x, [0, 0]) }],
  transpose: [{ arg: 'axis 5', call: (m, fx) => f(m, 'transpose')(fx.x, [0, 5]) }],
  concat: [{ arg: 'xs', call: (m) => f(m, 'concat')([]) }],
  stack: [{ arg: 'xs', call: (m) => f(m, 'stack')([]) }],
  split: [{ arg: 'cannot split axis 0', call: (m, fx) => f(m, 'split')(fx.x, 3, 0) }],
  expandDims: [{ arg: 'axis 9', call: (m, fx) => f(m, 'expandDims')(fx.x, 9) }],
  broadcastTo: [{ arg: 'invalid shape', call: (m, fx) => f(m, 'broadcastTo')(fx.x, [-1]) }],
  sumTo: [{ arg: 'invalid shape', call: (m, fx) => f(m, 'sumTo')(fx.x, [-1]) }],
  matmul: [{ arg: 'argument', call: (m, fx) => f(m, 'matmul')('a', fx.x) }],
  addmm: [{ arg: 'argument', call: (m, fx) => f(m, 'addmm')('a', fx.x, fx.x) }],
  argmax: [{ arg: 'axis', call: (m, fx) => f(m, 'argmax')(fx.x, 7) }],
  gather: [{ arg: 'indices', call: (m, fx) => f(m, 'gather')(fx.x, fx.x, 0) }],
  scatterAdd: [{ arg: 'indices', call: (m, fx) => f(m, 'scatterAdd')(fx.x, fx.x, fx.x, 0) }],
  where: [{ arg: 'argument', call: (m, fx) => f(m, 'where')('c', fx.x, fx.x) }],
  scale: [{ arg: 'factor', call: (m) => f(m, 'scale')(NaN) }],

  // ---- autodiff (§2 vjp keys, grad of empty trees; §3 grad(3), cycles)
  grad: [
    { arg: 'argument f must be a function, got 3', call: (m) => f(m, 'grad')(3) },
    { arg: 'holds no tensors (got undefined)', call: (m) => (f(m, 'grad')(() => 0) as (p: unknown) => unknown)(undefined) },
    { arg: 'holds no tensors (got null)', call: (m) => (f(m, 'grad')(() => 0) as (p: unknown) => unknown)(null) },
    { arg: 'holds no tensors (got an object)', call: (m) => (f(m, 'grad')(() => 0) as (p: unknown) => unknown)({}) },
    { arg: 'the tree is cyclic: a.self contains itself', call: (m, fx) => {
      const a: Record<string, unknown> = { w: fx.x64 };
      a.self = a;
      return (f(m, 'grad')(() => 0) as (p: unknown) => unknown)({ a });
    } },
  ],
  valueAndGrad: [{ arg: 'argument f must be a function', call: (m) => f(m, 'valueAndGrad')('f') }],
  vjp: [
    { arg: 'the cotangent has no leaf at a', call: (m, fx) => (f(m, 'vjp')((p: { w: Tensor }) => ({ a: p.w, b: p.w }), { w: fx.x64 }) as [unknown, (c: unknown) => unknown])[1]({ b: fx.x64 }) },
    { arg: 'the cotangent has a leaf at c, which the output does not have', call: (m, fx) => (f(m, 'vjp')((p: { w: Tensor }) => ({ a: p.w }), { w: fx.x64 }) as [unknown, (c: unknown) => unknown])[1]({ a: fx.x64, c: fx.x64 }) },
  ],
  definePrimitive: [{ arg: 'spec', call: (m) => f(m, 'definePrimitive')({ name: 'p' }) }],
  // §3 checkNaN: an Infinity born from finite inputs is reported like a NaN, and inside scan with its step
  checkNaNInfinity: [{ arg: 'produced Infinity in the forward pass from finite inputs (float64 [1])', op: 'exp', call: (m) =>
    (f(m, 'grad')((p: { x: Tensor }) => f(m, 'sum')(f(m, 'exp')(p.x)), { checkNaN: true }) as (p: unknown) => unknown)({ x: f(m, 'tensor')([800], { dtype: 'float64' }) }) }],
  checkNaNScanStep: [{ arg: 'produced Infinity in the forward pass at scan step 1 from finite inputs', op: 'mul', call: (m) => {
    const xs = f(m, 'tensor')([1, 1e300, 1e300], { shape: [1, 3, 1], dtype: 'float64' });
    const loss = (p: { h: Tensor }): unknown => {
      const [carry] = f(m, 'scan')((h: Tensor, x: Tensor) => [f(m, 'mul')(h, x), h], p.h, xs) as [Tensor];
      return f(m, 'sum')(carry);
    };
    return (f(m, 'grad')(loss, { checkNaN: true }) as (p: unknown) => unknown)({ h: f(m, 'tensor')([[1e10]], { dtype: 'float64' }) });
  } }],

  // ---- tree (§2 zip by path)
  zipTrees: [{ arg: 'tree 1 has no leaf at a', call: (m, fx) => f(m, 'zipTrees')([{ a: fx.x }, { b: fx.x }], ([a]: Tensor[]) => a) }],
  mapTree: [{ arg: 'leaf at w is a string', call: (m) => f(m, 'mapTree')({ w: 'x' }, (t: unknown) => t) }],
  leaves: [{ arg: 'leaf at [0] is a number', call: (m) => f(m, 'leaves')([3]) }],
  flatten: [{ arg: 'leaf at (root) is a string', call: (m) => f(m, 'flatten')('x') }],
  unflatten: [{ arg: 'needs 1 leaves, got 0', call: (m, fx) => f(m, 'unflatten')({ w: fx.x }, []) }],
  flattenState: [{ arg: 'leaf at a is a string', call: (m) => f(m, 'flattenState')({ a: 's' }) }],
  unflattenState: [{ arg: 'leaves', call: (m, fx) => f(m, 'unflattenState')({ w: fx.x }, []) }],
  walkTree: [{ arg: 'leaf at p is a string', call: (m) => f(m, 'walkTree')('s', 'p', 'walkTree', (v: unknown): v is number => typeof v === 'number', (v: number) => v, '') }],

  // ---- optim (§2 shapes of updates and gradients; §3 misleading adam message)
  applyUpdates: [
    { arg: 'the update at w is float32 [2, 2, 2] but the parameter there is float32 [2, 2]', call: (m) => f(m, 'applyUpdates')({ w: f(m, 'zeros')([2, 2]) }, { w: f(m, 'zeros')([2, 2, 2]) }) },
    { arg: 'the update at w is float64', call: (m) => f(m, 'applyUpdates')({ w: f(m, 'zeros')([2]) }, { w: f(m, 'zeros')([2], { dtype: 'float64' }) }) },
  ],
  ...Object.fromEntries(['adam', 'sgd', 'adamw', 'rmsprop', 'adagrad'].map((n) => [n, [
    { arg: 'the gradient at w is float32 [1, 2] but the parameter there is float32 [2]', call: (m: Exports) => {
      const opt = f(m, n)({}) as { init: (p: unknown) => unknown; update: (g: unknown, s: unknown, p: unknown) => unknown };
      const params = { w: f(m, 'zeros')([2]) };
      return opt.update({ w: f(m, 'zeros')([1, 2]) }, opt.init(params), params);
    } },
  ]])),
  scaleByAdam: [{ arg: 'b1 must be a number in [0, 1)', call: (m) => f(m, 'scaleByAdam')({ b1: 1 }) }],
  scaleByRms: [{ arg: 'decay must be a number in [0, 1]', call: (m) => f(m, 'scaleByRms')({ decay: 2 }) }],
  scaleByAdagrad: [{ arg: 'eps must be a number', call: (m) => f(m, 'scaleByAdagrad')({ eps: -1 }) }],
  scaleByLearningRate: [{ arg: 'lr', call: (m) => f(m, 'scaleByLearningRate')(NaN) }],
  trace: [{ arg: 'decay must be a number', call: (m) => f(m, 'trace')({ decay: -1 }) }],
  addL2: [{ arg: 'weightDecay must be a number', call: (m) => f(m, 'addL2')(-1) }],
  addDecayedWeights: [{ arg: 'weightDecay must be a number', call: (m) => f(m, 'addDecayedWeights')(-1) }],
  chain: [{ arg: 'argument 0 is not a GradientTransformation', call: (m) => f(m, 'chain')(3) }],
  clipByGlobalNorm: [{ arg: 'maxNorm', call: (m) => f(m, 'clipByGlobalNorm')(-1) }],
  clipByValue: [{ arg: 'max', call: (m) => f(m, 'clipByValue')(NaN) }],
  globalNorm: [{ arg: 'leaf at (root) is a string', call: (m) => f(m, 'globalNorm')('x') }],
  cosineWarmup: [{ arg: 'totalSteps must be a number in the integers >= max(1, warmupSteps) (1), got 0', call: (m) => f(m, 'cosineWarmup')({ peak: 1, warmupSteps: 0, totalSteps: 0 }) }],
  constant: [{ arg: 'value', call: (m) => f(m, 'constant')(NaN) }],
  exponential: [{ arg: 'gamma must be a number', call: (m) => f(m, 'exponential')({ init: 1, gamma: -1 }) }],
  stepDecay: [{ arg: 'stepSize must be a number', call: (m) => f(m, 'stepDecay')({ init: 1, gamma: 0.5, stepSize: 0 }) }],
  checkHyper: [{ arg: 'b must be a number in [0, 1], got "7"', call: (m) => f(m, 'checkHyper')('checkHyper', 'b', '7', () => true, '[0, 1]') }],
  checkFinite: [{ arg: 'v must be a number in the finite numbers, got NaN', call: (m) => f(m, 'checkFinite')('checkFinite', 'v', NaN) }],
  checkNonNegative: [{ arg: 'v must be a number in [0, ∞), got -1', call: (m) => f(m, 'checkNonNegative')('checkNonNegative', 'v', -1) }],
  checkLike: [{ arg: 'the gradient at w', call: (m, fx) => f(m, 'checkLike')('checkLike', 'gradient', { w: fx.x64 }, { w: fx.x }, 'parameter') }],
  requireParams: [{ arg: 'needs the parameters', call: (m) => f(m, 'requireParams')('requireParams', undefined) }],

  // ---- nn (§2 scan carry, lstm projSize, end token; §3 scan(null), step without a pair, init(key, undefined), float64 input)
  scan: [
    { arg: 'step 0: the carry at (root) changed from float32 [2, 3] to float32 [2, 18]', call: (m, fx) => f(m, 'scan')((_: Tensor, xt: Tensor) => [f(m, 'zeros')([2, 18]), xt], f(m, 'zeros')([2, 3]), fx.seq) },
    { arg: 'argument f must be a step function', call: (m, fx) => f(m, 'scan')(null, fx.x, fx.seq) },
    { arg: 'step 0: f must return a [carry, y] pair, got', call: (m, fx) => f(m, 'scan')((h: Tensor) => h, f(m, 'zeros')([2, 3]), fx.seq) },
  ],
  // ---- checkpoints (§4)
  checkpointPath: [{ arg: 'step must be a non-negative integer, got -1', call: (m, fx) => f(m, 'checkpointPath')(fx.dir, -1) }],
  pruneCheckpoints: [{ arg: 'keep must be a positive integer, got 0', call: (m, fx) => f(m, 'pruneCheckpoints')(fx.dir, 0) }],
  saveRotatingCheckpoint: [{ arg: 'options.keep must be a positive integer, got 1.5', call: (m, fx) => f(m, 'saveRotatingCheckpoint')(fx.dir, {}, { keep: 1.5 }) }],
  lockCheckpointDir: [{ arg: 'dir must be a directory path, got ""', call: (m) => f(m, 'lockCheckpointDir')('') }],
  removeStaleTemporaries: [{ arg: 'dir must be a directory path, got 3', call: (m) => f(m, 'removeStaleTemporaries')(3) }],
  resumeFrom: [{ arg: 'templates must be { params, optState }, got null', call: (m, fx) => f(m, 'resumeFrom')(fx.dir, null) }],
  checkpointing: [{ arg: 'keep must be a positive integer, got 0', call: (m) => f(m, 'checkpointing')({ dir: 'x', keep: 0 }) }],
  loadCheckpoint: [{ arg: /absent\.safetensors: cannot read the file/, call: (m, fx) => f(m, 'loadCheckpoint')(`${fx.dir}/absent.safetensors`, { params: {}, optState: {} }) }],
  useThreads: [{ arg: 'threads must be an integer from 1 to', call: (m) => f(m, 'useThreads')(0) }],
};

/**
 * Exports with no bad-input case, and why: classes (constructed with `new`, tested in
 * their own specs) and functions that accept every value by design or take no input.
 */
export const EXCLUDED: Readonly<Record<string, string>> = {
  SeqgradError: 'a class: the error itself',
  Tensor: 'a class; its constructor is internal (build tensors with tensor(), zeros(), ...)',
  isTensor: 'a predicate: every value is a valid question',
  isFloat: 'a predicate over dtypes: every value is a valid question',
  shapesEqual: 'a predicate over shapes',
  broadcastsTo: 'a predicate over shapes',
  showValue: 'formats any value for messages: total by design',
  describeValue: 'formats any value for messages: total by design',
  showShape: 'formats a shape for messages (anything else as showValue does): total by design',
  backendName: 'takes no arguments',
  defaultThreads: 'takes no arguments',
  threadCount: 'takes no arguments',
  ready: 'takes no arguments',
  identity: 'takes no arguments',
  emptyMean: 'takes no arguments',
  silentReporter: 'takes no arguments',
};
