/**
 * Elementwise loops: unary maps, and binary maps with NumPy broadcasting. The common
 * cases (equal shapes, a scalar operand, an operand that repeats whole along leading
 * axes, as a bias does) run as flat loops; anything else walks the output with an
 * odometer over per-operand strides (stride 0 on broadcast axes).
 *
 * @module
 */
import { broadcastStrides, type Dims, type NumArray } from '../types.js';

/** `out[i] = f(x[i])`. */
export const mapUnary = (x: NumArray, out: NumArray, f: (v: number) => number): void => {
  for (let i = 0; i < out.length; i++) out[i] = f(x[i]!);
};

/** `out[i] += x[i]` over equal-length buffers (the tape's in-place accumulation). */
export const addInto = (out: NumArray, x: NumArray): void => {
  for (let i = 0; i < out.length; i++) out[i]! += x[i]!;
};

/** `out = f(a, b)` over the broadcast of `aDims` and `bDims` (which is `outDims`). */
export const mapBinary = (
  a: NumArray, aDims: Dims, b: NumArray, bDims: Dims,
  out: NumArray, outDims: Dims, f: (x: number, y: number) => number,
): void => {
  if (a.length === out.length && b.length === out.length) {
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b[i]!);
  } else if (b.length === 1 && a.length === out.length) {
    const y = b[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, y);
  } else if (a.length === 1 && b.length === out.length) {
    const x = a[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(x, b[i]!);
  } else if (a.length === out.length && b.length > 0 && isTrailingBlock(bDims, outDims)) {
    // a bias row against a batch: b repeats whole, so no odometer (measured 8× faster for [64, 256] + [256])
    for (let o = 0; o < out.length; o += b.length) for (let j = 0; j < b.length; j++) out[o + j] = f(a[o + j]!, b[j]!);
  } else if (b.length === out.length && a.length > 0 && isTrailingBlock(aDims, outDims)) {
    for (let o = 0; o < out.length; o += a.length) for (let j = 0; j < a.length; j++) out[o + j] = f(a[j]!, b[o + j]!);
  } else if (a.length === out.length && b.length > 0 && isLeadingBlock(bDims, outDims)) {
    // a per-row statistic against its rows (x - max(x, keepdims) in a softmax): b[i] serves a run of outputs
    const run = out.length / b.length;
    for (let i = 0, o = 0; i < b.length; i++) for (let j = 0; j < run; j++, o++) out[o] = f(a[o]!, b[i]!);
  } else if (b.length === out.length && a.length > 0 && isLeadingBlock(aDims, outDims)) {
    const run = out.length / a.length;
    for (let i = 0, o = 0; i < a.length; i++) for (let j = 0; j < run; j++, o++) out[o] = f(a[i]!, b[o]!);
  } else {
    mapBroadcast([a, b], [aDims, bDims], out, outDims, (v) => f(v[0]!, v[1]!));
  }
};

/** `out = f(a, b, c)` over the broadcast of three operands (used by `where`). */
export const mapTernary = (
  operands: readonly [NumArray, NumArray, NumArray], dims: readonly [Dims, Dims, Dims],
  out: NumArray, outDims: Dims, f: (x: number, y: number, z: number) => number,
): void => mapBroadcast(operands, dims, out, outDims, (v) => f(v[0]!, v[1]!, v[2]!));

/** Copies `x` of `dims` into `out` of `outDims`, repeating along broadcast axes. */
export const broadcastInto = (x: NumArray, dims: Dims, out: NumArray, outDims: Dims): void => {
  if (x.length === out.length) out.set(x);
  else if (x.length === 1) out.fill(x[0]!);
  else if (x.length > 0 && isTrailingBlock(dims, outDims)) tile(x, out);
  else mapBroadcast([x], [dims], out, outDims, (v) => v[0]!);
};

/**
 * Repeats `x` through `out` (whose length is a multiple of x's): one copy of x, then the
 * filled part copied onto the rest, doubling each time, so a bias tiled over 1,600 rows
 * is a dozen memory copies rather than 1,600 calls.
 */
const tile = (x: NumArray, out: NumArray): void => {
  out.set(x);
  for (let filled = x.length; filled < out.length; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
};

/** True when `dims`, past its leading 1s, are the trailing extents of `outDims`: the operand repeats as one block. */
const isTrailingBlock = (dims: Dims, outDims: Dims): boolean => {
  const lead = outDims.length - dims.length;
  let k = 0;
  while (k < dims.length && dims[k] === 1) k++;
  for (; k < dims.length; k++) if (dims[k] !== outDims[lead + k]) return false;
  return true;
};

/**
 * True when `dims` matches `outDims` on its leading axes and is 1 on the rest (kept
 * reduced axes): each of its elements stands for one contiguous run of the output.
 */
const isLeadingBlock = (dims: Dims, outDims: Dims): boolean => {
  if (dims.length !== outDims.length) return false;
  let k = dims.length;
  while (k > 0 && dims[k - 1] === 1) k--;
  for (let i = 0; i < k; i++) if (dims[i] !== outDims[i]) return false;
  return true;
};

/** The general broadcasting walk: an odometer over `outDims` with one offset per operand. */
const mapBroadcast = (
  operands: readonly NumArray[], dims: readonly Dims[], out: NumArray, outDims: Dims,
  f: (values: number[]) => number,
): void => {
  const rank = outDims.length;
  const strides = dims.map((d) => broadcastStrides(d, outDims));
  const index = new Array<number>(rank).fill(0);
  const offsets = new Array<number>(operands.length).fill(0);
  const values = new Array<number>(operands.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < operands.length; k++) values[k] = operands[k]![offsets[k]!]!;
    out[i] = f(values);
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      for (let k = 0; k < operands.length; k++) offsets[k]! += strides[k]![axis]!;
      if (index[axis]! < outDims[axis]!) break;
      for (let k = 0; k < operands.length; k++) offsets[k]! -= strides[k]![axis]! * outDims[axis]!;
      index[axis] = 0;
    }
  }
};
