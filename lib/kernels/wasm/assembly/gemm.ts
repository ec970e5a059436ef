// The packed matrix product C (M×N, row-major, leading dimension N) = Ap·Bp or += it,
// over operands packed by pack.ts. A 4×8 tile of C lives in eight f32x4 accumulators
// across a whole K block: each k loads two vectors of B and splats four scalars of A
// for 32 multiply-adds. More accumulators spill to the stack in V8 and halve the speed
// (measured), so 4×8 it is. Blocks: KC deep (a B micro-panel, 8 KB, stays in L1), MC
// rows of A (128 KB, L2) against NC columns of B.

import { KC } from './pack';

const MC: i32 = 128;
const NC: i32 = 1024;

// the ragged edge tiles are computed whole in a 4×8 buffer and then clipped into C;
// one buffer per thread, as instances on other threads may share this memory
const EDGES: usize = memory.data(4 * 8 * 4 * 4, 16);
let edge: usize = EDGES;

/** Which of four edge-tile buffers this instance uses: a distinct one on each thread sharing the memory. */
export function useEdgeSlot(slot: i32): void {
  edge = EDGES + (<usize>(slot & 3) << 7);
}

/** One 4×8 tile over kc steps, stored into (or added to, when `add`) C at c with row pitch ldc bytes. */
@inline function micro(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let k = kc;
  // a down-counting do-while compiles to the tightest loop (about 10% faster than a for)
  do {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  } while (--k);
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/** A ragged tile: computed whole into `edge`, then its rows × cols corner stored or added into C. */
function edgeTile(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, rows: i32, cols: i32, add: bool): void {
  micro(kc, ap, bp, edge, 32, false);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const at = c + <usize>r * ldc + (<usize>j << 2);
      const v = load<f32>(edge + (<usize>(r * 8 + j) << 2));
      store<f32>(at, add ? load<f32>(at) + v : v);
    }
  }
}

/** C (M×N at c) = Ap·Bp, or += when `accumulate`; Ap and Bp as packed by packA and packB. */
export function gemm(ap: usize, bp: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool): void {
  const mp = (m + 3) & ~3;
  const np = (n + 7) & ~7;
  const ldc = <usize>n << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let kb = 0; kb < k; kb += KC) {
      const kc = min(KC, k - kb);
      const add = accumulate || kb > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        for (let jr = 0; jr < nc; jr += 8) {
          const j = jc + jr;
          const bpan = bp + (<usize>(kb * np + j * kc) << 2);
          for (let ir = 0; ir < mc; ir += 4) {
            const i = ic + ir;
            const apan = ap + (<usize>(kb * mp + i * kc) << 2);
            const at = c + <usize>i * ldc + (<usize>j << 2);
            if (i + 4 <= m && j + 8 <= n) micro(kc, apan, bpan, at, ldc, add);
            else edgeTile(kc, apan, bpan, at, ldc, min(4, m - i), min(8, n - j), add);
          }
        }
      }
    }
  }
}
