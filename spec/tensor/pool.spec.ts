/**
 * The pool of a finished gradient pass's arrays: what a recording pass allocates and
 * does not keep comes back, zero-filled and as a fresh view, for the next allocation of
 * that size; what it keeps never does; and through the public API, repeated training
 * steps give the same gradients as the first (nothing recycled while still in use),
 * and a vjp pullback, which may run again, recycles nothing.
 */
import { describe, expect, it } from 'vitest';
import { allocate } from '../../lib/tensor/dtype.js';
import { recyclingAfter } from '../../lib/tensor/pool.js';
import { gru, key, lstmStep, normal, recurrent, splitKey, sum, valueAndGrad, vjp, type Tensor } from '../../lib/index.js';
import { expectClose } from '../support/close.js';

describe('recyclingAfter', () => {
  it('pools what the pass does not keep, and hands it out zeroed as a fresh view', () => {
    const size = 4099;
    const [dead, kept] = recyclingAfter(() => {
      const a = allocate('float32', size);
      const b = allocate('float32', size);
      a.fill(7);
      b.fill(9);
      return [a, b] as const;
    }, ([, b]) => [b]);
    const next = allocate('float32', size);
    expect(next.buffer).toBe(dead.buffer);
    expect(next).not.toBe(dead);
    expect(next.every((v) => v === 0)).toBe(true);
    // the kept array is never handed out again
    const after = allocate('float32', size);
    expect(after.buffer).not.toBe(kept.buffer);
    expect(kept.every((v) => v === 9)).toBe(true);
  });
});

describe('stale sizes', () => {
  it('drops a size no allocation has asked for in eight passes', () => {
    const size = 5003;
    const [dead] = recyclingAfter(() => [allocate('float32', size)] as const, () => []);
    // nine passes that allocate other sizes only
    for (let i = 0; i < 9; i++) recyclingAfter(() => allocate('float32', 2048), () => []);
    expect(allocate('float32', size).buffer).not.toBe(dead.buffer);
  });

  it('keeps a size asked for in every pass', () => {
    const size = 5009;
    let last = recyclingAfter(() => allocate('float32', size), () => []);
    for (let i = 0; i < 12; i++) {
      const next = recyclingAfter(() => allocate('float32', size), () => []);
      expect(next.buffer).toBe(last.buffer);
      last = next;
    }
  });
});

describe('gradient passes that recycle', () => {
  it('repeated valueAndGrad of a recurrent model gives the same gradients every time', () => {
    const [kp, kx] = splitKey(key(5), 2);
    const cell = gru({ convention: 'reset-before' });
    const params = cell.init(kp!, { inputSize: 8, hiddenSize: 32 });
    const x = normal(kx!, [16, 40, 8]);
    const f = valueAndGrad((p: typeof params) => sum(recurrent(cell)(p, x).carry as Tensor));
    const [v0, g0] = f(params);
    for (let i = 0; i < 3; i++) {
      const [v, g] = f(params);
      expect(v.item()).toBe(v0.item());
      for (const k of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'] as const) expectClose(g[k]!, g0[k]!, 0, k);
    }
  });

  it('a pullback that may run many times never recycles: the same cotangent gives the same result twice', () => {
    const [a, b, c, d] = splitKey(key(1), 4);
    const [xg, h, cc, w] = [normal(a!, [2, 12]), normal(b!, [2, 3]), normal(c!, [2, 3]), normal(d!, [12, 3])];
    const [, pullback] = vjp((ww: Tensor) => lstmStep(xg, h, cc, ww)[0], w);
    const once = pullback(normal(a!, [2, 3]));
    expectClose(pullback(normal(a!, [2, 3])), once, 0, 'second pullback');
  });
});
