/**
 * W3: one training step of a character language model. 65 symbols, one-hot encoded,
 * into an LSTM of 256 units, batch 16 × sequence 64, a dense layer back to 65 logits
 * at every step, softmax cross-entropy over all 16·64 positions, Adam(1e-3).
 *
 * One-hot input rather than an embedding: tfjs-backend-wasm has no kernel for the
 * gradient of `gather` (UnsortedSegmentSum), so an embedding cannot train on the peer's
 * main backend. One-hot rows are input data, built once outside the step on all sides,
 * and the LSTM's input product (65 wide) costs what an embedding of 64 would feed it.
 */
import { adam, crossEntropy, dense, initDense, key, lstm, recurrent, splitKey, type DenseParams, type LstmParams, type Tensor } from '../../lib/index.js';
import { tf, tfl } from '../harness/tfjs.js';
import type { Impl } from '../harness/types.js';
import type { BuildOptions } from './classifier.js';
import { oneHotData, randomIds, seqgradBackend, trainer } from './seqgrad-side.js';
import {
  fromSeqgrad, minimizeStep, oneHotTf, peerImpl, runCell, tfDense, tfLayersRecurrent, tfLayersSoftmax, tfLstm, trainOnBatchStep,
} from './tfjs-side.js';

/** Sizes of the character language model. */
export interface CharLmSizes {
  readonly batch: number;
  readonly seq: number;
  readonly vocab: number;
  readonly hidden: number;
}

/** The benchmark's sizes. */
export const FULL: CharLmSizes = { batch: 16, seq: 64, vocab: 65, hidden: 256 };

/** The parameter tree of the seqgrad model. */
export interface CharLmParams {
  readonly rnn: LstmParams;
  readonly head: DenseParams;
}

const LR = 1e-3;
const SEED = 3;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/** seqgrad and the peers for W3 at `sizes`. */
export const build = async (sizes: CharLmSizes, options: BuildOptions): Promise<Impl[]> => {
  const { reps = 7, cpuReps = 5 } = options;
  const { x, targets } = charData(sizes);
  const impls: Impl[] = [{ workload: 'W3', impl: 'seqgrad', backend: await seqgradBackend(), reps, step: seqgradCharLm(sizes).step }];
  for (const peer of options.backends) {
    const n = peer === 'cpu' ? cpuReps : reps;
    await tf.setBackend(peer);
    impls.push(peerImpl('W3', 'tfjs-ops', peer, n, tfOps(sizes, x, targets)));
    await tf.setBackend(peer);
    impls.push(peerImpl('W3', 'tfjs-layers', peer, n, tfLayers(sizes, x, targets)));
  }
  return impls;
};

/** The one-hot inputs `[batch, seq, vocab]` and int32 next-symbol targets `[batch, seq]`, fixed seed. */
export const charData = (s: CharLmSizes): { x: Tensor; targets: Tensor } => {
  const [kx, ky] = splitKey(key(SEED));
  return { x: oneHotData(randomIds(kx!, [s.batch, s.seq], s.vocab), s.vocab), targets: randomIds(ky!, [s.batch, s.seq], s.vocab) };
};

/**
 * The seqgrad model and its training step. `probe` wraps the tensors the memory
 * benchmark watches (the identity here); it is called on the LSTM's input weight as
 * the step begins and on the logits when the forward pass is done.
 */
export const seqgradCharLm = (s: CharLmSizes, probe: (t: Tensor, where: 'weight_ih' | 'logits') => Tensor = (t) => t) => {
  const { x, targets } = charData(s);
  const layer = recurrent(lstm());
  const [kr, kd] = splitKey(key(SEED + 1));
  const init: CharLmParams = {
    rnn: lstm().init(kr!, { inputSize: s.vocab, hiddenSize: s.hidden }),
    head: initDense(kd!, { inputSize: s.hidden, outputSize: s.vocab }),
  };
  const loss = (p: CharLmParams): Tensor => {
    const rnn = { ...p.rnn, weight_ih: probe(p.rnn.weight_ih, 'weight_ih') };
    const logits = probe(dense(p.head, layer(rnn, x).outputs), 'logits');
    return crossEntropy(logits, targets);
  };
  return { init, step: trainer(loss, init, adam({ lr: LR })) };
};

// ---------------------------------------------------------------------------
// peers
// ---------------------------------------------------------------------------

const tfOps = (s: CharLmSizes, x: Tensor, targets: Tensor) => {
  const xs = fromSeqgrad(x) as tf.Tensor3D;
  const y = tf.reshape(oneHotTf(targets, s.vocab), [s.batch * s.seq, s.vocab]);
  const cell = tfLstm(s.vocab, s.hidden, SEED);
  const head = tfDense(s.hidden, s.vocab, SEED + 10);
  const loss = (): tf.Scalar => {
    const hs = tf.reshape(tf.stack(runCell(cell, xs), 1), [s.batch * s.seq, s.hidden]) as tf.Tensor2D;
    return tf.losses.softmaxCrossEntropy(y, head.apply(hs)) as tf.Scalar;
  };
  return minimizeStep(tf.train.adam(LR), [...cell.vars, ...head.vars], loss);
};

const tfLayers = (s: CharLmSizes, x: Tensor, targets: Tensor) => {
  const model = tfl.sequential({
    layers: [tfLayersRecurrent('lstm', s.hidden, [s.seq, s.vocab], true, SEED), tfLayersSoftmax(s.vocab, SEED + 10)],
  });
  model.compile({ optimizer: tf.train.adam(LR), loss: 'categoricalCrossentropy' });
  return trainOnBatchStep(model, fromSeqgrad(x), oneHotTf(targets, s.vocab));
};
