/**
 * The glue of the one-call reset-before GRU step: the step's operands are copied into
 * scratch once, both hidden products use the weight's packed blocks that the matmul
 * keeps resident (the same cache entries), and the module runs the products and the
 * pointwise parts in one call; the results are copied out once. Below four rows, for
 * other dtypes, and while the weight's packed blocks are not yet resident, the step
 * runs kernel by kernel (lib/kernels/reference/gru-step.ts over this backend's kernels).
 *
 * @module
 */
import type { Kernels, MatrixOperand } from '../backend.js';
import type { NumArray } from '../types.js';
import type { WasmExports } from './exports.js';
import type { Heap } from './heap.js';
import { stage, unload } from './staging.js';
import { packedKey } from './matmul.js';

type Step = Pick<Kernels, 'gruBeforeStep' | 'gruBeforeStepBackward'>;

/** One block of the hidden weight as a product's B operand (any weight's), with its resident key. */
interface Block { readonly operand: MatrixOperand; readonly k: number; readonly n: number; readonly key: string }

/** The weight's W_rz and W_n blocks as the forward (transposed) and the backward (as stored) multiply by them. */
interface WeightBlocks { readonly forward: readonly [Block, Block]; readonly backward: readonly [Block, Block] }

const EMPTY = new Float32Array(0);

/** Below this many rows the products are thin (not packed) and the step runs kernel by kernel. */
const THIN = 4;

const allF32 = (arrays: readonly NumArray[]): arrays is Float32Array[] => arrays.every((x) => x instanceof Float32Array);

/** The WebAssembly backend's fused reset-before GRU step; `stepwise` runs the cases it does not take. @internal */
export const createGruStep = (
  wasm: WasmExports, heap: Heap, packedB: (b: MatrixOperand, k: number, n: number, key: string) => number, stepwise: Step,
): Step => {
  // the weight blocks' operands and resident keys by hidden size, made once (not per step)
  const blocks = new Map<number, WeightBlocks>();
  const blocksOf = (hidden: number): WeightBlocks => {
    let found = blocks.get(hidden);
    if (found === undefined) {
      const block = (offset: number, transposed: boolean, k: number, n: number) => {
        const operand = { data: EMPTY, offset, transposed };
        return { operand, k, n, key: packedKey(operand, k, n) };
      };
      const rz = 2 * hidden * hidden;
      found = {
        forward: [block(0, true, hidden, 2 * hidden), block(rz, true, hidden, hidden)],
        backward: [block(0, false, 2 * hidden, hidden), block(rz, false, hidden, hidden)],
      };
      blocks.set(hidden, found);
    }
    return found;
  };
  /** The resident packed address of each of `which` blocks of `w`, or -1 for any not resident. */
  const residentBlocks = (w: NumArray, which: readonly [Block, Block]): [number, number] => {
    const at = which.map(({ operand, k, n, key }) => packedB({ ...operand, data: w }, k, n, key));
    return [at[0]!, at[1]!];
  };
  const padded = (batch: number): number => (batch + 3) & ~3;

  return {
    gruBeforeStep: (xg, h, w, saved, out, batch, hidden) => {
      const arrays = [xg, h, w, saved, out];
      if (batch < THIN || !allF32(arrays)) return stepwise.gruBeforeStep(xg, h, w, saved, out, batch, hidden);
      const [wrz, wn] = residentBlocks(w, blocksOf(hidden).forward);
      if (wrz < 0 || wn < 0) return stepwise.gruBeforeStep(xg, h, w, saved, out, batch, hidden);
      const [xgAt, hAt, savedAt, outAt, workAt] = stage(heap, [xg as Float32Array, h as Float32Array], [saved.length, out.length, padded(batch) * hidden]) as
        [number, number, number, number, number];
      wasm.gruBeforeStep(xgAt, hAt, wrz, wn, savedAt, outAt, workAt, batch, hidden);
      unload(heap, [saved as Float32Array, out as Float32Array], [savedAt, outAt]);
    },
    gruBeforeStepBackward: (xg, saved, h, dy, w, dxg, dhrz, dhn, dh, withDh, batch, hidden) => {
      const arrays = [xg, saved, h, dy, w, dxg, dhrz, dhn, dh];
      if (batch < THIN || !allF32(arrays)) return stepwise.gruBeforeStepBackward(xg, saved, h, dy, w, dxg, dhrz, dhn, dh, withDh, batch, hidden);
      const [wrz, wn] = residentBlocks(w, blocksOf(hidden).backward);
      if (wrz < 0 || wn < 0) return stepwise.gruBeforeStepBackward(xg, saved, h, dy, w, dxg, dhrz, dhn, dh, withDh, batch, hidden);
      const cells = batch * hidden;
      const at = stage(heap, [xg, saved, h, dy] as Float32Array[], [dxg.length, dhrz.length, dhn.length, dh.length, 3 * cells + padded(batch) * 2 * hidden]);
      wasm.gruBeforeStepBackward(at[0]!, at[1]!, at[2]!, at[3]!, wrz, wn, at[4]!, at[5]!, at[6]!, at[7]!, at[8]!, withDh ? 1 : 0, batch, hidden);
      unload(heap, [dxg, dhrz, dhn, dh] as Float32Array[], at.slice(4));
    },
  };
};
