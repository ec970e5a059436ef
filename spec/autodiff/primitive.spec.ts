/**
 * definePrimitive: an op computes plainly on untraced inputs, records a tape node when
 * any input is traced, passes its params to both forward and VJP, and its VJP (written
 * with seqgrad ops) is what grad uses; null means "no gradient for this input".
 */
import { describe, expect, it } from 'vitest';
import {
  definePrimitive, grad, mul, scalar, sum, tensor, valueAndGrad, vjp, Tensor, zeros,
} from '../../lib/index.js';
import { detach } from '../../lib/autodiff/primitive.js';
import { checkGrad } from '../../lib/testing/index.js';

const f64 = (values: number[]): Tensor => tensor(values, { dtype: 'float64' });

/** x ↦ c·x² with c a parameter, written from scratch so the spec controls forward and VJP. */
const scaledSquare = definePrimitive<number, 1>({
  name: 'scaledSquare',
  forward: ([x], c) => {
    const out = zeros(x.shape, { dtype: x.dtype });
    x.data.forEach((v, i) => {
      out.data[i] = c * v * v;
    });
    return out;
  },
  vjp: (dy, [x], _out, c) => [mul(dy, mul(x, 2 * c))],
});

describe('definePrimitive', () => {
  it('names the op', () => {
    expect(scaledSquare.primitiveName).toBe('scaledSquare');
  });

  it('computes plainly on untraced inputs: no tape node, params reach the forward', () => {
    const y = scaledSquare([f64([1, 2, 3])], 0.5);
    expect(Array.from(y.data)).toEqual([0.5, 2, 4.5]);
    expect(y.node).toBeNull();
  });

  it('records a node naming the primitive and its inputs when an input is traced', () => {
    let recorded: Tensor | null = null;
    vjp((x: Tensor) => {
      recorded = scaledSquare([x], 1);
      return sum(recorded);
    }, f64([1, 2]));
    const node = (recorded as Tensor | null)!.node!;
    expect(node.name).toBe('scaledSquare');
    expect(node.inputs).toHaveLength(1);
  });

  it('its VJP, with the params, is the gradient grad returns', () => {
    const g = grad((x: Tensor) => sum(scaledSquare([x], 3)))(f64([1, -2, 0.5]));
    expect(Array.from(g.data)).toEqual([6, -12, 3]); // d/dx 3x² = 6x
    const report = checkGrad((x: Tensor) => scaledSquare([x], -1.5), f64([0.3, -1.2, 2]));
    expect(report.ok, report.message).toBe(true);
  });

  it('a null VJP entry means no gradient: that input gets zeros', () => {
    const firstOnly = definePrimitive<void, 2>({
      name: 'firstOnly',
      forward: ([a, b]) => tensor(Float64Array.from(a.data, (v, i) => v * b.data[i]!), { shape: a.shape }),
      vjp: (dy, [, b]) => [mul(dy, b), null],
    });
    const g = grad((p: { a: Tensor; b: Tensor }) => sum(firstOnly([p.a, p.b], undefined)))({ a: f64([1, 2]), b: f64([3, 4]) });
    expect(Array.from(g.a.data)).toEqual([3, 4]);
    expect(Array.from(g.b.data)).toEqual([0, 0]);
  });

  it('the VJP sees the forward output, so it can reuse it', () => {
    const expLike = definePrimitive<void, 1>({
      name: 'expLike',
      forward: ([x]) => tensor(Float64Array.from(x.data, Math.exp), { shape: x.shape }),
      vjp: (dy, _inputs, out) => [mul(dy, out)],
    });
    const [value, g] = valueAndGrad((x: Tensor) => sum(expLike([x], undefined)))(f64([0, 1]));
    expect(value.item()).toBeCloseTo(1 + Math.E, 14);
    expect(Array.from(g.data)).toEqual([1, Math.E]);
  });
});

describe('detach', () => {
  it('drops the tape node but keeps the data; untraced tensors come back as they are', () => {
    const x = scalar(2, { dtype: 'float64' });
    expect(detach(x)).toBe(x);
    vjp((t: Tensor) => {
      const d = detach(t);
      expect(t.node).not.toBeNull();
      expect(d.node).toBeNull();
      expect(d.data).toBe(t.data);
      return t;
    }, x);
  });
});
