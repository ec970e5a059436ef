/**
 * checkNaN: a NaN is traced to the op that made it, forward or backward; without the
 * flag nothing is checked.
 */
import { describe, expect, it } from 'vitest';
import { definePrimitive, grad, log, mul, sqrt, sum, tensor, valueAndGrad, vjp, type Tensor } from '../../lib/index.js';

const x = tensor([1, -1, 2], { dtype: 'float64' });

// A primitive whose VJP is deliberately broken: it returns NaN for any finite input.
const broken = definePrimitive<void>({
  name: 'brokenVjp',
  forward: ([a]) => a!,
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
