/**
 * Matrix multiply, C (M×N) = op(A) · op(B), where op transposes when asked. Transposed
 * operands are read in place through packing, never materialised as tensors: the
 * backward pass needs A·Bᵀ and Aᵀ·B at every step.
 *
 * Blocking: panels of A (MC×KC) and B (KC×NC) are copied into contiguous scratch
 * buffers (which also absorbs transposition), then a micro-kernel updates four rows
 * of C at once so each loaded element of B feeds four multiply-adds. The scratch
 * buffers are kept between calls, so the hot path allocates nothing.
 *
 * @module
 */
import type { NumArray } from './types.js';

/** A matrix operand: its buffer, the offset of its first element and whether it is stored transposed. */
export interface MatrixOperand {
  readonly data: NumArray;
  readonly offset: number;
  /** When true the operand is stored as its transpose (K×M for A, N×K for B). */
  readonly transposed: boolean;
}

const MC = 64;
const KC = 256;
const NC = 1024;

/** @internal Block sizes, so specs can pick extents that cross every block edge. */
export const MATMUL_BLOCKS = { mc: MC, kc: KC, nc: NC } as const;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

/**
 * `out[outOffset ..]` (M×N, row-major) = op(A)·op(B), or += when `accumulate`.
 * A is M×K after op, B is K×N after op.
 */
export const matmul = (
  a: MatrixOperand, b: MatrixOperand, out: NumArray, outOffset: number,
  m: number, n: number, k: number, accumulate = false,
): void => {
  if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (packA.length < MC * KC) packA = new Float64Array(MC * KC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelB(b, k, n, pc, jc, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelA(a, m, k, ic, pc, mc, kc);
        macroKernel(out, outOffset + ic * n + jc, n, mc, nc, kc);
      }
    }
  }
};

/** Copies op(B)[pc..pc+kc, jc..jc+nc] into packB as a kc×nc row-major block. */
const packPanelB = (b: MatrixOperand, k: number, n: number, pc: number, jc: number, kc: number, nc: number): void => {
  const { data, offset, transposed } = b;
  for (let p = 0; p < kc; p++) {
    const row = p * nc;
    if (transposed) {
      // stored N×K: element (p, j) of op(B) lives at [j][p]
      for (let j = 0; j < nc; j++) packB[row + j] = data[offset + (jc + j) * k + pc + p]!;
    } else {
      const src = offset + (pc + p) * n + jc;
      for (let j = 0; j < nc; j++) packB[row + j] = data[src + j]!;
    }
  }
};

/** Copies op(A)[ic..ic+mc, pc..pc+kc] into packA as an mc×kc row-major block. */
const packPanelA = (a: MatrixOperand, m: number, k: number, ic: number, pc: number, mc: number, kc: number): void => {
  const { data, offset, transposed } = a;
  for (let i = 0; i < mc; i++) {
    const row = i * kc;
    if (transposed) {
      // stored K×M: element (i, p) of op(A) lives at [p][i]
      for (let p = 0; p < kc; p++) packA[row + p] = data[offset + (pc + p) * m + ic + i]!;
    } else {
      const src = offset + (ic + i) * k + pc;
      for (let p = 0; p < kc; p++) packA[row + p] = data[src + p]!;
    }
  }
};

/** C block (mc×nc at `cOffset`, row stride `ldc`) += packA (mc×kc) · packB (kc×nc), four rows at a time. */
const macroKernel = (c: NumArray, cOffset: number, ldc: number, mc: number, nc: number, kc: number): void => {
  let i = 0;
  for (; i + 4 <= mc; i += 4) {
    const c0 = cOffset + i * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    const a0 = i * kc;
    for (let p = 0; p < kc; p++) {
      const x0 = packA[a0 + p]!;
      const x1 = packA[a0 + kc + p]!;
      const x2 = packA[a0 + 2 * kc + p]!;
      const x3 = packA[a0 + 3 * kc + p]!;
      const bRow = p * nc;
      for (let j = 0; j < nc; j++) {
        const y = packB[bRow + j]!;
        c[c0 + j]! += x0 * y;
        c[c1 + j]! += x1 * y;
        c[c2 + j]! += x2 * y;
        c[c3 + j]! += x3 * y;
      }
    }
  }
  for (; i < mc; i++) {
    const ci = cOffset + i * ldc;
    const ai = i * kc;
    for (let p = 0; p < kc; p++) {
      const x = packA[ai + p]!;
      const bRow = p * nc;
      for (let j = 0; j < nc; j++) c[ci + j]! += x * packB[bRow + j]!;
    }
  }
};
