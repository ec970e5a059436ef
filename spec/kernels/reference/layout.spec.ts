/**
 * Data movement kernels against multi-index arithmetic (spec/support): permute, window
 * copies in all three directions, flip, and gather with its adjoint scatter-add, whose
 * repeated indices must accumulate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyWindow, flip, gather, permute, scatterAdd } from '../../../lib/kernels/reference/layout.js';
import { shapeArb } from '../../../lib/testing/index.js';
import { ravel, unravel } from '../../support/reference.js';

const size = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);
const counting = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);

const shapeAndPermArb = shapeArb({ maxRank: 4, maxDim: 3 }).chain((shape) =>
  fc.tuple(fc.constant(shape), fc.shuffledSubarray(Array.from({ length: shape.length }, (_, i) => i), { minLength: shape.length, maxLength: shape.length })));

describe('permute', () => {
  it('out[idx] = x[idx permuted back], for any permutation', () => {
    fc.assert(fc.property(shapeAndPermArb, ([dims, perm]) => {
      const x = counting(size(dims));
      const outDims = perm.map((p) => dims[p]!);
      const out = new Float64Array(x.length);
      permute(x, dims, perm, out);
      out.forEach((v, i) => {
        const idx = unravel(outDims, i);
        const src = new Array<number>(dims.length);
        perm.forEach((p, a) => { src[p] = idx[a]!; });
        expect(v).toBe(x[ravel(dims, src)]);
      });
    }), { numRuns: 200 });
  });
});

describe('copyWindow', () => {
  const windowArb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((big) =>
    fc.tuple(...big.map((d) => fc.integer({ min: 0, max: d }).chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 0, max: d - start })))))
      .map((pairs) => ({ big, starts: pairs.map(([s]) => s), small: pairs.map(([, n]) => n) })));

  it('reads, writes and adds the window at `starts`, and touches nothing else', () => {
    fc.assert(fc.property(windowArb, ({ big, starts, small }) => {
      const bigData = counting(size(big));
      const inside = (idx: number[]): boolean => idx.every((v, a) => v >= starts[a]! && v < starts[a]! + small[a]!);
      const read = new Float64Array(size(small));
      copyWindow(bigData, big, read, small, starts, 'read');
      read.forEach((v, i) => expect(v).toBe(bigData[ravel(big, unravel(small, i).map((v2, a) => v2 + starts[a]!))]));
      const patch = Float64Array.from({ length: size(small) }, (_, i) => -(i + 1));
      for (const direction of ['write', 'add'] as const) {
        const target = bigData.slice();
        copyWindow(target, big, patch, small, starts, direction);
        target.forEach((v, i) => {
          const idx = unravel(big, i);
          if (!inside(idx)) return expect(v).toBe(bigData[i]);
          const p = patch[ravel(small, idx.map((v2, a) => v2 - starts[a]!))]!;
          return expect(v).toBe(direction === 'write' ? p : bigData[i]! + p);
        });
      }
    }), { numRuns: 200 });
  });
});

describe('flip', () => {
  it('reverses the chosen axes', () => {
    fc.assert(fc.property(shapeArb({ maxRank: 4, maxDim: 3 }).chain((s) => fc.tuple(fc.constant(s), fc.subarray(s.map((_, i) => i)))), ([dims, axes]) => {
      const x = counting(size(dims));
      const out = new Float64Array(x.length);
      flip(x, dims, axes, out);
      out.forEach((v, i) => {
        const src = unravel(dims, i).map((k, a) => (axes.includes(a) ? dims[a]! - 1 - k : k));
        expect(v).toBe(x[ravel(dims, src)]);
      });
    }), { numRuns: 200 });
  });
});

describe('gather and scatterAdd', () => {
  it('gather picks rows of the axis; scatterAdd sends them back, summing repeats', () => {
    // x viewed as [outer 2, n 3, inner 2]; indices repeat 2 and skip 1
    const dims = [2, 3, 2];
    const x = counting(12);
    const indices = new Int32Array([2, 0, 2]);
    const out = new Float64Array(2 * 3 * 2);
    gather(x, dims, 1, indices, out);
    expect(Array.from(out)).toEqual([5, 6, 1, 2, 5, 6, 11, 12, 7, 8, 11, 12]);
    const back = new Float64Array(12);
    scatterAdd(Float64Array.from({ length: 12 }, () => 1), dims, 1, indices, back);
    // row 2 was gathered twice, row 0 once, row 1 never
    expect(Array.from(back)).toEqual([1, 1, 0, 0, 2, 2, 1, 1, 0, 0, 2, 2]);
  });

  it('scatterAdd is the adjoint of gather: <gather(x), y> = <x, scatterAdd(y)>', () => {
    const caseArb = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
      .chain(([outer, n, inner]) => fc.tuple(fc.constant([outer, n, inner]), fc.array(fc.nat(n - 1), { maxLength: 6 }), fc.integer()));
    fc.assert(fc.property(caseArb, ([dims, idx, seed]) => {
      const indices = Int32Array.from(idx);
      const gatheredSize = dims[0]! * idx.length * dims[2]!;
      const x = Float64Array.from({ length: size(dims) }, (_, i) => ((i * 7 + seed) % 11) - 5);
      const y = Float64Array.from({ length: gatheredSize }, (_, i) => ((i * 5 + seed) % 13) - 6);
      const gx = new Float64Array(gatheredSize);
      gather(x, dims, 1, indices, gx);
      const sy = new Float64Array(size(dims));
      scatterAdd(y, dims, 1, indices, sy);
      const dot = (u: Float64Array, v: Float64Array): number => u.reduce((s, e, i) => s + e * v[i]!, 0);
      expect(dot(gx, y)).toBe(dot(x, sy));
    }), { numRuns: 200 });
  });
});
