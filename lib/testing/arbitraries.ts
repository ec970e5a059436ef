/**
 * fast-check arbitraries for property tests of tensor code: shapes (rank 0 to 4 with
 * size-1 axes), pairs of shapes that broadcast, and float64 tensors with values kept
 * away from chosen points (the kinks of relu, abs, max).
 *
 * @module
 */
import fc from 'fast-check';
import { tensor } from '../tensor/create.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import { checkShape, sizeOf, type Shape } from '../tensor/shape.js';
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
 * import fc from 'fast-check';
 *
 * fc.assert(fc.property(shapeArb({ maxRank: 3 }), (shape) => sizeOf(shape) >= 1));
 * ```
 */
export const shapeArb = (options: ShapeOptions = {}): fc.Arbitrary<number[]> => shapes('shapeArb', options);

const shapes = (op: string, options: ShapeOptions): fc.Arbitrary<number[]> => {
  const { minRank = 0, maxRank = 4, maxDim = 4, minDim = 1 } = options ?? {};
  checkRange(op, 'options.minRank', minRank, 'options.maxRank', maxRank);
  checkRange(op, 'options.minDim', minDim, 'options.maxDim', maxDim);
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
};

/**
 * Two shapes that broadcast against each other: one is a full shape; the other drops
 * some leading axes and sets some of the rest to 1 (randomly choosing which side is which).
 */
export const broadcastPairArb = (options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> => pairs('broadcastPairArb', options);

const pairs = (op: string, options: ShapeOptions): fc.Arbitrary<[number[], number[]]> =>
  shapes(op, options).chain((full) =>
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
  checkShape('tensorArb', shape);
  return values(checkValues('tensorArb', options), shape);
};

const values = (options: TensorOptions, shape: Shape): fc.Arbitrary<Tensor> => {
  const { min = -2, max = 2, avoid = [], margin = 0.05 } = options;
  const size = sizeOf(shape);
  const value = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter((v) => avoid.every((p) => Math.abs(v - p) >= margin));
  return fc.array(value, { minLength: size, maxLength: size }).map((values) => tensor(Float64Array.from(values), { shape }));
};

/** A shape together with a float64 tensor of that shape. */
export const shapedTensorArb = (shapeOptions: ShapeOptions = {}, options: TensorOptions = {}): fc.Arbitrary<Tensor> => {
  const checked = checkValues('shapedTensorArb', options);
  return shapes('shapedTensorArb', shapeOptions).chain((shape) => values(checked, shape));
};

/** Two tensors whose shapes broadcast against each other. */
export const broadcastTensorsArb = (shapeOptions: ShapeOptions = {}, options: TensorOptions = {}): fc.Arbitrary<[Tensor, Tensor]> => {
  const checked = checkValues('broadcastTensorsArb', options);
  return pairs('broadcastTensorsArb', shapeOptions).chain(([a, b]) => fc.tuple(values(checked, a), values(checked, b)));
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** `low` and `high` are non-negative integers with low <= high (else fast-check's own error would name neither). */
const checkRange = (op: string, lowName: string, low: unknown, highName: string, high: unknown): void => {
  for (const [name, v] of [[lowName, low], [highName, high]] as const) {
    if (!Number.isInteger(v) || (v as number) < 0) throw new SeqgradError(op, `${name} must be a non-negative integer, got ${showValue(v)}`);
  }
  if ((low as number) > (high as number)) throw new SeqgradError(op, `${lowName} (${showValue(low)}) must not exceed ${highName} (${showValue(high)})`);
};

const checkValues = (op: string, options: TensorOptions): TensorOptions => {
  const { min = -2, max = 2, avoid = [], margin = 0.05 } = options ?? {};
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new SeqgradError(op, `options.min and options.max must be finite with min <= max, got ${showValue(min)} and ${showValue(max)}`);
  if (!(margin >= 0)) throw new SeqgradError(op, `options.margin must be a number >= 0, got ${showValue(margin)}`);
  if (!Array.isArray(avoid) || !avoid.every(Number.isFinite)) throw new SeqgradError(op, `options.avoid must be an array of finite numbers, got ${showValue(avoid)}`);
  return options ?? {};
};
