/**
 * Reductions over a set of axes. The input is viewed as [outer, reduced, inner]
 * blocks when the reduced axes are contiguous (the common case: one axis, or the
 * trailing ones); otherwise a general odometer maps each input element to its output.
 *
 * @module
 */
import type { Reducer } from '../backend.js';
import { product, type Dims, type NumArray } from '../types.js';

/** Reduces `x` of `dims` over `axes` (sorted, unique) into `out` (size = product of kept extents). */
export const reduceAxes = (x: NumArray, dims: Dims, axes: readonly number[], out: NumArray, reducer: Reducer): void => {
  out.fill(reducer === 'sum' ? 0 : -Infinity);
  if (x.length === 0) return;
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
  if (contiguous && axes.length > 0) {
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    reduceBlocks(x, out, product(dims, 0, first), product(dims, first, last + 1), product(dims, last + 1), reducer);
    return;
  }
  reduceGeneral(x, dims, axes, out, reducer);
};

const reduceBlocks = (x: NumArray, out: NumArray, outer: number, reduced: number, inner: number, reducer: Reducer): void => {
  for (let o = 0; o < outer; o++) {
    const base = o * reduced * inner;
    const outBase = o * inner;
    for (let r = 0; r < reduced; r++) {
      const row = base + r * inner;
      if (reducer === 'sum') for (let i = 0; i < inner; i++) out[outBase + i]! += x[row + i]!;
      else for (let i = 0; i < inner; i++) out[outBase + i] = maxNaN(out[outBase + i]!, x[row + i]!);
    }
  }
};

/**
 * Non-contiguous axes: each input element, in order, lands on its output at `keptStride`
 * (0 on reduced axes). The odometer is inlined rather than layout's `walk`: a callback
 * per element measured 1.6× slower here.
 */
const reduceGeneral = (x: NumArray, dims: Dims, axes: readonly number[], out: NumArray, reducer: Reducer): void => {
  const rank = dims.length;
  const keptStride = new Array<number>(rank).fill(0);
  let step = 1;
  for (let a = rank - 1; a >= 0; a--) {
    if (!axes.includes(a)) {
      keptStride[a] = step;
      step *= dims[a]!;
    }
  }
  const index = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < x.length; i++) {
    out[o] = reducer === 'sum' ? out[o]! + x[i]! : maxNaN(out[o]!, x[i]!);
    for (let a = rank - 1; a >= 0; a--) {
      index[a]!++;
      o += keptStride[a]!;
      if (index[a]! < dims[a]!) break;
      o -= keptStride[a]! * dims[a]!;
      index[a] = 0;
    }
  }
};

/**
 * `out[o·inner + i]` = the index along `axis` of the largest `x[o, :, i]` (x viewed as
 * [outer, n, inner]); the first on ties, and a NaN counts as the largest, as in NumPy.
 */
export const argmaxAxis = (x: NumArray, dims: Dims, axis: number, out: Int32Array): void => {
  const outer = product(dims, 0, axis);
  const n = dims[axis]!;
  const inner = product(dims, axis + 1);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      let bestValue = x[base]!;
      for (let j = 1; j < n && bestValue === bestValue; j++) {
        const v = x[base + j * inner]!;
        if (v > bestValue || v !== v) {
          best = j;
          bestValue = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
};

/** max that propagates NaN, as PyTorch's amax does. */
const maxNaN = (a: number, b: number): number => (a > b || Number.isNaN(a) ? a : b);
