/**
 * The Tensor class: size and rank, toArray, item, toString, the tape node being absent
 * on constructed tensors, and the constructor's own size check.
 */
import { describe, expect, it } from 'vitest';
import { isTensor, SeqgradError, tensor, Tensor, zeros } from '../../lib/index.js';

describe('Tensor', () => {
  it('reports size and rank', () => {
    const t = zeros([2, 3, 4]);
    expect(t.size).toBe(24);
    expect(t.rank).toBe(3);
    expect(zeros([]).size).toBe(1);
    expect(zeros([]).rank).toBe(0);
    expect(zeros([3, 0]).size).toBe(0);
  });

  it('toArray nests row-major data by the shape', () => {
    const t = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [3, 1, 2] });
    expect(t.toArray()).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(tensor(7).toArray()).toBe(7);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it('item returns the only element, of any rank', () => {
    expect(tensor([[4.5]], { dtype: 'float64' }).item()).toBe(4.5);
    expect(tensor(-2, { dtype: 'int32' }).item()).toBe(-2);
  });

  it('item refuses several or no elements, naming the shape', () => {
    expect(() => tensor([1, 2]).item()).toThrow(SeqgradError);
    expect(() => tensor([1, 2]).item()).toThrow(/^item: needs a one-element tensor, got shape \[2\]/);
    expect(() => zeros([0]).item()).toThrow(/got shape \[0\]/);
  });

  it('constructed tensors carry no tape node; isTensor tells tensors apart', () => {
    expect(tensor([1]).node).toBeNull();
    expect(isTensor(tensor([1]))).toBe(true);
    expect(isTensor({ shape: [1], data: new Float32Array(1) })).toBe(false);
    expect(isTensor(null)).toBe(false);
  });

  it('the constructor checks data against the shape and takes the dtype from the data', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/^tensor: data has 5 elements but shape \[2, 3\] needs 6/);
    expect(new Tensor(new Int32Array(2), [2]).dtype).toBe('int32');
  });

  it('toString is readable', () => {
    expect(String(tensor([[1, 2], [3, 4]]))).toBe('Tensor(float32 [2, 2]) [[1, 2],\n [3, 4]]');
  });
});
