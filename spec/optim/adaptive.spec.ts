/**
 * scaleByAdam, scaleByRms and scaleByAdagrad against two steps computed by hand
 * (the first Adam step is g / (|g| + eps) exactly, since bias correction undoes the
 * moments' decay), plus their states and hyperparameter checks.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../lib/index.js';
import { scaleByAdagrad, scaleByAdam, scaleByRms, type GradientTransformation } from '../../lib/optim/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64' });
const g1 = [2, -0.5, 0];
const g2 = [1, 1, -3];

const twoSteps = <S>(t: GradientTransformation<S>): [Tensor, Tensor, S] => {
  const s0 = t.init(f64([0, 0, 0]));
  const [u1, s1] = t.update(f64(g1), s0);
  const [u2, s2] = t.update(f64(g2), s1);
  return [u1, u2, s2];
};

describe('scaleByAdam', () => {
  it('first step is g / (|g| + eps); second follows the bias-corrected moments', () => {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const [u1, u2, s] = twoSteps(scaleByAdam({ b1, b2, eps }));
    expectClose(u1, f64(g1.map((g) => g / (Math.abs(g) + eps))), 1e-15);
    const want = g1.map((a, i) => {
      const m = (1 - b1) * (b1 * a + g2[i]!);
      const v = (1 - b2) * (b2 * a * a + g2[i]! ** 2);
      return (m / (1 - b1 ** 2)) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
    });
    expectClose(u2, f64(want), 1e-14);
    expect(s.count).toBe(2);
    expectClose(s.mu as Tensor, f64(g1.map((a, i) => (1 - b1) * (b1 * a + g2[i]!))), 1e-15);
  });

  it('refuses betas outside [0, 1) and a negative eps', () => {
    expect(() => scaleByAdam({ b1: 1 })).toThrow(/scaleByAdam: b1 must be a number in \[0, 1\), got 1/);
    expect(() => scaleByAdam({ b2: -0.1 })).toThrow(/b2/);
    expect(() => scaleByAdam({ eps: -1 })).toThrow(/eps/);
  });
});

describe('scaleByRms', () => {
  it('divides by sqrt(v) + eps with eps outside the root (PyTorch RMSprop)', () => {
    const [a, eps] = [0.9, 1e-3];
    const [u1, u2] = twoSteps(scaleByRms({ decay: a, eps }));
    expectClose(u1, f64(g1.map((g) => g / (Math.sqrt((1 - a) * g * g) + eps))), 1e-15);
    const v2 = g1.map((g, i) => a * (1 - a) * g * g + (1 - a) * g2[i]! ** 2);
    expectClose(u2, f64(g2.map((g, i) => g / (Math.sqrt(v2[i]!) + eps))), 1e-15);
  });

  it('refuses a decay outside [0, 1]', () => {
    expect(() => scaleByRms({ decay: 1.5 })).toThrow(/scaleByRms: decay/);
  });
});

describe('scaleByAdagrad', () => {
  it('divides by the root of the running sum of squares plus eps', () => {
    const eps = 1e-10;
    const [u1, u2, s] = twoSteps(scaleByAdagrad());
    expectClose(u1, f64(g1.map((g) => g / (Math.abs(g) + eps))), 1e-15);
    const sums = g1.map((g, i) => g * g + g2[i]! ** 2);
    expectClose(u2, f64(g2.map((g, i) => g / (Math.sqrt(sums[i]!) + eps))), 1e-15);
    expectClose(s.sum as Tensor, f64(sums), 0);
  });

  it('starts the accumulator at initialAccumulatorValue', () => {
    const t = scaleByAdagrad({ initialAccumulatorValue: 3, eps: 0 });
    const [u] = t.update(f64([1]), t.init(f64([0])));
    expectClose(u, f64([1 / 2]), 1e-15);
    expect(() => scaleByAdagrad({ initialAccumulatorValue: -1 })).toThrow(/initialAccumulatorValue/);
  });
});
