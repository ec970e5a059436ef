/**
 * Data movement for float32 as row-block copies: the innermost contiguous run of a
 * window, a permutation that keeps its trailing axes, a flip that leaves the last axis
 * alone, or a gathered row is moved with one `TypedArray.set` (a memcpy) instead of
 * one JavaScript step per element. WebAssembly would not pay here: the data must cross
 * into linear memory and back, which costs as much as the copy itself. Short runs and
 * other layouts go to the reference.
 *
 * @module
 */
import type { Kernels, WindowDirection } from '../backend.js';
import { referenceKernels as ref } from '../reference/index.js';
import { product, stridesOf, type Dims, type NumArray } from '../types.js';

/** Runs shorter than this are copied faster element by element than through subarray + set. */
const RUN = 16;

/**
 * Calls `visit(smallOffset, bigOffset)` for each run of `run` elements: `dims` (the
 * small shape) split into its leading `lead` axes, walked by an odometer, and the run.
 */
const eachRun = (
  dims: Dims, lead: number, smallStrides: readonly number[], bigStrides: readonly number[], origin: number,
  visit: (small: number, big: number) => void,
): void => {
  const count = product(dims, 0, lead);
  const index = new Array<number>(lead).fill(0);
  let s = 0;
  let b = origin;
  for (let r = 0; r < count; r++) {
    visit(s, b);
    for (let a = lead - 1; a >= 0; a--) {
      index[a]!++;
      s += smallStrides[a]!;
      b += bigStrides[a]!;
      if (index[a]! < dims[a]!) break;
      s -= smallStrides[a]! * dims[a]!;
      b -= bigStrides[a]! * dims[a]!;
      index[a] = 0;
    }
  }
};

/**
 * big[b ..+n] += small[s ..+n]. A function of its own over Float32Array locals: the same
 * loop inside copyWindow's closure read both arrays through the closure's context at
 * every element and ran about five times slower (a window cotangent of every time
 * step is added this way).
 */
const addRun = (big: Float32Array, b: number, small: Float32Array, s: number, n: number): void => {
  for (let i = 0; i < n; i++) big[b + i]! += small[s + i]!;
};

/**
 * Below this many elements a run is copied by a loop: `set` of a `subarray` allocates a
 * view object per run, and a block of steps cut from a batch-major sequence, or its
 * transpose to time-major, is one short run per row and step (64 floats each in W1-W3).
 */
const SHORT_RUN = 256;

/** to[t ..+n] = from[f ..+n]: a loop for a short run (see SHORT_RUN), else one `set`. */
const moveRun = (to: Float32Array, t: number, from: Float32Array, f: number, n: number): void => {
  if (n >= SHORT_RUN) to.set(from.subarray(f, f + n), t);
  else for (let i = 0; i < n; i++) to[t + i] = from[f + i]!;
};

const copyWindow = (
  big: NumArray, bigDims: Dims, small: NumArray, smallDims: Dims, starts: readonly number[], direction: WindowDirection,
): void => {
  const rank = smallDims.length;
  // trailing axes the window spans whole merge into one contiguous run
  let lead = rank - 1;
  while (lead > 0 && smallDims[lead] === bigDims[lead]) lead--;
  const run = product(smallDims, lead);
  if (!(big instanceof Float32Array) || !(small instanceof Float32Array) || rank === 0 || run < RUN) {
    return ref.copyWindow(big, bigDims, small, smallDims, starts, direction);
  }
  const bigStrides = stridesOf(bigDims);
  const origin = starts.reduce((o, s, i) => o + s * bigStrides[i]!, 0);
  eachRun(smallDims, lead, stridesOf(smallDims), bigStrides, origin, (s, b) => {
    if (direction === 'read') moveRun(small, s, big, b, run);
    else if (direction === 'write') moveRun(big, b, small, s, run);
    else addRun(big, b, small, s, run);
  });
};

const permute = (x: NumArray, dims: Dims, perm: readonly number[], out: NumArray): void => {
  const rank = dims.length;
  let lead = rank;
  while (lead > 0 && perm[lead - 1] === lead - 1) lead--;
  const run = product(dims, lead);
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || lead === rank || run < RUN) {
    return ref.permute(x, dims, perm, out);
  }
  const outDims = perm.map((p) => dims[p]!);
  const xStrides = stridesOf(dims);
  const step = perm.slice(0, lead).map((p) => xStrides[p]!);
  eachRun(outDims, lead, stridesOf(outDims), step, 0, (o, i) => moveRun(out, o, x, i, run));
};

const flip = (x: NumArray, dims: Dims, axes: readonly number[], out: NumArray): void => {
  const rank = dims.length;
  let lead = rank;
  while (lead > 0 && !axes.includes(lead - 1)) lead--;
  const run = product(dims, lead);
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || lead === rank || run < RUN) {
    return ref.flip(x, dims, axes, out);
  }
  const strides = stridesOf(dims);
  const step = strides.map((s, a) => (axes.includes(a) ? -s : s));
  const origin = axes.reduce((o, a) => o + (dims[a]! - 1) * strides[a]!, 0);
  eachRun(dims, lead, strides, step, origin, (o, i) => moveRun(out, o, x, i, run));
};

const gather = (x: NumArray, dims: Dims, axis: number, indices: Int32Array, out: NumArray): void => {
  const inner = product(dims, axis + 1);
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || inner < RUN) {
    return ref.gather(x, dims, axis, indices, out);
  }
  const outer = product(dims, 0, axis);
  const n = dims[axis]!;
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const from = (o * n + indices[j]!) * inner;
      out.set(x.subarray(from, from + inner), (o * m + j) * inner);
    }
  }
};

/** The data-movement methods of the WebAssembly backend (scatterAdd is an add loop either way). @internal */
export const layoutKernels: Pick<Kernels, 'copyWindow' | 'permute' | 'flip' | 'gather' | 'scatterAdd'> = {
  copyWindow, permute, flip, gather, scatterAdd: ref.scatterAdd,
};
