/**
 * The glue of the WebAssembly matrix product: copies operands into linear memory,
 * packs them (or, for fewer than four rows, reads them in place), runs the kernel and
 * copies C out. B is the operand worth keeping: in every recurrent step it is a weight
 * (x·Wᵀ forward, dy·W backward), so its packed (or raw, for the thin product) copy
 * stays resident, keyed by its array's identity; A is copied and packed per call.
 *
 * @module
 */
import type { MatrixOperand } from '../backend.js';
import { layout, type Heap } from './heap.js';
import type { WasmExports } from './exports.js';
import type { Resident } from './resident.js';

/** Fewer rows than this (a batch of one) skips packing: packing would cost more than the product. */
const THIN = 4;

/**
 * Other threads running instances of the same module over the same (shared) memory,
 * each of which can pack and multiply a block of A's rows while this thread does its
 * own: the Node-only threaded backend provides them (lib/kernels/wasm/threads).
 *
 * @internal
 */
export interface GemmHelpers {
  /** How many helpers are running now (0 while they start up, or after a failure). */
  ready(): number;
  /**
   * Helper `index` packs rows of op(A) (raw at `a`, strides `rs`, `cs`, m×k) into `aPacked`
   * and computes C (m×n at `c`, leading dimension n) = Ap·Bp, or += with `accumulate`.
   */
  start(index: number, a: number, rs: number, cs: number, m: number, k: number, aPacked: number, bPacked: number, c: number, n: number, accumulate: boolean): void;
  /** Blocks until every started helper has finished. */
  wait(): void;
}

/** The resident cache's key for B packed as op(B) (K×N): shared by every caller, so they share one copy. @internal */
export const packedKey = (b: MatrixOperand, k: number, n: number): string => `packed:${b.offset}:${b.transposed}:${k}:${n}`;

/**
 * The address of op(B) (K×N) packed for the blocked product, resident, for a kernel
 * that multiplies by it inside one call (the fused GRU step); -1 when it is not
 * resident (the first time it is asked for, or too large to keep): the caller then
 * takes its step-by-step path, whose products make it resident.
 *
 * @internal
 */
export const createPackedB = (wasm: WasmExports, heap: Heap, resident: Resident) => (b: MatrixOperand, k: number, n: number, key = packedKey(b, k, n)): number =>
  resident.get(b.data as Float32Array, key, k * ((n + 7) & ~7) * 4, (at) => packBAt(wasm, heap, b, k, n, heap.scratch(k * n * 4), at));

/** Copies op(B)'s K·N elements as stored to `raw`, then packs them at `at` for the blocked product. */
const packBAt = (wasm: WasmExports, heap: Heap, b: MatrixOperand, k: number, n: number, raw: number, at: number): void => {
  // B's strides as packB reads them: (k, j) at k·rs + j·cs
  const [rs, cs] = b.transposed ? [1, k] : [n, 1];
  heap.f32().set((b.data as Float32Array).subarray(b.offset, b.offset + k * n), raw >> 2);
  wasm.packB(raw, rs, cs, k, n, at);
};

/** The matrix product over float32 operands, `matmul` of the Kernels interface. @internal */
export const createMatmul = (wasm: WasmExports, heap: Heap, resident: Resident, helpers?: GemmHelpers) => {
  const packedB = createPackedB(wasm, heap, resident);
  /** Copies op(A) as contiguous rows (M×K) to `at`. */
  const copyRows = (a: MatrixOperand, at: number, m: number, k: number): void => {
    const f32 = heap.f32();
    const data = a.data as Float32Array;
    if (!a.transposed) {
      f32.set(data.subarray(a.offset, a.offset + m * k), at >> 2);
      return;
    }
    const base = at >> 2;
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) f32[base + i * k + p] = data[a.offset + p * m + i]!;
  };

  const rawB = (b: MatrixOperand, k: number, n: number): number => {
    const data = b.data as Float32Array;
    return resident.get(data, `raw:${b.offset}:${k * n}`, k * n * 4, (at) => {
      heap.f32().set(data.subarray(b.offset, b.offset + k * n), at >> 2);
    });
  };

  const thin = (a: MatrixOperand, b: MatrixOperand, out: Float32Array, outOffset: number, m: number, n: number, k: number, accumulate: boolean): void => {
    let bAt = rawB(b, k, n);
    const { offsets, bytes } = layout([m * k, m * n, bAt < 0 ? k * n : 0]);
    const base = heap.scratch(bytes);
    const [aAt, cAt] = [base + offsets[0]!, base + offsets[1]!];
    if (bAt < 0) {
      bAt = base + offsets[2]!;
      heap.f32().set((b.data as Float32Array).subarray(b.offset, b.offset + k * n), bAt >> 2);
    }
    copyRows(a, aAt, m, k);
    if (accumulate) heap.f32().set(out.subarray(outOffset, outOffset + m * n), cAt >> 2);
    if (b.transposed) wasm.thinNT(aAt, bAt, cAt, m, n, k, accumulate ? 1 : 0);
    else wasm.thinNN(aAt, bAt, cAt, m, n, k, accumulate ? 1 : 0);
    out.set(heap.f32().subarray(cAt >> 2, (cAt >> 2) + m * n), outOffset);
  };

  const packed = (a: MatrixOperand, b: MatrixOperand, out: Float32Array, outOffset: number, m: number, n: number, k: number, accumulate: boolean): void => {
    const mp = (m + 3) & ~3;
    const np = (n + 7) & ~7;
    const [ars, acs] = a.transposed ? [1, m] : [k, 1];
    // B resident first (making it may use the scratch region), then this call's operands
    let bPacked = packedB(b, k, n);
    // room for B raw and packed in scratch when it is not resident: first seen, or too big ever to stay
    const { offsets, bytes } = layout([m * k, mp * k, m * n, bPacked < 0 ? k * n : 0, bPacked < 0 ? k * np : 0]);
    const base = heap.scratch(bytes);
    const [aRaw, aPacked, cAt] = [base + offsets[0]!, base + offsets[1]!, base + offsets[2]!];
    if (bPacked < 0) {
      bPacked = base + offsets[4]!;
      packBAt(wasm, heap, b, k, n, base + offsets[3]!, bPacked);
    }
    const f32 = heap.f32();
    f32.set((a.data as Float32Array).subarray(a.offset, a.offset + m * k), aRaw >> 2);
    if (accumulate) f32.set(out.subarray(outOffset, outOffset + m * n), cAt >> 2);
    const shared = helpers === undefined ? 0 : Math.min(helpers.ready(), m >> 3);
    // this thread takes the first block of rows, each helper one after it; blocks are whole
    // 4-row panels, so every part packs and multiplies exactly as the whole would
    const block = shared === 0 ? m : ((Math.ceil(m / (shared + 1)) + 3) & ~3);
    for (let h = 0; h < shared; h++) {
      const first = (h + 1) * block;
      if (first >= m) break;
      const rows = Math.min(block, m - first);
      helpers!.start(h, aRaw + 4 * first * ars, ars, acs, rows, k, aPacked + 4 * first * k, bPacked, cAt + 4 * first * n, n, accumulate);
    }
    wasm.packA(aRaw, ars, acs, block, k, aPacked);
    wasm.gemm(aPacked, bPacked, cAt, block, n, k, accumulate ? 1 : 0);
    if (shared > 0) helpers!.wait();
    out.set(heap.f32().subarray(cAt >> 2, (cAt >> 2) + m * n), outOffset);
  };

  return (a: MatrixOperand, b: MatrixOperand, out: Float32Array, outOffset: number, m: number, n: number, k: number, accumulate: boolean): void => {
    if (m === 0 || n === 0) return;
    if (k === 0) {
      if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
      return;
    }
    if (m < THIN) thin(a, b, out, outOffset, m, n, k, accumulate);
    else packed(a, b, out, outOffset, m, n, k, accumulate);
  };
};
