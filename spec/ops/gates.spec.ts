/**
 * The fused gate primitives: values against the same algebra composed from split,
 * sigmoid, tanh, mul and add; gradients against finite differences (random sizes and
 * values, float64); the fused backward kernel against the differentiable ops form,
 * and second derivatives through the ops form; bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, grad, gruGates, gruResetGates, gruUpdate, key, lstmGates, matmul, mul, normal, SeqgradError, sigmoid, split, sub, sum, tanh, vjp,
  type Tensor,
} from '../../lib/index.js';
import { checkGrad } from '../../lib/testing/index.js';
import { expectClose } from '../support/close.js';

/** The LSTM step composed from primitives: an independent reference for the fused one. */
const lstmComposed = (gates: Tensor, c: Tensor): [Tensor, Tensor] => {
  const [i, f, g, o] = split(gates, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const cNext = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
  return [mul(sigmoid(o), tanh(cNext)), cNext];
};

/** The reset-after GRU step composed from primitives. */
const gruComposed = (xg: Tensor, hg: Tensor, h: Tensor): Tensor => {
  const [xr, xz, xn] = split(xg, 3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = split(hg, 3, 1) as [Tensor, Tensor, Tensor];
  const r = sigmoid(add(xr, hr));
  const z = sigmoid(add(xz, hz));
  const n = tanh(add(xn, mul(r, hn)));
  return add(mul(sub(1, z), n), mul(z, h));
};

/** The reset-before GRU step composed from primitives, with the candidate's weight `wn` [H, H]. */
const resetBeforeComposed = (xg: Tensor, hrz: Tensor, h: Tensor, wn: Tensor): Tensor => {
  const [xr, xz, xn] = split(xg, 3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz] = split(hrz, 2, 1) as [Tensor, Tensor];
  const r = sigmoid(add(xr, hr));
  const z = sigmoid(add(xz, hz));
  const n = tanh(add(xn, matmul(mul(r, h), wn, { transposeB: true })));
  return add(mul(sub(1, z), n), mul(z, h));
};

/** The same step through the two fused parts. */
const resetBeforeFused = (xg: Tensor, hrz: Tensor, h: Tensor, wn: Tensor): Tensor => {
  const [rh, z] = gruResetGates(xg, hrz, h);
  return gruUpdate(xg, matmul(rh, wn, { transposeB: true }), z, h);
};

const sizesArb = fc.record({ batch: fc.integer({ min: 1, max: 4 }), hidden: fc.integer({ min: 1, max: 5 }), seed: fc.nat(1000) });

const draw = (seed: number, shapes: number[][], scale = 2): Tensor[] =>
  shapes.map((shape, i) => mul(normal(key(seed * 10 + i), shape, { dtype: 'float64' }), scale));

describe('lstmGates', () => {
  it('equals the composed LSTM step (random sizes and values)', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const [gates, c] = draw(seed, [[batch, 4 * hidden], [batch, hidden]]) as [Tensor, Tensor];
      const [h, cNext] = lstmGates(gates, c);
      const [hRef, cRef] = lstmComposed(gates, c);
      expectClose(h, hRef, 1e-14, 'h');
      expectClose(cNext, cRef, 1e-14, 'c');
    }), { numRuns: 50 });
  });

  it('gradients of both outputs agree with finite differences', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const inputs = draw(seed, [[batch, 4 * hidden], [batch, hidden]]);
      const report = checkGrad(([g, c]: Tensor[]) => {
        const [h, cNext] = lstmGates(g!, c!);
        return add(mul(h, 0.7), mul(cNext, -1.3));
      }, inputs);
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('the fused backward kernel equals the pullback of the composed step', () => {
    const [gates, c, dh, dc] = draw(7, [[3, 8], [3, 2], [3, 2], [3, 2]]) as [Tensor, Tensor, Tensor, Tensor];
    const loss = (f: typeof lstmGates) => ([g, cc]: Tensor[]) => {
      const [h, cNext] = f(g!, cc!);
      return add(sum(mul(h, dh)), sum(mul(cNext, dc)));
    };
    const fused = grad(loss(lstmGates))([gates, c]);
    const composed = grad(loss(lstmComposed))([gates, c]);
    expectClose(fused[0]!, composed[0]!, 1e-13, 'dGates');
    expectClose(fused[1]!, composed[1]!, 1e-13, 'dc');
  });

  it('second derivatives (a grad of a grad) agree with the composed step', () => {
    const [gates, c] = draw(3, [[2, 12], [2, 3]]) as [Tensor, Tensor];
    const gradNorm = (f: typeof lstmGates) => (g: Tensor): Tensor => {
      const dg = grad((gg: Tensor) => sum(f(gg, c)[0]))(g);
      return sum(mul(dg, dg));
    };
    expectClose(grad(gradNorm(lstmGates))(gates), grad(gradNorm(lstmComposed))(gates), 1e-12, 'd²');
  });

  it('refuses gates that are not [batch, 4·hidden], naming the op and shapes', () => {
    const [gates, c] = draw(1, [[2, 7], [2, 2]]) as [Tensor, Tensor];
    expect(() => lstmGates(gates, c)).toThrow(SeqgradError);
    expect(() => lstmGates(gates, c)).toThrow(/lstmGates: gates \[2, 7\] must be \[batch, 4·hidden\] for c \[2, 2\]/);
    expect(() => lstmGates(gates, null as unknown as Tensor)).toThrow(/lstmGates: argument c must be a Tensor/);
  });
});

describe('gruGates', () => {
  it('equals the composed reset-after GRU step', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const [xg, hg, h] = draw(seed, [[batch, 3 * hidden], [batch, 3 * hidden], [batch, hidden]]) as [Tensor, Tensor, Tensor];
      expectClose(gruGates(xg, hg, h), gruComposed(xg, hg, h), 1e-14, 'h');
    }), { numRuns: 50 });
  });

  it('gradients agree with finite differences', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const inputs = draw(seed, [[batch, 3 * hidden], [batch, 3 * hidden], [batch, hidden]]);
      const report = checkGrad(([xg, hg, h]: Tensor[]) => gruGates(xg!, hg!, h!), inputs);
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('the fused backward kernel equals the pullback of the composed step, and so do second derivatives', () => {
    const [xg, hg, h, dy] = draw(5, [[3, 6], [3, 6], [3, 2], [3, 2]]) as [Tensor, Tensor, Tensor, Tensor];
    const [, fused] = vjp(([a, b, c]: Tensor[]) => gruGates(a!, b!, c!), [xg, hg, h]);
    const [, composed] = vjp(([a, b, c]: Tensor[]) => gruComposed(a!, b!, c!), [xg, hg, h]);
    fused(dy).forEach((g, i) => expectClose(g, composed(dy)[i]!, 1e-13, `input ${i}`));
    const gradNorm = (f: typeof gruGates) => (hh: Tensor): Tensor => {
      const dh = grad((v: Tensor) => sum(mul(f(xg, hg, v), dy)))(hh);
      return sum(mul(dh, dh));
    };
    expectClose(grad(gradNorm(gruGates))(h), grad(gradNorm(gruComposed))(h), 1e-12, 'd²');
  });

  it('refuses mismatched blocks and dtypes, naming the op', () => {
    const [xg, hg, h] = draw(2, [[2, 6], [2, 5], [2, 2]]) as [Tensor, Tensor, Tensor];
    expect(() => gruGates(xg, hg, h)).toThrow(/gruGates: hg \[2, 5\] must be \[batch, 3·hidden\] for h \[2, 2\]/);
    const h32 = normal(key(1), [2, 2]);
    expect(() => gruGates(xg, xg, h32)).toThrow(/gruGates: dtypes differ/);
  });
});

describe('gruResetGates and gruUpdate (reset-before)', () => {
  const shapes = (batch: number, hidden: number): number[][] => [[batch, 3 * hidden], [batch, 2 * hidden], [batch, hidden], [hidden, hidden]];

  it('together equal the composed reset-before GRU step', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const [xg, hrz, h, wn] = draw(seed, shapes(batch, hidden)) as [Tensor, Tensor, Tensor, Tensor];
      expectClose(resetBeforeFused(xg, hrz, h, wn), resetBeforeComposed(xg, hrz, h, wn), 1e-13, 'h');
    }), { numRuns: 50 });
  });

  it('gradients through both parts agree with finite differences', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const report = checkGrad(([xg, hrz, h, wn]: Tensor[]) => resetBeforeFused(xg!, hrz!, h!, wn!), draw(seed, shapes(batch, hidden)));
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('the fused backward kernels equal the composed pullback, and so do second derivatives', () => {
    const [xg, hrz, h, wn, dy] = draw(9, [...shapes(3, 2), [3, 2]]) as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const [, fused] = vjp(([a, b, c, d]: Tensor[]) => resetBeforeFused(a!, b!, c!, d!), [xg, hrz, h, wn]);
    const [, composed] = vjp(([a, b, c, d]: Tensor[]) => resetBeforeComposed(a!, b!, c!, d!), [xg, hrz, h, wn]);
    fused(dy).forEach((g, i) => expectClose(g, composed(dy)[i]!, 1e-13, `input ${i}`));
    const gradNorm = (f: typeof resetBeforeFused) => (hh: Tensor): Tensor => {
      const dh = grad((v: Tensor) => sum(mul(f(xg, hrz, v, wn), dy)))(hh);
      return sum(mul(dh, dh));
    };
    expectClose(grad(gradNorm(resetBeforeFused))(h), grad(gradNorm(resetBeforeComposed))(h), 1e-12, 'd²');
  });

  it('refuses blocks that do not match h, naming the op', () => {
    const [xg, hrz, h] = draw(4, [[2, 6], [2, 6], [2, 2]]) as [Tensor, Tensor, Tensor];
    expect(() => gruResetGates(xg, hrz, h)).toThrow(/gruResetGates: hrz \[2, 6\] must be \[batch, 2·hidden\] for h \[2, 2\]/);
    expect(() => gruUpdate(xg, hrz, h, h)).toThrow(/gruUpdate: hn \[2, 6\] must be \[batch, 1·hidden\]/);
  });
});
