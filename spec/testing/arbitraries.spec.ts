/**
 * The fast-check arbitraries: shapes stay within their rank and extent bounds,
 * broadcastPairArb's pairs really broadcast (checked by the per-axis rule written
 * here) and cover rank differences and stretched axes, tensors respect their value
 * range and keep away from the points they avoid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastPairArb, broadcastTensorsArb, shapeArb, shapedTensorArb, tensorArb } from '../../lib/testing/index.js';

/** The NumPy rule, axis by axis from the right; null when the shapes clash. */
const broadcastByRule = (a: readonly number[], b: readonly number[]): number[] | null => {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
};

const boundsArb = fc.record({
  minRank: fc.nat(3), extraRank: fc.nat(2), minDim: fc.nat(2), extraDim: fc.nat(4),
}).map(({ minRank, extraRank, minDim, extraDim }) => ({
  minRank, maxRank: minRank + extraRank, minDim, maxDim: minDim + extraDim,
}));

describe('shapeArb', () => {
  it('stays within the rank and extent bounds it is given', () => {
    fc.assert(fc.property(boundsArb.chain((o) => fc.tuple(fc.constant(o), shapeArb(o))), ([o, shape]) => {
      expect(shape.length).toBeGreaterThanOrEqual(o.minRank);
      expect(shape.length).toBeLessThanOrEqual(o.maxRank);
      for (const d of shape) {
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(o.minDim);
        expect(d).toBeLessThanOrEqual(o.maxDim);
      }
    }), { numRuns: 300 });
  });

  it('defaults to ranks 0..4 and extents 1..4, reaching both ends', () => {
    const shapes = fc.sample(shapeArb(), { numRuns: 500, seed: 1 });
    expect(shapes.every((s) => s.length <= 4 && s.every((d) => d >= 1 && d <= 4))).toBe(true);
    expect(shapes.some((s) => s.length === 0)).toBe(true);
    expect(shapes.some((s) => s.length === 4)).toBe(true);
    expect(shapes.some((s) => s.includes(1))).toBe(true);
  });
});

describe('broadcastPairArb', () => {
  it('produces pairs that broadcast, to the larger of the two', () => {
    fc.assert(fc.property(broadcastPairArb({ maxRank: 5, maxDim: 5 }), ([a, b]) => {
      const out = broadcastByRule(a, b);
      expect(out, `${JSON.stringify(a)} and ${JSON.stringify(b)} do not broadcast`).not.toBeNull();
      // one of the pair is the full shape
      expect([JSON.stringify(a), JSON.stringify(b)]).toContain(JSON.stringify(out));
    }), { numRuns: 500 });
  });

  it('covers rank differences, stretched axes, and both orders', () => {
    const pairs = fc.sample(broadcastPairArb(), { numRuns: 500, seed: 2 });
    expect(pairs.some(([a, b]) => a.length < b.length)).toBe(true);
    expect(pairs.some(([a, b]) => a.length > b.length)).toBe(true);
    const stretched = ([a, b]: [number[], number[]]): boolean => {
      const out = broadcastByRule(a, b)!;
      const lead = out.length - a.length;
      return a.some((d, i) => d === 1 && out[i + lead] !== 1);
    };
    expect(pairs.some(stretched)).toBe(true);
    expect(pairs.some(([a, b]) => stretched([b, a]))).toBe(true);
  });
});

describe('tensor arbitraries', () => {
  it('tensorArb makes float64 tensors of the shape, with values in range, away from avoided points', () => {
    const options = { min: -1, max: 1, avoid: [0, 0.5], margin: 0.1 };
    fc.assert(fc.property(shapeArb({ maxRank: 3 }).chain((s) => fc.tuple(fc.constant(s), tensorArb(s, options))), ([shape, t]) => {
      expect(t.shape).toEqual(shape);
      expect(t.dtype).toBe('float64');
      for (const v of t.data) {
        expect(v).toBeGreaterThanOrEqual(-1);
        expect(v).toBeLessThanOrEqual(1);
        expect(Math.abs(v)).toBeGreaterThanOrEqual(0.1);
        expect(Math.abs(v - 0.5)).toBeGreaterThanOrEqual(0.1);
      }
    }), { numRuns: 200 });
  });

  it('shapedTensorArb respects its shape options; broadcastTensorsArb pairs broadcast', () => {
    fc.assert(fc.property(shapedTensorArb({ minRank: 2, maxRank: 2, maxDim: 3 }), (t) => {
      expect(t.rank).toBe(2);
      expect(t.shape.every((d) => d >= 1 && d <= 3)).toBe(true);
    }), { numRuns: 100 });
    fc.assert(fc.property(broadcastTensorsArb({ maxRank: 3 }), ([a, b]) => {
      expect(broadcastByRule(a.shape, b.shape)).not.toBeNull();
      expect(a.dtype).toBe('float64');
    }), { numRuns: 100 });
  });
});
