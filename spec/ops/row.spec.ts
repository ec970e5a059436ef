/**
 * row: entry i along axis 0 as a view, its window cotangent against finite differences,
 * the padded form a nested grad uses, and a bad index.
 */
import { describe, expect, it } from 'vitest';
import { grad, mul, sum, tanh, tensor, type Tensor } from '../../lib/index.js';
import { row } from '../../lib/ops/row.js';
import { checkGrad } from '../../lib/testing/index.js';

const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]], { dtype: 'float64' });

describe('row', () => {
  it('takes entry i along axis 0 without that axis, sharing the data', () => {
    const r = row(x, 1);
    expect(r.shape).toEqual([2, 2]);
    expect(r.toArray()).toEqual([[5, 6], [7, 8]]);
    expect(r.data.buffer).toBe(x.data.buffer);
  });

  it('gradients agree with finite differences, and reach only entry i', () => {
    const report = checkGrad((t: Tensor) => mul(tanh(row(t, 2)), row(t, 0)), x);
    expect(report.ok, report.message).toBe(true);
    const g = grad((t: Tensor) => sum(row(t, 1)))(x);
    expect(g.toArray()).toEqual([[[0, 0], [0, 0]], [[1, 1], [1, 1]], [[0, 0], [0, 0]]]);
  });

  it('second derivatives through it (the padded cotangent) match by hand: d²/dx² Σ row(x, 0)³ = 6x there', () => {
    const inner = (t: Tensor): Tensor => sum(mul(mul(row(t, 0), row(t, 0)), row(t, 0)));
    const g2 = grad((t: Tensor) => sum(grad(inner)(t)))(x);
    expect(g2.toArray()).toEqual([[[6, 12], [18, 24]], [[0, 0], [0, 0]], [[0, 0], [0, 0]]]);
  });

  it('refuses an index outside axis 0, naming row and the shape', () => {
    expect(() => row(x, 3)).toThrow(/row: index 3 is outside axis 0 of x \[3, 2, 2\]/);
    expect(() => row(x, 0.5)).toThrow(/row: index 0.5/);
  });
});
