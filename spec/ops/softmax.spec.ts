/**
 * softmax and logSoftmax: VJPs against central finite differences on random shapes and
 * axes (negative included), forwards against plain JS over each slice, hand-computed
 * values, stability at |x| ~ 1e4, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, logSoftmax, mul, softmax, sum, tensor, valueAndGrad, type Tensor } from '../../lib/index.js';
import { checkGrad, shapeArb, tensorArb } from '../../lib/testing/index.js';
import { expectData, expectGradOk, expectUnchanged, f64, ravel, unravel, expectSeqgradError, RUNS } from '../support/reference.js';

/** A tensor of rank 1..4 (extents up to 3) and an axis of it, positive or negative. */
const caseArb = (range: { min: number; max: number } = { min: -3, max: 3 }): fc.Arbitrary<[Tensor, number]> =>
  shapeArb({ minRank: 1, maxRank: 4, maxDim: 3 }).chain((shape) =>
    fc.tuple(
      tensorArb(shape, range),
      fc.integer({ min: 0, max: shape.length - 1 }).chain((a) => fc.constantFrom(a, a - shape.length)),
    ),
  );

/** Reference: applies `f` to every 1-d slice of `x` along `axis`, in plain JS. */
const alongAxis = (x: Tensor, axis: number, f: (row: number[]) => number[]): number[] => {
  const a = axis < 0 ? axis + x.rank : axis;
  const out = new Array<number>(x.size);
  for (let i = 0; i < x.size; i++) {
    const idx = unravel(x.shape, i);
    if (idx[a] !== 0) continue;
    const at = (k: number): number => ravel(x.shape, idx.map((v, j) => (j === a ? k : v)));
    const row = Array.from({ length: x.shape[a]! }, (_, k) => x.data[at(k)]!);
    f(row).forEach((v, k) => (out[at(k)] = v));
  }
  return out;
};

const softmaxRow = (row: number[]): number[] => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
};
const logSoftmaxRow = (row: number[]): number[] => softmaxRow(row).map(Math.log);

const CASES = [
  { name: 'softmax', op: softmax, ref: softmaxRow },
  { name: 'logSoftmax', op: logSoftmax, ref: logSoftmaxRow },
] as const;

describe('softmax and logSoftmax: gradients and values', () => {
  for (const c of CASES) {
    it(`${c.name}: VJP matches finite differences; forward matches JS on each slice`, () => {
      fc.assert(
        fc.property(caseArb(), ([x, axis]) => {
          expectData(c.op(x, axis), x.shape, alongAxis(x, axis, c.ref), 1e-13);
          expectGradOk(checkGrad((t: Tensor) => c.op(t, axis), x));
        }),
        RUNS,
      );
    });
  }
});

describe('hand-computed values', () => {
  it('softmax([0, ln 2]) = [1/3, 2/3]; logSoftmax gives [-ln 3, ln 2 - ln 3]', () => {
    const x = f64([0, Math.LN2]);
    expectData(softmax(x), [2], [1 / 3, 2 / 3], 1e-15);
    expectData(logSoftmax(x), [2], [-Math.log(3), Math.LN2 - Math.log(3)], 1e-15);
  });

  it('softmax along axis 0 of [[0, 0], [ln 3, 0]] is [[1/4, 1/2], [3/4, 1/2]]', () => {
    expectData(softmax(f64([0, 0, Math.log(3), 0], [2, 2]), 0), [2, 2], [0.25, 0.5, 0.75, 0.5], 1e-15);
  });

  it('the gradient of sum(w · softmax(x)) at x = [0, 0] is p ⊙ (w - p·w) = [-1/4, 1/4] for w = [0, 1]', () => {
    // p = [1/2, 1/2], p·w = 1/2, so dx = [1/2 · (0 - 1/2), 1/2 · (1 - 1/2)]
    const w = f64([0, 1]);
    expectData(grad((t: Tensor) => sum(mul(softmax(t), w)))(f64([0, 0])), [2], [-0.25, 0.25], 1e-15);
  });

  it('the gradient of logSoftmax(x)[1] at x = [0, 0] is onehot - softmax = [-1/2, 1/2]', () => {
    const w = f64([0, 1]);
    expectData(grad((t: Tensor) => sum(mul(logSoftmax(t), w)))(f64([0, 0])), [2], [-0.5, 0.5], 1e-15);
  });
});

describe('stability', () => {
  it('softmax([1e4, -1e4, 0]) is [1, 0, 0] and logSoftmax is [0, -2e4, -1e4]', () => {
    const x = f64([1e4, -1e4, 0]);
    expectData(softmax(x), [3], [1, 0, 0]);
    expectData(logSoftmax(x), [3], [0, -2e4, -1e4]);
  });

  it('values and gradients stay finite for |x| up to 1e4; softmax rows sum to 1', () => {
    fc.assert(
      fc.property(caseArb({ min: -1e4, max: 1e4 }), fc.constantFrom(...CASES), ([x, axis], c) => {
        const [y, g] = valueAndGrad((t: Tensor) => sum(mul(c.op(t, axis), t)))(x);
        expect(Number.isFinite(y.item())).toBe(true);
        expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
        const p = softmax(x, axis);
        expect(Array.from(p.data).every((v) => v >= 0 && v <= 1)).toBe(true);
        expectData(sum(p, axis), x.shape.filter((_, i) => i !== (axis < 0 ? axis + x.rank : axis)), new Array(x.size / x.shape.at(axis)!).fill(1), 1e-12);
      }),
      RUNS,
    );
  });
});

describe('bad input', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('an invalid axis names softmax / logSoftmax, the axis and the rank', () => {
    expectSeqgradError(() => softmax(x, 2), /^softmax: axis 2 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => logSoftmax(x, -3), /^logSoftmax: axis -3 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => softmax(f64([1], [])), /^softmax: axis -1 is out of range for a tensor of rank 0/);
  });

  it('int32 input is refused', () => {
    expectSeqgradError(() => softmax(tensor([1, 2], { dtype: 'int32' })), /^softmax: argument 0 has dtype int32/);
    expectSeqgradError(() => logSoftmax(tensor([1, 2], { dtype: 'int32' })), /^logSoftmax: argument 0 has dtype int32/);
  });

  it('a non-tensor argument is refused', () => {
    expectSeqgradError(() => softmax(null as unknown as Tensor), /^softmax: argument x must be a Tensor, got null/);
  });
});

describe('immutability', () => {
  it('softmax, logSoftmax and their gradients do not mutate the input', () => {
    fc.assert(
      fc.property(caseArb(), fc.constantFrom(...CASES), ([x, axis], c) => {
        expectUnchanged([x], () => valueAndGrad((t: Tensor) => sum(mul(c.op(t, axis), t)))(x));
      }),
      RUNS,
    );
  });
});
