/**
 * grad, valueAndGrad, vjp and stopGradient over parameter trees: gradients keep the
 * tree's structure, unused leaves get zeros, extra arguments pass through; bad input
 * (non-scalar loss, int32 or non-tensor leaves, mismatched cotangents) is refused by
 * name; nested use (grad of grad) gives Hessian-vector products that match the
 * analytic Hessian of Σx³ and finite differences of the gradient of a tanh MLP.
 * With hasAux, f returns [value, aux]: aux comes back beside the results, untraced and
 * not differentiated, unless a nested grad follows it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  add, grad, matmul, mean, mul, SeqgradError, square, stopGradient, sub, sum, tanh, tensor, valueAndGrad, vjp, zeros,
  type Tensor,
} from '../../lib/index.js';
import { flatten, leaves, mapTree, unflatten, zipTrees } from '../../lib/tree/index.js';
import { key, normal, splitKey } from '../../lib/tensor/random.js';

const f64 = (values: number[], shape = [values.length]): Tensor => tensor(Float64Array.from(values), { shape });
const values = (t: Tensor): number[] => Array.from(t.data);

interface Params {
  readonly w: Tensor;
  readonly layers: readonly { readonly a: Tensor; readonly bias: Tensor | null }[];
  readonly unused: Tensor;
}

const params: Params = {
  w: f64([1, 2]),
  layers: [{ a: f64([3, -1]), bias: null }, { a: f64([0.5, 4]), bias: f64([2]) }],
  unused: f64([7, 7, 7], [3, 1]),
};

/** f = Σ w·a0 + Σ (a1)² + 3·Σ bias */
const loss = (p: Params): Tensor =>
  add(add(sum(mul(p.w, p.layers[0]!.a)), sum(square(p.layers[1]!.a))), mul(sum(p.layers[1]!.bias!), 3));

describe('grad and valueAndGrad over trees', () => {
  it('return gradients with the structure of the parameters (hand-computed)', () => {
    const g = grad(loss)(params);
    expect(values(g.w)).toEqual([3, -1]);
    expect(values(g.layers[0]!.a)).toEqual([1, 2]);
    expect(g.layers[0]!.bias).toBeNull();
    expect(values(g.layers[1]!.a)).toEqual([1, 8]);
    expect(values(g.layers[1]!.bias!)).toEqual([3]);
    expect(flatten(g).map((p) => p.path)).toEqual(flatten(params).map((p) => p.path));
  });

  it('give unused leaves zero gradients of their shape and dtype', () => {
    const g = grad(loss)(params);
    expect(g.unused.shape).toEqual([3, 1]);
    expect(g.unused.dtype).toBe('float64');
    expect(values(g.unused)).toEqual([0, 0, 0]);
  });

  it('valueAndGrad also returns the (untraced) value', () => {
    const [value, g] = valueAndGrad(loss)(params);
    expect(value.item()).toBe(3 - 2 + 0.25 + 16 + 6);
    expect(value.node).toBeNull();
    expect(values(g.w)).toEqual([3, -1]);
  });

  it('pass further arguments through undifferentiated', () => {
    const mse = (p: { w: Tensor }, x: Tensor, y: Tensor): Tensor => mean(square(sub(matmul(x, p.w), y)));
    const x = f64([1, 2, 3, 4], [2, 2]);
    const y = f64([1, 0], [2, 1]);
    const g = grad(mse)({ w: f64([0.5, -0.5], [2, 1]) }, x, y);
    // residuals r = x·w - y = [-1.5, -0.5]; dL/dw = xᵀ r · 2/2 = [-3, -5]
    expect(g.w.shape).toEqual([2, 1]);
    expect(values(g.w)).toEqual([-3, -5]);
  });

  it('keep float32 gradients float32, and a bare tensor is a tree', () => {
    const g = grad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2]));
    expect(g.dtype).toBe('float32');
    expect(values(g)).toEqual([2, 4]);
  });

  it('accept any one-element loss (shape [1, 1] as well as [])', () => {
    expect(values(grad((x: Tensor) => matmul(x, x, { transposeB: true }))(f64([1, 2], [1, 2])))).toEqual([2, 4]);
  });

  it('leave the parameters untouched', () => {
    const before = leaves(params).map(values);
    grad(loss)(params);
    expect(leaves(params).map(values)).toEqual(before);
  });
});

describe('hasAux', () => {
  const w = f64([1, 2, 3]);
  /** value Σw² (gradient 2w), aux { count, cubes: w³ (a tensor), label }: the cubes must not add 3w² to the gradient */
  const withAux = (p: { w: Tensor }) => [sum(square(p.w)), { count: 3, cubes: mul(square(p.w), p.w), label: 'train' }] as const;

  it('valueAndGrad returns [[value, aux], grads] as JAX does, differentiating only the value', () => {
    const [[value, aux], g] = valueAndGrad(withAux, { hasAux: true })({ w });
    expectTypeOf(value).toEqualTypeOf<Tensor>();
    expectTypeOf(aux.count).toEqualTypeOf<3>();
    expectTypeOf(g).toEqualTypeOf<{ w: Tensor }>();
    expect(value.item()).toBe(14);
    expect(values(g.w)).toEqual([2, 4, 6]);
    expect(aux.count).toBe(3);
    expect(aux.label).toBe('train');
    expect(values(aux.cubes)).toEqual([1, 8, 27]);
  });

  it('grad returns [grads, aux]', () => {
    const [g, aux] = grad(withAux, { hasAux: true })({ w });
    expectTypeOf(g).toEqualTypeOf<{ w: Tensor }>();
    expectTypeOf(aux.cubes).toEqualTypeOf<Tensor>();
    expect(values(g.w)).toEqual([2, 4, 6]);
    expect(values(aux.cubes)).toEqual([1, 8, 27]);
  });

  it('returns the value and the tensors in aux untraced', () => {
    const [[value, aux]] = valueAndGrad(withAux, { hasAux: true })({ w });
    expect(value.node).toBeNull();
    expect(aux.cubes.node).toBeNull();
  });

  it('passes further arguments through, as without aux', () => {
    const f = (p: Tensor, scale: number) => [mul(sum(p), scale), scale * 2] as const;
    const [[value, doubled], g] = valueAndGrad(f, { hasAux: true })(f64([1, 1]), 5);
    expect([value.item(), doubled, values(g)]).toEqual([10, 10, [5, 5]]);
  });

  it('keeps aux traced for an enclosing grad: d/dx of an inner aux Σ(x·y) is Σy', () => {
    const y0 = f64([1, 2]);
    const outer = grad((x: Tensor) => {
      const [[, inner]] = valueAndGrad((y: Tensor) => [sum(mul(mul(y, y), x)), sum(mul(x, y))], { hasAux: true })(y0);
      return inner;
    });
    expect(values(outer(f64([0.5])))).toEqual([3]);
  });

  it('refuses a function that does not return [value, aux], and a hasAux that is not a boolean', () => {
    const plain = (p: Tensor) => sum(p);
    expect(() => valueAndGrad(plain as never, { hasAux: true })(f64([1]))).toThrow(SeqgradError);
    expect(() => valueAndGrad(plain as never, { hasAux: true })(f64([1]))).toThrow(/^valueAndGrad: with hasAux the function must return \[value, aux\], got a Tensor \[\]/);
    expect(() => grad((p: Tensor) => [p, 1] as const, { hasAux: true })(f64([1, 2]))).toThrow(
      /^grad: the function must return a one-element tensor \(a scalar loss\) as the first of \[value, aux\], got shape \[2\]/,
    );
    expect(() => valueAndGrad(plain, { hasAux: 'yes' } as never)).toThrow(/^valueAndGrad: options.hasAux must be a boolean, got "yes"/);
    expect(() => vjp((p: Tensor) => p, f64([1]), { hasAux: true })).toThrow(/^vjp: options.hasAux is for grad and valueAndGrad/);
  });
});

describe('stopGradient', () => {
  it('treats its argument as a constant', () => {
    // d/dx Σ x · stop(x) = stop(x) = x, not 2x
    const g = grad((x: Tensor) => sum(mul(x, stopGradient(x))))(f64([1, -3]));
    expect(values(g)).toEqual([1, -3]);
  });

  it('gives zero gradient when the loss only sees the stopped value', () => {
    const g = grad((x: Tensor) => sum(mul(stopGradient(x), 2)))(f64([5]));
    expect(values(g)).toEqual([0]);
  });
});

describe('bad input', () => {
  it('a non-scalar loss is refused by grad, which names the shape and suggests vjp', () => {
    const run = (): unknown => grad((x: Tensor) => mul(x, 2))(f64([1, 2, 3]));
    expect(run).toThrow(SeqgradError);
    expect(run).toThrow('grad: the function must return a one-element tensor (a scalar loss), got shape [3]; use vjp for other outputs');
    expect(() => valueAndGrad(() => 3 as unknown as Tensor)(f64([1]))).toThrow(/^valueAndGrad: leaf at output is a number, not a Tensor; the function must return a tensor/);
  });

  it('stopGradient of a non-tensor names itself', () => {
    expect(() => stopGradient(3 as unknown as Tensor)).toThrow(/^stopGradient: argument x must be a Tensor, got number/);
  });

  it('an int32 leaf is refused with its path and dtype', () => {
    const run = (): unknown => grad((p: { ids: Tensor }) => sum(p.ids))({ ids: tensor([1, 2], { dtype: 'int32' }) });
    expect(run).toThrow(/^grad: leaf ids has dtype int32; only floating tensors can be differentiated/);
  });

  it('a non-tensor leaf is refused with its path', () => {
    const run = (): unknown => grad((p: { layers: { w: Tensor; n: number }[] }) => sum(p.layers[0]!.w))({ layers: [{ w: f64([1]), n: 3 }] });
    expect(run).toThrow(SeqgradError);
    expect(run).toThrow(/^grad: leaf at layers\[0\]\.n is a number, not a Tensor/);
    expect(() => vjp((x: unknown) => x as Tensor, 'x')).toThrow(/^vjp: leaf at \(root\) is a string/);
  });
});

describe('vjp', () => {
  const f = (p: { x: Tensor; y: Tensor }): { h: Tensor; c: [Tensor] } => ({ h: mul(p.x, p.y), c: [tanh(p.x)] });
  const x = f64([0.5, -1]);
  const y = f64([2, 3]);

  it('returns untraced outputs and a pullback from output cotangents (a tree) to input cotangents', () => {
    const [out, pullback] = vjp(f, { x, y });
    expect(values(out.h)).toEqual([1, -3]);
    expect(out.h.node).toBeNull();
    const g = pullback({ h: f64([1, 10]), c: [f64([100, 1000])] });
    // dx = dh·y + dc·(1 - tanh²x); dy = dh·x
    expect(g.x.data[0]).toBeCloseTo(2 + 100 * (1 - Math.tanh(0.5) ** 2), 12);
    expect(g.x.data[1]).toBeCloseTo(30 + 1000 * (1 - Math.tanh(-1) ** 2), 12);
    expect(values(g.y)).toEqual([0.5, -10]);
  });

  it('can pull back several cotangents through one forward pass', () => {
    const [, pullback] = vjp(f, { x, y });
    const zero = f64([0, 0]);
    const first = pullback({ h: f64([1, 0]), c: [zero] });
    const again = pullback({ h: f64([1, 0]), c: [zero] });
    expect(values(again.y)).toEqual(values(first.y));
    expect(values(pullback({ h: zero, c: [zero] }).x)).toEqual([0, 0]);
  });

  it('refuses cotangents of the wrong shape, dtype or count, naming the output', () => {
    const [, pullback] = vjp(f, { x, y });
    expect(() => pullback({ h: f64([1, 2, 3]), c: [f64([1, 1])] })).toThrow('vjp: the cotangent at h is float64 [3] but the output there is float64 [2]');
    expect(() => pullback({ h: f64([1, 2]), c: [tensor([1, 1])] })).toThrow('vjp: the cotangent at c[0] is float32 [2] but the output there is float64 [2]');
    expect(() => pullback({ h: f64([1, 2]), c: [] as unknown as [Tensor] })).toThrow('vjp: the cotangent has no leaf at c[0] (the output there is float64 [2])');
    expect(() => pullback({ h: f64([1, 2]), c: [f64([1, 1])], d: f64([1]) } as never)).toThrow('vjp: the cotangent has a leaf at d, which the output does not have');
  });
});

describe('nested use: grad of grad', () => {
  it('Hessian-vector products of Σx³ match the analytic Hessian diag(6x)', () => {
    const f = (x: Tensor): Tensor => sum(mul(mul(x, x), x));
    const x = f64([1, -2, 0.5, 3]);
    const v = f64([1, 1, -2, 0.25]);
    const hvp = grad((z: Tensor) => sum(mul(grad(f)(z), v)))(x);
    expect(values(hvp)).toEqual(Array.from(x.data, (xi, i) => 6 * xi * v.data[i]!));
    // and the inner gradient itself is 3x²
    expect(values(grad(f)(x))).toEqual([3, 12, 0.75, 27]);
  });

  it('keeps the two traces apart (no perturbation confusion)', () => {
    // d/dy [d/dx Σ x·y at x = 1] = d/dy Σ y = 1, not 2
    const x0 = f64([1, 1]);
    const outer = grad((y: Tensor) => sum(grad((x: Tensor) => sum(mul(x, y)))(x0)))(f64([3, 4]));
    expect(values(outer)).toEqual([1, 1]);
    // d/dy [d/dx Σ x²·y at x = y] = d/dy Σ 2y² = 4y
    const mixed = grad((y: Tensor) => sum(grad((x: Tensor) => sum(mul(mul(x, x), y)))(y)))(f64([3, -1]));
    expect(values(mixed)).toEqual([12, -4]);
  });

  it('Hessian-vector products of a tanh MLP match central differences of its gradient', () => {
    type Mlp = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
    const [k1, k2, k3, k4, k5] = splitKey(key(5), 5);
    const p: Mlp = {
      w1: normal(k1, [3, 4], { dtype: 'float64' }), b1: normal(k2, [4], { dtype: 'float64' }),
      w2: normal(k3, [4, 2], { dtype: 'float64' }), b2: zeros([2], { dtype: 'float64' }),
    };
    const x = normal(k4, [5, 3], { dtype: 'float64' });
    const directionKeys = splitKey(k5, 4);
    let next = 0;
    const v = mapTree(p, (t) => normal(directionKeys[next++]!, t.shape, { dtype: 'float64' }));
    const lossOf = (q: Mlp): Tensor => mean(square(tanh(add(matmul(tanh(add(matmul(x, q.w1), q.b1)), q.w2), q.b2))));
    const dot = (a: Mlp, b: Mlp): Tensor => leaves(zipTrees([a, b], ([s, t]) => sum(mul(s, t)))).reduce((acc, t) => add(acc, t));
    const hvp = grad((q: Mlp) => dot(grad(lossOf)(q), v))(p);
    const eps = 1e-5;
    const shifted = (sign: number): Mlp => zipTrees([p, v], ([a, b]) => add(a, mul(b, sign * eps)));
    const gPlus = leaves(grad(lossOf)(shifted(1)));
    const gMinus = leaves(grad(lossOf)(shifted(-1)));
    const numeric = unflatten(p, gPlus.map((g, i) => mul(sub(g, gMinus[i]!), 1 / (2 * eps))));
    expect(Math.max(...leaves(hvp).flatMap((t) => Array.from(t.data, Math.abs)))).toBeGreaterThan(1e-2);
    flatten(hvp).forEach(({ path, leaf }, i) => {
      const want = leaves(numeric)[i]!;
      leaf.data.forEach((h, j) => expect(Math.abs(h - want.data[j]!), `${path}[${j}]: ${h} vs ${want.data[j]}`).toBeLessThan(1e-7 + 1e-6 * Math.abs(h)));
    });
  });
});
