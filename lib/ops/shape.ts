/**
 * Shape primitives: reshape, permute, slice and its adjoint pad, concat, flip; and
 * the ops derived from them (transpose, stack, split, squeeze, expandDims).
 * Reshape shares its input's data, and so does a slice whose window is one contiguous
 * block (a time step of a time-major sequence, one half of a stacked pair): tensors are
 * immutable, so no copy is needed.
 *
 * @module
 */
import { broadcastTo, sumTo } from '../autodiff/broadcast.js';
import { definePrimitive } from '../autodiff/primitive.js';
import { kernels } from '../kernels/index.js';
import { full } from '../tensor/create.js';
import { allocateForKernel, type DType } from '../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { normalizeAxes, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Tuple } from '../tensor/tuple.js';
import { expectArray, expectTensor } from './support.js';

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

const reshapeP = definePrimitive<Shape, 1>({
  name: 'reshape',
  forward: ([x], shape) => new Tensor(x.data, shape),
  vjp: (dy, [x]) => [reshape(dy, x.shape)],
});

const permuteP = definePrimitive<readonly number[], 1>({
  name: 'permute',
  forward: ([x], perm) => {
    const out = written(perm.map((p) => x.shape[p]!), x.dtype, 'permute');
    kernels().permute(x.data, x.shape, perm, out.data);
    return out;
  },
  vjp: (dy, _, __, perm) => [permute(dy, inversePermutation(perm))],
});

/** An output tensor whose kernel writes every element, so it needs no zero-filling. */
const written = (shape: Shape, dtype: DType, op: string): Tensor => new Tensor(allocateForKernel(dtype, sizeOf(shape), op), shape);

interface Window { readonly begin: readonly number[]; readonly size: readonly number[] }

const sliceP = definePrimitive<Window, 1>({
  name: 'slice',
  forward: ([x], { begin, size }) => {
    const at = contiguousOffset(x.shape, begin, size);
    if (at !== null) return new Tensor(x.data.subarray(at, at + sizeOf(size)), size);
    const out = written(size, x.dtype, 'slice');
    kernels().copyWindow(x.data, x.shape, out.data, size, begin, 'read');
    return out;
  },
  // a window, not a padded tensor: the tape adds it in place (see WindowCotangent)
  vjp: (dy, [x], _, { begin, size }) => [{
    window: true,
    value: dy,
    begin,
    materialize: () => pad(dy, begin.map((b, i) => [b, x.shape[i]! - b - size[i]!] as const)),
  }],
});

interface Padding { readonly widths: readonly (readonly [number, number])[]; readonly value: number }

const padP = definePrimitive<Padding, 1>({
  name: 'pad',
  forward: ([x], { widths, value }) => {
    const out = full(x.shape.map((d, i) => d + widths[i]![0] + widths[i]![1]), value, { dtype: x.dtype });
    kernels().copyWindow(out.data, out.shape, x.data, x.shape, widths.map((w) => w[0]), 'write');
    return out;
  },
  vjp: (dy, [x], _, { widths }) => [slice(dy, widths.map((w) => w[0]), x.shape)],
});

const concatP = definePrimitive<number>({
  name: 'concat',
  forward: (xs, axis) => {
    const shape = xs[0]!.shape.map((d, i) => (i === axis ? xs.reduce((n, x) => n + x.shape[axis]!, 0) : d));
    const out = written(shape, xs[0]!.dtype, 'concat');
    let offset = 0;
    for (const x of xs) {
      kernels().copyWindow(out.data, shape, x.data, x.shape, shape.map((_, i) => (i === axis ? offset : 0)), 'write');
      offset += x.shape[axis]!;
    }
    return out;
  },
  vjp: (dy, xs, _, axis) => {
    let offset = 0;
    return xs.map((x) => {
      const begin = x.shape.map((_, i) => (i === axis ? offset : 0));
      offset += x.shape[axis]!;
      return slice(dy, begin, x.shape);
    });
  },
});

const flipP = definePrimitive<readonly number[], 1>({
  name: 'flip',
  forward: ([x], axes) => {
    const out = written(x.shape, x.dtype, 'flip');
    kernels().flip(x.data, x.shape, axes, out.data);
    return out;
  },
  vjp: (dy, _, __, axes) => [flip(dy, axes)],
});

/**
 * Where the window starts in `shape`'s flat layout when it is one contiguous block —
 * extent 1 on every axis before some axis, the full extent on every axis after it —
 * else null.
 */
const contiguousOffset = (shape: Shape, begin: readonly number[], size: readonly number[]): number | null => {
  let axis = 0;
  while (axis < shape.length - 1 && size[axis] === 1) axis++;
  for (let i = axis + 1; i < shape.length; i++) if (size[i] !== shape[i]) return null;
  let offset = 0;
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    offset += begin[i]! * stride;
    stride *= shape[i]!;
  }
  return offset;
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * The same elements under a new shape; one extent may be -1 and is inferred.
 *
 * @example
 * ```ts
 * reshape(x, [-1, 4]);
 * ```
 */
export const reshape = (x: Tensor, shape: Shape): Tensor => {
  expectTensor('reshape', x);
  expectArray('reshape', shape, 'shape');
  const resolved = resolveShape(x, shape);
  return shapesEqual(resolved, x.shape) ? x : reshapeP([x], resolved);
};

/** Reorders axes: output axis i is input axis `perm[i]`. */
export const permute = (x: Tensor, perm: readonly number[]): Tensor => {
  expectTensor('permute', x);
  expectArray('permute', perm, 'perm');
  const axes = perm.map((p) => normalizeAxis('permute', p, x.rank));
  if (axes.length !== x.rank || new Set(axes).size !== x.rank) {
    throw new SeqgradError('permute', `perm ${JSON.stringify(perm)} is not a permutation of the ${x.rank} axes of shape ${showShape(x.shape)}`);
  }
  return axes.every((p, i) => p === i) ? x : permuteP([x], axes);
};

/** Swaps two axes (the last two by default), or applies `perm` when given. */
export const transpose = (x: Tensor, axes: readonly number[] = [-2, -1]): Tensor => {
  expectTensor('transpose', x);
  expectArray('transpose', axes, 'axes');
  if (axes.length !== 2) return permute(x, axes);
  const a = normalizeAxis('transpose', axes[0]!, x.rank);
  const b = normalizeAxis('transpose', axes[1]!, x.rank);
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
};

/**
 * The window of `x` starting at `begin` with extents `size` (-1: to the end).
 *
 * @example
 * ```ts
 * slice(x, [0, 2], [-1, 3]); // all rows, columns 2..4
 * ```
 */
export const slice = (x: Tensor, begin: readonly number[], size: readonly number[]): Tensor => {
  expectTensor('slice', x);
  expectArray('slice', begin, 'begin');
  expectArray('slice', size, 'size');
  if (begin.length !== x.rank || size.length !== x.rank) {
    throw new SeqgradError('slice', `begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} need one entry per axis of shape ${showShape(x.shape)}`);
  }
  const extents = size.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s));
  begin.forEach((b, i) => {
    if (!Number.isInteger(b)) throw new SeqgradError('slice', `begin[${i}] = ${showValue(b)} must be an integer`);
  });
  size.forEach((n, i) => {
    if (!Number.isInteger(n)) throw new SeqgradError('slice', `size[${i}] = ${showValue(n)} must be an integer (or -1: to the end)`);
  });
  extents.forEach((s, i) => {
    if (begin[i]! < 0 || s < 0 || begin[i]! + s > x.shape[i]!) {
      throw new SeqgradError('slice', `window begin ${JSON.stringify(begin)} size ${JSON.stringify(size)} is outside shape ${showShape(x.shape)} on axis ${i}`);
    }
  });
  return shapesEqual(extents, x.shape) ? x : sliceP([x], { begin, size: extents });
};

/** Pads each axis with `widths[i] = [before, after]` copies of `value` (0 by default). */
export const pad = (x: Tensor, widths: readonly (readonly [number, number])[], value = 0): Tensor => {
  expectTensor('pad', x);
  if (expectArray('pad', widths, 'widths').length !== x.rank || widths.some((w) => !Array.isArray(w) || w.length !== 2 || w.some((n) => !Number.isInteger(n) || n < 0))) {
    throw new SeqgradError('pad', `widths ${JSON.stringify(widths)} need one [before, after] pair of non-negative integers per axis of shape ${showShape(x.shape)}`);
  }
  if (typeof value !== 'number') throw new SeqgradError('pad', `value must be a number, got ${typeof value}`);
  return widths.every((w) => w[0] === 0 && w[1] === 0) ? x : padP([x], { widths, value });
};

/** Joins tensors along an existing axis; all other extents must agree. */
export const concat = (xs: readonly Tensor[], axis = 0): Tensor => {
  if (!(xs instanceof Array) || xs.length === 0) throw new SeqgradError('concat', `xs must be a non-empty array of tensors, got ${showValue(xs)}`);
  xs.forEach((x, i) => expectTensor('concat', x, `xs[${i}]`));
  const first = xs[0]!;
  const a = normalizeAxis('concat', axis, first.rank);
  xs.forEach((x, i) => {
    if (x.rank !== first.rank || x.shape.some((d, k) => k !== a && d !== first.shape[k]) || x.dtype !== first.dtype) {
      throw new SeqgradError('concat', `xs[${i}] is ${x.dtype} ${showShape(x.shape)}, which cannot join xs[0] ${first.dtype} ${showShape(first.shape)} along axis ${axis}`);
    }
  });
  return xs.length === 1 ? first : concatP(xs, a);
};

/** Reverses `x` along the given axes (all by default). */
export const flip = (x: Tensor, axes?: number | readonly number[]): Tensor => {
  expectTensor('flip', x);
  const list = normalizeAxes('flip', axes, x.rank);
  return list.length === 0 ? x : flipP([x], list);
};

/** Joins tensors of equal shape along a new axis. */
export const stack = (xs: readonly Tensor[], axis = 0): Tensor => {
  if (!(xs instanceof Array) || xs.length === 0) throw new SeqgradError('stack', `xs must be a non-empty array of tensors, got ${showValue(xs)}`);
  xs.forEach((x, i) => expectTensor('stack', x, `xs[${i}]`));
  const first = xs[0]!;
  const a = normalizeAxis('stack', axis, first.rank + 1);
  xs.forEach((x, i) => {
    if (!shapesEqual(x.shape, first.shape)) {
      throw new SeqgradError('stack', `xs[${i}] has shape ${showShape(x.shape)} but xs[0] has ${showShape(first.shape)}`);
    }
    if (x.dtype !== first.dtype) {
      throw new SeqgradError('stack', `xs[${i}] is ${x.dtype} ${showShape(x.shape)} but xs[0] is ${first.dtype} ${showShape(first.shape)}`);
    }
  });
  return concat(xs.map((x) => expandDims(x, a)), a);
};

/** How many parts `split` returns for `sections`: the count, or the number of sizes. */
export type SplitCount<S extends number | readonly number[]> = S extends number ? S : S extends readonly number[] ? S['length'] : number;

/**
 * Splits `x` along `axis` into `sections` equal parts, or into parts of the given sizes.
 * A literal count (or a literal list of sizes) types the result as a tuple of that
 * length, so it destructures without non-null assertions.
 *
 * @example
 * ```ts
 * const [i, f, g, o] = split(gates, 4, -1);   // [Tensor, Tensor, Tensor, Tensor]
 * const [head, rest] = split(x, [1, 3], -1);  // [Tensor, Tensor]
 * ```
 */
export const split = <const S extends number | readonly number[]>(x: Tensor, sections: S, axis = 0): Tuple<Tensor, SplitCount<S>> => {
  expectTensor('split', x);
  const a = normalizeAxis('split', axis, x.rank);
  const n = x.shape[a]!;
  const sizes = typeof sections === 'number' ? Array.from({ length: sections }, () => n / sections) : expectArray('split', sections, 'sections');
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((t, s) => t + s, 0) !== n) {
    throw new SeqgradError('split', `cannot split axis ${axis} of extent ${n} (shape ${showShape(x.shape)}) into ${JSON.stringify(sections)}`);
  }
  let offset = 0;
  const parts = sizes.map((s) => {
    const begin = x.shape.map((_, i) => (i === a ? offset : 0));
    offset += s;
    return slice(x, begin, x.shape.map((d, i) => (i === a ? s : d)));
  });
  // one part per section, as checked above: the tuple's length
  return parts as Tuple<Tensor, SplitCount<S>>;
};

/** Inserts an axis of extent 1 at `axis`. */
export const expandDims = (x: Tensor, axis: number): Tensor => {
  expectTensor('expandDims', x);
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
};

/** Removes axes of extent 1 (the given ones, or all). */
export const squeeze = (x: Tensor, axes?: number | readonly number[]): Tensor => {
  expectTensor('squeeze', x);
  const list = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, x.rank);
  list.forEach((a) => {
    if (x.shape[a] !== 1) throw new SeqgradError('squeeze', `axis ${a} of shape ${showShape(x.shape)} has extent ${x.shape[a]}, not 1`);
  });
  return reshape(x, x.shape.filter((_, i) => !list.includes(i)));
};

export { broadcastTo, sumTo };

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const inversePermutation = (perm: readonly number[]): number[] => {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
};

const resolveShape = (x: Tensor, shape: Shape): number[] => {
  const unknown = shape.filter((d) => d === -1).length;
  const known = sizeOf(shape.filter((d) => d !== -1));
  // -1 beside a 0 extent could be anything (NumPy refuses it too)
  const bad = unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1) || (unknown === 1 && known === 0);
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (bad || !resolved.every(Number.isInteger) || sizeOf(resolved) !== x.size) {
    throw new SeqgradError('reshape', `cannot reshape ${showShape(x.shape)} (${x.size} elements) to ${showShape(shape)}`);
  }
  return resolved;
};
