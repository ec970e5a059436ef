/**
 * Constructors: nested arrays and typed arrays, the filled tensors, arange, eye, scalar
 * and astype; dtypes (float32 by default, float64 and int32 on request); constructors
 * copy their input, so later writes to it never reach the tensor; bad input names the op.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arange, astype, eye, full, ones, onesLike, scalar, SeqgradError, tensor, zeros, zerosLike, type NestedArray,
} from '../../lib/index.js';
import { shapeArb } from '../../lib/testing/index.js';

/** Nested arrays of `shape` holding 0, 1, 2, ... in row-major order, built independently of the code under test. */
const counting = (shape: readonly number[], start = 0): NestedArray => {
  if (shape.length === 0) return start;
  const inner = shape.slice(1).reduce((n, d) => n * d, 1);
  return Array.from({ length: shape[0]! }, (_, i) => counting(shape.slice(1), start + i * inner));
};

describe('tensor from nested arrays', () => {
  it('infers the shape, stores row-major, defaults to float32', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('takes float64 and int32 on request (int32 refuses fractions, NaN and values outside its range)', () => {
    const d = tensor([0.1, 0.2], { dtype: 'float64' });
    expect(d.data).toBeInstanceOf(Float64Array);
    expect(Array.from(d.data)).toEqual([0.1, 0.2]);
    expect(Array.from(tensor([0.1], { dtype: 'float32' }).data)).toEqual([Math.fround(0.1)]);
    const i = tensor([1, -1, 3, 2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' });
    expect(i.data).toBeInstanceOf(Int32Array);
    expect(Array.from(i.data)).toEqual([1, -1, 3, 2147483647, -2147483648]);
    expect(() => tensor([1.7, -2.5, 3e10], { dtype: 'int32' })).toThrow(/^tensor: values\[0\] = 1.7 is not an integer/);
    expect(() => tensor([1, 3e10], { dtype: 'int32' })).toThrow(/^tensor: values\[1\] = 30000000000 is outside the int32 range/);
    expect(() => tensor([NaN], { dtype: 'int32' })).toThrow(/^tensor: values\[0\] = NaN is not an integer/);
    expect(() => tensor([2 ** 31], { dtype: 'int32' })).toThrow(/outside the int32 range/);
  });

  it('a number is a scalar; an empty array has shape [0]; a shape option reshapes', () => {
    expect(tensor(2.5).shape).toEqual([]);
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    const r = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    expect(r.shape).toEqual([3, 2]);
    expect(r.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('round-trips any shape through toArray', () => {
    fc.assert(fc.property(shapeArb({ maxRank: 4, minDim: 0 }), (shape) => {
      const nested = counting(shape);
      // an empty array cannot tell the extents below it, so those shapes are given
      const inferable = !shape.slice(0, -1).includes(0);
      const t = tensor(nested, { dtype: 'float64', ...(inferable ? {} : { shape }) });
      expect(t.shape).toEqual(shape);
      expect(t.toArray()).toEqual(nested);
      expect(Array.from(t.data)).toEqual(Array.from({ length: t.size }, (_, i) => i));
    }), { numRuns: 100 });
  });

  it('rejects ragged arrays, naming both sub-shapes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(SeqgradError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/^tensor: ragged nested array: element 0 has shape \[2\], element 1 has \[1\]/);
    expect(() => tensor([1, [2]] as NestedArray)).toThrow(/ragged/);
    expect(() => tensor([[[1], [2]], [[3], [4], [5]]])).toThrow(/element 1 has \[3, 1\]/);
  });

  it('rejects non-numbers and a shape option of another size', () => {
    expect(() => tensor(['a'] as unknown as NestedArray)).toThrow(/^tensor: values must be numbers or nested arrays of numbers, got "a"/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/^tensor: values have shape \[3\], which does not fit options.shape \[2, 2\]/);
  });
});

describe('tensor from typed arrays', () => {
  it('takes the dtype of the array and a shape', () => {
    const t = tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(t.dtype).toBe('float64');
    expect(t.shape).toEqual([2, 2]);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Float32Array(3)).shape).toEqual([3]);
  });

  it('converts to a requested dtype', () => {
    const t = tensor(new Float64Array([0.1, -2.9]), { dtype: 'float32' });
    expect(Array.from(t.data)).toEqual([Math.fround(0.1), Math.fround(-2.9)]);
    expect(Array.from(tensor(new Float64Array([2, -3]), { dtype: 'int32' }).data)).toEqual([2, -3]);
    expect(() => tensor(new Float64Array([2.9, -2.9]), { dtype: 'int32' })).toThrow(/^tensor: values\[0\] = 2.9 is not an integer/);
    // other typed arrays are refused, not read as int32
    expect(() => tensor(new Uint8Array([1, 2]) as unknown as Int32Array)).toThrow(/^tensor: values is a Uint8Array; pass a Float32Array, Float64Array or Int32Array/);
    expect(() => tensor(new BigInt64Array(2) as unknown as Int32Array)).toThrow(/^tensor: values is a BigInt64Array/);
  });

  it('rejects a shape of another size, naming both', () => {
    expect(() => tensor(new Float32Array(3), { shape: [2, 2] })).toThrow(/^tensor: data has 3 elements but shape \[2, 2\] needs 4/);
    expect(() => tensor(new Float32Array(3), { shape: [3, -1] })).toThrow(/^tensor: invalid options.shape \[3, -1\]/);
  });
});

describe('immutability: constructors copy their input', () => {
  it('writes to the source typed array or nested array do not reach the tensor', () => {
    const src = new Float64Array([1, 2, 3]);
    const t = tensor(src);
    src[0] = 99;
    expect(Array.from(t.data)).toEqual([1, 2, 3]);
    const nested = [[1, 2], [3, 4]];
    const u = tensor(nested);
    nested[0]![0] = 99;
    expect(u.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('the shape is frozen and a copy of the option passed in', () => {
    const shape = [2, 2];
    const t = zeros(shape);
    shape[0] = 5;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('astype copies; the original keeps its data', () => {
    const a = tensor([1.5, 2.5], { dtype: 'float64' });
    const b = astype(a, 'float32');
    expect(b.data).not.toBe(a.data);
    expect(Array.from(a.data)).toEqual([1.5, 2.5]);
  });
});

describe('filled tensors', () => {
  it('zeros, ones and full fill every element, float32 unless asked', () => {
    expect(Array.from(zeros([2, 3]).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ones([2]).dtype).toBe('float32');
    expect(Array.from(ones([2, 2], { dtype: 'int32' }).data)).toEqual([1, 1, 1, 1]);
    const f = full([3], 0.5, { dtype: 'float64' });
    expect(f.dtype).toBe('float64');
    expect(Array.from(f.data)).toEqual([0.5, 0.5, 0.5]);
    expect(zeros([0, 4]).size).toBe(0);
    expect(full([], 7).shape).toEqual([]);
  });

  it('scalar has shape [] and its value', () => {
    const s = scalar(-3.25, { dtype: 'float64' });
    expect(s.shape).toEqual([]);
    expect(s.rank).toBe(0);
    expect(s.item()).toBe(-3.25);
    expect(scalar(1).dtype).toBe('float32');
  });

  it('zerosLike and onesLike keep shape and dtype', () => {
    const t = tensor([[1, 2, 3]], { dtype: 'float64' });
    expect(zerosLike(t).shape).toEqual([1, 3]);
    expect(zerosLike(t).dtype).toBe('float64');
    expect(Array.from(onesLike(t).data)).toEqual([1, 1, 1]);
  });

  it('refuse shapes with negative or fractional extents, naming the op', () => {
    expect(() => zeros([2, -1])).toThrow(/^zeros: invalid shape \[2, -1\]: extents must be non-negative integers/);
    expect(() => full([1.5], 0)).toThrow(SeqgradError);
    // NaN printed as NaN, not JSON's null
    expect(() => zeros([NaN])).toThrow(/^zeros: invalid shape \[NaN\]/);
  });

  it('refuse a value that is not a number, or does not fit int32', () => {
    expect(() => full([2], 'x' as unknown as number)).toThrow(/^full: value must be a number, got "x"/);
    expect(() => scalar(undefined as unknown as number)).toThrow(/^scalar: value must be a number, got undefined/);
    expect(() => full([2], 2.5, { dtype: 'int32' })).toThrow(/^full: value\[0\] = 2.5 is not an integer/);
    expect(() => zeros([2], { dtype: 'float16' as 'float32' })).toThrow(/^zeros: options.dtype must be one of float32, float64, int32, got "float16"/);
  });

  it('refuse a tensor too large to allocate, saying its size', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(/^zeros: a float32 tensor of 1000000000000 elements \(4000000000000 bytes\) is too large to allocate/);
  });
});

describe('arange', () => {
  it('counts from start up to, not including, stop', () => {
    expect(Array.from(arange(0, 5).data)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(arange(0, 1, 0.25).data)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(Array.from(arange(5, 0, -2).data)).toEqual([5, 3, 1]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(3, 0).shape).toEqual([0]);
    expect(arange(0, 3, 1, { dtype: 'int32' }).dtype).toBe('int32');
  });

  it('refuses a zero or non-finite step', () => {
    expect(() => arange(0, 5, 0)).toThrow(/^arange: step must be non-zero, got 0/);
    expect(() => arange(0, 5, NaN)).toThrow(/^arange: step must be a finite number, got NaN/);
  });

  it('refuses a non-finite bound, naming it, and a range too large to allocate', () => {
    expect(() => arange(0, NaN)).toThrow(/^arange: stop must be a finite number, got NaN/);
    expect(() => arange(0, Infinity)).toThrow(/^arange: stop must be a finite number, got Infinity/);
    expect(() => arange(0, 1e13)).toThrow(/^arange: a float32 tensor of 10000000000000 elements .* is too large to allocate/);
    expect(() => arange(0, 1, 0.5, { dtype: 'int32' })).toThrow(/^arange: values\[1\] = 0.5 is not an integer/);
  });
});

describe('eye', () => {
  it('is the identity', () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(0).shape).toEqual([0, 0]);
    expect(eye(2, { dtype: 'float64' }).dtype).toBe('float64');
    expect(() => eye(-1)).toThrow(/^eye: n must be a non-negative integer, got -1/);
  });
});

describe('astype', () => {
  it('converts between dtypes; float to int32 rounds only when told how', () => {
    const a = tensor(new Float64Array([1.9, -1.9, 0.1]), { shape: [3] });
    expect(() => astype(a, 'int32')).toThrow(/^astype: t\[0\] = 1.9 is not an integer/);
    expect(Array.from(astype(a, 'int32', { round: 'trunc' }).data)).toEqual([1, -1, 0]);
    expect(Array.from(astype(a, 'int32', { round: 'nearest' }).data)).toEqual([2, -2, 0]);
    // ties to even, as numpy.rint: 0.5 → 0, 1.5 → 2, 2.5 → 2, -2.5 → -2
    expect(Array.from(astype(tensor(new Float64Array([0.5, 1.5, 2.5, -2.5])), 'int32', { round: 'nearest' }).data)).toEqual([0, 2, 2, -2]);
    expect(Array.from(astype(tensor(new Float64Array([3, -4])), 'int32').data)).toEqual([3, -4]);
    // NaN and out-of-range values are refused whatever the rounding
    expect(() => astype(tensor([NaN, 1e10]), 'int32', { round: 'nearest' })).toThrow(/^astype: t\[0\] = NaN is not an integer/);
    expect(() => astype(tensor(new Float64Array([1, 1e10])), 'int32', { round: 'trunc' })).toThrow(/^astype: t\[1\] = 10000000000 is outside the int32 range/);
    expect(() => astype(a, 'bfloat16' as 'float32')).toThrow(/^astype: dtype must be one of float32, float64, int32, got "bfloat16"/);
    expect(() => astype(a, 'int32', { round: 'up' as 'trunc' })).toThrow(/^astype: options.round must be 'nearest' or 'trunc', got "up"/);
    const b = tensor(new Float64Array([1, -1, 0]), { shape: [3] });
    expect(Array.from(astype(a, 'float32').data)).toEqual([Math.fround(1.9), Math.fround(-1.9), Math.fround(0.1)]);
    expect(astype(tensor([1, 2], { dtype: 'int32' }), 'float64').dtype).toBe('float64');
    expect(astype(b, 'int32').shape).toEqual([3]);
  });

  it('returns the same tensor when the dtype already matches (tensors are immutable)', () => {
    const a = tensor([1, 2]);
    expect(astype(a, 'float32')).toBe(a);
  });
});

describe('negative zero', () => {
  it('scalar, full and tensor keep -0 (a checkpoint of an optimizer state must round-trip it)', () => {
    expect(Object.is(scalar(-0).item(), -0)).toBe(true);
    expect(Object.is(scalar(-0, { dtype: 'float64' }).item(), -0)).toBe(true);
    expect(Array.from(full([2], -0).data).every((v) => Object.is(v, -0))).toBe(true);
    expect(Object.is(tensor([-0]).data[0], -0)).toBe(true);
  });
});
