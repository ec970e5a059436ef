/**
 * Shape helpers: sizes, strides, NumPy broadcasting (checked against an independent
 * per-axis rule, and its error naming the op and both shapes), axis normalisation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  broadcastShapes, broadcastsTo, checkShape, normalizeAxes, normalizeAxis, SeqgradError, shapesEqual, sizeOf, stridesOf,
} from '../../lib/index.js';
import { broadcastPairArb, shapeArb } from '../../lib/testing/index.js';

describe('sizes and strides', () => {
  it('sizeOf multiplies extents; a scalar has one element', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([5, 0])).toBe(0);
  });

  it('stridesOf is row-major', () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
    expect(stridesOf([7])).toEqual([1]);
  });

  it('shapesEqual compares rank and extents', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([1, 3], [3])).toBe(false);
    expect(shapesEqual([], [])).toBe(true);
  });

  it('checkShape refuses negative, fractional and non-array shapes, naming the op', () => {
    expect(() => checkShape('reshape', [2, 3])).not.toThrow();
    expect(() => checkShape('reshape', [2, -3])).toThrow(/^reshape: invalid shape \[2, -3\]/);
    expect(() => checkShape('zeros', [0.5])).toThrow(SeqgradError);
    expect(() => checkShape('zeros', 3 as unknown as number[])).toThrow(/^zeros: invalid shape 3/);
  });
});

describe('broadcastShapes', () => {
  it('aligns on the right and stretches extents of 1', () => {
    expect(broadcastShapes('add', [2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(broadcastShapes('add', [], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes('add', [5, 1], [1])).toEqual([5, 1]);
    expect(broadcastShapes('add', [0, 1], [1, 3])).toEqual([0, 3]);
  });

  it('agrees with the per-axis rule on generated pairs, and is symmetric', () => {
    fc.assert(fc.property(broadcastPairArb({ maxRank: 5, maxDim: 4 }), ([a, b]) => {
      const out = broadcastShapes('op', a, b);
      expect(out).toHaveLength(Math.max(a.length, b.length));
      out.forEach((d, i) => {
        const da = a[a.length - out.length + i] ?? 1;
        const db = b[b.length - out.length + i] ?? 1;
        expect(d).toBe(da === 1 ? db : da);
      });
      expect(broadcastShapes('op', b, a)).toEqual(out);
      expect(broadcastsTo(a, out)).toBe(true);
      expect(broadcastsTo(b, out)).toBe(true);
    }), { numRuns: 200 });
  });

  it('throws an error naming the op, both shapes and the clashing axis', () => {
    const run = (): unknown => broadcastShapes('mul', [2, 3], [4, 3]);
    expect(run).toThrow(SeqgradError);
    expect(run).toThrow('mul: shapes [2, 3] and [4, 3] do not broadcast (axis -2: 2 vs 4)');
    expect(() => broadcastShapes('where', [3], [2, 4])).toThrow(/^where: shapes \[3\] and \[2, 4\] do not broadcast \(axis -1: 3 vs 4\)/);
  });

  it('any two shapes broadcast exactly when every right-aligned pair is equal or has a 1', () => {
    fc.assert(fc.property(shapeArb({ maxRank: 3, maxDim: 3 }), shapeArb({ maxRank: 3, maxDim: 3 }), (a, b) => {
      const rank = Math.max(a.length, b.length);
      const ok = Array.from({ length: rank }, (_, i) => [a[a.length - rank + i] ?? 1, b[b.length - rank + i] ?? 1])
        .every(([x, y]) => x === y || x === 1 || y === 1);
      if (ok) expect(() => broadcastShapes('op', a, b)).not.toThrow();
      else expect(() => broadcastShapes('op', a, b)).toThrow(SeqgradError);
    }), { numRuns: 200 });
  });
});

describe('broadcastsTo', () => {
  it('is one-directional', () => {
    expect(broadcastsTo([3], [2, 3])).toBe(true);
    expect(broadcastsTo([2, 3], [3])).toBe(false);
    expect(broadcastsTo([1, 3], [4, 3])).toBe(true);
    expect(broadcastsTo([4, 3], [1, 3])).toBe(false);
  });
});

describe('normalizeAxis and normalizeAxes', () => {
  it('resolves negative axes', () => {
    expect(normalizeAxis('sum', -1, 3)).toBe(2);
    expect(normalizeAxis('sum', -3, 3)).toBe(0);
    expect(normalizeAxis('sum', 2, 3)).toBe(2);
  });

  it('refuses out-of-range and fractional axes, naming the op, the axis and the rank', () => {
    expect(() => normalizeAxis('softmax', 3, 3)).toThrow('softmax: axis 3 is out of range for a tensor of rank 3');
    expect(() => normalizeAxis('softmax', -4, 3)).toThrow(/axis -4 is out of range/);
    expect(() => normalizeAxis('sum', 0.5, 3)).toThrow(SeqgradError);
    expect(() => normalizeAxis('sum', 0, 0)).toThrow(/rank 0/);
  });

  it('normalizeAxes sorts, refuses a repeated axis and defaults to all axes', () => {
    expect(normalizeAxes('sum', [2, -3], 3)).toEqual([0, 2]);
    expect(() => normalizeAxes('sum', [2, -3, -1], 3)).toThrow(/^sum: axis \[2, -3, -1\] names axis 2 twice/);
    expect(() => normalizeAxes('sum', [0, 0], 3)).toThrow(/^sum: axis \[0, 0\] names axis 0 twice/);
    expect(normalizeAxes('sum', -2, 3)).toEqual([1]);
    expect(normalizeAxes('sum', undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeAxes('sum', [], 3)).toEqual([]);
    expect(() => normalizeAxes('max', [0, 5], 2)).toThrow(/^max: axis 5/);
    expect(() => normalizeAxes('flip', 'a' as unknown as number, 2)).toThrow(/^flip: axis must be a number or an array of numbers, got "a"/);
  });
});
