/**
 * The backward pass: cotangents accumulate where a tensor is used several times,
 * broadcast cotangents are summed down to their input's shape in one place, every VJP
 * result is checked against its input (shape and dtype) with an error naming the
 * primitive, and long chains run without overflowing the stack.
 */
import { describe, expect, it } from 'vitest';
import {
  add, definePrimitive, exp, grad, mul, SeqgradError, sum, tensor, valueAndGrad, zeros, type Tensor,
} from '../../lib/index.js';
import { mapBinary } from '../../lib/kernels/index.js';
import { broadcastShapes } from '../../lib/tensor/shape.js';

const f64 = (values: number[], shape = [values.length]): Tensor => tensor(Float64Array.from(values), { shape });

/** Broadcasting addition whose VJP hands back the output-shaped cotangent for both inputs, unreduced. */
const lazyAdd = definePrimitive<void>({
  name: 'lazyAdd',
  forward: ([a, b]) => {
    const shape = broadcastShapes('lazyAdd', a!.shape, b!.shape);
    const out = zeros(shape, { dtype: a!.dtype });
    mapBinary(a!.data, a!.shape, b!.data, b!.shape, out.data, shape, (x, y) => x + y);
    return out;
  },
  vjp: (dy) => [dy, dy],
});

/** The identity, with a VJP that returns a cotangent of the wrong shape (one element short). */
const wrongShape = definePrimitive<void>({
  name: 'brokenIdentity',
  forward: ([x]) => tensor(x!.data.slice(), { shape: x!.shape }),
  vjp: (dy) => [tensor(dy.data.slice(1), { shape: [dy.size - 1] })],
});

/** The identity, with a VJP that returns float32 for a float64 input. */
const wrongDtype = definePrimitive<void>({
  name: 'castingIdentity',
  forward: ([x]) => tensor(x!.data.slice(), { shape: x!.shape }),
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
