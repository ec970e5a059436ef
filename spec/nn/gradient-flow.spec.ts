/**
 * hiddenGradientNorms: ‖∂L/∂h_t‖ by hand for a linear recurrence (powers of the
 * recurrent weight), against finite differences of an independent hand-unrolled loop
 * for random cells, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, hiddenGradientNorms, key, leaves, mul, normal, ones, rnn, sum, tensor, type Tensor } from '../../lib/index.js';
import { identityRelu, variantArb } from '../support/recurrent-cells.js';

const x = ones([2, 4, 1], { dtype: 'float64' });

describe('hiddenGradientNorms', () => {
  it('gives w^(T-1-t) per row for L = Σ h_T of h_t = h_{t-1}·w + x_t (two rows: × √2)', () => {
    const { norms, loss } = hiddenGradientNorms(rnn({ nonlinearity: 'relu' }), identityRelu(1, 0.5), x, (_, hT) => sum(hT as Tensor));
    // h = 1, 1.5, 1.75, 1.875 per row
    expect(loss).toBeCloseTo(2 * 1.875, 12);
    [0.125, 0.25, 0.5, 1].forEach((g, t) => expect(norms[t]).toBeCloseTo(Math.SQRT2 * g, 12));
  });

  it('sums every later path for L = Σ_t h_t', () => {
    const { norms } = hiddenGradientNorms(rnn({ nonlinearity: 'relu' }), identityRelu(1, 0.5), x, (ys) => sum(ys));
    // ∂L/∂h_t = Σ_{s ≥ t} 0.5^(s-t): 1.875, 1.75, 1.5, 1
    [1.875, 1.75, 1.5, 1].forEach((g, t) => expect(norms[t]).toBeCloseTo(Math.SQRT2 * g, 12));
  });

  it('agrees with finite differences of a hand-unrolled loop (random cells, sizes)', () => {
    const sizes = fc.record({ batch: fc.integer({ min: 1, max: 2 }), time: fc.integer({ min: 1, max: 4 }), hidden: fc.integer({ min: 1, max: 3 }), seed: fc.nat(1000) });
    fc.assert(fc.property(variantArb, sizes, ({ cell }, s) => {
      const params = cell.init(key(s.seed), { inputSize: 2, hiddenSize: s.hidden, dtype: 'float64' });
      const xs = normal(key(s.seed + 1), [s.batch, s.time, 2], { dtype: 'float64' });
      const w = normal(key(s.seed + 2), [s.batch, s.time, s.hidden], { dtype: 'float64' });
      const loss = (ys: Tensor, carry: unknown): Tensor => add(sum(mul(ys, w)), sum(leaves(carry)[leaves(carry).length - 1]!));
      const { norms } = hiddenGradientNorms(cell, params, xs, loss);
      // the loss with h_t (output and carry alike) nudged by `delta`, unrolled here without scan
      const nudged = (t: number, delta: Tensor): number => {
        let carry: any = cell.initialCarry(params, s.batch);
        const ys: Tensor[] = [];
        for (let u = 0; u < s.time; u++) {
          const xt = tensor(Array.from({ length: s.batch * 2 }, (_, i) => xs.data[(Math.floor(i / 2) * s.time + u) * 2 + (i % 2)]!), { shape: [s.batch, 2], dtype: 'float64' });
          const [next, y] = cell.step(params, carry, xt);
          const h = u === t ? add(y, delta) : y;
          carry = next instanceof Object && 'h' in (next as object) ? { ...(next as object), h } : h;
          ys.push(h);
        }
        const stackedYs = tensor(Array.from({ length: s.batch * s.time * s.hidden }, (_, i) => {
          const b = Math.floor(i / (s.time * s.hidden)), u = Math.floor(i / s.hidden) % s.time, j = i % s.hidden;
          return ys[u]!.data[b * s.hidden + j]!;
        }), { shape: [s.batch, s.time, s.hidden], dtype: 'float64' });
        return loss(stackedYs, carry).item();
      };
      const eps = 1e-6;
      norms.forEach((n, t) => {
        let sq = 0;
        for (let i = 0; i < s.batch * s.hidden; i++) {
          const e = (sign: number) => tensor(Array.from({ length: s.batch * s.hidden }, (_, k) => (k === i ? sign * eps : 0)), { shape: [s.batch, s.hidden], dtype: 'float64' });
          sq += ((nudged(t, e(1)) - nudged(t, e(-1))) / (2 * eps)) ** 2;
        }
        expect(Math.abs(n - Math.sqrt(sq))).toBeLessThan(1e-5 * (1 + Math.sqrt(sq)));
      });
    }), { numRuns: 25 });
  });

  it('refuses a sequence that is not [batch, time, features]', () => {
    expect(() => hiddenGradientNorms(rnn(), identityRelu(), ones([2, 3], { dtype: 'float64' }), (ys) => sum(ys)))
      .toThrow(/hiddenGradientNorms: x must be a non-empty \[batch, time, features\] tensor, got shape \[2, 3\]/);
  });
});
