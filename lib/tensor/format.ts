/**
 * Readable printing of tensors: nested brackets, aligned numbers, long axes elided
 * with an ellipsis the way NumPy prints them.
 *
 * @module
 */
import type { DType, TypedArray } from './dtype.js';
import { stridesOf, type Shape } from './shape.js';

/**
 * What printing reads of a tensor, named here rather than imported: tensor.ts imports
 * this module for `toString`, so importing `Tensor` back would make a cycle.
 */
interface Printable {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: TypedArray;
  readonly size: number;
}

const EDGE = 3;
const FULL_LIMIT = 1000;

const formatNumber = (x: number, isInt: boolean): string =>
  isInt || Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e-4 && Math.abs(x) < 1e6 ? trimZeros(x.toPrecision(6)) : x.toExponential(4);

/** Drops trailing zeros of a fraction ("0.500000" → "0.5"), never of an integer part ("100000" stays). */
const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** @internal Renders `t` as `Tensor(dtype [shape]) values`. */
export const formatTensor = (t: Printable): string => {
  const elide = t.size > FULL_LIMIT;
  const isInt = t.dtype === 'int32';
  const strides = stridesOf(t.shape);
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === t.shape.length) return formatNumber(t.data[offset]!, isInt);
    const n = t.shape[axis]!;
    const show = elide && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const sep = axis === t.shape.length - 1 ? ', ' : `,\n${indent} `;
    const parts = show.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * strides[axis]!, indent + ' ')));
    return `[${parts.join(sep)}]`;
  };
  return `Tensor(${t.dtype} [${t.shape.join(', ')}]) ${render(0, 0, '')}`;
};

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
