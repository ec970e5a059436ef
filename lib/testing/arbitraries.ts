/**
 * fast-check arbitraries for property tests of tensor code: shapes (rank 0 to 4 with
 * size-1 axes), pairs of shapes that broadcast, and float64 tensors with values kept
 * away from chosen points (the kinks of relu, abs, max).
 *
 * @module
 */
import fc from 'fast-check';
import { tensor } from '../tensor/create.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of `shapeArb`. */
export interface ShapeOptions {
  /** Smallest rank (default 0). */
  readonly minRank?: number;
  /** Largest rank (default 4). */
  readonly maxRank?: number;
  /** Largest extent of an axis (default 4). */
  readonly maxDim?: number;
  /** Smallest extent (default 1; 0 allows empty tensors). */
  readonly minDim?: number;
}

/**
 * Shapes of rank `minRank..maxRank` (0..4 by default), extents `minDim..maxDim`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(shapeArb({ maxRank: 3 }), (shape) => sizeOf(shape) >= 1));
 * ```
 */
export const shapeArb = (options: ShapeOptions = {}): fc.Arbitrary<number[]> => {
  const { minRank = 0, maxRank = 4, maxDim = 4, minDim = 1 } = options;
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
};

/**
 * Two shapes that broadcast against each other: one is a full shape; the other drops
 * some leading axes and sets some of the rest to 1 (randomly choosing which side is which).
 */
export const broadcastPairArb = (options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> =>
  shapeArb(options).chain((full) =>
    fc.tuple(
      fc.integer({ min: 0, max: full.length }),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      fc.boolean(),
    ).map(([drop, ones, swap]) => {
      const other = full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
      return swap ? [other, full] : [full, other];
    }),
  );

/** Options of `tensorArb`. */
export interface TensorOptions {
  /** Smallest value (default -2). */
  readonly min?: number;
  /** Largest value (default 2). */
  readonly max?: number;
  /** Keep every value at least this far from each of `avoid` (default 0.05 when `avoid` is given). */
  readonly margin?: number;
  /** Points to keep away from, e.g. `[0]` for relu and abs. */
  readonly avoid?: readonly number[];
}

/** float64 tensors of `shape` with values in `[min, max]` (-2..2 by default). */
export const tensorArb = (shape: Shape, options: TensorOptions = {}): fc.Arbitrary<Tensor> => {
  const { min = -2, max = 2, avoid = [], margin = 0.05 } = options;
  const size = sizeOf(shape);
  const value = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter((v) => avoid.every((p) => Math.abs(v - p) >= margin));
  return fc.array(value, { minLength: size, maxLength: size }).map((values) => tensor(Float64Array.from(values), { shape }));
};

/** A shape together with a float64 tensor of that shape. */
export const shapedTensorArb = (shapeOptions: ShapeOptions = {}, options: TensorOptions = {}): fc.Arbitrary<Tensor> =>
  shapeArb(shapeOptions).chain((shape) => tensorArb(shape, options));

/** Two tensors whose shapes broadcast against each other. */
export const broadcastTensorsArb = (shapeOptions: ShapeOptions = {}, options: TensorOptions = {}): fc.Arbitrary<[Tensor, Tensor]> =>
  broadcastPairArb(shapeOptions).chain(([a, b]) => fc.tuple(tensorArb(a, options), tensorArb(b, options)));
