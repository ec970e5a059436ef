/**
 * Reductions (sum, max, and the derived mean, min, logSumExp): VJPs against central
 * finite differences over random axis subsets (negative axes, keepdims both ways),
 * forwards against plain JS folds over the same groups, hand-computed cases,
 * stability of logSumExp, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmax, grad, logSumExp, max, mean, min, mul, SeqgradError, sum, tensor, valueAndGrad, type Axes, type KeepDimsOptions, type ReduceOptions, type Tensor } from '../../lib/index.js';
import { checkGrad, shapeArb, tensorArb } from '../../lib/testing/index.js';
import {
  distinctTensorArb, expectData, expectGradOk, expectUnchanged, f64, reduceOptionsArb, reduceRef, selectedAxes,
  expectSeqgradError, RUNS, SHAPES,
} from '../support/reference.js';

interface ReduceCase {
  readonly name: string;
  readonly op: (x: Tensor, axis?: Axes, options?: KeepDimsOptions) => Tensor;
  readonly ref: (values: number[]) => number;
  /** max and min need values without ties (the gradient has a kink there). */
  readonly distinct?: boolean;
}

const total = (v: number[]): number => v.reduce((s, x) => s + x, 0);

const REDUCTIONS: readonly ReduceCase[] = [
  { name: 'sum', op: sum, ref: total },
  { name: 'max', op: max, ref: (v) => Math.max(...v), distinct: true },
  { name: 'min', op: min, ref: (v) => Math.min(...v), distinct: true },
  { name: 'mean', op: mean, ref: (v) => total(v) / v.length },
  {
    name: 'logSumExp', op: logSumExp,
    ref: (v) => {
      const m = Math.max(...v);
      return m + Math.log(total(v.map((x) => Math.exp(x - m))));
    },
  },
];

const caseArb = (c: ReduceCase): fc.Arbitrary<[Tensor, ReduceOptions]> =>
  shapeArb(SHAPES).chain((shape) => fc.tuple(c.distinct ? distinctTensorArb(shape) : tensorArb(shape), reduceOptionsArb(shape.length)));

describe('reductions: gradients and values over random axes', () => {
  for (const c of REDUCTIONS) {
    it(`${c.name}: VJP matches finite differences; forward matches a JS fold (axis subsets, negative axes, keepdims)`, () => {
      fc.assert(
        fc.property(caseArb(c), ([x, options]) => {
          const want = reduceRef(x, selectedAxes(options.axis, x.rank), options.keepdims ?? false, c.ref);
          const keep = { keepdims: options.keepdims ?? false };
          expectData(c.op(x, options.axis, keep), want.shape, want.data, 1e-14);
          expectGradOk(checkGrad((t: Tensor) => c.op(t, options.axis, keep), x));
        }),
        RUNS,
      );
    });
  }
});

describe('hand-computed cases', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('sum of [[1, 2, 3], [4, 5, 6]]: over axis 0 is [5, 7, 9]; over axis -1 with keepdims is [[6], [15]]; in all 21', () => {
    expectData(sum(x, 0), [3], [5, 7, 9]);
    expectData(sum(x, -1, { keepdims: true }), [2, 1], [6, 15]);
    expectData(sum(x), [], [21]);
    expectData(mean(x, [0, 1]), [], [3.5]);
  });

  it('max shares the gradient evenly among tied maxima: max([1, 3, 3]) sends 1/2 to each 3', () => {
    const [v, g] = valueAndGrad((t: Tensor) => max(t))(f64([1, 3, 3]));
    expect(v.item()).toBe(3);
    expectData(g, [3], [0, 0.5, 0.5]);
    expectData(grad((t: Tensor) => min(t))(f64([2, -1, 4])), [3], [0, 1, 0]);
  });

  it('mean over axis 1 of a [2, 4] tensor sends 1/4 to each element', () => {
    expectData(grad((t: Tensor) => sum(mean(t, 1)))(f64([1, 2, 3, 4, 5, 6, 7, 8], [2, 4])), [2, 4], new Array(8).fill(0.25));
  });

  it('logSumExp([1000, 1000]) = 1000 + ln 2 exactly enough, gradient [1/2, 1/2]', () => {
    const [v, g] = valueAndGrad((t: Tensor) => logSumExp(t))(f64([1000, 1000]));
    expect(v.item()).toBeCloseTo(1000 + Math.LN2, 10);
    expectData(g, [2], [0.5, 0.5]);
  });

  it('logSumExp of [0, ln 3] is ln 4, and a row of -Infinity gives -Infinity, not NaN', () => {
    expect(logSumExp(f64([0, Math.log(3)])).item()).toBeCloseTo(Math.log(4), 15);
    expectData(logSumExp(f64([-Infinity, -Infinity, 0, 1], [2, 2]), 1), [2], [-Infinity, Math.log(1 + Math.E)], 1e-15);
  });
});

describe('stability', () => {
  it('logSumExp at |x| up to 1e4 is finite, >= the maximum, with a finite gradient summing to 1', () => {
    fc.assert(
      fc.property(shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((s) => tensorArb(s, { min: -1e4, max: 1e4 })), (x) => {
        const [v, g] = valueAndGrad((t: Tensor) => logSumExp(t))(x);
        expect(Number.isFinite(v.item())).toBe(true);
        expect(v.item()).toBeGreaterThanOrEqual(Math.max(...x.data));
        expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
        expect(Math.abs(Array.from(g.data).reduce((s, t) => s + t, 0) - 1)).toBeLessThan(1e-12);
      }),
      RUNS,
    );
  });
});

describe('the deprecated options form (x, { axis, keepdims })', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('still gives the positional form\'s results (hand-computed)', () => {
    expectData(sum(x, { axis: 0 }), [3], [5, 7, 9]);
    expectData(sum(x, { axis: -1, keepdims: true }), [2, 1], [6, 15]);
    expectData(max(x, { axis: 1 }), [2], [3, 6]);
    expectData(min(x, { keepdims: true }), [1, 1], [1]);
    expectData(mean(x, { axis: [0, 1] }), [], [3.5]);
    expectData(logSumExp(f64([0, 0], [1, 2]), { axis: 1 }), [1], [Math.log(2)], 1e-15);
    expectSeqgradError(() => sum(x, { axis: 2 }), /^sum: axis 2 is out of range for a tensor of rank 2/);
  });
});

describe('bad input', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('invalid axes name the op, the axis and the rank', () => {
    expectSeqgradError(() => sum(x, 2), /^sum: axis 2 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => max(x, -3), /^max: axis -3 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => mean(x, [0, 1.5]), /^mean: axis 1.5 is out of range/);
    expectSeqgradError(() => logSumExp(x, 5), /^logSumExp: axis 5 is out of range/);
  });

  it('an options object beside a positional axis, or a keepdims that is not a boolean, is refused', () => {
    expectSeqgradError(() => sum(x, { axis: 0 } as never, { keepdims: true }), /^sum: give the axis as the second argument and keepdims in the third/);
    expectSeqgradError(() => mean(x, 0, { keepdims: 'yes' } as never), /^mean: options.keepdims must be a boolean, got "yes"/);
    expectSeqgradError(() => max(x, 0, 3 as never), /^max: options must be an object, got 3/);
  });

  it('int32 input is refused', () => {
    expectSeqgradError(() => sum(tensor([1, 2], { dtype: 'int32' })), /^sum: argument 0 has dtype int32; a floating dtype/);
    expectSeqgradError(() => max(tensor([1, 2], { dtype: 'int32' })), /^max: argument 0 has dtype int32/);
    // the derived reductions refuse it in their own name
    for (const [name, f] of [['mean', mean], ['min', min], ['logSumExp', logSumExp]] as const) {
      expectSeqgradError(() => f(tensor([1, 2], { dtype: 'int32' })), new RegExp(`^${name}: argument 0 has dtype int32`));
    }
  });

  it('a non-tensor argument is refused', () => {
    expectSeqgradError(() => sum([1, 2] as unknown as Tensor), /^sum: argument x must be a Tensor, got object/);
  });
});

describe('immutability', () => {
  it('no reduction or its gradient mutates its input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REDUCTIONS).chain((c) => caseArb(c).map((v) => [c, v] as const)), ([c, [x, options]]) => {
        expectUnchanged([x], () => valueAndGrad((t: Tensor) => sum(mul(c.op(t, options.axis, { keepdims: options.keepdims ?? false }), 2)))(x));
      }),
      RUNS,
    );
  });
});

describe('argmax', () => {
  it('picks the largest index along an axis, the first on ties, as int32', () => {
    const x = tensor([[1, 5, 2], [7, 0, 7]]);
    const rows = argmax(x, -1);
    expect(rows.dtype).toBe('int32');
    expect(rows.toArray()).toEqual([1, 0]);
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 1]);
  });

  it('counts NaN as the largest, as NumPy does', () => {
    expect(argmax(tensor([1, NaN, 3]), 0).toArray()).toEqual(1);
  });

  it('takes a middle axis of a rank-3 tensor', () => {
    // x[o, j, i] = 10·j at (o=0, i=1) and -j elsewhere: only that column's argmax moves to the end
    const data = new Float32Array(2 * 3 * 2);
    for (let o = 0; o < 2; o++) for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) data[(o * 3 + j) * 2 + i] = o === 0 && i === 1 ? 10 * j : -j;
    expect(argmax(tensor(data, { shape: [2, 3, 2] }), 1).toArray()).toEqual([[0, 2], [0, 0]]);
  });

  it('refuses an empty axis and a bad axis, naming argmax', () => {
    expect(() => argmax(tensor(new Float32Array(0), { shape: [2, 0] }), 1)).toThrow(SeqgradError);
    expect(() => argmax(tensor([1, 2]), 3)).toThrow(/argmax/);
  });
});
