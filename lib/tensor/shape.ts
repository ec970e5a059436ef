/**
 * Shapes: sizes, row-major strides, NumPy broadcasting and axis normalisation. Every
 * check that can fail takes the op's name so the message says who refused what.
 *
 * @module
 */
import { SeqgradError, showShape, showValue } from './errors.js';

/** A tensor's shape: one non-negative integer per axis; `[]` is a scalar. */
export type Shape = readonly number[];

/** The number of elements of a tensor of `shape`. */
export const sizeOf = (shape: Shape): number => {
  if (!Array.isArray(shape)) throw new SeqgradError('sizeOf', `shape must be an array of extents, got ${showValue(shape)}`);
  return shape.reduce((n, d) => n * d, 1);
};

export { stridesOf } from '../kernels/types.js';

/** True when both shapes have the same rank and extents. */
export const shapesEqual = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The NumPy broadcast of two shapes: align on the right; each pair of extents must be
 * equal or one of them 1.
 *
 * @throws SeqgradError naming `op` and both shapes when they do not broadcast.
 */
export const broadcastShapes = (op: string, a: Shape, b: Shape): number[] => {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new SeqgradError(op, `shapes ${showShape(a)} and ${showShape(b)} do not broadcast (axis ${i - rank}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
};

/** True when `from` broadcasts to exactly `to`. */
export const broadcastsTo = (from: Shape, to: Shape): boolean =>
  from.length <= to.length && from.every((d, i) => d === 1 || d === to[to.length - from.length + i]);

/**
 * Resolves a possibly negative axis against `rank`.
 *
 * @throws SeqgradError naming `op` when the axis is out of range.
 * @internal
 */
export const normalizeAxis = (op: string, axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new SeqgradError(op, `axis ${showValue(axis)} is out of range for a tensor of rank ${rank}`);
  }
  return a;
};

/** @internal Resolves an optional axis list (all axes when omitted), sorted and de-duplicated. */
export const normalizeAxes = (op: string, axes: number | readonly number[] | undefined, rank: number): number[] => {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new SeqgradError(op, `axis must be a number or an array of numbers, got ${showValue(axes)}`);
  }
  const list = typeof axes === 'number' ? [axes] : axes;
  const resolved = list.map((a) => normalizeAxis(op, a, rank));
  // NumPy and PyTorch refuse a repeated axis rather than reduce it once
  const repeated = resolved.findIndex((a, i) => resolved.indexOf(a) !== i);
  if (repeated >= 0) throw new SeqgradError(op, `axis ${showValue(axes)} names axis ${resolved[repeated]} twice`);
  return [...resolved].sort((x, y) => x - y);
};

/** Checks that `shape` (the argument called `name`) is an array of non-negative integers. */
export const checkShape = (op: string, shape: Shape, name = 'shape'): void => {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new SeqgradError(op, `invalid ${name} ${showValue(shape)}: extents must be non-negative integers`);
  }
};
