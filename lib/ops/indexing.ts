/**
 * Gather along an axis (embedding lookup, picking class scores) and its adjoint
 * scatter-add, which accumulates repeated indices. Each is the other's VJP.
 *
 * @module
 */
import { definePrimitive, type Primitive } from '../autodiff/primitive.js';
import { kernels } from '../kernels/index.js';
import { zeros } from '../tensor/create.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { normalizeAxis, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './support.js';

interface Along { readonly axis: number; readonly extent: number }

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

const gatherP: Primitive<Along, 2> = definePrimitive<Along, 2>({
  name: 'gather',
  forward: ([x, indices], { axis }) => {
    const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const out = zeros(shape, { dtype: x.dtype });
    kernels().gather(x.data, x.shape, axis, indices.data as Int32Array, out.data);
    return out;
  },
  vjp: (dy, [, indices], _, along) => [scatterAddP([dy, indices], along), null],
});

const scatterAddP: Primitive<Along, 2> = definePrimitive<Along, 2>({
  name: 'scatterAdd',
  forward: ([dy, indices], { axis, extent }) => {
    const shape = [...dy.shape.slice(0, axis), extent, ...dy.shape.slice(axis + indices.rank)];
    const out = zeros(shape, { dtype: dy.dtype });
    kernels().scatterAdd(dy.data, shape, axis, indices.data as Int32Array, out.data);
    return out;
  },
  vjp: (dz, [, indices], _, along) => [gatherP([dz, indices], along), null],
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Picks slices of `x` along `axis` at integer `indices` (any shape); the result's shape
 * is `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Its gradient scatter-adds,
 * so repeated indices accumulate.
 *
 * @example
 * ```ts
 * declare const table: Tensor, tokenIds: Tensor;   // [vocab, dim]; int32 [batch, time]
 * const vectors = gather(table, tokenIds, 0);   // embedding lookup: [batch, time, dim]
 * ```
 */
export const gather = (x: Tensor, indices: Tensor, axis = 0): Tensor => {
  expectTensor('gather', x);
  expectTensor('gather', indices, 'indices');
  const a = normalizeAxis('gather', axis, x.rank);
  if (indices.dtype !== 'int32') {
    throw new SeqgradError('gather', `indices must be int32, got ${indices.dtype} (make them with tensor(ids, { dtype: 'int32' }))`);
  }
  const extent = x.shape[a]!;
  checkInRange('gather', indices, extent, ` for axis ${axis} of shape ${showShape(x.shape)}`);
  return gatherP([x, indices], { axis: a, extent });
};

/**
 * Adds the slices of `values` into a zero tensor whose `axis` has `extent` entries, at
 * `indices` (the adjoint of `gather`; repeated indices accumulate).
 */
export const scatterAdd = (values: Tensor, indices: Tensor, axis: number, extent: number): Tensor => {
  expectTensor('scatterAdd', values, 'values');
  expectTensor('scatterAdd', indices, 'indices');
  if (indices.dtype !== 'int32') throw new SeqgradError('scatterAdd', `indices must be int32, got ${indices.dtype}`);
  if (!Number.isInteger(extent) || extent < 0) throw new SeqgradError('scatterAdd', `extent must be a non-negative integer, got ${extent}`);
  checkInRange('scatterAdd', indices, extent, '');
  // values must look like a gather's output: [...before, ...indices.shape, ...after]
  const a = normalizeAxis('scatterAdd', axis, Math.max(values.rank - indices.rank + 1, 0));
  const held = values.shape.slice(a, a + indices.rank);
  if (!shapesEqual(held, indices.shape)) {
    throw new SeqgradError('scatterAdd', `values ${showShape(values.shape)} do not hold indices ${showShape(indices.shape)} at axis ${axis} (found ${showShape(held)})`);
  }
  return scatterAddP([values, indices], { axis: a, extent });
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Refuses the first index outside `[0, extent)`, naming it, its position and `where`. */
const checkInRange = (op: string, indices: Tensor, extent: number, where: string): void => {
  const bad = indices.data.findIndex((i) => i < 0 || i >= extent);
  if (bad >= 0) throw new SeqgradError(op, `index ${indices.data[bad]} at position ${bad} is out of range [0, ${extent})${where}`);
};
