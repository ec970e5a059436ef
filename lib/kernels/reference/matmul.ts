/**
 * Matrix multiply, C (M×N) = op(A) · op(B), where op transposes when asked. Transposed
 * operands are read in place through packing, never materialised as tensors: the
 * backward pass needs A·Bᵀ and Aᵀ·B at every step.
 *
 * The structure is the classic GotoBLAS/BLIS one, cut down to what pays off in plain
 * JavaScript. A block of op(B) (KC×NC) and a block of op(A) (MC×KC) are copied into
 * float64 scratch buffers laid out as thin micro-panels (MR rows of A, NR columns of
 * B, interleaved along K). The copy absorbs transposition, strides, the dtype (every
 * product is then read from a Float64Array, so the hot loop sees one array type) and
 * ragged edges (short panels are zero-padded, so the hot loop has no edge cases). A
 * register-blocked micro-kernel then keeps an MR×NR tile of C in local variables across
 * the whole K block: each step loads MR + NR numbers for MR·NR multiply-adds, where a
 * triple loop loads two numbers and stores one per multiply-add. Scratch buffers live
 * between calls, so the hot path allocates nothing. Products with fewer than six rows
 * or columns (a batch of one, an output of one unit) skip packing and run as dot
 * products over the operands in place, where copying would cost more than it saves.
 * (A small K, as in an outer product, gains nothing that way: such a product is bound
 * by reading and writing C, and measured alike both ways.)
 *
 * @module
 */
import type { MatrixOperand } from '../backend.js';
import type { NumArray } from '../types.js';

// Micro-tile 2×4, chosen by measurement (bench/matmul.ts; V8 on x86-64): 4×4, 4×8 and
// 8×4 tiles need more doubles than the 16 vector registers hold and run 25-35% slower
// because V8 spills accumulators to the stack; 2×2 reloads too often.
const MR = 2;
const NR = 4;
// A micro-panel of B (KC×NR doubles, 8 KB) stays in L1 while the micro-kernel sweeps the
// A block (MC×KC, 128 KB) from L2; the B block (KC×NC, 1 MB) is reused for every A block.
// The kernel is compute-bound in JavaScript, so these sizes matter little (±5% measured
// from 64 to 128 rows, 128 to 256 deep, 512 to 1024 wide); smaller packs cost less memory.
const MC = 64;
const KC = 256;
const NC = 512;

// With fewer rows (a batch of one, say) or columns, copying B or A into packs costs more
// than the products: reading the operands in place measured 4× faster at M = 1, 2× at
// M = 2 or 3, 10-15% faster at M = 4 or 5, and 20% slower from M = 6 on.
const THIN = 6;

/** @internal Block sizes, so specs can pick extents that cross every block edge. */
export const MATMUL_BLOCKS = { mc: MC, kc: KC, nc: NC, mr: MR, nr: NR, thin: THIN } as const;

// Packs are float64 whatever the operands' dtype: float32 packs measured 15-30% slower
// (every load converts, and two array types make the micro-kernel's loads polymorphic).
// They are allocated once (1.1 MB) and reused, so the hot path allocates nothing. They
// are module constants on purpose: V8 then knows the very arrays the inlined
// micro-kernel reads, and drops their map and length loads; growing them on demand
// (a `let`) measured 25% slower.
const packA = new Float64Array(MC * KC);
const packB = new Float64Array(KC * NC);
/** The micro-kernel's result, added into C by `addTile` (which clips ragged edges). */
const tile = new Float64Array(MR * NR);

// ---------------------------------------------------------------------------
// operation
// ---------------------------------------------------------------------------

/**
 * `out[outOffset ..]` (M×N, row-major) = op(A)·op(B), or += when `accumulate`.
 * A is M×K after op, B is K×N after op.
 *
 * @example
 * ```ts
 * const a = new Float64Array([1, 2, 3, 4, 5, 6]);   // [2, 3]
 * const b = new Float64Array([1, 0, 1, 0, 1, 0]);   // [2, 3], read transposed
 * const c = new Float64Array(4);
 * matmul({ data: a, offset: 0, transposed: false }, { data: b, offset: 0, transposed: true }, c, 0, 2, 2, 3);
 * ```
 */
export const matmul = (
  a: MatrixOperand, b: MatrixOperand, out: NumArray, outOffset: number,
  m: number, n: number, k: number, accumulate = false,
): void => {
  if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (m < THIN || n < THIN) {
    thinProduct(a, b, out, outOffset, m, n, k);
    return;
  }
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

// ---------------------------------------------------------------------------
// packing
// ---------------------------------------------------------------------------

/**
 * Copies op(B)[pc..pc+kc, jc..jc+nc] into packB as ⌈nc/NR⌉ micro-panels, each kc rows
 * of NR consecutive numbers (columns past nc are zero).
 */
const packPanelB = (b: MatrixOperand, k: number, n: number, pc: number, jc: number, kc: number, nc: number): void => {
  const { data, offset, transposed } = b;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    let dst = jr * kc;
    for (let p = 0; p < kc; p++, dst += NR) {
      // stored N×K: element (p, j) of op(B) lives at [j][p], so a row of the panel is strided
      const src = transposed ? offset + (jc + jr) * k + pc + p : offset + (pc + p) * n + jc + jr;
      const step = transposed ? k : 1;
      let j = 0;
      for (; j < cols; j++) packB[dst + j] = data[src + j * step]!;
      for (; j < NR; j++) packB[dst + j] = 0;
    }
  }
};

/**
 * Copies op(A)[ic..ic+mc, pc..pc+kc] into packA as ⌈mc/MR⌉ micro-panels, each kc
 * columns of MR consecutive numbers (rows past mc are zero).
 */
const packPanelA = (a: MatrixOperand, m: number, k: number, ic: number, pc: number, mc: number, kc: number): void => {
  const { data, offset, transposed } = a;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    let dst = ir * kc;
    for (let p = 0; p < kc; p++, dst += MR) {
      // stored K×M: element (i, p) of op(A) lives at [p][i], so a column of the panel is contiguous
      const src = transposed ? offset + (pc + p) * m + ic + ir : offset + (ic + ir) * k + pc + p;
      const step = transposed ? 1 : k;
      let i = 0;
      for (; i < rows; i++) packA[dst + i] = data[src + i * step]!;
      for (; i < MR; i++) packA[dst + i] = 0;
    }
  }
};

// ---------------------------------------------------------------------------
// compute
// ---------------------------------------------------------------------------

/** C block (mc×nc at `cOffset`, row stride `ldc`) += packA · packB, one MR×NR tile at a time. */
const macroKernel = (c: NumArray, cOffset: number, ldc: number, mc: number, nc: number, kc: number): void => {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      microKernel(packA, ir * kc, packB, jr * kc, kc, tile);
      addTile(c, cOffset + ir * ldc + jr, ldc, Math.min(MR, mc - ir), cols);
    }
  }
};

/**
 * tile = (MR×kc micro-panel of A at `ia`) · (kc×NR micro-panel of B at `ib`). The tile's
 * entries live in locals for the whole loop, so V8 keeps them in registers; the packs are
 * passed in (not read from module scope) so the loop needs no context loads. Indices are
 * advanced with `| 0`: it tells V8 the sums stay int32, which drops an overflow check per
 * load (measured 35% faster).
 */
const microKernel = (pa: Float64Array, ia: number, pb: Float64Array, ib: number, kc: number, out: Float64Array): void => {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[ib]!, b1 = pb[(ib + 1) | 0]!, b2 = pb[(ib + 2) | 0]!, b3 = pb[(ib + 3) | 0]!;
    let x = pa[ia]!;
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
    x = pa[(ia + 1) | 0]!;
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
    ia = (ia + MR) | 0;
    ib = (ib + NR) | 0;
  }
  out[0] = c00; out[1] = c01; out[2] = c02; out[3] = c03;
  out[4] = c10; out[5] = c11; out[6] = c12; out[7] = c13;
};

/** C[rows×cols at `at`] += the top-left corner of `tile` (all of it except at ragged edges). */
const addTile = (c: NumArray, at: number, ldc: number, rows: number, cols: number): void => {
  for (let i = 0; i < rows; i++, at += ldc) {
    for (let j = 0; j < cols; j++) c[at + j]! += tile[i * NR + j]!;
  }
};

// ---------------------------------------------------------------------------
// thin products
// ---------------------------------------------------------------------------

/** op(A)·op(B) added into C when M or N is below THIN, reading both operands in place. */
const thinProduct = (a: MatrixOperand, b: MatrixOperand, out: NumArray, outOffset: number, m: number, n: number, k: number): void => {
  if (m < THIN) {
    for (let i = 0; i < m; i++) {
      // row i of op(A): element p at aAt + p·aStep
      const aAt = a.offset + (a.transposed ? i : i * k);
      const aStep = a.transposed ? m : 1;
      const cAt = outOffset + i * n;
      // a stored N×K B has contiguous columns: dot with them; a stored K×N B has contiguous rows: stream them
      if (b.transposed) dots(a.data, aAt, aStep, b.data, b.offset, 1, k, n, out, cAt, 1, k);
      else axpyRows(a.data, aAt, aStep, b.data, b.offset, out, cAt, n, k);
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    // column j of C: column j of op(B) dotted with each row of op(A)
    const bAt = b.offset + (b.transposed ? j * k : j);
    dots(b.data, bAt, b.transposed ? 1 : n, a.data, a.offset, a.transposed ? m : 1, a.transposed ? 1 : k, m, out, outOffset + j, n, k);
  }
};

/**
 * out[cAt + t·cStep] += Σ_p x[xAt + p·xStep] · y[yAt + t·yNext + p·yStep] for t < count:
 * `count` dot products of one vector x, four at a time so four independent sums hide
 * the latency of the adds and each load of x feeds four of them.
 */
const dots = (
  x: NumArray, xAt: number, xStep: number, y: NumArray, yAt: number, yStep: number, yNext: number, count: number,
  out: NumArray, cAt: number, cStep: number, k: number,
): void => {
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let ix = xAt;
    let iy = yAt + t * yNext;
    for (let p = 0; p < k; p++) {
      const v = x[ix]!;
      s0 += v * y[iy]!;
      s1 += v * y[(iy + yNext) | 0]!;
      s2 += v * y[(iy + 2 * yNext) | 0]!;
      s3 += v * y[(iy + 3 * yNext) | 0]!;
      ix = (ix + xStep) | 0;
      iy = (iy + yStep) | 0;
    }
    const c = cAt + t * cStep;
    out[c]! += s0;
    out[c + cStep]! += s1;
    out[c + 2 * cStep]! += s2;
    out[c + 3 * cStep]! += s3;
  }
  for (; t < count; t++) {
    let s = 0;
    for (let p = 0, ix = xAt, iy = yAt + t * yNext; p < k; p++, ix += xStep, iy += yStep) s += x[ix]! * y[iy]!;
    out[cAt + t * cStep]! += s;
  }
};

/** out[cAt ..+n] += Σ_p a[aAt + p·aStep] · (row p of the K×N matrix at b[bAt]), four rows per pass over out. */
const axpyRows = (a: NumArray, aAt: number, aStep: number, b: NumArray, bAt: number, out: NumArray, cAt: number, n: number, k: number): void => {
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const x0 = a[aAt + p * aStep]!, x1 = a[aAt + (p + 1) * aStep]!, x2 = a[aAt + (p + 2) * aStep]!, x3 = a[aAt + (p + 3) * aStep]!;
    const r0 = bAt + p * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let j = 0; j < n; j++) {
      out[(cAt + j) | 0]! += x0 * b[(r0 + j) | 0]! + x1 * b[(r1 + j) | 0]! + x2 * b[(r2 + j) | 0]! + x3 * b[(r3 + j) | 0]!;
    }
  }
  for (; p < k; p++) {
    const x = a[aAt + p * aStep]!;
    const r = bAt + p * n;
    for (let j = 0; j < n; j++) out[cAt + j]! += x * b[r + j]!;
  }
};
