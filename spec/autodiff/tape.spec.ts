/**
 * The backward pass: cotangents accumulate where a tensor is used several times,
 * broadcast cotangents are summed down to their input's shape in one place, every VJP
 * result is checked against its input (shape and dtype) with an error naming the
 * primitive, and long chains run without overflowing the stack.
 */
import { describe, expect, it } from 'vitest';
import {
  add, definePrimitive, exp, grad, mul, pow, reshape, SeqgradError, slice, sum, tanh, tensor, valueAndGrad, zeros, type Tensor,
} from '../../lib/index.js';
import { checkGrad } from '../../lib/testing/index.js';
import { kernels } from '../../lib/kernels/index.js';
import { broadcastShapes } from '../../lib/tensor/shape.js';

const f64 = (values: number[], shape = [values.length]): Tensor => tensor(Float64Array.from(values), { shape });

/** Broadcasting addition whose VJP hands back the output-shaped cotangent for both inputs, unreduced. */
const lazyAdd = definePrimitive<void, 2>({
  name: 'lazyAdd',
  forward: ([a, b]) => {
    const shape = broadcastShapes('lazyAdd', a.shape, b.shape);
    const out = zeros(shape, { dtype: a.dtype });
    kernels().binary('add', a.data, a.shape, b.data, b.shape, out.data, shape);
    return out;
  },
  vjp: (dy) => [dy, dy],
});

/** a + b + c for equal shapes, whose VJP hands the very same cotangent object to all three inputs. */
const lazySum3 = definePrimitive<void, 3>({
  name: 'lazySum3',
  forward: ([a, b, c]) => tensor(a.data.map((v, i) => v + b.data[i]! + c.data[i]!), { shape: a.shape }),
  vjp: (dy) => [dy, dy, dy],
});

/** The identity, with a VJP that returns a cotangent of the wrong shape (one element short). */
const wrongShape = definePrimitive<void, 1>({
  name: 'brokenIdentity',
  forward: ([x]) => tensor(x.data.slice(), { shape: x.shape }),
  vjp: (dy) => [tensor(dy.data.slice(1), { shape: [dy.size - 1] })],
});

/** The identity, with a VJP that returns float32 for a float64 input. */
const wrongDtype = definePrimitive<void, 1>({
  name: 'castingIdentity',
  forward: ([x]) => tensor(x.data.slice(), { shape: x.shape }),
  vjp: (dy) => [tensor(Float32Array.from(dy.data), { shape: dy.shape })],
});

describe('accumulation', () => {
  it('sums the cotangents of a tensor used several times', () => {
    // f(x) = Σ (x·x + x): df/dx = 2x + 1
    const g = grad((x: Tensor) => sum(add(mul(x, x), x)))(f64([1, -2, 0.5]));
    expect(Array.from(g.data)).toEqual([3, -3, 2]);
  });

  it('follows a diamond: y = exp(x), f = Σ y·y + y, df/dx = (2y + 1)·y', () => {
    const x = f64([0, 0.5, -1]);
    const g = grad((t: Tensor) => {
      const y = exp(t);
      return sum(add(mul(y, y), y));
    })(x);
    x.data.forEach((v, i) => expect(g.data[i]).toBeCloseTo((2 * Math.exp(v) + 1) * Math.exp(v), 12));
  });

  it('a leaf used by many ops gets all their contributions', () => {
    // f(x) = Σ_k x·k for k = 1..100: df/dx = 5050
    const g = grad((x: Tensor) => {
      let total = sum(mul(x, 0));
      for (let k = 1; k <= 100; k++) total = add(total, sum(mul(x, k)));
      return total;
    })(f64([1, 2]));
    expect(Array.from(g.data)).toEqual([5050, 5050]);
  });
});

describe('unbroadcasting', () => {
  it('sums an output-shaped cotangent down to each input shape', () => {
    const g = grad((p: { a: Tensor; b: Tensor }) => sum(lazyAdd([p.a, p.b], undefined)))({
      a: f64([1, 2, 3]), // [3] broadcast over 2 rows
      b: f64([1, 2], [2, 1]), // [2, 1] broadcast over 3 columns
    });
    expect(g.a.shape).toEqual([3]);
    expect(Array.from(g.a.data)).toEqual([2, 2, 2]);
    expect(g.b.shape).toEqual([2, 1]);
    expect(Array.from(g.b.data)).toEqual([3, 3]);
  });
});

describe('checking VJP results', () => {
  it('a VJP of the wrong shape is an error naming the primitive, the argument and both shapes', () => {
    const run = (): unknown => grad((x: Tensor) => sum(wrongShape([x], undefined)))(f64([1, 2, 3]));
    expect(run).toThrow(SeqgradError);
    expect(run).toThrow('brokenIdentity: VJP returned shape [2] for argument 0 of shape [3]');
  });

  it('a VJP of the wrong dtype is an error naming the primitive and both dtypes', () => {
    const run = (): unknown => grad((x: Tensor) => sum(wrongDtype([x], undefined)))(f64([1, 2]));
    expect(run).toThrow('castingIdentity: VJP returned dtype float32 for argument 0, whose dtype is float64');
  });
});

describe('long graphs', () => {
  it('a chain of 20000 ops does not overflow the stack', () => {
    const [value, g] = valueAndGrad((x: Tensor) => {
      let y = x;
      for (let i = 0; i < 20000; i++) y = add(y, 1e-3);
      return sum(y);
    })(f64([0, 1]));
    expect(value.item()).toBeCloseTo(1 + 2 * 20, 9);
    expect(Array.from(g.data)).toEqual([1, 1]);
  });

  it('a chain of 20000 multiplications carries the product of its factors back', () => {
    // y = x · 1.0001^20000; dy/dx = 1.0001^20000 (rounding differs from Math.pow by a few ulps per step)
    const g = grad((x: Tensor) => {
      let y = x;
      for (let i = 0; i < 20000; i++) y = mul(y, 1.0001);
      return sum(y);
    })(f64([3]));
    expect(g.item() / 1.0001 ** 20000).toBeCloseTo(1, 9);
  });
});

describe('in-place accumulation and window cotangents', () => {
  it('a cotangent handed to several inputs is never written through when one of them accumulates more', () => {
    // z = w + u + k with w = 1·x, u = 1·x, k = 3u; loss = Σz + Σz. z's cotangent (2) is a sum the
    // pass owns; the VJP hands that same buffer to w, u and k, and u then accumulates 3·2 from k
    // before w is reached. By hand: dx = dw + du = 2 + (2 + 6) = 10; writing u's sum into the
    // shared buffer would give w 8 and dx 16.
    const x = f64([1, 2]);
    const g = grad((v: Tensor) => {
      const w = mul(v, 1);
      const u = mul(v, 1);
      const z = lazySum3([w, u, mul(u, 3)], undefined);
      return add(sum(z), sum(z));
    })(x);
    expect(Array.from(g.data)).toEqual([10, 10]);
  });

  it('overlapping slices accumulate their windows (hand-computed coverage counts)', () => {
    // x has 5 elements; slices [0,3), [1,4), [2,5) and [1,2) cover them 1, 3, 3, 2, 1 times.
    const x = f64([1, 2, 3, 4, 5]);
    const g = grad((v: Tensor) =>
      add(add(sum(slice(v, [0], [3])), sum(slice(v, [1], [3]))), add(sum(slice(v, [2], [3])), sum(slice(v, [1], [1])))),
    )(x);
    expect(Array.from(g.data)).toEqual([1, 3, 3, 2, 1]);
  });

  it('windows mix with whole-tensor cotangents of the same input, in either order', () => {
    // loss = Σ 2·x[1:3] + Σ x² : dx = 2x + [0, 2, 2, 0]
    const x = f64([1, -2, 3, 0.5]);
    const g = grad((v: Tensor) => add(sum(mul(slice(v, [1], [2]), 2)), sum(mul(v, v))))(x);
    expect(Array.from(g.data)).toEqual([2, -2, 8, 1]);
  });

  it('second-order gradients through slices stay exact (windows are materialised when nested)', () => {
    // f(x) = Σ x[0:2]³; ∇f = 3x² on the window; Hessian-vector product with v = 1 is 6x on the window.
    const x = f64([1, 2, 3]);
    const f = (v: Tensor) => sum(pow(slice(v, [0], [2]), 3));
    const hvp = grad((v: Tensor) => sum(grad(f)(v)))(x);
    expect(Array.from(hvp.data)).toEqual([6, 12, 0]);
  });

  it('agrees with finite differences on every time step of a sequence (slices along axis 1)', () => {
    const x = tensor(Float64Array.from({ length: 24 }, (_, i) => Math.sin(i)), { shape: [2, 4, 3] });
    const f = (v: Tensor) => {
      let h = zeros([2, 3], { dtype: 'float64' });
      for (let t = 0; t < 4; t++) h = tanh(add(mul(h, 0.5), reshape(slice(v, [0, t, 0], [2, 1, 3]), [2, 3])));
      return h;
    };
    expect(checkGrad(f, x).ok).toBe(true);
  });
});

describe('which cotangents a VJP is asked for', () => {
  it('passes needs: true for traced inputs only, so a VJP can skip the rest', () => {
    const seen: boolean[][] = [];
    const scaled = definePrimitive<void, 2>({
      name: 'scaled',
      forward: ([a, b]) => tensor(Float64Array.from(a.data, (v, i) => v * b.data[i]!), { shape: a.shape }),
      vjp: (dy, [a, b], _out, _p, needs) => {
        seen.push([...needs]);
        return [needs[0] ? mul(dy, b) : null, needs[1] ? mul(dy, a) : null];
      },
    });
    const data = tensor(Float64Array.from([1, 2]));
    const w = tensor(Float64Array.from([3, 4]));
    const g = grad((p: Tensor) => sum(scaled([data, p], undefined)))(w);
    expect(Array.from(g.data)).toEqual([1, 2]);
    expect(seen).toEqual([[false, true]]);
  });
});
