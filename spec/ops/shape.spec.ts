/**
 * Shape ops (reshape, permute, slice, pad, concat, flip primitives; transpose, stack,
 * split, expandDims, squeeze derived): VJPs against central finite differences on
 * random shapes and parameters, forwards against index arithmetic written here from
 * scratch, hand-computed cases, bad input and immutability.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  concat, expandDims, flip, grad, mul, pad, permute, reshape, slice, split, squeeze, stack, sum, tensor, transpose,
  valueAndGrad, type Tensor,
} from '../../lib/index.js';
import { checkGrad, shapeArb, tensorArb, type ShapeOptions } from '../../lib/testing/index.js';
import { expectData, expectGradOk, expectUnchanged, f64, ravel, unravel, expectSeqgradError, RUNS } from '../support/reference.js';

const SHAPES: ShapeOptions = { maxRank: 4, maxDim: 3 };
const sizeOf = (s: readonly number[]): number => s.reduce((n, d) => n * d, 1);

/** Reference: each output element read from `x` at `source(outIdx)`, or `fill` where that is null. */
const readRef = (x: Tensor, outShape: readonly number[], source: (j: number[]) => number[] | null, fill = 0): number[] =>
  Array.from({ length: sizeOf(outShape) }, (_, i) => {
    const at = source(unravel(outShape, i));
    return at === null ? fill : x.data[ravel(x.shape, at)]!;
  });

const xArb = (options = SHAPES): fc.Arbitrary<Tensor> => shapeArb(options).chain((s) => tensorArb(s));
/** An axis of rank `rank`, positive or negative. */
const axisArb = (rank: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: rank - 1 }).chain((a) => fc.constantFrom(a, a - rank));
const norm = (a: number, rank: number): number => (a < 0 ? a + rank : a);

/** Asserts the gradient property of `f` at `x` and that `f(x)` has `shape` and `data`. */
const checkOp = (f: (t: Tensor) => Tensor, x: Tensor, shape: readonly number[], data: readonly number[]): void => {
  expectData(f(x), shape, data);
  expectGradOk(checkGrad(f, x));
};

describe('primitives: gradients and values', () => {
  it('reshape: to a shuffled, merged, 1-padded shape (maybe with -1) keeps row-major order', () => {
    const targetArb = (s: number[]): fc.Arbitrary<number[]> =>
      fc.tuple(fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }), fc.nat(2), fc.boolean(), fc.nat(4)).map(([dims, ones, merge, unknown]) => {
        const t = merge && dims.length >= 2 ? [dims[0]! * dims[1]!, ...dims.slice(2)] : [...dims];
        for (let k = 0; k < ones; k++) t.splice(k % (t.length + 1), 0, 1);
        if (unknown < t.length) t[unknown] = -1;
        return t;
      });
    fc.assert(
      fc.property(shapeArb(SHAPES).chain((s) => fc.tuple(tensorArb(s), targetArb(s))), ([x, target]) => {
        const known = sizeOf(target.filter((d) => d !== -1));
        checkOp((t) => reshape(t, target), x, target.map((d) => (d === -1 ? x.size / known : d)), Array.from(x.data));
      }),
      RUNS,
    );
  });

  it('permute: output axis k is input axis perm[k] (negative entries allowed)', () => {
    const caseArb = xArb().chain((x) =>
      fc.tuple(fc.constant(x), fc.shuffledSubarray([...x.shape.keys()], { minLength: x.rank, maxLength: x.rank }), fc.array(fc.boolean(), { minLength: x.rank, maxLength: x.rank })));
    fc.assert(
      fc.property(caseArb, ([x, perm, negative]) => {
        const given = perm.map((p, k) => (negative[k] ? p - x.rank : p));
        const inverse = perm.map((_, k) => perm.indexOf(k));
        checkOp((t) => permute(t, given), x, perm.map((p) => x.shape[p]!), readRef(x, perm.map((p) => x.shape[p]!), (j) => inverse.map((k) => j[k]!)));
      }),
      RUNS,
    );
  });

  it('slice: any window (size -1 meaning to the end) reads x[begin + j]', () => {
    const caseArb = xArb().chain((x) =>
      fc.tuple(fc.constant(x), fc.tuple(...x.shape.map((d) => fc.integer({ min: 0, max: d - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: -1, max: d - b })))))));
    fc.assert(
      fc.property(caseArb, ([x, window]) => {
        const begin = window.map((w) => w[0]);
        const size = window.map((w) => w[1]);
        const extents = size.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s));
        checkOp((t) => slice(t, begin, size), x, extents, readRef(x, extents, (j) => j.map((v, i) => v + begin[i]!)));
      }),
      RUNS,
    );
  });

  it('pad: widths [before, after] per axis filled with a value', () => {
    const caseArb = xArb().chain((x) =>
      fc.tuple(fc.constant(x), fc.tuple(...x.shape.map(() => fc.tuple(fc.nat(2), fc.nat(2)))), fc.double({ min: -3, max: 3, noNaN: true })));
    fc.assert(
      fc.property(caseArb, ([x, widths, value]) => {
        const shape = x.shape.map((d, i) => d + widths[i]![0] + widths[i]![1]);
        const source = (j: number[]): number[] | null => {
          const at = j.map((v, i) => v - widths[i]![0]);
          return at.every((v, i) => v >= 0 && v < x.shape[i]!) ? at : null;
        };
        checkOp((t) => pad(t, widths, value), x, shape, readRef(x, shape, source, value));
      }),
      RUNS,
    );
  });

  it('concat: 1 to 3 tensors differing along a random axis', () => {
    const partsArb = (base: number[], axis: number, extents: number[]): fc.Arbitrary<Tensor[]> =>
      fc.tuple(...extents.map((e) => tensorArb(base.map((d, i) => (i === norm(axis, base.length) ? e : d)))));
    const caseArb = shapeArb({ ...SHAPES, minRank: 1 }).chain((base) =>
      fc.tuple(axisArb(base.length), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }))
        .chain(([axis, extents]) => fc.tuple(fc.constant(axis), partsArb(base, axis, extents))));
    fc.assert(
      fc.property(caseArb, ([axis, xs]) => {
        const a = norm(axis, xs[0]!.rank);
        const starts = xs.map((_, k) => xs.slice(0, k).reduce((n, x) => n + x.shape[a]!, 0));
        const shape = xs[0]!.shape.map((d, i) => (i === a ? starts[xs.length - 1]! + xs[xs.length - 1]!.shape[a]! : d));
        const want = Array.from({ length: sizeOf(shape) }, (_, i) => {
          const j = unravel(shape, i);
          let k = xs.length - 1;
          while (starts[k]! > j[a]!) k--;
          return xs[k]!.data[ravel(xs[k]!.shape, j.map((v, q) => (q === a ? v - starts[k]! : v)))]!;
        });
        expectData(concat(xs, axis), shape, want);
        expectGradOk(checkGrad((ts: Tensor[]) => concat(ts, axis), xs));
      }),
      RUNS,
    );
  });

  it('flip: reverses the chosen axes (one, several or all)', () => {
    const axesArb = (rank: number): fc.Arbitrary<number | number[] | undefined> =>
      rank === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), axisArb(rank), fc.subarray([...Array(rank).keys()]));
    fc.assert(
      fc.property(xArb().chain((x) => fc.tuple(fc.constant(x), axesArb(x.rank))), ([x, axes]) => {
        const list = axes === undefined ? [...x.shape.keys()] : (typeof axes === 'number' ? [axes] : axes).map((a) => norm(a, x.rank));
        checkOp((t) => flip(t, axes), x, x.shape, readRef(x, x.shape, (j) => j.map((v, i) => (list.includes(i) ? x.shape[i]! - 1 - v : v))));
      }),
      RUNS,
    );
  });
});

describe('derived shape ops: gradients and values', () => {
  it('transpose: swaps two axes (the last two by default)', () => {
    const caseArb = xArb({ ...SHAPES, minRank: 2 }).chain((x) => fc.tuple(fc.constant(x), fc.option(fc.tuple(axisArb(x.rank), axisArb(x.rank)), { nil: undefined })));
    fc.assert(
      fc.property(caseArb, ([x, axes]) => {
        const [p, q] = (axes ?? [-2, -1]).map((a) => norm(a, x.rank));
        const swap = (s: readonly number[]): number[] => s.map((v, i) => (i === p ? s[q!]! : i === q ? s[p!]! : v));
        checkOp((t) => transpose(t, axes), x, swap(x.shape), readRef(x, swap(x.shape), swap));
      }),
      RUNS,
    );
  });

  it('stack: 1 to 3 equal shapes joined along a new axis', () => {
    const caseArb = shapeArb({ ...SHAPES, maxRank: 3 }).chain((s) =>
      fc.tuple(fc.array(tensorArb(s), { minLength: 1, maxLength: 3 }), axisArb(s.length + 1)));
    fc.assert(
      fc.property(caseArb, ([xs, axis]) => {
        const a = norm(axis, xs[0]!.rank + 1);
        const shape = [...xs[0]!.shape.slice(0, a), xs.length, ...xs[0]!.shape.slice(a)];
        const want = Array.from({ length: sizeOf(shape) }, (_, i) => {
          const j = unravel(shape, i);
          return xs[j[a]!]!.data[ravel(xs[0]!.shape, j.filter((_, q) => q !== a))]!;
        });
        expectData(stack(xs, axis), shape, want);
        expectGradOk(checkGrad((ts: Tensor[]) => stack(ts, axis), xs));
      }),
      RUNS,
    );
  });

  it('split: into equal sections or given sizes; the parts are slices and re-join to x', () => {
    const caseArb = xArb({ ...SHAPES, minRank: 1 }).chain((x) => axisArb(x.rank).chain((axis) => {
      const n = x.shape[norm(axis, x.rank)]!;
      const sizes = fc.array(fc.integer({ min: 0, max: n }), { maxLength: n }).map((cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((p, q) => p - q), n];
        return points.slice(1).map((p, k) => p - points[k]!);
      });
      return fc.tuple(fc.constant(x), fc.constant(axis), fc.oneof(sizes, fc.constantFrom(...[1, 2, 3].filter((k) => n % k === 0))));
    }));
    fc.assert(
      fc.property(caseArb, ([x, axis, sections]) => {
        const a = norm(axis, x.rank);
        const sizes = typeof sections === 'number' ? Array<number>(sections).fill(x.shape[a]! / sections) : sections;
        const parts = split(x, sections, axis);
        let offset = 0;
        parts.forEach((part, k) => {
          const shape = x.shape.map((d, i) => (i === a ? sizes[k]! : d));
          expectData(part, shape, readRef(x, shape, (j) => j.map((v, i) => (i === a ? v + offset : v))));
          offset += sizes[k]!;
        });
        // reversed, so each part's cotangent must land in its own place
        expectGradOk(checkGrad((t: Tensor) => concat(split(t, sections, axis).reverse(), axis), x));
      }),
      RUNS,
    );
  });

  it('expandDims and squeeze: insert and remove axes of extent 1 without moving data', () => {
    fc.assert(
      fc.property(xArb({ ...SHAPES, maxRank: 3 }).chain((x) => fc.tuple(fc.constant(x), axisArb(x.rank + 1))), ([x, axis]) => {
        const a = norm(axis, x.rank + 1);
        const shape = [...x.shape.slice(0, a), 1, ...x.shape.slice(a)];
        checkOp((t) => expandDims(t, axis), x, shape, Array.from(x.data));
        checkOp((t) => squeeze(expandDims(t, axis), axis), x, x.shape, Array.from(x.data));
        checkOp((t) => squeeze(t), x, x.shape.filter((d) => d !== 1), Array.from(x.data));
      }),
      RUNS,
    );
  });
});

describe('hand-computed cases', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('transpose of [[1, 2, 3], [4, 5, 6]] is [[1, 4], [2, 5], [3, 6]]', () => {
    expectData(transpose(x), [3, 2], [1, 4, 2, 5, 3, 6]);
  });

  it('the gradient of a slice is the cotangent padded with zeros; of a pad, the cotangent cropped', () => {
    expectData(grad((t: Tensor) => sum(slice(t, [0, 1], [2, 2])))(x), [2, 3], [0, 1, 1, 0, 1, 1]);
    expectData(pad(f64([7]), [[1, 2]], -1), [4], [-1, 7, -1, -1]);
    expectData(grad((t: Tensor) => sum(mul(pad(t, [[1, 0]]), f64([5, 6, 7]))))(f64([1, 2])), [2], [6, 7]);
  });

  it('concat of [1, 2] and [3] is [1, 2, 3]; its gradient splits back; flip reverses', () => {
    const g = grad((p: Tensor[]) => sum(mul(concat(p), f64([10, 20, 30]))))([f64([1, 2]), f64([3])]);
    expectData(g[0]!, [2], [10, 20]);
    expectData(g[1]!, [1], [30]);
    expectData(flip(x, 1), [2, 3], [3, 2, 1, 6, 5, 4]);
    expectData(split(x, [1, 2], 1)[1]!, [2, 2], [2, 3, 5, 6]);
  });
});

describe('bad input', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('reshape to a different size or with two -1 extents names both shapes', () => {
    expectSeqgradError(() => reshape(x, [4, 2]), /^reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4, 2\]/);
    expectSeqgradError(() => reshape(x, [-1, -1]), /^reshape: cannot reshape \[2, 3\] \(6 elements\) to \[-1, -1\]/);
    expectSeqgradError(() => reshape(x, [4, -1]), /^reshape: cannot reshape \[2, 3\] .* to \[4, -1\]/);
  });

  it('slice windows outside the tensor, negative, fractional or of the wrong rank are refused', () => {
    expectSeqgradError(() => slice(x, [1, 2], [2, 1]), /^slice: window begin \[1,2\] size \[2,1\] is outside shape \[2, 3\] on axis 0/);
    expectSeqgradError(() => slice(x, [0, -1], [1, 1]), /^slice: window begin \[0,-1\] .* outside shape \[2, 3\] on axis 1/);
    expectSeqgradError(() => slice(x, [0, 0.5], [1, 1]), /^slice: begin\[1\] = 0.5 must be an integer/);
    expectSeqgradError(() => slice(x, [0], [1]), /^slice: begin \[0\] and size \[1\] need one entry per axis of shape \[2, 3\]/);
  });

  it('shapes, windows, permutations, widths and sections that are not arrays are named by argument', () => {
    const notArray = 'ab' as unknown as number[];
    expectSeqgradError(() => reshape(x, notArray), /^reshape: argument shape must be an array, got "ab"/);
    expectSeqgradError(() => slice(x, undefined as unknown as number[], [1, 1]), /^slice: argument begin must be an array, got undefined/);
    expectSeqgradError(() => permute(x, notArray), /^permute: argument perm must be an array/);
    expectSeqgradError(() => transpose(x, 1 as unknown as number[]), /^transpose: argument axes must be an array, got 1/);
    expectSeqgradError(() => pad(x, undefined as unknown as [number, number][]), /^pad: argument widths must be an array/);
    expectSeqgradError(() => pad(x, [[0, 1], [0, 0]], 'a' as unknown as number), /^pad: value must be a number, got string/);
    expectSeqgradError(() => split(x, undefined as unknown as number[], 1), /^split: argument sections must be an array/);
    expectSeqgradError(() => flip(x, 'a' as unknown as number), /^flip: axis must be a number or an array of numbers/);
  });

  it('concat of mismatched shapes or dtypes names both tensors', () => {
    expectSeqgradError(() => concat([x, f64([1, 2], [1, 2])], 0), /^concat: xs\[1\] is float64 \[1, 2\], which cannot join xs\[0\] float64 \[2, 3\] along axis 0/);
    expectSeqgradError(() => concat([x, tensor([[1, 2, 3]])], 0), /^concat: xs\[1\] is float32 \[1, 3\], which cannot join xs\[0\] float64 \[2, 3\]/);
    expectSeqgradError(() => concat([]), /^concat: xs must be a non-empty array of tensors, got \[\]/);
    expectSeqgradError(() => concat([x], 2), /^concat: axis 2 is out of range for a tensor of rank 2/);
  });

  it('stack and split refuse shapes and sections that do not fit', () => {
    expectSeqgradError(() => stack([x, f64([1, 2])]), /^stack: xs\[1\] has shape \[2\] but xs\[0\] has \[2, 3\]/);
    expectSeqgradError(() => stack([x, tensor([[1, 2, 3], [4, 5, 6]])]), /^stack: xs\[1\] is float32 \[2, 3\] but xs\[0\] is float64 \[2, 3\]/);
    expectSeqgradError(() => split(x, 2, 1), /^split: cannot split axis 1 of extent 3 \(shape \[2, 3\]\) into 2/);
    expectSeqgradError(() => split(x, [1, 1], 1), /^split: cannot split axis 1 of extent 3 .* into \[1,1\]/);
  });

  it('invalid axes and permutations name the op, the axis and the shape or rank', () => {
    expectSeqgradError(() => permute(x, [0, 0]), /^permute: perm \[0,0\] is not a permutation of the 2 axes of shape \[2, 3\]/);
    expectSeqgradError(() => permute(x, [0, 2]), /^permute: axis 2 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => transpose(x, [0, 5]), /^transpose: axis 5 is out of range/);
    expectSeqgradError(() => flip(x, [3]), /^flip: axis 3 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => expandDims(x, 4), /^expandDims: axis 4 is out of range for a tensor of rank 3/);
    expectSeqgradError(() => squeeze(x, 0), /^squeeze: axis 0 of shape \[2, 3\] has extent 2, not 1/);
    expectSeqgradError(() => stack([x], 3), /^stack: axis 3 is out of range for a tensor of rank 3/);
  });

  it('pad widths that are negative or missing an axis are refused', () => {
    expectSeqgradError(() => pad(x, [[1, 1]]), /^pad: widths \[\[1,1\]\] need one \[before, after\] pair .* of shape \[2, 3\]/);
    expectSeqgradError(() => pad(x, [[0, 0], [-1, 0]]), /^pad: widths \[\[0,0\],\[-1,0\]\]/);
  });

  it('non-tensor arguments are refused, naming the op', () => {
    for (const [name, f] of [['reshape', () => reshape(null as never, [1])], ['transpose', () => transpose(null as never)], ['expandDims', () => expandDims(1 as never, 0)], ['squeeze', () => squeeze(undefined as never)], ['flip', () => flip({} as never)]] as const) {
      expectSeqgradError(f, new RegExp(`^${name}: argument x must be a Tensor`));
    }
  });
});

describe('immutability', () => {
  const OPS: readonly ((t: Tensor) => Tensor)[] = [
    (t) => reshape(t, [-1]), (t) => permute(t, [...t.shape.keys()].reverse()), (t) => slice(t, t.shape.map(() => 0), t.shape.map((d) => Math.max(d - 1, 0))),
    (t) => pad(t, t.shape.map(() => [1, 0] as const)), (t) => concat([t, t], 0), (t) => flip(t), (t) => stack([t, t], 0), (t) => concat(split(t, 1, 0), 0),
    (t) => squeeze(expandDims(t, 0)), (t) => transpose(t, [0, t.rank - 1]),
  ];

  it('no shape op or its gradient mutates its input', () => {
    fc.assert(
      fc.property(xArb({ ...SHAPES, minRank: 1 }), fc.constantFrom(...OPS), (x, op) => {
        expectUnchanged([x], () => valueAndGrad((t: Tensor) => sum(mul(op(t), op(t))))(x));
      }),
      RUNS,
    );
  });
});
