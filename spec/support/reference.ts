/**
 * Independent reference computations for the op specs: index arithmetic on flat
 * row-major data written from scratch (never calling the code under test), plus small
 * assertion helpers for gradient reports and input immutability, and arbitraries the
 * op properties share (reduction options, tensors with well-separated values).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { SeqgradError, tensor, type Tensor } from '../../lib/index.js';
import type { GradReport } from '../../lib/testing/index.js';

/** Row-major multi-index of flat index `i` in `shape`. */
/** fast-check runs per primitive property (the issue asks for at least 100). */
export const RUNS = { numRuns: 100 };

/** Rank 0..4 with extents up to 3: at most 81 elements, so finite differences stay quick. */
export const SHAPES = { maxRank: 4, maxDim: 3 };

export const unravel = (shape: readonly number[], i: number): number[] => {
  const idx = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return idx;
};

/** Flat row-major index of multi-index `idx` in `shape`. */
export const ravel = (shape: readonly number[], idx: readonly number[]): number =>
  idx.reduce((flat, v, a) => flat * shape[a]! + v, 0);

/** The NumPy broadcast of several shapes, or null when they do not broadcast. */
export const broadcastAll = (...shapes: (readonly number[])[]): number[] | null => {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const ds = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...ds);
    if (ds.some((d) => d !== 1 && d !== big)) return null;
    out.push(big);
  }
  return out;
};

/** The flat index in a tensor of `from` read at multi-index `outIdx` of its broadcast `to`. */
export const broadcastRead = (from: readonly number[], to: readonly number[], outIdx: readonly number[]): number => {
  const lead = to.length - from.length;
  return ravel(from, from.map((d, a) => (d === 1 ? 0 : outIdx[a + lead]!)));
};

/** Elementwise reference of `f` over broadcast operands, as a plain array with its shape. */
export const mapBroadcastRef = (inputs: readonly Tensor[], f: (...v: number[]) => number): { shape: number[]; data: number[] } => {
  const shape = broadcastAll(...inputs.map((t) => t.shape))!;
  const size = shape.reduce((n, d) => n * d, 1);
  const data = Array.from({ length: size }, (_, i) => {
    const idx = unravel(shape, i);
    return f(...inputs.map((t) => t.data[broadcastRead(t.shape, shape, idx)]!));
  });
  return { shape, data };
};

/** Asserts that `t` has `shape` and elements within `tol` (relative, floored at 1) of `data`. */
export const expectData = (t: Tensor, shape: readonly number[], data: ArrayLike<number>, tol = 0): void => {
  expect(t.shape).toEqual(shape);
  expect(t.size).toBe(data.length);
  for (let i = 0; i < data.length; i++) {
    const want = data[i]!;
    const got = t.data[i]!;
    const err = Math.abs(got - want) / Math.max(1, Math.abs(want));
    if (!(err <= tol) && !(Object.is(got, want))) expect(got, `element ${i}`).toBe(want);
  }
};

/** Asserts that `run` throws a SeqgradError whose message matches `message`. */
export const expectSeqgradError = (run: () => unknown, message: RegExp): void => {
  let thrown: unknown = null;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected a SeqgradError matching ${message}`).toBeInstanceOf(SeqgradError);
  expect((thrown as Error).message).toMatch(message);
};

/** Asserts a `checkGrad` report passed, printing its message otherwise. */
export const expectGradOk = (report: GradReport): void => {
  expect(report.ok, report.message).toBe(true);
};

/** Runs `run` and asserts that the data of `inputs` did not change. */
export const expectUnchanged = (inputs: readonly Tensor[], run: () => unknown): void => {
  const before = inputs.map((t) => Array.from(t.data));
  run();
  inputs.forEach((t, k) => expect(Array.from(t.data), `input ${k} was mutated`).toEqual(before[k]));
};

/** A float64 tensor from plain numbers and a shape. */
export const f64 = (data: readonly number[], shape: readonly number[] = [data.length]): Tensor =>
  tensor(Float64Array.from(data), { shape });

/**
 * A float64 tensor of `shape` whose elements are pairwise at least 0.04 apart (a
 * shuffled grid plus jitter), so max and sort-like ops have no ties within a
 * finite-difference step.
 */
export const distinctTensorArb = (shape: readonly number[]): fc.Arbitrary<Tensor> => {
  const size = shape.reduce((n, d) => n * d, 1);
  const grid = Array.from({ length: size }, (_, i) => i);
  return fc
    .tuple(fc.shuffledSubarray(grid, { minLength: size, maxLength: size }), fc.array(fc.double({ min: 0, max: 0.01, noNaN: true }), { minLength: size, maxLength: size }))
    .map(([order, jitter]) => f64(order.map((g, i) => (g - size / 2) * 0.05 + jitter[i]!), shape));
};

/** Reduction options for a tensor of rank `rank`: all axes, one axis or a subset, each possibly negative; keepdims either way. */
export const reduceOptionsArb = (rank: number): fc.Arbitrary<{ axis?: number | number[]; keepdims: boolean }> => {
  const axisArb = fc.integer({ min: 0, max: Math.max(0, rank - 1) }).chain((a) => fc.constantFrom(a, a - rank));
  const subsetArb = fc.subarray(Array.from({ length: rank }, (_, i) => i)).chain((axes) =>
    fc.tuple(...axes.map((a) => fc.constantFrom(a, a - rank))).map((list) => list as number[]),
  );
  const axis = rank === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), axisArb, subsetArb);
  return fc.record({ axis, keepdims: fc.boolean() }).map(({ axis: a, keepdims }) => (a === undefined ? { keepdims } : { axis: a, keepdims }));
};

/** The axes (non-negative, sorted) that reduction options select for rank `rank`. */
export const selectedAxes = (axis: number | readonly number[] | undefined, rank: number): number[] => {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
};

/**
 * Reference reduction: folds each group of elements that share their kept indices with
 * `f` over the plain array, giving the result's shape and data.
 */
export const reduceRef = (
  x: Tensor, axes: readonly number[], keepdims: boolean, f: (values: number[]) => number,
): { shape: number[]; data: number[] } => {
  const kept = x.shape.map((d, a) => (axes.includes(a) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.size; i++) {
    const idx = unravel(x.shape, i).map((v, a) => (axes.includes(a) ? 0 : v));
    const key = ravel(kept, idx);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(x.data[i]!);
  }
  const size = kept.reduce((n, d) => n * d, 1);
  const data = Array.from({ length: size }, (_, k) => f(groups.get(k) ?? []));
  return { shape: keepdims ? kept : x.shape.filter((_, a) => !axes.includes(a)), data };
};
