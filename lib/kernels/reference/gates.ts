/**
 * The fused pointwise steps of the gated cells, in plain loops: the LSTM's and the
 * GRU's gate algebra (reset-after in one part, reset-before in two around its matmul)
 * forward, and their VJPs, each one pass over the batch. The backward passes recompute the activations from the pre-activations
 * rather than keep them: four or five exps per unit cost less than storing and
 * reloading them at every step.
 *
 * @module
 */
import type { NumArray } from '../types.js';
import { stableSigmoid as sigmoid } from './opcodes.js';

/** out [2, B, H] = (h', c') of an LSTM step from gates [B, 4H] (i, f, g, o) and c [B, H]. */
export const lstmGates = (gates: NumArray, c: NumArray, out: NumArray, batch: number, hidden: number): void => {
  const cells = batch * hidden;
  for (let b = 0; b < batch; b++) {
    const g0 = b * 4 * hidden;
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const i = sigmoid(gates[g0 + j]!);
      const f = sigmoid(gates[g0 + hidden + j]!);
      const g = Math.tanh(gates[g0 + 2 * hidden + j]!);
      const o = sigmoid(gates[g0 + 3 * hidden + j]!);
      const cNext = f * c[at]! + i * g;
      out[at] = o * Math.tanh(cNext);
      out[cells + at] = cNext;
    }
  }
};

/** dGates [B, 4H] and dc [B, H] from dy [2, B, H], the cotangents of (h', c'). */
export const lstmGatesBackward = (
  gates: NumArray, c: NumArray, dy: NumArray, dGates: NumArray, dc: NumArray, batch: number, hidden: number,
): void => {
  const cells = batch * hidden;
  for (let b = 0; b < batch; b++) {
    const g0 = b * 4 * hidden;
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const i = sigmoid(gates[g0 + j]!);
      const f = sigmoid(gates[g0 + hidden + j]!);
      const g = Math.tanh(gates[g0 + 2 * hidden + j]!);
      const o = sigmoid(gates[g0 + 3 * hidden + j]!);
      const tc = Math.tanh(f * c[at]! + i * g);
      const dh = dy[at]!;
      // c' reaches the loss directly and through h' = o·tanh(c')
      const dcNext = dy[cells + at]! + dh * o * (1 - tc * tc);
      dGates[g0 + j] = dcNext * g * i * (1 - i);
      dGates[g0 + hidden + j] = dcNext * c[at]! * f * (1 - f);
      dGates[g0 + 2 * hidden + j] = dcNext * i * (1 - g * g);
      dGates[g0 + 3 * hidden + j] = dh * tc * o * (1 - o);
      dc[at] = dcNext * f;
    }
  }
};

/** out [B, H] = h' of a reset-after GRU step from xg, hg [B, 3H] (r, z, n) and h [B, H]. */
export const gruGates = (xg: NumArray, hg: NumArray, h: NumArray, out: NumArray, batch: number, hidden: number): void => {
  for (let b = 0; b < batch; b++) {
    const g0 = b * 3 * hidden;
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const r = sigmoid(xg[g0 + j]! + hg[g0 + j]!);
      const z = sigmoid(xg[g0 + hidden + j]! + hg[g0 + hidden + j]!);
      const n = Math.tanh(xg[g0 + 2 * hidden + j]! + r * hg[g0 + 2 * hidden + j]!);
      out[at] = (1 - z) * n + z * h[at]!;
    }
  }
};

/** dxg, dhg [B, 3H] and dh [B, H] from dy [B, H], the cotangent of h'. */
export const gruGatesBackward = (
  xg: NumArray, hg: NumArray, h: NumArray, dy: NumArray,
  dxg: NumArray, dhg: NumArray, dh: NumArray, batch: number, hidden: number,
): void => {
  for (let b = 0; b < batch; b++) {
    const g0 = b * 3 * hidden;
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const hn = hg[g0 + 2 * hidden + j]!;
      const r = sigmoid(xg[g0 + j]! + hg[g0 + j]!);
      const z = sigmoid(xg[g0 + hidden + j]! + hg[g0 + hidden + j]!);
      const n = Math.tanh(xg[g0 + 2 * hidden + j]! + r * hn);
      const d = dy[at]!;
      const dnPre = d * (1 - z) * (1 - n * n);
      const dzPre = d * (h[at]! - n) * z * (1 - z);
      const drPre = dnPre * hn * r * (1 - r);
      dxg[g0 + j] = drPre;
      dhg[g0 + j] = drPre;
      dxg[g0 + hidden + j] = dzPre;
      dhg[g0 + hidden + j] = dzPre;
      dxg[g0 + 2 * hidden + j] = dnPre;
      dhg[g0 + 2 * hidden + j] = dnPre * r;
      dh[at] = d * z;
    }
  }
};

/** out [2, B, H] = (r·h, z) of a reset-before GRU step from xg [B, 3H], hrz [B, 2H] and h [B, H]. */
export const gruResetGates = (xg: NumArray, hrz: NumArray, h: NumArray, out: NumArray, batch: number, hidden: number): void => {
  const cells = batch * hidden;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const x0 = b * 3 * hidden + j;
      const h0 = b * 2 * hidden + j;
      out[at] = sigmoid(xg[x0]! + hrz[h0]!) * h[at]!;
      out[cells + at] = sigmoid(xg[x0 + hidden]! + hrz[h0 + hidden]!);
    }
  }
};

/** dhrz [B, 2H] (also xg's r, z cotangent) and dh [B, H] from dy [2, B, H], the cotangents of (r·h, z). */
export const gruResetGatesBackward = (
  xg: NumArray, hrz: NumArray, h: NumArray, dy: NumArray, dhrz: NumArray, dh: NumArray, batch: number, hidden: number,
): void => {
  const cells = batch * hidden;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const x0 = b * 3 * hidden + j;
      const h0 = b * 2 * hidden + j;
      const r = sigmoid(xg[x0]! + hrz[h0]!);
      const z = sigmoid(xg[x0 + hidden]! + hrz[h0 + hidden]!);
      const drPre = dy[at]! * h[at]! * r * (1 - r);
      const dzPre = dy[cells + at]! * z * (1 - z);
      dhrz[h0] = drPre;
      dhrz[h0 + hidden] = dzPre;
      dh[at] = dy[at]! * r;
    }
  }
};

/** out [B, H] = (1 − z)·tanh(xn + hn) + z·h, the last part of a reset-before GRU step. */
export const gruUpdate = (xg: NumArray, hn: NumArray, z: NumArray, h: NumArray, out: NumArray, batch: number, hidden: number): void => {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const n = Math.tanh(xg[b * 3 * hidden + 2 * hidden + j]! + hn[at]!);
      out[at] = (1 - z[at]!) * n + z[at]! * h[at]!;
    }
  }
};

/** dhn (also xg's n-block cotangent), dz and dh [B, H] from dy [B, H], the cotangent of h'. */
export const gruUpdateBackward = (
  xg: NumArray, hn: NumArray, z: NumArray, h: NumArray, dy: NumArray, dhn: NumArray, dz: NumArray, dh: NumArray, batch: number, hidden: number,
): void => {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const at = b * hidden + j;
      const x0 = b * 3 * hidden + j;
      const n = Math.tanh(xg[x0 + 2 * hidden]! + hn[at]!);
      const d = dy[at]!;
      const dPre = d * (1 - z[at]!) * (1 - n * n);
      dhn[at] = dPre;
      dz[at] = d * (h[at]! - n);
      dh[at] = d * z[at]!;
    }
  }
};
