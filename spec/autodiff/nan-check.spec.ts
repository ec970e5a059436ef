/**
 * checkNaN: a NaN is traced to the op that made it, forward or backward; without the
 * flag nothing is checked.
 */
import { describe, expect, it } from 'vitest';
import { add, definePrimitive, exp, grad, log, mul, scan, sqrt, sum, tensor, valueAndGrad, vjp, type Tensor } from '../../lib/index.js';

const x = tensor([1, -1, 2], { dtype: 'float64' });

// A primitive whose VJP is deliberately broken: it returns NaN for any finite input.
const broken = definePrimitive<void, 1>({
  name: 'brokenVjp',
  forward: ([a]) => a,
  vjp: (dy) => [mul(dy, NaN)],
});

describe('checkNaN', () => {
  it('names the forward op that first produced a NaN, and its input shapes', () => {
    const f = (p: { x: Tensor }) => sum(sqrt(log(p.x)));
    expect(() => grad(f, { checkNaN: true })({ x })).toThrow(/^log: produced NaN in the forward pass .*float64 \[3\]/);
  });

  it('names the primitive whose VJP turned finite values into NaN', () => {
    const f = (p: { x: Tensor }) => sum(broken([p.x], undefined));
    expect(() => valueAndGrad(f, { checkNaN: true })({ x })).toThrow(/^brokenVjp: its VJP produced NaN for argument 0/);
  });

  it('inside scan, names the time step at which the op made the NaN', () => {
    // h_t = log(h_{t-1} + x_t) with h_0 = 1: x = [1, -1.5, 5] gives h_1 = log 2 ≈ 0.69, then log(0.69 - 1.5) = log(-0.81) = NaN at step 1
    const xs = tensor([[1, -1.5, 5]], { dtype: 'float64' });
    const f = (p: { h0: Tensor }) => sum(scan((h: Tensor, xt: Tensor) => {
      const next = log(add(h, xt));
      return [next, next] as const;
    }, p.h0, xs)[1]);
    expect(() => grad(f, { checkNaN: true })({ h0: tensor([1], { dtype: 'float64' }) })).toThrow(/^log: produced NaN in the forward pass at scan step 1 from finite inputs/);
  });

  it('treats ±Infinity born from finite inputs like NaN (a float64 overflow)', () => {
    // exp(800) overflows float64 (max ≈ 1.8e308 < e^710)
    const f = (p: { x: Tensor }) => sum(exp(mul(p.x, 800)));
    expect(() => grad(f, { checkNaN: true })({ x: tensor([1], { dtype: 'float64' }) })).toThrow(/^exp: produced Infinity in the forward pass from finite inputs \(float64 \[1\]\)/);
    // an Infinity the caller passed in is not blamed on the op that carries it on
    const g = (p: { x: Tensor }) => sum(mul(p.x, 2));
    expect(() => grad(g, { checkNaN: true })({ x: tensor([Infinity], { dtype: 'float64' }) })).not.toThrow();
  });

  it('is off by default: the NaN propagates silently as in other libraries', () => {
    const g = grad((p: { x: Tensor }) => sum(broken([p.x], undefined)))({ x });
    expect(Array.from(g.x.data).every(Number.isNaN)).toBe(true);
  });

  it('passes finite computations through unchanged (vjp with the flag)', () => {
    const [y, pullback] = vjp((p: { x: Tensor }) => mul(p.x, 3), { x }, { checkNaN: true });
    expect(Array.from(y.data)).toEqual([3, -3, 6]);
    expect(Array.from(pullback(tensor([1, 1, 1], { dtype: 'float64' })).x.data)).toEqual([3, 3, 3]);
  });
});
