/**
 * Printing: dtype and shape first, nested brackets with one row per line, six
 * significant digits (exponent form for very large or small magnitudes), and long
 * tensors elided to their first and last three entries per axis, as NumPy prints.
 */
import { describe, expect, it } from 'vitest';
import { arange, reshape, tensor, zeros } from '../../lib/index.js';

describe('formatting tensors', () => {
  it('prints scalars, vectors and empty tensors', () => {
    expect(String(tensor(3.5))).toBe('Tensor(float32 []) 3.5');
    expect(String(tensor([1, 2, 3], { dtype: 'int32' }))).toBe('Tensor(int32 [3]) [1, 2, 3]');
    expect(String(zeros([0]))).toBe('Tensor(float32 [0]) []');
  });

  it('puts each row of a matrix on its own line, indented under the bracket', () => {
    const t = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], { dtype: 'float64' });
    expect(String(t)).toBe('Tensor(float64 [2, 2, 2]) [[[1, 2],\n  [3, 4]],\n [[5, 6],\n  [7, 8]]]');
  });

  it('prints six significant digits without trailing zeros, keeping the zeros of large integer parts', () => {
    const t = tensor([0.5, 1 / 3, -0.25, 123456.7, 100000.25, 120000.3], { dtype: 'float64' });
    expect(String(t)).toBe('Tensor(float64 [6]) [0.5, 0.333333, -0.25, 123457, 100000, 120000]');
  });

  it('uses exponent form for very small and very large non-integers; prints NaN and infinities', () => {
    const t = tensor([1.5e-5, 2.5e7 + 0.5, NaN, Infinity, -Infinity], { dtype: 'float64' });
    expect(String(t)).toBe('Tensor(float64 [5]) [1.5000e-5, 2.5000e+7, NaN, Infinity, -Infinity]');
  });

  it('shows float32 values as stored, rounded to six digits', () => {
    expect(String(tensor([0.1, 0.7]))).toBe('Tensor(float32 [2]) [0.1, 0.7]');
  });

  it('elides long tensors to three entries at each end of every long axis', () => {
    expect(String(arange(0, 2000))).toBe('Tensor(float32 [2000]) [0, 1, 2, ..., 1997, 1998, 1999]');
    const m = reshape(arange(0, 1200), [100, 12]);
    const lines = String(m).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('Tensor(float32 [100, 12]) [[0, 1, 2, ..., 9, 10, 11],');
    expect(lines[3]).toBe(' ...,');
    expect(lines[6]).toBe(' [1188, 1189, 1190, ..., 1197, 1198, 1199]]');
  });

  it('prints up to 1000 elements in full', () => {
    const s = String(arange(0, 1000));
    expect(s).not.toContain('...');
    expect(s.endsWith('998, 999]')).toBe(true);
  });
});
