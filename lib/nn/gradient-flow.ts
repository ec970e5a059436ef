/**
 * Gradient flow through time, measured: `hiddenGradientNorms` returns ‖∂L/∂h_t‖ for
 * every step t of a recurrent layer, the quantity behind vanishing and exploding
 * gradients. It goes through the tape rather than a formula: a zero probe p_t is added
 * to each step's hidden state (h_t + p_t feeds both the next step and the output), so
 * the loss's value is unchanged and ∂L/∂p_t is exactly the total derivative ∂L/∂h_t,
 * through every later step and every output. One backward pass gives all T of them.
 *
 * @module
 */
import { add } from '../ops/arithmetic.js';
import { valueAndGrad } from '../autodiff/transforms.js';
import { zeros } from '../tensor/create.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import type { Lengths } from '../tensor/lengths.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import type { Cell } from './cell.js';
import { checkSequence } from './recurrent.js';
import { scan } from './scan.js';

/** Options of `hiddenGradientNorms`. */
export interface HiddenGradientOptions<C> {
  /** The carry at the first step (default: the cell's zero state). */
  readonly initialCarry?: C;
  /** Valid length of each batch row (packed-sequence semantics). */
  readonly lengths?: Lengths;
}

/** What `hiddenGradientNorms` returns. */
export interface HiddenGradients {
  /** The loss at the given parameters. */
  readonly loss: number;
  /** ‖∂L/∂h_t‖ for t = 0 … T-1: the L2 norm over the batch and hidden units of step t. */
  readonly norms: readonly number[];
}

/**
 * ‖∂L/∂h_t‖ at every step of `cell` run over `x [batch, time, input]`, for a loss of
 * the layer's outputs `[batch, time, hidden]` and final carry. The cell's output must
 * be its hidden state (the carry itself, or its leaf `h`), as for rnn, gru and lstm.
 *
 * @example
 * ```ts
 * const cell = lstm();
 * const params = cell.init(key(0), { inputSize: 3, hiddenSize: 8 });
 * const head = initDense(key(1), { inputSize: 8, outputSize: 1 });
 * const { norms } = hiddenGradientNorms(cell, params, x, (ys) => mse(dense(head, ys), y));   // y: [batch, time, 1]
 * const ratio = (norms[0] ?? 0) / (norms.at(-1) ?? 1); // ≪ 1 when the gradient vanishes on its way back
 * ```
 */
export const hiddenGradientNorms = <P, C, S>(
  cell: Cell<P, C, S>,
  params: P,
  x: Tensor,
  loss: (outputs: Tensor, carry: C) => Tensor,
  options: HiddenGradientOptions<C> = {},
): HiddenGradients => {
  checkSequence('hiddenGradientNorms', x, options.lengths);
  const [batch, steps] = x.shape as [number, number, number];
  const init = options.initialCarry ?? cell.initialCarry(params, batch);
  const h0 = hiddenOf(init);
  const probe = zeros([batch, steps, h0.shape[1]!], { dtype: h0.dtype });
  const probed = (p: Tensor): Tensor => {
    const step = (c: C, xs: { readonly x: Tensor; readonly p: Tensor }): readonly [C, Tensor] => {
      const [next, y] = cell.step(params, c, xs.x);
      const h = add(checkOutput(y, hiddenOf(next)), xs.p);
      return [withHidden(next, h), h];
    };
    const [carry, outputs] = scan(step, init, { x, p }, { lengths: options.lengths });
    return loss(outputs, carry);
  };
  const [value, g] = valueAndGrad(probed)(probe);
  return { loss: value.item(), norms: stepNorms(g) };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** The hidden state of a carry: the carry itself or its `h`. */
const hiddenOf = (carry: unknown): Tensor => {
  const h = isTensor(carry) ? carry : (carry as { h?: unknown } | null)?.h;
  if (!isTensor(h) || h.rank !== 2) {
    throw new SeqgradError('hiddenGradientNorms', 'the carry must be a [batch, hidden] tensor or a record with one ({ h, ... })');
  }
  return h;
};

const withHidden = <C>(carry: C, h: Tensor): C => (isTensor(carry) ? (h as C) : ({ ...carry, h } as C));

const checkOutput = (y: Tensor, h: Tensor): Tensor => {
  if (y.rank !== 2 || y.shape[0] !== h.shape[0] || y.shape[1] !== h.shape[1]) {
    throw new SeqgradError('hiddenGradientNorms', `the cell's output ${showShape(y.shape)} must be its hidden state ${showShape(h.shape)} (a projecting cell is not supported)`);
  }
  return y;
};

/** The L2 norm of each time slice of a `[batch, time, hidden]` gradient. */
const stepNorms = (g: Tensor): number[] => {
  const [batch, steps, hidden] = g.shape as [number, number, number];
  const sums = new Array<number>(steps).fill(0);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      for (let j = 0; j < hidden; j++) sums[t]! += g.data[(b * steps + t) * hidden + j]! ** 2;
    }
  }
  return sums.map(Math.sqrt);
};
