/**
 * The TensorFlow.js side of the recurrent workloads, in the two ways a tfjs user writes
 * a model: with tfjs-core ops (`tf.basicLSTMCell` or a GRU written out, a loop over
 * time, `optimizer.minimize`), and with tfjs-layers (`tf.layers.lstm/gru`,
 * `model.trainOnBatch`). Ops are called as functions (`tf.reshape(x)`): the chained
 * `x.reshape()` style is registered only by the full tfjs package, not by tfjs-core. Weights use tfjs's own layout (`[in, out]` kernels), as a
 * tfjs user's would: seqgrad's PyTorch layout would put tfjs's slow transposed
 * products in the peer's path. Every implementation creates its tensors with its
 * backend active and tidies what a step makes, so memory stays flat over the runs.
 */
import type { Tensor } from '../../lib/index.js';
import { tf, tfl, useTfBackend } from '../harness/tfjs.js';
import type { Impl, PeerBackend } from '../harness/types.js';

/** A recurrent cell over tfjs ops: its trainable variables, zero carry and one step. */
export interface TfCell {
  readonly vars: tf.Variable[];
  /** The zero carry; the hidden state is always `carry[0]`. */
  readonly zero: (batch: number) => tf.Tensor2D[];
  readonly step: (carry: tf.Tensor2D[], x: tf.Tensor2D) => tf.Tensor2D[];
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/** Uniform(±bound) float32 variable from a seeded tfjs generator. */
export const tfParam = (shape: number[], bound: number, seed: number): tf.Variable =>
  tf.tidy(() => tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed)));

/** An LSTM cell on `tf.basicLSTMCell`: one fused kernel `[input + hidden, 4·hidden]`. */
export const tfLstm = (input: number, hidden: number, seed: number): TfCell => {
  const bound = 1 / Math.sqrt(hidden);
  const kernel = tfParam([input + hidden, 4 * hidden], bound, seed) as tf.Variable<tf.Rank.R2>;
  const bias = tfParam([4 * hidden], bound, seed + 1) as tf.Variable<tf.Rank.R1>;
  const forgetBias = tf.scalar(0);
  return {
    vars: [kernel, bias],
    zero: (batch) => [tf.zeros([batch, hidden]), tf.zeros([batch, hidden])],
    step: ([h, c], x) => {
      const [c2, h2] = tf.basicLSTMCell(forgetBias, kernel, bias, x, c!, h!);
      return [h2, c2];
    },
  };
};

/** A GRU cell written out in tfjs ops, reset-before (Keras's `reset_after=False`, tfjs's only GRU). */
export const tfGru = (input: number, hidden: number, seed: number): TfCell => {
  const bound = 1 / Math.sqrt(hidden);
  const wx = tfParam([input, 3 * hidden], bound, seed);
  const whRz = tfParam([hidden, 2 * hidden], bound, seed + 1);
  const whN = tfParam([hidden, hidden], bound, seed + 2);
  const b = tfParam([3 * hidden], bound, seed + 3);
  return {
    vars: [wx, whRz, whN, b],
    zero: (batch) => [tf.zeros([batch, hidden])],
    step: ([h], x) => {
      const [xr, xz, xn] = tf.split(tf.add(tf.matMul(x, wx), b), 3, 1);
      const [hr, hz] = tf.split(tf.matMul(h!, whRz), 2, 1);
      const r = tf.sigmoid(tf.add(xr!, hr!));
      const z = tf.sigmoid(tf.add(xz!, hz!));
      const n = tf.tanh(tf.add(xn!, tf.matMul(tf.mul(r, h!), whN)));
      return [tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h!)) as tf.Tensor2D];
    },
  };
};

/** A dense layer's variables and its application `x·W + b`. */
export const tfDense = (input: number, output: number, seed: number) => {
  const bound = 1 / Math.sqrt(input);
  const w = tfParam([input, output], bound, seed);
  const b = tfParam([output], bound, seed + 1);
  return { vars: [w, b], apply: (x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(x, w), b) as tf.Tensor2D };
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** Runs `cell` over `x [batch, seq, input]`; returns every step's hidden state. */
export const runCell = (cell: TfCell, x: tf.Tensor3D): tf.Tensor2D[] => {
  let carry = cell.zero(x.shape[0]);
  return tf.unstack(x, 1).map((xt) => {
    carry = cell.step(carry, xt as tf.Tensor2D);
    return carry[0]!;
  });
};

/** One `optimizer.minimize` step returning the loss read back with `dataSync`. */
export const minimizeStep = (optimizer: tf.Optimizer, vars: tf.Variable[], loss: () => tf.Scalar) => (): number => {
  const cost = optimizer.minimize(loss, true, vars)!;
  const value = cost.dataSync()[0]!;
  cost.dispose();
  return value;
};

/** One `model.trainOnBatch` step; the loss it resolves to is already read back. */
export const trainOnBatchStep = (model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor) => async (): Promise<number> => {
  const loss = await model.trainOnBatch(x, y);
  return Array.isArray(loss) ? loss[0]! : loss;
};

/** A seqgrad tensor's floats as a tfjs tensor (same values on both sides). */
export const fromSeqgrad = (t: Tensor): tf.Tensor => tf.tensor(Float32Array.from(t.data), [...t.shape], 'float32');

/** One-hot float32 `[...ids.shape, n]` of seqgrad int ids, as a tfjs tensor. */
export const oneHotTf = (ids: Tensor, n: number): tf.Tensor =>
  tf.tidy(() => tf.cast(tf.reshape(tf.oneHot(tf.tensor(Int32Array.from(ids.data), [ids.size], 'int32'), n), [...ids.shape, n]), 'float32'));

/** The implementation record of a peer: it runs with `backend` active. */
export const peerImpl = (workload: string, impl: string, backend: PeerBackend, reps: number, step: Impl['step']): Impl => ({
  workload, impl, backend, reps, activate: () => useTfBackend(backend), step,
});

/**
 * A recurrent layer of tfjs-layers, `lstm` or `gru` (reset-before, tfjs's only GRU),
 * seeded. Glorot-uniform recurrent weights instead of the default orthogonal ones
 * only to keep building quick (a QR decomposition on tfjs-cpu); the step is the same.
 */
export const tfLayersRecurrent = (kind: 'lstm' | 'gru', units: number, inputShape: number[], returnSequences: boolean, seed: number): tfl.layers.Layer => {
  const args = {
    units, inputShape, returnSequences,
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    recurrentInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
  };
  return kind === 'lstm' ? tfl.layers.lstm(args) : tfl.layers.gru(args);
};

/** A seeded tfjs-layers dense layer with softmax output (Keras users pair it with categorical cross-entropy). */
export const tfLayersSoftmax = (units: number, seed: number): tfl.layers.Layer =>
  tfl.layers.dense({ units, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed }) });
