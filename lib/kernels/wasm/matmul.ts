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

/** The matrix product over float32 operands, `matmul` of the Kernels interface. @internal */
export const createMatmul = (wasm: WasmExports, heap: Heap, resident: Resident) => {
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
    const bData = b.data as Float32Array;
    // B's strides as packB reads them: (k, j) at k·rs + j·cs
    const [brs, bcs] = b.transposed ? [1, k] : [n, 1];
    const [ars, acs] = a.transposed ? [1, m] : [k, 1];
    // room for packed B in scratch, for when it is not resident: first seen, or too big ever to stay
    const { offsets, bytes } = layout([m * k, mp * k, m * n, k * n, k * np]);
    const base = heap.scratch(bytes);
    const [aRaw, aPacked, cAt, bRaw] = [base + offsets[0]!, base + offsets[1]!, base + offsets[2]!, base + offsets[3]!];
    const fillB = (at: number): void => {
      heap.f32().set(bData.subarray(b.offset, b.offset + k * n), bRaw >> 2);
      wasm.packB(bRaw, brs, bcs, k, n, at);
    };
    let bPacked = resident.get(bData, `packed:${b.offset}:${b.transposed}:${k}:${n}`, k * np * 4, fillB);
    if (bPacked < 0) {
      bPacked = base + offsets[4]!;
      fillB(bPacked);
    }
    const f32 = heap.f32();
    f32.set((a.data as Float32Array).subarray(a.offset, a.offset + m * k), aRaw >> 2);
    wasm.packA(aRaw, ars, acs, m, k, aPacked);
    if (accumulate) f32.set(out.subarray(outOffset, outOffset + m * n), cAt >> 2);
    wasm.gemm(aPacked, bPacked, cAt, m, n, k, accumulate ? 1 : 0);
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
