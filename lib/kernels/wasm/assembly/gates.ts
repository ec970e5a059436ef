// The fused pointwise steps of the gated cells, four hidden units per vector: the
// LSTM's and the reset-after GRU's gate algebra and their VJPs, with the same layouts
// and formulas as the reference (lib/kernels/reference/gates.ts). Each row of the batch
// is swept separately because a row's gates sit H apart and H need not divide by 4.

import { loadv, storev } from './lanes';
import { vsigmoid, vtanh } from './math';

@inline function one(): v128 {
  return f32x4.splat(1.0);
}

/** out [2, B, H] = (h', c') from gates [B, 4H] (i, f, g, o) and c [B, H]. */
export function lstmGates(gates: usize, c: usize, out: usize, batch: i32, hidden: i32): void {
  const h4 = <usize>hidden << 2;
  const cells = <usize>(batch * hidden) << 2;
  for (let b = 0; b < batch; b++) {
    const g0 = gates + (<usize>(b * 4 * hidden) << 2);
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = <usize>j << 2;
      const i = vsigmoid(loadv(g0 + at, n));
      const f = vsigmoid(loadv(g0 + h4 + at, n));
      const g = vtanh(loadv(g0 + 2 * h4 + at, n));
      const o = vsigmoid(loadv(g0 + 3 * h4 + at, n));
      const cNext = f32x4.add(f32x4.mul(f, loadv(c + row + at, n)), f32x4.mul(i, g));
      storev(out + row + at, f32x4.mul(o, vtanh(cNext)), n);
      storev(out + cells + row + at, cNext, n);
    }
  }
}

/** dGates [B, 4H] and dc [B, H] from dy [2, B, H], recomputing the activations. */
export function lstmGatesBackward(gates: usize, c: usize, dy: usize, dGates: usize, dc: usize, batch: i32, hidden: i32): void {
  const h4 = <usize>hidden << 2;
  const cells = <usize>(batch * hidden) << 2;
  for (let b = 0; b < batch; b++) {
    const g0 = <usize>(b * 4 * hidden) << 2;
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = <usize>j << 2;
      const i = vsigmoid(loadv(gates + g0 + at, n));
      const f = vsigmoid(loadv(gates + g0 + h4 + at, n));
      const g = vtanh(loadv(gates + g0 + 2 * h4 + at, n));
      const o = vsigmoid(loadv(gates + g0 + 3 * h4 + at, n));
      const cv = loadv(c + row + at, n);
      const tc = vtanh(f32x4.add(f32x4.mul(f, cv), f32x4.mul(i, g)));
      const dh = loadv(dy + row + at, n);
      // c' reaches the loss directly and through h' = o·tanh(c')
      const dcNext = f32x4.add(loadv(dy + cells + row + at, n), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one(), f32x4.mul(tc, tc))));
      const d = dGates + g0 + at;
      storev(d, f32x4.mul(f32x4.mul(f32x4.mul(dcNext, g), i), f32x4.sub(one(), i)), n);
      storev(d + h4, f32x4.mul(f32x4.mul(f32x4.mul(dcNext, cv), f), f32x4.sub(one(), f)), n);
      storev(d + 2 * h4, f32x4.mul(f32x4.mul(dcNext, i), f32x4.sub(one(), f32x4.mul(g, g))), n);
      storev(d + 3 * h4, f32x4.mul(f32x4.mul(f32x4.mul(dh, tc), o), f32x4.sub(one(), o)), n);
      storev(dc + row + at, f32x4.mul(dcNext, f), n);
    }
  }
}

/** out [B, H] = h' of a reset-after GRU step from xg, hg [B, 3H] (r, z, n) and h [B, H]. */
export function gruGates(xg: usize, hg: usize, h: usize, out: usize, batch: i32, hidden: i32): void {
  const h4 = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const g0 = <usize>(b * 3 * hidden) << 2;
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = g0 + (<usize>j << 2);
      const r = vsigmoid(f32x4.add(loadv(xg + at, n), loadv(hg + at, n)));
      const z = vsigmoid(f32x4.add(loadv(xg + h4 + at, n), loadv(hg + h4 + at, n)));
      const nn = vtanh(f32x4.add(loadv(xg + 2 * h4 + at, n), f32x4.mul(r, loadv(hg + 2 * h4 + at, n))));
      const hv = loadv(h + row + (<usize>j << 2), n);
      storev(out + row + (<usize>j << 2), f32x4.add(f32x4.mul(f32x4.sub(one(), z), nn), f32x4.mul(z, hv)), n);
    }
  }
}

/** dxg, dhg [B, 3H] and dh [B, H] from dy [B, H], the cotangent of h'. */
export function gruGatesBackward(
  xg: usize, hg: usize, h: usize, dy: usize, dxg: usize, dhg: usize, dh: usize, batch: i32, hidden: i32,
): void {
  const h4 = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const g0 = <usize>(b * 3 * hidden) << 2;
    const row = <usize>(b * hidden) << 2;
    for (let j = 0; j < hidden; j += 4) {
      const n = min(4, hidden - j);
      const at = g0 + (<usize>j << 2);
      const ru = row + (<usize>j << 2);
      const hn = loadv(hg + 2 * h4 + at, n);
      const r = vsigmoid(f32x4.add(loadv(xg + at, n), loadv(hg + at, n)));
      const z = vsigmoid(f32x4.add(loadv(xg + h4 + at, n), loadv(hg + h4 + at, n)));
      const nn = vtanh(f32x4.add(loadv(xg + 2 * h4 + at, n), f32x4.mul(r, hn)));
      const d = loadv(dy + ru, n);
      const dnPre = f32x4.mul(f32x4.mul(d, f32x4.sub(one(), z)), f32x4.sub(one(), f32x4.mul(nn, nn)));
      const dzPre = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(loadv(h + ru, n), nn)), z), f32x4.sub(one(), z));
      const drPre = f32x4.mul(f32x4.mul(f32x4.mul(dnPre, hn), r), f32x4.sub(one(), r));
      storev(dxg + at, drPre, n);
      storev(dhg + at, drPre, n);
      storev(dxg + h4 + at, dzPre, n);
      storev(dhg + h4 + at, dzPre, n);
      storev(dxg + 2 * h4 + at, dnPre, n);
      storev(dhg + 2 * h4 + at, f32x4.mul(dnPre, r), n);
      storev(dh + ru, f32x4.mul(d, z), n);
    }
  }
}
