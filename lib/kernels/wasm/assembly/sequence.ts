// A whole LSTM recurrence in one call, for inference at small batch (fewer than four
// rows, where every product is thin): per step the gates start as the projected input
// xp_t, h·W_hhᵀ is accumulated onto them, and the fused pointwise step gives h', c'.
// Crossing from JavaScript once per sequence instead of several times per step is what
// makes batch-1 inference fast; the arithmetic is the same kernels' as step by step.

import { lstmGates } from './gates';
import { thinNT } from './thin';

/**
 * hs [T, B, H] gets every step's h; `state` [2, B, H] holds (h0, c0) on entry and
 * (h_T, c_T) on return. xp is [T, B, 4H] (inputs projected, both biases added), w the
 * hidden weight [4H, H]; `work` is scratch of 4·B·H + 2·B·H floats.
 */
export function lstmSequence(xp: usize, w: usize, hs: usize, state: usize, work: usize, steps: i32, batch: i32, hidden: i32): void {
  const cells = <usize>(batch * hidden) << 2;
  const gates = work;
  const next = work + 4 * cells;
  for (let t = 0; t < steps; t++) {
    memory.copy(gates, xp + <usize>t * 4 * cells, 4 * cells);
    thinNT(state, w, gates, batch, 4 * hidden, hidden, true);
    // reads h from state (through the gates) and c from state's second half
    lstmGates(gates, state + cells, next, batch, hidden);
    memory.copy(state, next, 2 * cells);
    memory.copy(hs + <usize>t * cells, next, cells);
  }
}
