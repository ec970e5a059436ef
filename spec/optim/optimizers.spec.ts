/**
 * The named optimizers against steps computed by hand with PyTorch's update rules
 * (the fixtures' trajectories are checked by the conformance spec), over nested
 * parameter trees, with schedules, and with pure, reusable state.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../lib/index.js';
import { adagrad, adam, adamw, applyUpdates, rmsprop, sgd, type GradientTransformation, type OptimizerState } from '../../lib/optim/index.js';
import { flattenState } from '../../lib/tree/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64' });
const p0 = [1, -2, 0.5];
const g1 = [0.5, -1, 2];
const g2 = [-0.25, 3, 1];

/** Parameters after feeding g1 then g2 (as PyTorch's step after each backward). */
const run = (opt: GradientTransformation<OptimizerState>, grads = [g1, g2]): Tensor[] => {
  let p = f64(p0);
  let s = opt.init(p);
  return grads.map((g) => {
    const [u, next] = opt.update(f64(g), s, p);
    p = applyUpdates(p, u);
    s = next;
    return p;
  });
};
const each = (f: (i: number) => number): Tensor => f64(p0.map((_, i) => f(i)));

describe('sgd', () => {
  it('p - lr·g', () => {
    expectClose(run(sgd({ lr: 0.1 }))[0]!, each((i) => p0[i]! - 0.1 * g1[i]!), 1e-15);
  });

  it('momentum: buf = g, then μ·buf + g', () => {
    const [a, b] = run(sgd({ lr: 0.1, momentum: 0.9 }));
    const p1 = p0.map((p, i) => p - 0.1 * g1[i]!);
    expectClose(a!, f64(p1), 1e-15);
    expectClose(b!, each((i) => p1[i]! - 0.1 * (0.9 * g1[i]! + g2[i]!)), 1e-15);
  });

  it('nesterov with weight decay: g\' = g + wd·p, update g\' + μ·buf', () => {
    const [a] = run(sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }));
    expectClose(a!, each((i) => p0[i]! - 0.1 * 1.9 * (g1[i]! + 0.01 * p0[i]!)), 1e-15);
  });

  it('refuses nesterov without momentum and a negative momentum', () => {
    expect(() => sgd({ nesterov: true })).toThrow(/sgd: nesterov needs momentum > 0/);
    expect(() => sgd({ momentum: -1 })).toThrow(/sgd: momentum/);
  });
});

describe('adam and adamw', () => {
  const eps = 1e-8;

  it('adam\'s first step is p - lr·g / (|g| + eps)', () => {
    expectClose(run(adam({ lr: 0.01 }))[0]!, each((i) => p0[i]! - 0.01 * g1[i]! / (Math.abs(g1[i]!) + eps)), 1e-15);
  });

  it('adam\'s weightDecay is L2 added to the gradient before the moments', () => {
    const g = g1.map((x, i) => x + 0.1 * p0[i]!);
    expectClose(run(adam({ lr: 0.01, weightDecay: 0.1 }))[0]!, each((i) => p0[i]! - 0.01 * g[i]! / (Math.abs(g[i]!) + eps)), 1e-15);
  });

  it('adamw decays decoupled: p - lr·(adam step + wd·p)', () => {
    const want = each((i) => p0[i]! - 0.01 * (g1[i]! / (Math.abs(g1[i]!) + eps) + 0.1 * p0[i]!));
    expectClose(run(adamw({ lr: 0.01, weightDecay: 0.1 }))[0]!, want, 1e-15);
    // PyTorch's default weight decay for AdamW is 0.01
    expectClose(run(adamw({ lr: 0.01 }))[0]!, each((i) => p0[i]! - 0.01 * (g1[i]! / (Math.abs(g1[i]!) + eps) + 0.01 * p0[i]!)), 1e-15);
  });
});

describe('rmsprop', () => {
  it('p - lr·g / (sqrt((1-α)·g²) + eps) first, and momentum on the scaled gradient', () => {
    const [alpha, eps, lr] = [0.99, 1e-8, 0.01];
    const u1 = g1.map((g) => g / (Math.sqrt((1 - alpha) * g * g) + eps));
    expectClose(run(rmsprop({ lr }))[0]!, each((i) => p0[i]! - lr * u1[i]!), 1e-15);
    const v2 = g1.map((g, i) => alpha * (1 - alpha) * g * g + (1 - alpha) * g2[i]! ** 2);
    const u2 = g2.map((g, i) => g / (Math.sqrt(v2[i]!) + eps));
    const [, b] = run(rmsprop({ lr, momentum: 0.5 }));
    expectClose(b!, each((i) => p0[i]! - lr * u1[i]! - lr * (0.5 * u1[i]! + u2[i]!)), 1e-14);
    expect(() => rmsprop({ momentum: -0.5 })).toThrow(/rmsprop: momentum/);
  });
});

describe('adagrad', () => {
  it('p - lr·g / (sqrt(Σg²) + eps), with lr / (1 + t·lrDecay) at step t', () => {
    const eps = 1e-10;
    const [a, b] = run(adagrad({ lr: 0.1, lrDecay: 0.5 }));
    const p1 = p0.map((p, i) => p - 0.1 * g1[i]! / (Math.abs(g1[i]!) + eps));
    expectClose(a!, f64(p1), 1e-15);
    expectClose(b!, each((i) => p1[i]! - (0.1 / 1.5) * g2[i]! / (Math.sqrt(g1[i]! ** 2 + g2[i]! ** 2) + eps)), 1e-15);
    expect(() => adagrad({ lrDecay: -1 })).toThrow(/adagrad: lrDecay/);
  });
});

/** Every state leaf by path, tensors as plain arrays, so a later mutation would show. */
const snapshotState = (state: unknown): Record<string, unknown> =>
  Object.fromEntries(flattenState(state).map(({ path, leaf }) => [path, typeof leaf === 'number' ? leaf : Array.from(leaf.data)]));

describe('every named optimizer', () => {
  const all = { sgd: sgd({ lr: 0.1, momentum: 0.9 }), adam: adam(), adamw: adamw(), rmsprop: rmsprop({ momentum: 0.1 }), adagrad: adagrad({ lr: (s) => 0.1 / (s + 1) }) };

  it('works over nested trees and leaves its state unchanged, so an update can be repeated', () => {
    for (const [name, opt] of Object.entries(all)) {
      const params = { enc: [{ w: f64([1, 2]) }], dec: { b: f64([3]) } };
      const grads = { enc: [{ w: f64([0.5, -0.5]) }], dec: { b: f64([1]) } };
      const s0 = opt.init(params);
      const snapshot = snapshotState(s0);
      const [u1, s1] = opt.update(grads, s0, params);
      const [u2] = opt.update(grads, s0, params);
      expectClose(u1.enc[0]!.w, u2.enc[0]!.w, 0, name);
      expect(s1, name).not.toBe(s0);
      const after = snapshotState(s0);
      expect(after, name).toEqual(snapshot);
      expect(applyUpdates(params, u1).dec.b.item(), name).toBeLessThan(3);
    }
  });

  it('keeps in its state only the links its options need', () => {
    expect(sgd({ lr: 0.1 }).init(f64([1])).length).toBe(1);
    expect(sgd({ lr: 0.1, momentum: 0.9, weightDecay: 0.1 }).init(f64([1])).length).toBe(3);
    expect(adam().init(f64([1])).length).toBe(2);
    expect(adamw({ weightDecay: 0 }).init(f64([1])).length).toBe(2);
  });
});
