/**
 * Types and index helpers shared by the kernels. Kernels are plain loops over typed
 * arrays; they know nothing of tensors, tapes or models, and they never allocate what
 * the caller gives.
 *
 * @module
 */

import { SeqgradError } from './errors.js';

/** A numeric typed array a kernel reads or writes. */
export type NumArray = Float32Array | Float64Array | Int32Array;

/** Row-major extents of a buffer. */
export type Dims = readonly number[];

/** @internal Row-major strides of `dims`, in elements. */
export const stridesOf = (dims: Dims): number[] => {
  if (!Array.isArray(dims)) throw new SeqgradError('stridesOf', `dims must be an array of extents, got ${typeof dims}`);
  const strides = new Array<number>(dims.length);
  let step = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= dims[i]!;
  }
  return strides;
};

/** Row-major strides of `dims`, with stride 0 on the axes that `dims` broadcasts along `outDims`. @internal */
export const broadcastStrides = (dims: Dims, outDims: Dims): number[] => {
  const strides = new Array<number>(outDims.length).fill(0);
  let step = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const o = outDims.length - dims.length + i;
    strides[o] = dims[i] === 1 && outDims[o] !== 1 ? 0 : step;
    step *= dims[i]!;
  }
  return strides;
};

/** The product of `dims[from..to)` (all of them by default). @internal */
export const product = (dims: Dims, from = 0, to = dims.length): number => {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
};
