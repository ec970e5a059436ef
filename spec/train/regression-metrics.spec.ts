/** RMSE and MAE against hand-computed values, on arrays and tensors, and bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../lib/index.js';
import { mae, rmse } from '../../lib/train/index.js';

describe('rmse and mae', () => {
  it('match hand-computed values', () => {
    // errors 0, 0, -2, 1: squares 0 0 4 1 → sqrt(5/4); absolutes 0 0 2 1 → 3/4
    expect(rmse([1, 2, 3, 4], [1, 2, 5, 3])).toBeCloseTo(Math.sqrt(5 / 4), 12);
    expect(mae([1, 2, 3, 4], [1, 2, 5, 3])).toBeCloseTo(3 / 4, 12);
    expect(rmse(tensor([[1, 2], [3, 4]]), new Float64Array([1, 2, 5, 3]))).toBeCloseTo(Math.sqrt(5 / 4), 6);
  });

  it('a constant error c gives rmse = mae = |c|; otherwise mae <= rmse', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: -10, max: 10, noNaN: true }), (xs, c) => {
      const shifted = xs.map((x) => x + c);
      expect(rmse(shifted, xs)).toBeCloseTo(Math.abs(c), 6);
      expect(mae(shifted, xs)).toBeCloseTo(Math.abs(c), 6);
      const noisy = xs.map((x, i) => x + (i % 2 === 0 ? c : -2 * c));
      expect(mae(noisy, xs)).toBeLessThanOrEqual(rmse(noisy, xs) + 1e-9);
    }));
  });

  it('refuses mismatched lengths, empty input and non-finite values', () => {
    expect(() => rmse([1, 2], [1])).toThrow(/rmse: prediction has 2 values but truth has 1/);
    expect(() => mae([], [])).toThrow(/mae: prediction and truth are empty/);
    expect(() => rmse([1, NaN], [1, 2])).toThrow(/rmse: prediction\[1\] = NaN is not a finite number/);
  });
});
