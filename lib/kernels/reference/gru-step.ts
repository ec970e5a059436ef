/**
 * The reset-before GRU step as the reference computes it: the two hidden products and
 * the pointwise parts, one kernel after another, in the order the WebAssembly module's
 * one-call step follows. The backend's own kernels are passed in, so the WebAssembly
 * backend runs the same sequence where its one call does not apply.
 *
 * @module
 */
import type { Kernels } from '../backend.js';
import type { NumArray } from '../types.js';

type Parts = Pick<Kernels, 'matmul' | 'addInto' | 'gruResetGates' | 'gruResetGatesBackward' | 'gruUpdate' | 'gruUpdateBackward'>;

/** A new array of `array`'s type and `length` elements. */
const like = (array: NumArray, length: number): NumArray => new (array.constructor as new (n: number) => NumArray)(length);

/** `gruBeforeStep` over a backend's own kernels. @internal */
export const gruBeforeStepWith = (k: Parts): Kernels['gruBeforeStep'] => (xg, h, weightHh, saved, out, batch, hidden) => {
  const cells = batch * hidden;
  const [hrz, rh, z, hn] = [saved.subarray(0, 2 * cells), saved.subarray(2 * cells, 3 * cells), saved.subarray(3 * cells, 4 * cells), saved.subarray(4 * cells)];
  k.matmul({ data: h, offset: 0, transposed: false }, { data: weightHh, offset: 0, transposed: true }, hrz, 0, batch, 2 * hidden, hidden);
  k.gruResetGates(xg, hrz, h, saved.subarray(2 * cells, 4 * cells), batch, hidden);
  k.matmul({ data: rh, offset: 0, transposed: false }, { data: weightHh, offset: 2 * hidden * hidden, transposed: true }, hn, 0, batch, hidden, hidden);
  k.gruUpdate(xg, hn, z, h, out, batch, hidden);
};

/** `gruBeforeStepBackward` over a backend's own kernels. @internal */
export const gruBeforeStepBackwardWith = (k: Parts): Kernels['gruBeforeStepBackward'] => (
  xg, saved, h, dy, weightHh, dxg, dhrz, dhn, dh, withDh, batch, hidden,
) => {
  const cells = batch * hidden;
  const [hrz, z, hn] = [saved.subarray(0, 2 * cells), saved.subarray(3 * cells, 4 * cells), saved.subarray(4 * cells)];
  // (d(r·h), dz), and h's share through the update
  const dGated = like(dy, 2 * cells);
  const dhUpdate = like(dy, cells);
  k.gruUpdateBackward(xg, hn, z, h, dy, dhn, dGated.subarray(cells), dhUpdate, batch, hidden);
  k.matmul({ data: dhn, offset: 0, transposed: false }, { data: weightHh, offset: 2 * hidden * hidden, transposed: false }, dGated, 0, batch, hidden, hidden);
  k.gruResetGatesBackward(xg, hrz, h, dGated, dhrz, dh, batch, hidden);
  if (withDh) {
    k.addInto(dh, dhUpdate);
    k.matmul({ data: dhrz, offset: 0, transposed: false }, { data: weightHh, offset: 0, transposed: false }, dh, 0, batch, hidden, 2 * hidden, true);
  }
  for (let b = 0; b < batch; b++) {
    dxg.set(dhrz.subarray(b * 2 * hidden, (b + 1) * 2 * hidden), b * 3 * hidden);
    dxg.set(dhn.subarray(b * hidden, (b + 1) * hidden), b * 3 * hidden + 2 * hidden);
  }
};
