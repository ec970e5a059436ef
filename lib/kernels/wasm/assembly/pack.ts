// Packing: copies a block of an operand into the order the micro-kernel reads it, so
// the hot loop walks memory strictly forward. The copy absorbs transposition (by
// strides), ragged edges (zero-padded panels, so the micro-kernel has no edge cases)
// and the K blocking. Panels of A hold 4 rows, panels of B 8 columns; the whole
// operand is packed at once, K-block by K-block:
//   packed A: [K-block][4-row panel][k in block][4]  (block at kb·Mp, panel at i0·kc)
//   packed B: [K-block][8-col panel][k in block][8]  (block at kb·Np, panel at j0·kc)
// where Mp, Np are M, N rounded up to 4 and 8.

export const KC: i32 = 256;

/** Transposes the 4×4 block whose rows start at p, p + stride, ... into four vectors stored at d, d + 16, ... */
@inline function transpose4(p: usize, stride: usize, d: usize, dStride: usize): void {
  const r0 = v128.load(p);
  const r1 = v128.load(p + stride);
  const r2 = v128.load(p + 2 * stride);
  const r3 = v128.load(p + 3 * stride);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(d + dStride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(d + 2 * dStride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(d + 3 * dStride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * Packs op(A) (M×K) into 4-row panels. Element (i, k) of op(A) is at a + 4·(i·rs + k·cs):
 * rs = K, cs = 1 for A as stored; rs = 1, cs = M for A stored transposed.
 */
export function packA(a: usize, rs: i32, cs: i32, m: i32, k: i32, dst: usize): void {
  const mp = (m + 3) & ~3;
  for (let kb = 0; kb < k; kb += KC) {
    const kc = min(KC, k - kb);
    for (let i0 = 0; i0 < mp; i0 += 4) {
      const d = dst + (<usize>(kb * mp + i0 * kc) << 2);
      const src = a + (<usize>(i0 * rs + kb * cs) << 2);
      if (i0 + 4 <= m && rs == 1) {
        // stored transposed: the panel's four values at each k are contiguous
        for (let kk = 0; kk < kc; kk++) v128.store(d + (<usize>kk << 4), v128.load(src + (<usize>(kk * cs) << 2)));
      } else if (i0 + 4 <= m && cs == 1) {
        // stored as is: four rows, transposed 4×4 at a time
        let kk = 0;
        for (; kk + 4 <= kc; kk += 4) transpose4(src + (<usize>kk << 2), <usize>rs << 2, d + (<usize>kk << 4), 16);
        for (; kk < kc; kk++) {
          for (let r = 0; r < 4; r++) store<f32>(d + (<usize>(kk * 4 + r) << 2), load<f32>(src + (<usize>(r * rs + kk) << 2)));
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          for (let r = 0; r < 4; r++) {
            const v: f32 = i0 + r < m ? load<f32>(src + (<usize>(r * rs + kk * cs) << 2)) : 0;
            store<f32>(d + (<usize>(kk * 4 + r) << 2), v);
          }
        }
      }
    }
  }
}

/**
 * Packs op(B) (K×N) into 8-column panels. Element (k, j) of op(B) is at b + 4·(k·rs + j·cs):
 * rs = N, cs = 1 for B as stored; rs = 1, cs = K for B stored transposed.
 */
export function packB(b: usize, rs: i32, cs: i32, k: i32, n: i32, dst: usize): void {
  const np = (n + 7) & ~7;
  for (let kb = 0; kb < k; kb += KC) {
    const kc = min(KC, k - kb);
    for (let j0 = 0; j0 < np; j0 += 8) {
      const d = dst + (<usize>(kb * np + j0 * kc) << 2);
      const src = b + (<usize>(kb * rs + j0 * cs) << 2);
      if (j0 + 8 <= n && cs == 1) {
        for (let kk = 0; kk < kc; kk++) {
          const s = src + (<usize>(kk * rs) << 2);
          v128.store(d + (<usize>kk << 5), v128.load(s));
          v128.store(d + (<usize>kk << 5), v128.load(s, 16), 16);
        }
      } else if (j0 + 8 <= n && rs == 1) {
        // stored transposed (N×K): columns of op(B) are rows in memory
        let kk = 0;
        const stride = <usize>cs << 2;
        for (; kk + 4 <= kc; kk += 4) {
          transpose4(src + (<usize>kk << 2), stride, d + (<usize>kk << 5), 32);
          transpose4(src + 4 * stride + (<usize>kk << 2), stride, d + (<usize>kk << 5) + 16, 32);
        }
        for (; kk < kc; kk++) {
          for (let c = 0; c < 8; c++) store<f32>(d + (<usize>(kk * 8 + c) << 2), load<f32>(src + (<usize>(c * cs + kk) << 2)));
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          for (let c = 0; c < 8; c++) {
            const v: f32 = j0 + c < n ? load<f32>(src + (<usize>(kk * rs + c * cs) << 2)) : 0;
            store<f32>(d + (<usize>(kk * 8 + c) << 2), v);
          }
        }
      }
    }
  }
}
