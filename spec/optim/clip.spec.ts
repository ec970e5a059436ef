/**
 * globalNorm, clipByGlobalNorm (PyTorch's clip_grad_norm_ with its 1e-6) and
 * clipByValue, on a 3-4-5 triangle and other hand-computed trees.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../lib/index.js';
import { clipByGlobalNorm, clipByValue, globalNorm } from '../../lib/optim/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });

describe('globalNorm', () => {
  it('is the L2 norm over every leaf together: 3-4-5', () => {
    expect(globalNorm({ a: f64([3]), b: f64([4]) })).toBe(5);
    expect(globalNorm([f64([[1, 2], [2, 0]]), { c: f64([4]) }, null])).toBe(5);
    expect(globalNorm({})).toBe(0);
  });

  it('accumulates float32 leaves in double precision (their squares would overflow float32)', () => {
    expect(Math.abs(globalNorm(tensor([3e20, 4e20])) / 5e20 - 1)).toBeLessThan(1e-7);
  });
});

describe('clipByGlobalNorm', () => {
  const grads = { a: f64([3]), b: [f64([0, -4])] };

  it('scales by maxNorm / (norm + 1e-6) when that is below 1', () => {
    const t = clipByGlobalNorm(1);
    const [u] = t.update(grads, t.init(grads));
    const k = 1 / (5 + 1e-6);
    expectClose(u.a, f64([3 * k]), 1e-15);
    expectClose(u.b[0]!, f64([0, -4 * k]), 1e-15);
    expect(globalNorm(u)).toBeCloseTo(1, 6);
  });

  it('leaves updates alone when the norm is within maxNorm', () => {
    const t = clipByGlobalNorm(5);
    // 5 / (5 + 1e-6) < 1, so a norm of exactly maxNorm is still (barely) scaled, as PyTorch
    expect(t.update(grads, t.init(grads))[0].a.item()).toBeLessThan(3);
    const loose = clipByGlobalNorm(5.001);
    expect(loose.update(grads, loose.init(grads))[0]).toBe(grads);
  });

  it('refuses a non-positive maxNorm', () => {
    expect(() => clipByGlobalNorm(0)).toThrow(/clipByGlobalNorm: maxNorm must be a number in \(0, ∞\], got 0/);
  });
});

describe('clipByValue', () => {
  it('limits each element to [-v, v]', () => {
    const t = clipByValue(0.5);
    const [u] = t.update([f64([-2, 0.25, 0.5, 7])], t.init(null));
    expectClose(u[0]!, f64([-0.5, 0.25, 0.5, 0.5]), 0);
    expect(() => clipByValue(-1)).toThrow(/clipByValue: maxValue/);
  });
});
