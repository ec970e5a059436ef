/**
 * dropout: identity at evaluation; while training, the kept fraction is near 1 - rate
 * on a large tensor and kept values are scaled by 1/(1 - rate); the same key gives the
 * same mask; rates and keys are validated.
 */
import { describe, expect, it } from 'vitest';
import { grad, key, mul, splitKey, sum, tensor, SeqgradError, type Tensor } from '../../../lib/index.js';
import { dropout } from '../../../lib/nn/layers/dropout.js';

const big = tensor(Array.from({ length: 100_000 }, (_, i) => 1 + (i % 7)), { shape: [200, 500], dtype: 'float64' });

describe('dropout', () => {
  it('is the identity when not training', () => {
    expect(dropout(big, { rate: 0.5 })).toBe(big);
    expect(dropout(big, { rate: 0.5, key: key(1), train: false })).toBe(big);
    expect(dropout(big, { rate: 0, key: key(1), train: true })).toBe(big);
  });

  it('keeps a fraction near 1 - rate and scales kept values by 1/(1 - rate)', () => {
    for (const rate of [0.1, 0.5, 0.8]) {
      const y = dropout(big, { rate, key: key(42), train: true });
      let kept = 0;
      let worst = 0;
      y.data.forEach((v, i) => {
        if (v !== 0) {
          kept++;
          worst = Math.max(worst, Math.abs(v - big.data[i]! / (1 - rate)));
        }
      });
      expect(worst).toBeLessThan(1e-12);
      // 100 000 Bernoulli draws: the standard error of the fraction is below 0.0016
      expect(Math.abs(kept / big.size - (1 - rate))).toBeLessThan(0.01);
    }
  });

  it('draws the same mask from the same key and a different one from another key', () => {
    const [k1, k2] = splitKey(key(9));
    const a = dropout(big, { rate: 0.3, key: k1, train: true });
    const b = dropout(big, { rate: 0.3, key: k1, train: true });
    const c = dropout(big, { rate: 0.3, key: k2, train: true });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('passes the gradient through kept elements only, scaled', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: 'float64' });
    const k = key(5);
    const y = dropout(x, { rate: 0.5, key: k, train: true });
    const g = grad((p: { x: Tensor }) => sum(mul(dropout(p.x, { rate: 0.5, key: k, train: true }), 1)))({ x });
    g.x.data.forEach((d, i) => expect(d).toBe(y.data[i] === 0 ? 0 : 2));
  });

  it('zeroes everything at rate 1', () => {
    expect(Array.from(dropout(tensor([1, 2]), { rate: 1, key: key(0), train: true }).data)).toEqual([0, 0]);
  });

  it('refuses bad rates, a missing key while training, and integer input', () => {
    expect(() => dropout(big, { rate: 1.5 })).toThrow(SeqgradError);
    expect(() => dropout(big, { rate: -0.1 })).toThrow(/dropout: rate must be a probability in \[0, 1\], got -0.1/);
    expect(() => dropout(big, { rate: NaN })).toThrow(/got NaN/);
    expect(() => dropout(big, { rate: 0.2, train: true })).toThrow(/dropout: expected a PRNG key/);
    expect(() => dropout(tensor([1], { dtype: 'int32' }), { rate: 0.2 })).toThrow(/dropout: x must be a floating tensor, got int32 \[1\]/);
  });
});
