// A whole reset-before GRU step, forward and backward, in one call each: the two hidden
// products (over weights the glue keeps packed between calls) and the pointwise parts
// of gru-reset.ts, on operands copied in once. Step by step from JavaScript the same
// work is six to eight calls, each copying its operands in and its results out; at a
// recurrent layer's sizes (a batch of 32, 128 units) that traffic and the calls cost
// about as much as the arithmetic. The arithmetic is the same kernels' in the same order.

import { gemm } from './gemm';
import { gruResetGates, gruResetGatesBackward, gruUpdate, gruUpdateBackward } from './gru-reset';
import { packA } from './pack';
import { addInto } from './reduce';

/**
 * out [B, H] = h' from xg [B, 3H] (b_hh added) and h [B, H]; `wrz` is W_hh[r, z]ᵀ and
 * `wn` W_hh[n]ᵀ as packB packs them. `saved` [5, B, H] gets what the backward reads:
 * h·W_rzᵀ [B, 2H], then r·h, z and hn = (r·h)·W_nᵀ [B, H]. `work` holds a packed
 * [B rounded up to 4, H] operand.
 */
export function gruBeforeStep(
  xg: usize, h: usize, wrz: usize, wn: usize, saved: usize, out: usize, work: usize, batch: i32, hidden: i32,
): void {
  const cells = <usize>(batch * hidden) << 2;
  const rh = saved + 2 * cells;
  packA(h, hidden, 1, batch, hidden, work);
  gemm(work, wrz, saved, batch, 2 * hidden, hidden, false);
  gruResetGates(xg, saved, h, rh, batch, hidden);
  packA(rh, hidden, 1, batch, hidden, work);
  gemm(work, wn, saved + 4 * cells, batch, hidden, hidden, false);
  gruUpdate(xg, saved + 4 * cells, saved + 3 * cells, h, out, batch, hidden);
}

/**
 * The step's VJP from dy [B, H]: dhrz [B, 2H] and dhn [B, H] (the cotangents of the two
 * products' outputs), dxg [B, 3H] (the same values side by side), and dh [B, H] when
 * `withDh`. `wrz` is W_hh[r, z] and `wn` W_hh[n] as packB packs them (not transposed).
 * `work` holds 3·B·H floats and then a packed [B rounded up to 4, 2H] operand.
 */
export function gruBeforeStepBackward(
  xg: usize, saved: usize, h: usize, dy: usize, wrz: usize, wn: usize,
  dxg: usize, dhrz: usize, dhn: usize, dh: usize, work: usize, withDh: bool, batch: i32, hidden: i32,
): void {
  const cells = <usize>(batch * hidden) << 2;
  // dGated [2, B, H] is (d(r·h), dz); dhUpdate is h's share through the update
  const dGated = work;
  const dhUpdate = work + 2 * cells;
  const packed = work + 3 * cells;
  gruUpdateBackward(xg, saved + 4 * cells, saved + 3 * cells, h, dy, dhn, dGated + cells, dhUpdate, batch, hidden);
  packA(dhn, hidden, 1, batch, hidden, packed);
  gemm(packed, wn, dGated, batch, hidden, hidden, false);
  gruResetGatesBackward(xg, saved, h, dGated, dhrz, dh, batch, hidden);
  if (withDh) {
    addInto(dh, dhUpdate, batch * hidden);
    packA(dhrz, 2 * hidden, 1, batch, 2 * hidden, packed);
    gemm(packed, wrz, dh, batch, hidden, 2 * hidden, true);
  }
  const rz = <usize>(2 * hidden) << 2;
  const n = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = dxg + <usize>b * (rz + n);
    memory.copy(row, dhrz + <usize>b * rz, rz);
    memory.copy(row + rz, dhn + <usize>b * n, n);
  }
}
