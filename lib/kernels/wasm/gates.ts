/**
 * The glue of the fused LSTM and GRU pointwise steps: float32 operands are copied into
 * scratch memory, swept four hidden units at a time by the module (where the
 * sigmoids and tanhs are vector polynomials) and the results copied out. Other dtypes
 * go to the reference.
 *
 * @module
 */
import type { Kernels } from '../backend.js';
import { referenceKernels as ref } from '../reference/index.js';
import type { NumArray } from '../types.js';
import type { WasmExports } from './exports.js';
import type { Heap } from './heap.js';
import { stage as stageIn, unload as unloadFrom } from './staging.js';

type Gates = Pick<Kernels,
  'lstmGates' | 'lstmGatesBackward' | 'gruGates' | 'gruGatesBackward' | 'gruResetGates' | 'gruResetGatesBackward' | 'gruUpdate' | 'gruUpdateBackward'>;

const allF32 = (arrays: readonly NumArray[]): arrays is Float32Array[] => arrays.every((x) => x instanceof Float32Array);

/** The fused gate methods of the WebAssembly backend. @internal */
export const createGates = (wasm: WasmExports, heap: Heap): Gates => {
  /** Stages `inputs` and room for `outputs` in scratch; the addresses of all, inputs first. */
  const stage = (inputs: readonly Float32Array[], outputs: readonly Float32Array[]): number[] =>
    stageIn(heap, inputs, outputs.map((x) => x.length));
  const unload = (outputs: readonly Float32Array[], at: readonly number[]): void => unloadFrom(heap, outputs, at);

  return {
    lstmGates: (gates, c, out, batch, hidden) => {
      const arrays = [gates, c, out];
      if (!allF32(arrays)) return ref.lstmGates(gates, c, out, batch, hidden);
      const [g, cc, o] = stage(arrays.slice(0, 2), arrays.slice(2));
      wasm.lstmGates(g!, cc!, o!, batch, hidden);
      unload(arrays.slice(2), [o!]);
    },
    lstmGatesBackward: (gates, c, dy, dGates, dc, batch, hidden) => {
      const arrays = [gates, c, dy, dGates, dc];
      if (!allF32(arrays)) return ref.lstmGatesBackward(gates, c, dy, dGates, dc, batch, hidden);
      const at = stage(arrays.slice(0, 3), arrays.slice(3));
      wasm.lstmGatesBackward(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, batch, hidden);
      unload(arrays.slice(3), at.slice(3));
    },
    gruGates: (xg, hg, h, out, batch, hidden) => {
      const arrays = [xg, hg, h, out];
      if (!allF32(arrays)) return ref.gruGates(xg, hg, h, out, batch, hidden);
      const at = stage(arrays.slice(0, 3), arrays.slice(3));
      wasm.gruGates(at[0]!, at[1]!, at[2]!, at[3]!, batch, hidden);
      unload(arrays.slice(3), at.slice(3));
    },
    gruGatesBackward: (xg, hg, h, dy, dxg, dhg, dh, batch, hidden) => {
      const arrays = [xg, hg, h, dy, dxg, dhg, dh];
      if (!allF32(arrays)) return ref.gruGatesBackward(xg, hg, h, dy, dxg, dhg, dh, batch, hidden);
      const at = stage(arrays.slice(0, 4), arrays.slice(4));
      wasm.gruGatesBackward(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, at[6]!, batch, hidden);
      unload(arrays.slice(4), at.slice(4));
    },
    gruResetGates: (xg, hrz, h, out, batch, hidden) => {
      const arrays = [xg, hrz, h, out];
      if (!allF32(arrays)) return ref.gruResetGates(xg, hrz, h, out, batch, hidden);
      const at = stage(arrays.slice(0, 3), arrays.slice(3));
      wasm.gruResetGates(at[0]!, at[1]!, at[2]!, at[3]!, batch, hidden);
      unload(arrays.slice(3), at.slice(3));
    },
    gruResetGatesBackward: (xg, hrz, h, dy, dhrz, dh, batch, hidden) => {
      const arrays = [xg, hrz, h, dy, dhrz, dh];
      if (!allF32(arrays)) return ref.gruResetGatesBackward(xg, hrz, h, dy, dhrz, dh, batch, hidden);
      const at = stage(arrays.slice(0, 4), arrays.slice(4));
      wasm.gruResetGatesBackward(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, batch, hidden);
      unload(arrays.slice(4), at.slice(4));
    },
    gruUpdate: (xg, hn, z, h, out, batch, hidden) => {
      const arrays = [xg, hn, z, h, out];
      if (!allF32(arrays)) return ref.gruUpdate(xg, hn, z, h, out, batch, hidden);
      const at = stage(arrays.slice(0, 4), arrays.slice(4));
      wasm.gruUpdate(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, batch, hidden);
      unload(arrays.slice(4), at.slice(4));
    },
    gruUpdateBackward: (xg, hn, z, h, dy, dhn, dz, dh, batch, hidden) => {
      const arrays = [xg, hn, z, h, dy, dhn, dz, dh];
      if (!allF32(arrays)) return ref.gruUpdateBackward(xg, hn, z, h, dy, dhn, dz, dh, batch, hidden);
      const at = stage(arrays.slice(0, 5), arrays.slice(5));
      wasm.gruUpdateBackward(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, at[6]!, at[7]!, batch, hidden);
      unload(arrays.slice(5), at.slice(5));
    },
  };
};
