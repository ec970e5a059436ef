/**
 * Data movement: permuting axes, copying rectangular windows (slice reads one, pad and
 * concat write them), flipping axes, and gather / scatter-add along an axis.
 *
 * @module
 */
import { product, stridesOf, type Dims, type NumArray } from '../types.js';

/** `out` (of dims `dims[perm[i]]`) gets `x` with its axes reordered by `perm`. */
export const permute = (x: NumArray, dims: Dims, perm: readonly number[], out: NumArray): void => {
  const srcStrides = stridesOf(dims);
  const outDims = perm.map((p) => dims[p]!);
  const step = perm.map((p) => srcStrides[p]!);
  walk(outDims, step, (i, src) => {
    out[i] = x[src]!;
  });
};

/**
 * Copies the window of `big` that starts at `starts` and has the extents of `smallDims`:
 * into `small` when `direction` is 'read' (slice), from `small` when 'write' (pad, concat),
 * or adding `small` into it when 'add' (a slice's gradient into an existing buffer).
 *
 * The window is moved as contiguous runs: trailing axes the window spans in full merge
 * into one run (a time step of a `[batch, time, features]` sequence is `batch` runs of
 * `features`), and only the axes in front of the run are walked. A run is a typed-array
 * `set` (a memory copy) or one tight loop, never a call per element.
 */
export const copyWindow = (
  big: NumArray, bigDims: Dims, small: NumArray, smallDims: Dims, starts: readonly number[],
  direction: 'read' | 'write' | 'add',
): void => {
  if (small.length === 0) return;
  const bigStrides = stridesOf(bigDims);
  const origin = starts.reduce((o, s, i) => o + s * bigStrides[i]!, 0);
  // merge trailing axes while the window covers the big buffer's whole extent there
  let first = smallDims.length - 1;
  let run = smallDims.length === 0 ? 1 : smallDims[first]!;
  while (first > 0 && smallDims[first] === bigDims[first]) {
    first--;
    run *= smallDims[first]!;
  }
  const outerDims = smallDims.slice(0, Math.max(first, 0));
  const outerStrides = bigStrides.slice(0, outerDims.length);
  let i = 0;
  walk(outerDims, outerStrides, (_, offset) => {
    moveRun(big, origin + offset, small, i, run, direction);
    i += run;
  });
};

/** Moves `n` consecutive elements between `big` at `at` and `small` at `from`. */
const moveRun = (big: NumArray, at: number, small: NumArray, from: number, n: number, direction: 'read' | 'write' | 'add'): void => {
  if (direction === 'read') small.set(big.subarray(at, at + n), from);
  else if (direction === 'write') big.set(small.subarray(from, from + n), at);
  else for (let j = 0; j < n; j++) big[at + j]! += small[from + j]!;
};

/** `out` gets `x` reversed along each axis in `axes`. */
export const flip = (x: NumArray, dims: Dims, axes: readonly number[], out: NumArray): void => {
  const strides = stridesOf(dims);
  const step = strides.map((s, a) => (axes.includes(a) ? -s : s));
  const origin = axes.reduce((o, a) => o + (dims[a]! - 1) * strides[a]!, 0);
  walk(dims, step, (i, offset) => {
    out[i] = x[origin + offset]!;
  });
};

/**
 * Gathers along `axis`: x viewed as [outer, n, inner], `indices` (already range-checked)
 * pick rows of the middle axis; `out` is [outer, indices.length, inner].
 */
export const gather = (x: NumArray, dims: Dims, axis: number, indices: NumArray, out: NumArray): void =>
  moveRows(x, dims, axis, indices, out, 'gather');

/** The adjoint of `gather`: adds each gathered row of `dy` back at its index (repeats accumulate). */
export const scatterAdd = (dy: NumArray, dims: Dims, axis: number, indices: NumArray, out: NumArray): void =>
  moveRows(dy, dims, axis, indices, out, 'scatterAdd');

/** Rows of the indexed axis (extent n in `dims`) to and from the compact [outer, m, inner] layout. */
const moveRows = (from: NumArray, dims: Dims, axis: number, indices: NumArray, to: NumArray, direction: 'gather' | 'scatterAdd'): void => {
  const outer = product(dims, 0, axis);
  const n = dims[axis]!;
  const inner = product(dims, axis + 1);
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const indexed = (o * n + indices[j]!) * inner;
      const compact = (o * m + j) * inner;
      if (direction === 'gather') for (let k = 0; k < inner; k++) to[compact + k] = from[indexed + k]!;
      else for (let k = 0; k < inner; k++) to[indexed + k]! += from[compact + k]!;
    }
  }
};

/** Visits every index of `dims` in row-major order with its offset under `strides`. */
const walk = (dims: Dims, strides: readonly number[], visit: (i: number, offset: number) => void): void => {
  const rank = dims.length;
  const total = product(dims);
  if (total === 0) return;
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < total; i++) {
    visit(i, offset);
    for (let a = rank - 1; a >= 0; a--) {
      index[a]!++;
      offset += strides[a]!;
      if (index[a]! < dims[a]!) break;
      offset -= strides[a]! * dims[a]!;
      index[a] = 0;
    }
  }
};
