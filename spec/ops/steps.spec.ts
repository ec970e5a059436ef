/**
 * The whole-step primitives: values against the same step composed from matmul and
 * the primitive ops; gradients of every input (the weight's deferred, per-block
 * cotangent included) against finite differences, for one step and for a scan of
 * several (where the tape stacks the steps' weight products); the fused VJP against
 * the composed pullback, and second derivatives through the ops form; bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, concat, grad, gruStep, key, lstmStep, matmul, mul, normal, scan, SeqgradError, sigmoid, slice, split, sub, sum, tanh, vjp,
  type Tensor,
} from '../../lib/index.js';
import { checkGrad } from '../../lib/testing/index.js';
import { expectClose } from '../support/close.js';

/** x·Wᵀ. */
const linear = (x: Tensor, w: Tensor): Tensor => matmul(x, w, { transposeB: true });

/** The LSTM step composed from primitives: an independent reference for the fused one. */
const lstmComposed = (xg: Tensor, h: Tensor, c: Tensor, w: Tensor): [Tensor, Tensor] => {
  const [i, f, g, o] = split(add(xg, linear(h, w)), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const cNext = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
  return [mul(sigmoid(o), tanh(cNext)), cNext];
};

/** The GRU step in either convention composed from primitives. */
const gruComposed = (xg: Tensor, h: Tensor, w: Tensor, b: Tensor | null, before: boolean): Tensor => {
  const hidden = h.shape[1]!;
  const [xr, xz, xn] = split(xg, 3, 1) as [Tensor, Tensor, Tensor];
  const [wr, wz, wn] = split(w, 3, 0) as [Tensor, Tensor, Tensor];
  const bias = (i: number): Tensor | number => (b === null ? 0 : slice(b, [i * hidden], [hidden]));
  const r = sigmoid(add(add(xr, linear(h, wr)), bias(0)));
  const z = sigmoid(add(add(xz, linear(h, wz)), bias(1)));
  const n = before
    ? tanh(add(add(xn, linear(mul(r, h), wn)), bias(2)))
    : tanh(add(xn, mul(r, add(linear(h, wn), bias(2)))));
  return add(mul(sub(1, z), n), mul(z, h));
};

const sizesArb = fc.record({ batch: fc.integer({ min: 1, max: 4 }), hidden: fc.integer({ min: 1, max: 4 }), seed: fc.nat(1000) });

const draw = (seed: number, shapes: number[][], scale = 1): Tensor[] =>
  shapes.map((shape, i) => mul(normal(key(seed * 10 + i), shape, { dtype: 'float64' }), scale));

const lstmShapes = (batch: number, hidden: number): number[][] => [[batch, 4 * hidden], [batch, hidden], [batch, hidden], [4 * hidden, hidden]];
const gruShapes = (batch: number, hidden: number): number[][] => [[batch, 3 * hidden], [batch, hidden], [3 * hidden, hidden], [3 * hidden]];

describe('lstmStep', () => {
  it('equals the step composed from matmul and the primitive ops', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const [xg, h, c, w] = draw(seed, lstmShapes(batch, hidden)) as [Tensor, Tensor, Tensor, Tensor];
      const [h1, c1] = lstmStep(xg, h, c, w);
      const [hRef, cRef] = lstmComposed(xg, h, c, w);
      expectClose(h1, hRef, 1e-14, 'h');
      expectClose(c1, cRef, 1e-14, 'c');
    }), { numRuns: 40 });
  });

  it('gradients of every input, the weight included, agree with finite differences', () => {
    fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
      const report = checkGrad(([xg, h, c, w]: Tensor[]) => {
        const [h1, c1] = lstmStep(xg!, h!, c!, w!);
        return add(mul(h1, 0.7), mul(c1, -1.3));
      }, draw(seed, lstmShapes(batch, hidden)));
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 40 });
  });

  it('through a scan of four steps (the weight products of all steps stacked) gradients agree with finite differences', () => {
    const [xs, h0, c0, w] = draw(3, [[4, 2, 12], [2, 3], [2, 3], [12, 3]]);
    const report = checkGrad(([x, w2]: Tensor[]) => {
      const [carry] = scan(([h, c]: [Tensor, Tensor], xt: Tensor) => {
        const next = lstmStep(xt, h, c, w2!);
        return [next, next[0]] as const;
      }, [h0!, c0!] as [Tensor, Tensor], x!, { axis: 0 });
      return add(carry[0], carry[1]);
    }, [xs!, w!]);
    expect(report.ok, report.message).toBe(true);
  });

  it('its VJP equals the composed pullback, and second derivatives agree', () => {
    const [xg, h, c, w, dh, dc] = draw(7, [...lstmShapes(3, 2), [3, 2], [3, 2]]) as Tensor[] as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    const loss = (f: typeof lstmStep) => (inputs: Tensor[]) => {
      const [h1, c1] = f(inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!);
      return add(sum(mul(h1, dh)), sum(mul(c1, dc)));
    };
    const fused = grad(loss(lstmStep))([xg, h, c, w]);
    const composed = grad(loss(lstmComposed))([xg, h, c, w]);
    fused.forEach((g, i) => expectClose(g, composed[i]!, 1e-13, `input ${i}`));
    const gradNorm = (f: typeof lstmStep) => (ww: Tensor): Tensor => {
      const dw = grad((v: Tensor) => loss(f)([xg, h, c, v]))(ww);
      return sum(mul(dw, dw));
    };
    expectClose(grad(gradNorm(lstmStep))(w), grad(gradNorm(lstmComposed))(w), 1e-12, 'd²');
  });

  it('refuses a weight that does not match the state, naming the op and shapes', () => {
    const [xg, h, c] = draw(1, [[2, 8], [2, 2], [2, 2]]) as [Tensor, Tensor, Tensor];
    const w = normal(key(2), [8, 3], { dtype: 'float64' });
    expect(() => lstmStep(xg, h, c, w)).toThrow(SeqgradError);
    expect(() => lstmStep(xg, h, c, w)).toThrow(/lstmStep: weightHh \[8, 3\] must be \[4·hidden, hiddenIn\] for h \[2, 2\]/);
    expect(() => lstmStep(xg, h, normal(key(3), [2, 3], { dtype: 'float64' }), w)).toThrow(/lstmStep: xg \[2, 8\] must be \[batch, 4·hidden\] for c \[2, 3\]/);
  });
});

describe('gruStep', () => {
  for (const [convention, before] of [['reset-after', false], ['reset-before', true]] as const) {
    describe(convention, () => {
      const step = (xg: Tensor, h: Tensor, w: Tensor, b: Tensor | null): Tensor => gruStep(xg, h, w, b, { convention });

      it('equals the step composed from matmul and the primitive ops, with and without b_hh', () => {
        fc.assert(fc.property(sizesArb, fc.boolean(), ({ batch, hidden, seed }, withBias) => {
          const [xg, h, w, b] = draw(seed, gruShapes(batch, hidden)) as [Tensor, Tensor, Tensor, Tensor];
          const bias = withBias ? b : null;
          expectClose(step(xg, h, w, bias), gruComposed(xg, h, w, bias, before), 1e-12, 'h');
        }), { numRuns: 40 });
      });

      it('gradients of every input agree with finite differences', () => {
        fc.assert(fc.property(sizesArb, ({ batch, hidden, seed }) => {
          const report = checkGrad(([xg, h, w, b]: Tensor[]) => step(xg!, h!, w!, b!), draw(seed, gruShapes(batch, hidden)));
          expect(report.ok, report.message).toBe(true);
        }), { numRuns: 40 });
      });

      it('through a scan of four steps gradients agree with finite differences', () => {
        const [xs, h0, w, b] = draw(5, [[4, 2, 9], [2, 3], [9, 3], [9]]);
        const report = checkGrad(([x, w2, b2]: Tensor[]) => scan((h: Tensor, xt: Tensor) => {
          const next = step(xt, h, w2!, b2!);
          return [next, next] as const;
        }, h0!, x!, { axis: 0 })[0], [xs!, w!, b!]);
        expect(report.ok, report.message).toBe(true);
      });

      it('its VJP equals the composed pullback, and second derivatives agree', () => {
        const [xg, h, w, b, dy] = draw(9, [...gruShapes(3, 2), [3, 2]]) as [Tensor, Tensor, Tensor, Tensor, Tensor];
        const [, fused] = vjp(([a, c, d, e]: Tensor[]) => step(a!, c!, d!, e!), [xg, h, w, b]);
        const [, composed] = vjp(([a, c, d, e]: Tensor[]) => gruComposed(a!, c!, d!, e!, before), [xg, h, w, b]);
        fused(dy).forEach((g, i) => expectClose(g, composed(dy)[i]!, 1e-13, `input ${i}`));
        const gradNorm = (f: (hh: Tensor) => Tensor) => (hh: Tensor): Tensor => {
          const dh = grad((v: Tensor) => sum(mul(f(v), dy)))(hh);
          return sum(mul(dh, dh));
        };
        expectClose(
          grad(gradNorm((v) => step(xg, v, w, b)))(h), grad(gradNorm((v) => gruComposed(xg, v, w, b, before)))(h), 1e-12, 'd²',
        );
      });
    });
  }

  it('refuses a bias or weight of the wrong shape and an unknown convention, naming the op', () => {
    const [xg, h, w, b] = draw(4, gruShapes(2, 2)) as [Tensor, Tensor, Tensor, Tensor];
    expect(() => gruStep(xg, h, concat([w, w], 0), b)).toThrow(/gruStep: weightHh \[12, 2\] must be \[3·hidden, hiddenIn\]/);
    expect(() => gruStep(xg, h, w, concat([b, b], 0))).toThrow(/gruStep: biasHh float64 \[12\] must be a float64 \[6\]/);
    expect(() => gruStep(xg, h, w, b, { convention: 'after' as 'reset-after' })).toThrow(/gruStep: options.convention must be 'reset-after' or 'reset-before', got "after"/);
  });
});
