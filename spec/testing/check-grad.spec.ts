/**
 * checkGrad: passes correct VJPs (also on trees, float32 inputs and non-scalar outputs)
 * and, for a primitive whose VJP is deliberately wrong at one element, reports that
 * element: its leaf's path, its index, the analytic and the numeric value.
 */
import { describe, expect, it } from 'vitest';
import { definePrimitive, matmul, mul, SeqgradError, sum, tanh, tensor, zeros, type Tensor } from '../../lib/index.js';
import { checkGrad } from '../../lib/testing/index.js';

const f64 = (values: number[], shape = [values.length]): Tensor => tensor(Float64Array.from(values), { shape });

/**
 * Elementwise a·b whose VJP for b is wrong at flat index 2 (doubled) and, when `nan` is
 * set, NaN there instead.
 */
const faultyMul = (nan: boolean) => definePrimitive<void, 2>({
  name: 'faultyMul',
  forward: ([a, b]) => f64(Array.from(a.data, (v, i) => v * b.data[i]!), a.shape as number[]),
  vjp: (dy, [a, b]) => {
    const db = mul(dy, a);
    const broken = Float64Array.from(db.data);
    broken[2] = nan ? NaN : 2 * broken[2]!;
    return [mul(dy, b), tensor(broken, { shape: db.shape })];
  },
});

describe('checkGrad', () => {
  it('passes a correct gradient over a tree, comparing every element', () => {
    const report = checkGrad((p: { x: Tensor; w: Tensor }) => tanh(matmul(p.x, p.w)), {
      x: f64([0.1, -0.4, 0.3, 0.8, -0.2, 0.5], [2, 3]),
      w: f64([0.3, -0.1, 0.2, 0.4, -0.6, 0.7], [3, 2]),
    });
    expect(report.ok, report.message).toBe(true);
    expect(report.checked).toBe(12);
    expect(report.worst!.ratio).toBeLessThan(1);
    expect(report.message).toMatch(/^ok: worst at [xw]\[\d\]/);
  });

  it('checks float32 inputs in float64, and contracts a non-scalar output with a random cotangent', () => {
    const report = checkGrad((x: Tensor) => mul(x, x), tensor([0.5, -1.5, 2]));
    expect(report.ok, report.message).toBe(true);
    expect(report.checked).toBe(3);
  });

  it('reports the element of a wrong VJP: path, index, analytic and numeric value', () => {
    const a = f64([1, 2, 3, 4]);
    const b = f64([0.5, -1, 2, 3]);
    const report = checkGrad((p: { a: Tensor; b: Tensor }) => sum(faultyMul(false)([p.a, p.b], undefined)), { a, b });
    expect(report.ok).toBe(false);
    expect(report.checked).toBe(8);
    const worst = report.worst!;
    expect(worst.path).toBe('b');
    expect(worst.index).toBe(2);
    expect(worst.numeric).toBeCloseTo(3, 6); // d/db2 Σ a·b = a2
    expect(worst.analytic).toBe(6);
    expect(worst.ratio).toBeGreaterThan(1);
    expect(report.message).toMatch(/^gradient mismatch: worst at b\[2\]: analytic 6, numeric 2\.99\d+/);
  });

  it('reports a NaN gradient as a mismatch', () => {
    const report = checkGrad((p: { a: Tensor; b: Tensor }) => sum(faultyMul(true)([p.a, p.b], undefined)), { a: f64([1, 2, 3]), b: f64([1, 1, 1]) });
    expect(report.ok).toBe(false);
    expect(report.worst!.path).toBe('b');
    expect(report.worst!.index).toBe(2);
    expect(report.worst!.analytic).toBeNaN();
  });

  it('takes rtol and atol: a loose enough tolerance lets the doubled element pass', () => {
    const args = { a: f64([1, 2, 3]), b: f64([1, 1, 1]) };
    const f = (p: typeof args): Tensor => sum(faultyMul(false)([p.a, p.b], undefined));
    expect(checkGrad(f, args).ok).toBe(false);
    expect(checkGrad(f, args, { rtol: 1.5 }).ok).toBe(true);
  });

  it('has nothing to compare for empty leaves', () => {
    const report = checkGrad((x: Tensor) => sum(x), zeros([0], { dtype: 'float64' }));
    expect(report).toMatchObject({ ok: true, checked: 0, worst: null, message: 'no elements to check' });
  });

  it('refuses a function that returns no tensor', () => {
    expect(() => checkGrad(() => ({}) as unknown as Tensor, f64([1]))).toThrow(SeqgradError);
    expect(() => checkGrad(() => ({}) as unknown as Tensor, f64([1]))).toThrow(/^checkGrad: the function must return a tensor, got object/);
  });
});
