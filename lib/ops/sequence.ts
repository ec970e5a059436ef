/**
 * `lstmSequence`: a whole LSTM recurrence in one kernel call, for inference. Nothing
 * is recorded: training goes through `scan`, one step at a time, so the tape derives
 * backpropagation through time. Without a tape the per-step ops (a slice, `addmm`,
 * `lstmGates`, their tensors) are pure overhead, which at batch 1 costs several times
 * the arithmetic; one call per sequence removes it. Results are step for step those of
 * `addmm` then `lstmGates`.
 *
 * @module
 * @internal
 */
import { kernels } from '../kernels/index.js';
import { allocate } from '../tensor/dtype.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { row } from './row.js';

/** The outputs of `lstmSequence`: every step's h `[T, B, H]` and the final h and c `[B, H]`. @internal */
export interface LstmSequenceOutput {
  readonly hs: Tensor;
  readonly h: Tensor;
  readonly c: Tensor;
}

/**
 * The LSTM recurrence over `xp` `[T, B, 4H]` (inputs projected, both biases added) from
 * `h0`, `c0` `[B, H]` with the hidden weight `weightHh` `[4H, H]`. Refuses traced inputs.
 *
 * @internal
 */
export const lstmSequence = (xp: Tensor, h0: Tensor, c0: Tensor, weightHh: Tensor): LstmSequenceOutput => {
  if ([xp, h0, c0, weightHh].some((t) => t.node !== null)) {
    throw new SeqgradError('lstmSequence', 'an input is being differentiated; the recurrence for training goes through scan');
  }
  const [steps, batch, gates] = xp.shape as [number, number, number];
  const hidden = gates / 4;
  const want = [batch, hidden];
  if (xp.rank !== 3 || gates % 4 !== 0 || [h0, c0].some((s) => s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== hidden)
    || weightHh.rank !== 2 || weightHh.shape[0] !== gates || weightHh.shape[1] !== hidden) {
    throw new SeqgradError('lstmSequence', `xp ${showShape(xp.shape)}, h0 ${showShape(h0.shape)}, c0 ${showShape(c0.shape)} and weightHh ${showShape(weightHh.shape)} do not fit [T, B, 4H], ${showShape(want)}, ${showShape(want)}, [4H, H]`);
  }
  const state = allocate(xp.dtype, 2 * batch * hidden, 'lstmSequence');
  state.set(h0.data);
  state.set(c0.data, batch * hidden);
  const hs = allocate(xp.dtype, steps * batch * hidden, 'lstmSequence');
  kernels().lstmSequence(xp.data, weightHh.data, hs, state, steps, batch, hidden);
  const pair = new Tensor(state, [2, batch, hidden]);
  return { hs: new Tensor(hs, [steps, batch, hidden]), h: row(pair, 0), c: row(pair, 1) };
};
