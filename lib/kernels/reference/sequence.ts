/**
 * A whole LSTM recurrence without a tape (inference), as the reference computes it:
 * per step the gates start as the projected input, h·W_hhᵀ is accumulated onto them,
 * and the fused pointwise step gives (h', c') — the same kernels, in the same order, as
 * a step-by-step `addmm` and `lstmGates`.
 *
 * @module
 */
import type { Kernels } from '../backend.js';
import { lstmGates } from './gates.js';
import { matmul } from './matmul.js';

/**
 * The recurrence step by step over a backend's own `matmul` and `lstmGates` (the
 * WebAssembly backend uses it where its one-call loop does not apply).
 *
 * @internal
 */
export const lstmSequenceWith = ({ matmul, lstmGates }: Pick<Kernels, 'matmul' | 'lstmGates'>): Kernels['lstmSequence'] => (
  xp, weightHh, hs, state, steps, batch, hidden,
) => {
  const cells = batch * hidden;
  const gates = xp.slice(0, 4 * cells);
  const next = state.slice();
  for (let t = 0; t < steps; t++) {
    gates.set(xp.subarray(t * 4 * cells, (t + 1) * 4 * cells));
    matmul({ data: state, offset: 0, transposed: false }, { data: weightHh, offset: 0, transposed: true }, gates, 0, batch, 4 * hidden, hidden, true);
    lstmGates(gates, state.subarray(cells), next, batch, hidden);
    state.set(next);
    hs.set(next.subarray(0, cells), t * cells);
  }
};

/** hs [T, B, H] gets every h; `state` [2, B, H] is (h0, c0) on entry and (h_T, c_T) on return. */
export const lstmSequence = lstmSequenceWith({ matmul, lstmGates });
