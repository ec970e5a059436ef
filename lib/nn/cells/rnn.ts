/**
 * The Elman RNN cell, as PyTorch's `RNNCell`:
 * h' = φ(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) with φ = tanh or relu. The carry is `h`
 * and the output is `h'`.
 *
 * @module
 */
import { add } from '../../ops/arithmetic.js';
import { addmm } from '../../ops/matmul.js';
import { relu, tanh } from '../../ops/unary.js';
import { SeqgradError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Cell } from '../cell.js';
import { checkStep, initRecurrent, linear, projectSequence, stepLike, zeroState, type CellSizes, type RecurrentParams } from './gated.js';

/** Options of the `rnn` cell. */
export interface RnnOptions {
  /** The activation φ (default `tanh`). */
  readonly nonlinearity?: 'tanh' | 'relu';
}

/**
 * An Elman RNN cell (PyTorch's `RNNCell`; one gate block, so `weight_ih` is `[hidden, input]`).
 *
 * @example
 * ```ts
 * const cell = rnn({ nonlinearity: 'tanh' });
 * const p = cell.init(key(0), { inputSize: 2, hiddenSize: 3 });
 * const [h1, y1] = cell.step(p, cell.initialCarry(p, 4), x0);   // x0: [4, 2]
 * ```
 */
export const rnn = (options: RnnOptions = {}): Cell<RecurrentParams, Tensor, CellSizes> => {
  const { nonlinearity = 'tanh' } = options;
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new SeqgradError('rnn', `nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(nonlinearity)}`);
  }
  const phi = nonlinearity === 'tanh' ? tanh : relu;
  const name = `rnn(${nonlinearity})`;
  return {
    name,
    init: (k, sizes) => initRecurrent(name, k, sizes, 1),
    initialCarry: (p, batch) => zeroState(p.weight_hh, batch, p.weight_hh.shape[1]!),
    step: (p, h, x) => {
      checkStep(name, p, 1, x, h);
      const hNext = phi(add(linear(x, p.weight_ih, p.bias_ih), linear(h, p.weight_hh, p.bias_hh)));
      return [hNext, hNext];
    },
    // both biases ride on the one large input product
    projectInputs: (p, x) => {
      checkStep(name, p, 1, stepLike(x), zeroState(p.weight_hh, x.shape[1]!, p.weight_hh.shape[1]!));
      return projectSequence(x, p.weight_ih, p.bias_ih, p.bias_hh);
    },
    projectedStep: (p, h, xp) => {
      const hNext = phi(addmm(xp, h, p.weight_hh, { transposeB: true }));
      return [hNext, hNext];
    },
  };
};
