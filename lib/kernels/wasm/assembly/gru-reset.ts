// The reset-before GRU's two pointwise parts, four hidden units per vector, with the
// layouts and formulas of the reference (lib/kernels/reference/gates.ts): the first
// gives [r·h, z] from the input and r, z hidden products; the second h' from the
// candidate's hidden product. Each row of the batch is swept separately because a
// row's gates sit H apart and H need not divide by 4.

import { loadv, storev } from './lanes';
import { vsigmoid, vtanh } from './math';

@inline function one(): v128 {
  return f32x4.splat(1.0);
}

/** out [2, B, H] = (r·h, z) from xg [B, 3H], hrz [B, 2H] and h [B, H]. */
export function gruResetGates(xg: usize, hrz: usize, h: usize, out: usize, batch: i32, hidden: i32): void {
  const h4 = <usize>hidden << 2;
  const cells = <usize>(batch * hidden) << 2;
  for (let b = 0; b < batch; b++) {
    const x0 = xg + (<usize>(b * 3 * hidden) << 2);
    const r0 = hrz + (<usize>(b * 2 * hidden) << 2);
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = <usize>j << 2;
      const r = vsigmoid(f32x4.add(loadv(x0 + at, n), loadv(r0 + at, n)));
      const z = vsigmoid(f32x4.add(loadv(x0 + h4 + at, n), loadv(r0 + h4 + at, n)));
      storev(out + row + at, f32x4.mul(r, loadv(h + row + at, n)), n);
      storev(out + cells + row + at, z, n);
    }
  }
}

/** dhrz [B, 2H] (also xg's r, z cotangent) and dh [B, H] from dy [2, B, H]. */
export function gruResetGatesBackward(
  xg: usize, hrz: usize, h: usize, dy: usize, dhrz: usize, dh: usize, batch: i32, hidden: i32,
): void {
  const h4 = <usize>hidden << 2;
  const cells = <usize>(batch * hidden) << 2;
  for (let b = 0; b < batch; b++) {
    const x0 = <usize>(b * 3 * hidden) << 2;
    const r0 = <usize>(b * 2 * hidden) << 2;
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = <usize>j << 2;
      const r = vsigmoid(f32x4.add(loadv(xg + x0 + at, n), loadv(hrz + r0 + at, n)));
      const z = vsigmoid(f32x4.add(loadv(xg + x0 + h4 + at, n), loadv(hrz + r0 + h4 + at, n)));
      const drh = loadv(dy + row + at, n);
      const drPre = f32x4.mul(f32x4.mul(f32x4.mul(drh, loadv(h + row + at, n)), r), f32x4.sub(one(), r));
      const dzPre = f32x4.mul(f32x4.mul(loadv(dy + cells + row + at, n), z), f32x4.sub(one(), z));
      storev(dhrz + r0 + at, drPre, n);
      storev(dhrz + r0 + h4 + at, dzPre, n);
      storev(dh + row + at, f32x4.mul(drh, r), n);
    }
  }
}

/** out [B, H] = (1 − z)·tanh(xn + hn) + z·h from xg [B, 3H] (its n block), hn, z and h [B, H]. */
export function gruUpdate(xg: usize, hn: usize, z: usize, h: usize, out: usize, batch: i32, hidden: i32): void {
  const h4 = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const xn = xg + (<usize>(b * 3 * hidden) << 2) + 2 * h4;
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = row + (<usize>j << 2);
      const cand = vtanh(f32x4.add(loadv(xn + (<usize>j << 2), n), loadv(hn + at, n)));
      const zv = loadv(z + at, n);
      storev(out + at, f32x4.add(f32x4.mul(f32x4.sub(one(), zv), cand), f32x4.mul(zv, loadv(h + at, n))), n);
    }
  }
}

/** dhn (also xg's n-block cotangent), dz and dh [B, H] from dy [B, H]. */
export function gruUpdateBackward(
  xg: usize, hn: usize, z: usize, h: usize, dy: usize, dhn: usize, dz: usize, dh: usize, batch: i32, hidden: i32,
): void {
  const h4 = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const x0 = <usize>(b * 3 * hidden) << 2;
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = row + (<usize>j << 2);
      const ax = x0 + (<usize>j << 2);
      const cand = vtanh(f32x4.add(loadv(xg + ax + 2 * h4, n), loadv(hn + at, n)));
      const zv = loadv(z + at, n);
      const d = loadv(dy + at, n);
      const dPre = f32x4.mul(f32x4.mul(d, f32x4.sub(one(), zv)), f32x4.sub(one(), f32x4.mul(cand, cand)));
      storev(dhn + at, dPre, n);
      storev(dz + at, f32x4.mul(d, f32x4.sub(loadv(h + at, n), cand)), n);
      storev(dh + at, f32x4.mul(d, zv), n);
    }
  }
}
