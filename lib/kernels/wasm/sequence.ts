/**
 * The glue of the one-call LSTM recurrence: at fewer than four rows (batch-1 inference)
 * the projected inputs and the state are copied into scratch once, the hidden weight is
 * the resident copy the matmul keeps (shared with it), and the module runs every step;
 * the outputs are copied out once. Larger batches, and other dtypes, run step by step.
 *
 * @module
 */
import type { Kernels } from '../backend.js';
import type { NumArray } from '../types.js';
import type { WasmExports } from './exports.js';
import { layout, type Heap } from './heap.js';
import type { Resident } from './resident.js';

/** Below this many rows the products are thin and one call per sequence pays. */
const THIN = 4;

/** The WebAssembly backend's `lstmSequence`; `stepwise` runs the cases it does not take. @internal */
export const createSequence = (
  wasm: WasmExports, heap: Heap, resident: Resident, stepwise: Kernels['lstmSequence'],
): Kernels['lstmSequence'] => (xp, weightHh, hs, state, steps, batch, hidden) => {
  const arrays: readonly NumArray[] = [xp, weightHh, hs, state];
  if (batch >= THIN || !arrays.every((a) => a instanceof Float32Array)) return stepwise(xp, weightHh, hs, state, steps, batch, hidden);
  const w = weightHh as Float32Array;
  // the same key as the matmul's raw operand, so both share one resident copy
  let wAt = resident.get(w, `raw:0:${w.length}`, w.length * 4, (at) => heap.f32().set(w, at >> 2));
  const cells = batch * hidden;
  const { offsets, bytes } = layout([xp.length, hs.length, 2 * cells, 6 * cells, wAt < 0 ? w.length : 0]);
  const base = heap.scratch(bytes);
  const [xpAt, hsAt, stateAt, workAt] = offsets.map((o) => base + o) as [number, number, number, number];
  const view = heap.f32();
  if (wAt < 0) {
    wAt = base + offsets[4]!;
    view.set(w, wAt >> 2);
  }
  view.set(xp, xpAt >> 2);
  view.set(state, stateAt >> 2);
  wasm.lstmSequence(xpAt, wAt, hsAt, stateAt, workAt, steps, batch, hidden);
  const out = heap.f32();
  hs.set(out.subarray(hsAt >> 2, (hsAt >> 2) + hs.length));
  state.set(out.subarray(stateAt >> 2, (stateAt >> 2) + state.length));
};
