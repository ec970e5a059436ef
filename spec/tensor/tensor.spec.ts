/**
 * The Tensor class: size and rank, toArray, item, the typed readers (toFloat32Array,
 * toFloat64Array, toInt32Array), toString, the tape node being absent on constructed
 * tensors, and the constructor's own size check.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { astype, isTensor, SeqgradError, tensor, Tensor, zeros } from '../../lib/index.js';

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

  it('the typed readers return the row-major elements in the typed array of the dtype', () => {
    const f32 = tensor([[1.5, -2], [0.25, 3]]).toFloat32Array();
    expectTypeOf(f32).toEqualTypeOf<Float32Array>();
    expect(f32).toEqual(new Float32Array([1.5, -2, 0.25, 3]));
    // 0.1 is not a float32: only the float64 reader gives it back exactly
    expect(tensor([0.1, 2], { dtype: 'float64' }).toFloat64Array()).toEqual(new Float64Array([0.1, 2]));
    expect(tensor([[7], [-3]], { dtype: 'int32' }).toInt32Array()).toEqual(new Int32Array([7, -3]));
    // array methods are callable on the result, as they are not on the data union
    expect(tensor([1, 2, 3]).toFloat32Array().reduce((s, v) => s + v, 0)).toBe(6);
  });

  it('the typed readers return a copy: writing to it leaves the tensor unchanged', () => {
    const t = tensor([1, 2]);
    const copy = t.toFloat32Array();
    copy[0] = 99;
    expect(t.toArray()).toEqual([1, 2]);
    expect(copy).not.toBe(t.data);
  });

  it('the typed readers refuse another dtype, naming the reader, both dtypes and the conversion', () => {
    expect(() => tensor([1], { dtype: 'int32' }).toFloat32Array()).toThrow(SeqgradError);
    expect(() => tensor([1], { dtype: 'int32' }).toFloat32Array()).toThrow("toFloat32Array: the tensor is int32, not float32; convert it first with astype(t, 'float32')");
    expect(() => tensor([1]).toFloat64Array()).toThrow(/^toFloat64Array: the tensor is float32, not float64/);
    expect(() => tensor([1.5]).toInt32Array()).toThrow(/^toInt32Array: the tensor is float32, not int32; convert it first with astype\(t, 'int32'\)/);
    // the conversion the message names works
    expect(astype(tensor([1, 2], { dtype: 'int32' }), 'float32').toFloat32Array()).toEqual(new Float32Array([1, 2]));
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
