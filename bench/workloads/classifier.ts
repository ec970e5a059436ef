/**
 * W1 and W2 differ only in the cell, so both are this one builder: a recurrent layer
 * over `[batch, seq, input]`, its last hidden state through a dense layer to class
 * logits, softmax cross-entropy, SGD. seqgrad, tfjs-core ops and tfjs-layers each get
 * the same input floats and labels.
 */
import {
  crossEntropy, dense, gru, initDense, key, lstm, recurrent, sgd, splitKey, type Cell, type CellSizes, type DenseParams, type Tensor,
} from '../../lib/index.js';
import { tf, tfl } from '../harness/tfjs.js';
import type { Impl, PeerBackend } from '../harness/types.js';
import { classificationData, seqgradBackend, trainer, type ClassificationData } from './seqgrad-side.js';
import {
  fromSeqgrad, minimizeStep, oneHotTf, peerImpl, runCell, tfDense, tfGru, tfLayersRecurrent, tfLayersSoftmax, tfLstm, trainOnBatchStep,
} from './tfjs-side.js';

/** Sizes of a recurrent classifier workload. */
export interface ClassifierSizes {
  readonly batch: number;
  readonly seq: number;
  readonly input: number;
  readonly hidden: number;
  readonly classes: number;
}

/** How to run: the peer backends to build, and the fewest timed runs per backend. */
export interface BuildOptions {
  readonly backends: readonly PeerBackend[];
  /** Timed runs of seqgrad and tfjs-wasm (default 7). */
  readonly reps?: number;
  /** Timed runs of tfjs-cpu, which is about 5× slower (default 5). */
  readonly cpuReps?: number;
}

const LR = 0.01;
const SEED = 1;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * The implementations of a classifier workload: seqgrad (for the GRU, reset-before,
 * then reset-after as an extra row), then tfjs-core ops and tfjs-layers per backend.
 */
export const buildClassifier = async (
  workload: string, kind: 'lstm' | 'gru', sizes: ClassifierSizes, options: BuildOptions,
): Promise<Impl[]> => {
  const { reps = 7, cpuReps = 5 } = options;
  const data = classificationData(SEED, sizes.batch, sizes.seq, sizes.input, sizes.classes);
  const backend = await seqgradBackend();
  const seqgrad = (impl: string, step: () => number): Impl => ({ workload, impl, backend, reps, step });
  const impls: Impl[] = kind === 'lstm'
    ? [seqgrad('seqgrad', seqgradStep(lstm(), (c) => c.h, sizes, data))]
    : [
      seqgrad('seqgrad', seqgradStep(gru({ convention: 'reset-before' }), (h) => h, sizes, data)),
      seqgrad('seqgrad reset-after', seqgradStep(gru({ convention: 'reset-after' }), (h) => h, sizes, data)),
    ];
  for (const peer of options.backends) {
    const n = peer === 'cpu' ? cpuReps : reps;
    impls.push(peerImpl(workload, 'tfjs-ops', peer, n, await tfOpsStep(kind, sizes, data, peer)));
    impls.push(peerImpl(workload, 'tfjs-layers', peer, n, await tfLayersStep(kind, sizes, data, peer)));
  }
  return impls;
};

// ---------------------------------------------------------------------------
// the three implementations
// ---------------------------------------------------------------------------

/** seqgrad's step; `hidden` picks the hidden state out of the cell's final carry. */
const seqgradStep = <P, C>(cell: Cell<P, C, CellSizes>, hidden: (carry: C) => Tensor, s: ClassifierSizes, data: ClassificationData) => {
  const layer = recurrent(cell);
  const [kr, kd] = splitKey(key(SEED + 1));
  const init = {
    rnn: cell.init(kr!, { inputSize: s.input, hiddenSize: s.hidden }),
    head: initDense(kd!, { inputSize: s.hidden, outputSize: s.classes }),
  };
  const loss = (p: { rnn: P; head: DenseParams }): Tensor =>
    crossEntropy(dense(p.head, hidden(layer(p.rnn, data.x).carry)), data.labels);
  return trainer(loss, init, sgd({ lr: LR }));
};

const tfOpsStep = async (kind: 'lstm' | 'gru', s: ClassifierSizes, data: ClassificationData, backend: PeerBackend) => {
  await tf.setBackend(backend);
  const x = fromSeqgrad(data.x) as tf.Tensor3D;
  const y = oneHotTf(data.labels, s.classes);
  const cell = kind === 'lstm' ? tfLstm(s.input, s.hidden, SEED) : tfGru(s.input, s.hidden, SEED);
  const head = tfDense(s.hidden, s.classes, SEED + 10);
  const loss = (): tf.Scalar => {
    const hs = runCell(cell, x);
    return tf.losses.softmaxCrossEntropy(y, head.apply(hs[hs.length - 1]!)) as tf.Scalar;
  };
  return minimizeStep(tf.train.sgd(LR), [...cell.vars, ...head.vars], loss);
};

const tfLayersStep = async (kind: 'lstm' | 'gru', s: ClassifierSizes, data: ClassificationData, backend: PeerBackend) => {
  await tf.setBackend(backend);
  const model = tfl.sequential({
    layers: [
      tfLayersRecurrent(kind, s.hidden, [s.seq, s.input], false, SEED),
      tfLayersSoftmax(s.classes, SEED + 10),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  return trainOnBatchStep(model, fromSeqgrad(data.x), oneHotTf(data.labels, s.classes));
};
