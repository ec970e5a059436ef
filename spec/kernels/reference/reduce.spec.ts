/**
 * reduceAxes against a grouping reference (spec/support): sums and maxima over any
 * subset of axes (the contiguous block path and the general odometer), empty inputs,
 * and NaN propagating through max as in PyTorch's amax.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reduceAxes } from '../../../lib/kernels/reference/reduce.js';
import { shapeArb } from '../../../lib/testing/index.js';
import { reduceRef } from '../../support/reference.js';
import { tensor } from '../../../lib/index.js';

const axesArb = (rank: number): fc.Arbitrary<number[]> =>
  fc.subarray(Array.from({ length: rank }, (_, i) => i));

describe('reduceAxes', () => {
  for (const reducer of ['sum', 'max'] as const) {
    it(`${reducer} over any sorted subset of axes agrees with grouping by kept indices`, () => {
      const caseArb = shapeArb({ maxRank: 4, maxDim: 3 }).chain((shape) =>
        fc.tuple(fc.constant(shape), axesArb(shape.length), fc.array(fc.integer({ min: -50, max: 50 }), { minLength: shape.reduce((n, d) => n * d, 1), maxLength: shape.reduce((n, d) => n * d, 1) })));
      fc.assert(fc.property(caseArb, ([shape, axes, values]) => {
        const x = tensor(Float64Array.from(values), { shape });
        const want = reduceRef(x, axes, true, reducer === 'sum' ? (v) => v.reduce((s, e) => s + e, 0) : (v) => Math.max(...v));
        const out = new Float64Array(want.data.length).fill(12345); // the kernel must overwrite, not add to, its output
        reduceAxes(x.data, shape, axes, out, reducer);
        expect(Array.from(out)).toEqual(want.data);
      }), { numRuns: 200 });
    });
  }

  it('gives 0 and -Infinity for empty inputs', () => {
    const sum = new Float32Array(2);
    reduceAxes(new Float32Array(0), [2, 0], [1], sum, 'sum');
    expect(Array.from(sum)).toEqual([0, 0]);
    const max = new Float32Array(2);
    reduceAxes(new Float32Array(0), [2, 0], [1], max, 'max');
    expect(Array.from(max)).toEqual([-Infinity, -Infinity]);
  });

  it('max propagates NaN on both the block and the general path', () => {
    const x = new Float64Array([1, NaN, 3, 4, 5, 6]);
    const rows = new Float64Array(2);
    reduceAxes(x, [2, 3], [1], rows, 'max');
    expect(rows[0]).toBeNaN();
    expect(rows[1]).toBe(6);
    // axes 0 and 2 of [2, 3, 1] are not contiguous: the odometer path
    const cols = new Float64Array(3);
    reduceAxes(x, [2, 3, 1], [0, 2], cols, 'max');
    expect(cols[0]).toBe(4);
    expect(cols[1]).toBeNaN();
    expect(cols[2]).toBe(6);
  });

  it('with no axes copies the input', () => {
    const out = new Float64Array(3);
    reduceAxes(new Float64Array([1, 2, 3]), [3], [], out, 'sum');
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });
});
