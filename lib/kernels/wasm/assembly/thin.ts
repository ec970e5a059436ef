// Products with fewer than four rows (batch-1 inference, a decoder's single step):
// there packing would cost more than the product, so the operands are read in place.
// With B as stored (K×N) each row of C is a sum of rows of B scaled by A's entries;
// with B stored transposed (N×K, a weight matrix W in x·Wᵀ) each entry of C is a dot
// product of A's row with a row of W, four at a time.

import { laneSum, loadv, storev } from './lanes';

/** C (M×N) = A (M×K, contiguous rows) · B (K×N as stored), or += when `accumulate`. */
export function thinNN(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool): void {
  const ldb = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const arow = a + (<usize>(i * k) << 2);
    const crow = c + (<usize>(i * n) << 2);
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let bp = b + (<usize>j << 2);
      let ap = arow;
      let kk = k;
      do {
        const x = v128.load32_splat(ap);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(bp)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(bp, 16)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(bp, 32)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(bp, 48)));
        ap += 4;
        bp += ldb;
      } while (--kk);
      const cp = crow + (<usize>j << 2);
      if (accumulate) {
        s0 = f32x4.add(s0, v128.load(cp)); s1 = f32x4.add(s1, v128.load(cp, 16));
        s2 = f32x4.add(s2, v128.load(cp, 32)); s3 = f32x4.add(s3, v128.load(cp, 48));
      }
      v128.store(cp, s0); v128.store(cp, s1, 16); v128.store(cp, s2, 32); v128.store(cp, s3, 48);
    }
    for (; j < n; j += 4) {
      const count = min(4, n - j);
      let s = f32x4.splat(0);
      let bp = b + (<usize>j << 2);
      let ap = arow;
      let kk = k;
      do {
        s = f32x4.add(s, f32x4.mul(v128.load32_splat(ap), loadv(bp, count)));
        ap += 4;
        bp += ldb;
      } while (--kk);
      const cp = crow + (<usize>j << 2);
      if (accumulate) s = f32x4.add(s, loadv(cp, count));
      storev(cp, s, count);
    }
  }
}

/** C (M×N) = A (M×K, contiguous rows) · Wᵀ with W (N×K) as stored, or += when `accumulate`. */
export function thinNT(a: usize, w: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool): void {
  const ldw = <usize>k << 2;
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const arow = a + (<usize>(i * k) << 2);
    const crow = c + (<usize>(i * n) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const w0 = w + <usize>j * ldw;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let kk = 0; kk < k4; kk += 4) {
        const off = <usize>kk << 2;
        const x = v128.load(arow + off);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(w0 + off)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(w0 + ldw + off)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(w0 + 2 * ldw + off)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(w0 + 3 * ldw + off)));
      }
      if (k4 < k) {
        const off = <usize>k4 << 2;
        const x = loadv(arow + off, k - k4);
        s0 = f32x4.add(s0, f32x4.mul(x, loadv(w0 + off, k - k4)));
        s1 = f32x4.add(s1, f32x4.mul(x, loadv(w0 + ldw + off, k - k4)));
        s2 = f32x4.add(s2, f32x4.mul(x, loadv(w0 + 2 * ldw + off, k - k4)));
        s3 = f32x4.add(s3, f32x4.mul(x, loadv(w0 + 3 * ldw + off, k - k4)));
      }
      // the four horizontal sums at once: transpose the accumulators and add
      const t0 = v128.shuffle<f32>(s0, s1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(s0, s1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(s2, s3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(s2, s3, 2, 6, 3, 7);
      const u0 = f32x4.add(t0, t1);
      const u1 = f32x4.add(t2, t3);
      let sum = f32x4.add(v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), v128.shuffle<f32>(u0, u1, 2, 3, 6, 7));
      const cp = crow + (<usize>j << 2);
      if (accumulate) sum = f32x4.add(sum, v128.load(cp));
      v128.store(cp, sum);
    }
    for (; j < n; j++) {
      const wj = w + <usize>j * ldw;
      let s = f32x4.splat(0);
      for (let kk = 0; kk < k; kk += 4) {
        const off = <usize>kk << 2;
        const count = min(4, k - kk);
        s = f32x4.add(s, f32x4.mul(loadv(arow + off, count), loadv(wj + off, count)));
      }
      const cp = crow + (<usize>j << 2);
      store<f32>(cp, accumulate ? load<f32>(cp) + laneSum(s) : laneSum(s));
    }
  }
}
