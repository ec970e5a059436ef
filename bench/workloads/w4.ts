/**
 * W4: inference latency. An LSTM(64 -> 128) over one sequence of 200 steps (batch 1),
 * its last hidden state through dense 10; the logits are read back into JS. At batch 1
 * every product is a vector times a matrix, so per-op overhead and copying weights
 * dominate, not arithmetic.
 */
import { dense, initDense, key, lstm, recurrent, splitKey, type Tensor } from '../../lib/index.js';
import { tf, tfl } from '../harness/tfjs.js';
import type { Impl } from '../harness/types.js';
import type { BuildOptions } from './classifier.js';
import { classificationData, seqgradBackend } from './seqgrad-side.js';
import { fromSeqgrad, peerImpl, runCell, tfDense, tfLayersRecurrent, tfLstm } from './tfjs-side.js';

/** Sizes of the inference workload. */
export interface InferenceSizes {
  readonly batch: number;
  readonly seq: number;
  readonly input: number;
  readonly hidden: number;
  readonly classes: number;
}

/** The benchmark's sizes. */
export const FULL: InferenceSizes = { batch: 1, seq: 200, input: 64, hidden: 128, classes: 10 };

const SEED = 4;

/** seqgrad and the peers (tfjs-core ops and tfjs-layers `predict`) for W4 at `sizes`. */
export const build = async (s: InferenceSizes, options: BuildOptions): Promise<Impl[]> => {
  const { reps = 7, cpuReps = 5 } = options;
  const { x } = classificationData(SEED, s.batch, s.seq, s.input, s.classes);
  const impls: Impl[] = [{ workload: 'W4', impl: 'seqgrad', backend: await seqgradBackend(), reps, step: seqgradInference(s, x) }];
  for (const peer of options.backends) {
    const n = peer === 'cpu' ? cpuReps : reps;
    await tf.setBackend(peer);
    impls.push(peerImpl('W4', 'tfjs-ops', peer, n, tfOps(s, x)));
    await tf.setBackend(peer);
    impls.push(peerImpl('W4', 'tfjs-layers', peer, n, tfLayers(s, x)));
  }
  return impls;
};

// ---------------------------------------------------------------------------
// implementations
// ---------------------------------------------------------------------------

const seqgradInference = (s: InferenceSizes, x: Tensor) => {
  const cell = lstm();
  const layer = recurrent(cell);
  const [kr, kd] = splitKey(key(SEED + 1));
  const p = { rnn: cell.init(kr!, { inputSize: s.input, hiddenSize: s.hidden }), head: initDense(kd!, { inputSize: s.hidden, outputSize: s.classes }) };
  return (): number => dense(p.head, layer(p.rnn, x).carry.h).data[0]!;
};

const tfOps = (s: InferenceSizes, x: Tensor) => {
  const xs = fromSeqgrad(x) as tf.Tensor3D;
  const cell = tfLstm(s.input, s.hidden, SEED);
  const head = tfDense(s.hidden, s.classes, SEED + 10);
  return (): number => {
    const logits = tf.tidy(() => {
      const hs = runCell(cell, xs);
      return head.apply(hs[hs.length - 1]!);
    });
    const value = logits.dataSync()[0]!;
    logits.dispose();
    return value;
  };
};

const tfLayers = (s: InferenceSizes, x: Tensor) => {
  const xs = fromSeqgrad(x);
  const model = tfl.sequential({
    layers: [tfLayersRecurrent('lstm', s.hidden, [s.seq, s.input], false, SEED), tfl.layers.dense({ units: s.classes })],
  });
  return (): number => {
    const logits = model.predict(xs) as tf.Tensor;
    const value = logits.dataSync()[0]!;
    logits.dispose();
    return value;
  };
};
