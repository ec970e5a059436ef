/**
 * The GRU cell in both conventions, named explicitly. Gates (r, z, n) in that order;
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * h' = (1 - z)·n + z·h, and the candidate n is either
 *
 * - `reset-after` (PyTorch, cuDNN; the default): n = tanh(W_in x + b_in + r·(W_hn h + b_hn)),
 * - `reset-before` (Cho et al. 2014; Keras `reset_after=False`):
 *   n = tanh(W_in x + b_in + W_hn (r·h) + b_hn).
 *
 * @module
 */
import { reshape } from '../../ops/shape.js';
import { gruStep } from '../../ops/steps.js';
import { SeqgradError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Cell } from '../cell.js';
import { checkStep, initRecurrent, projectSequence, stepLike, zeroState, type CellSizes, type RecurrentParams } from './gated.js';

/** Where the reset gate acts: on the hidden product (`reset-after`) or on h before it (`reset-before`). */
export type GruConvention = 'reset-after' | 'reset-before';

/** Options of the `gru` cell. */
export interface GruOptions {
  /** The candidate's convention (default `reset-after`, PyTorch's). */
  readonly convention?: GruConvention;
}

/**
 * A GRU cell with PyTorch's parameter layout (`weight_ih [3·hidden, input]`, gates r, z, n).
 *
 * @example
 * ```ts
 * const cell = gru({ convention: 'reset-before' });
 * const p = cell.init(key(0), { inputSize: 3, hiddenSize: 4 });
 * const [h1] = cell.step(p, cell.initialCarry(p, 2), x0);   // x0: [2, 3]
 * ```
 */
export const gru = (options: GruOptions = {}): Cell<RecurrentParams, Tensor, CellSizes> => {
  const { convention = 'reset-after' } = options;
  if (convention !== 'reset-after' && convention !== 'reset-before') {
    throw new SeqgradError('gru', `convention must be 'reset-after' or 'reset-before', got ${JSON.stringify(convention)}`);
  }
  const name = `gru(${convention})`;
  const afterInputs = convention === 'reset-after' ? resetAfterStep : resetBeforeStep;
  // reset-before adds b_hh outside every product, so it joins b_ih on the input side; reset-after scales b_hn by r
  const inputBiases = (p: RecurrentParams): (Tensor | null)[] => (convention === 'reset-before' ? [p.bias_ih, p.bias_hh] : [p.bias_ih]);
  return {
    name,
    init: (k, sizes) => initRecurrent(name, k, sizes, 3),
    initialCarry: (p, batch) => zeroState(p.weight_hh, batch, p.weight_hh.shape[1]!),
    step: (p, h, x) => {
      checkStep(name, p, 3, x, h);
      const xg = projectSequence(reshape(x, [1, ...x.shape]), p.weight_ih, ...inputBiases(p));
      const hNext = afterInputs(p, h, reshape(xg, [x.shape[0]!, p.weight_ih.shape[0]!]));
      return [hNext, hNext];
    },
    projectInputs: (p, x) => {
      checkStep(name, p, 3, stepLike(x), zeroState(p.weight_hh, x.shape[1]!, p.weight_hh.shape[1]!));
      return projectSequence(x, p.weight_ih, ...inputBiases(p));
    },
    projectedStep: (p, h, xg) => {
      const hNext = afterInputs(p, h, xg);
      return [hNext, hNext];
    },
  };
};

// ---------------------------------------------------------------------------
// conventions
// ---------------------------------------------------------------------------

/** Reset-after: the hidden product (with b_hh) and the gate algebra as one primitive. */
const resetAfterStep = (p: RecurrentParams, h: Tensor, xg: Tensor): Tensor => gruStep(xg, h, p.weight_hh, p.bias_hh);

/**
 * Reset-before: r gates h between the two hidden products; one primitive holds both.
 * b_hh is already in xg (it is added outside every product here).
 */
const resetBeforeStep = (p: RecurrentParams, h: Tensor, xg: Tensor): Tensor => gruStep(xg, h, p.weight_hh, null, { convention: 'reset-before' });
