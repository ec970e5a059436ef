/**
 * The three recurrent models compared: an Elman RNN (tanh), an LSTM and a GRU, each
 * followed by a dense layer on its last output; and the per-step gradient norms
 * ‖∂L/∂h_t‖ of each, measured with the library's `hiddenGradientNorms`.
 */
import {
  dense, gru, hiddenGradientNorms, initDense, lstm, mse, recurrent, rnn, slice, splitKey, squeeze,
  type Cell, type CellSizes, type DenseParams, type Key, type Tensor,
} from '../../lib/index.js';
import type { AddingBatch } from './problem.js';

/** The cells compared, by name. */
export const CELLS = { rnn: rnn(), lstm: lstm(), gru: gru() } as const satisfies Record<string, Cell<any, any, CellSizes>>;

/** A cell's name. */
export type CellName = keyof typeof CELLS;

/** One model's parameters. */
export interface FlowParams { readonly rnn: any; readonly head: DenseParams }

/** Fresh parameters of the `name` model. */
export const initFlow = (name: CellName, k: Key, hidden: number): FlowParams => {
  const [k1, k2] = splitKey(k);
  return { rnn: CELLS[name].init(k1, { inputSize: 2, hiddenSize: hidden }), head: initDense(k2, { inputSize: hidden, outputSize: 1 }) };
};

const lastStep = (ys: Tensor): Tensor => {
  const [n, steps, hidden] = ys.shape as [number, number, number];
  return squeeze(slice(ys, [0, steps - 1, 0], [n, 1, hidden]), 1);
};

/** The model's answers `[n, 1]`. */
export const predictSums = (name: CellName, p: FlowParams, x: Tensor): Tensor =>
  dense(p.head, lastStep(recurrent(CELLS[name] as Cell<any, any, CellSizes>)(p.rnn, x).outputs));

/** The loss `fit` minimises for the `name` model. */
export const flowLoss = (name: CellName) => (p: FlowParams, batch: AddingBatch): Tensor => mse(predictSums(name, p, batch.x), batch.y);

/** ‖∂L/∂h_t‖ for every step t on `batch`. */
export const stepNorms = (name: CellName, p: FlowParams, batch: AddingBatch): readonly number[] =>
  hiddenGradientNorms(CELLS[name] as Cell<any, any, CellSizes>, p.rnn, batch.x, (ys) => mse(dense(p.head, lastStep(ys)), batch.y)).norms;
