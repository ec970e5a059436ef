/**
 * The LSTM cell, as PyTorch's `LSTMCell` (and one direction of one layer of `LSTM`):
 * gates (i, f, g, o) = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh in that order,
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). With a projection (`weight_hr`,
 * PyTorch's `proj_size`) the hidden state is projected, h' ← h'·W_hrᵀ, and it is the
 * projected h' that recurs and is output.
 *
 * @module
 */
import { add } from '../../ops/arithmetic.js';
import { lstmGates } from '../../ops/gates.js';
import { lstmStep } from '../../ops/steps.js';
import { lstmSequence } from '../../ops/sequence.js';
import { matmul } from '../../ops/matmul.js';
import { SeqgradError, showShape } from '../../tensor/errors.js';
import { splitKey } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import type { Cell } from '../cell.js';
import { initWeight } from '../init.js';
import { checkSizes, checkState, checkStep, initRecurrent, linear, projectSequence, stepLike, zeroState, type CellSizes, type RecurrentParams } from './gated.js';

/** LSTM parameters: PyTorch's, plus `weight_hr [proj, hidden]` when the cell projects. */
export interface LstmParams extends RecurrentParams {
  /** Projection `[projSize, hidden]` (PyTorch's `weight_hr`); absent or null without projection. */
  readonly weight_hr?: Tensor | null;
}

/** The LSTM carry: hidden state (projected, when the cell projects) and cell state. */
export interface LstmCarry {
  /** Hidden state `[batch, hidden]`, or `[batch, projSize]` with a projection. */
  readonly h: Tensor;
  /** Cell state `[batch, hidden]`. */
  readonly c: Tensor;
}

/** Options of the `lstm` cell. */
export interface LstmOptions {
  /** Project h to this many units (PyTorch's `proj_size`; 0 or absent: none). Used by `init`; `step` follows the params. */
  readonly projSize?: number;
}

/**
 * An LSTM cell; `step` projects whenever `params.weight_hr` is present.
 *
 * @example
 * ```ts
 * const cell = lstm({ projSize: 2 });
 * const p = cell.init(key(0), { inputSize: 3, hiddenSize: 4, initializer: { forgetBias: 1 } });
 * const [{ h, c }, y] = cell.step(p, cell.initialCarry(p, 5), x0); // h, y: [5, 2]; c: [5, 4]
 * ```
 */
export const lstm = (options: LstmOptions = {}): Cell<LstmParams, LstmCarry, CellSizes> => {
  const proj = options.projSize ?? 0;
  if (!Number.isInteger(proj) || proj < 0) throw new SeqgradError('lstm', `projSize must be a non-negative integer, got ${proj}`);
  const initialCarry = (p: LstmParams, batch: number): LstmCarry => ({
    h: zeroState(p.weight_hh, batch, p.weight_hh.shape[1]!),
    c: zeroState(p.weight_hh, batch, p.weight_hh.shape[0]! / 4),
  });
  return {
    name: 'lstm',
    init: (k, sizes) => {
      checkSizes('lstm', sizes);
      if (proj >= sizes.hiddenSize) throw new SeqgradError('lstm', `projSize (${proj}) must be smaller than hiddenSize (${sizes.hiddenSize}), as in PyTorch`);
      const [kr, kp] = splitKey(k);
      const base = initRecurrent('lstm', kr, sizes, 4, { hiddenIn: proj || sizes.hiddenSize, forgetBlock: 1 });
      if (proj === 0) return base;
      const scheme = sizes.initializer?.hiddenWeights ?? 'uniform';
      const weight_hr = initWeight(scheme, kp, [proj, sizes.hiddenSize], { hiddenSize: sizes.hiddenSize, dtype: sizes.dtype });
      return { ...base, weight_hr };
    },
    initialCarry,
    step: (p, carry, x) => {
      checkLstm(p, carry, x);
      return afterInputs(p, carry, add(linear(x, p.weight_ih, p.bias_ih), linear(carry.h, p.weight_hh, p.bias_hh)));
    },
    // both biases ride on the one large input product, so a step adds nothing but h·W_hhᵀ
    projectInputs: (p, x) => {
      checkLstm(p, initialCarry(p, x.shape[1]!), stepLike(x));
      return projectSequence(x, p.weight_ih, p.bias_ih, p.bias_hh);
    },
    // the hidden product and the gate algebra as one primitive: one tape node per step
    projectedStep: (p, carry, xp) => project(p, lstmStep(xp, carry.h, carry.c, p.weight_hh)),
    // a projected LSTM feeds h·W_hrᵀ back, which the one-call recurrence does not do
    projectedSequence: (p, carry, xp) => {
      if (p.weight_hr) return null;
      const { hs, h, c } = lstmSequence(xp, carry.h, carry.c, p.weight_hh);
      return [{ h, c }, hs];
    },
  };
};

/** Gate pre-activations to the next carry: the fused pointwise step, then the projection if any. */
const afterInputs = (p: LstmParams, carry: LstmCarry, gates: Tensor): [LstmCarry, Tensor] => project(p, lstmGates(gates, carry.c));

/** The next carry from the step's unprojected h' and c': h' through W_hr when the LSTM has a projection. */
const project = (p: LstmParams, [full, c]: [Tensor, Tensor]): [LstmCarry, Tensor] => {
  const h = p.weight_hr ? matmul(full, p.weight_hr, { transposeB: true }) : full;
  return [{ h, c }, h];
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkLstm = (p: LstmParams, carry: LstmCarry, x: Tensor): void => {
  if (typeof carry !== 'object' || carry === null || isTensor(carry)) {
    throw new SeqgradError('lstm', 'the carry must be a record { h, c }');
  }
  checkStep('lstm', p, 4, x, carry.h, 'h');
  const hidden = p.weight_hh.shape[0]! / 4;
  const hr = p.weight_hr;
  const recurrentWidth = hr ? hr.shape[0] : hidden;
  if (hr && isTensor(hr) && hr.shape[0]! >= hidden) {
    throw new SeqgradError('lstm', `weight_hr ${showShape(hr.shape)} gives projSize (${hr.shape[0]}) but projSize must be smaller than hiddenSize (${hidden}), as in PyTorch`);
  }
  if (hr && (!isTensor(hr) || hr.rank !== 2 || hr.shape[1] !== hidden)) {
    throw new SeqgradError('lstm', `weight_hr has shape ${isTensor(hr) ? showShape(hr.shape) : typeof hr} but needs [proj, ${hidden}]`);
  }
  if (p.weight_hh.shape[1] !== recurrentWidth) {
    throw new SeqgradError('lstm', `weight_hh ${showShape(p.weight_hh.shape)} needs ${recurrentWidth} columns (${hr ? 'the projection size' : 'the hidden size'})`);
  }
  checkState('lstm', 'c', carry.c, [x.shape[0]!, hidden]);
};
