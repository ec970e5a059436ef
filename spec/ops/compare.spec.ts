/**
 * Comparisons and `where`: comparisons give 1/0 (checked against JS on broadcast pairs
 * with frequent ties) and pass no gradient; `where` routes the cotangent to the branch
 * it took (finite differences on three-way broadcasts); bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  equal, grad, greater, greaterEqual, less, lessEqual, mul, notEqual, sum, tensor, valueAndGrad, where,
  type Operand, type Tensor,
} from '../../lib/index.js';
import { broadcastPairArb, checkGrad, shapeArb, tensorArb } from '../../lib/testing/index.js';
import { expectData, expectGradOk, expectUnchanged, f64, mapBroadcastRef, expectSeqgradError, RUNS, SHAPES } from '../support/reference.js';

const COMPARISONS: readonly { name: string; op: (a: Operand, b: Operand) => Tensor; ref: (a: number, b: number) => boolean }[] = [
  { name: 'equal', op: equal, ref: (a, b) => a === b },
  { name: 'notEqual', op: notEqual, ref: (a, b) => a !== b },
  { name: 'less', op: less, ref: (a, b) => a < b },
  { name: 'lessEqual', op: lessEqual, ref: (a, b) => a <= b },
  { name: 'greater', op: greater, ref: (a, b) => a > b },
  { name: 'greaterEqual', op: greaterEqual, ref: (a, b) => a >= b },
];

/** Small integers as floats, so ties are frequent. */
const tiedArb = (shape: readonly number[]): fc.Arbitrary<Tensor> =>
  fc.array(fc.integer({ min: -2, max: 2 }), { minLength: shape.reduce((n, d) => n * d, 1), maxLength: shape.reduce((n, d) => n * d, 1) })
    .map((v) => f64(v, shape));

/** A shape with some leading axes dropped and some extents set to 1, so it broadcasts to `full`. */
const narrowedArb = (full: readonly number[]): fc.Arbitrary<number[]> =>
  fc.tuple(fc.integer({ min: 0, max: full.length }), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }))
    .map(([drop, ones]) => full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

/** cond (0/1), x and y of three shapes that broadcast together. */
const whereArb = shapeArb(SHAPES).chain((full) => fc.tuple(narrowedArb(full), narrowedArb(full), narrowedArb(full)))
  .chain(([sc, sx, sy]) => fc.tuple(
    fc.array(fc.boolean(), { minLength: sc.reduce((n, d) => n * d, 1), maxLength: sc.reduce((n, d) => n * d, 1) }).map((b) => f64(b.map(Number), sc)),
    tensorArb(sx),
    tensorArb(sy),
  ));

describe('comparisons: values and no gradient', () => {
  for (const c of COMPARISONS) {
    it(`${c.name}: 1/0 as JS compares, in the inputs' dtype; the gradient through it is zero`, () => {
      fc.assert(
        fc.property(broadcastPairArb(SHAPES).chain(([sa, sb]) => fc.tuple(tiedArb(sa), tiedArb(sb))), ([a, b]) => {
          const want = mapBroadcastRef([a, b], (x, y) => Number(c.ref(x, y)));
          const out = c.op(a, b);
          expect(out.dtype).toBe('float64');
          expectData(out, want.shape, want.data);
          const g = grad((p: { a: Tensor; b: Tensor }) => sum(mul(c.op(p.a, p.b), 3)))({ a, b });
          expectData(g.a, a.shape, new Array(a.size).fill(0));
          expectData(g.b, b.shape, new Array(b.size).fill(0));
        }),
        RUNS,
      );
    });
  }

  it('compare int32 tensors too, returning int32', () => {
    const out = less(tensor([1, 5, 3], { dtype: 'int32' }), 3);
    expect(out.dtype).toBe('int32');
    expectData(out, [3], [1, 0, 0]);
  });
});

describe('where', () => {
  it('VJP matches finite differences on three-way broadcasts; forward picks per element', () => {
    fc.assert(
      fc.property(whereArb, ([cond, x, y]) => {
        const want = mapBroadcastRef([cond, x, y], (c, a, b) => (c !== 0 ? a : b));
        expectData(where(cond, x, y), want.shape, want.data);
        expectGradOk(checkGrad((p) => where(cond, p.x, p.y), { x, y }));
      }),
      RUNS,
    );
  });

  it('routes the gradient to the branch taken: where([1, 0, 1], x, y) gives dx = [1, 0, 1], dy = [0, 1, 0]', () => {
    const cond = f64([1, 0, 1]);
    const g = grad((p: { x: Tensor; y: Tensor }) => sum(where(cond, p.x, p.y)))({ x: f64([1, 2, 3]), y: f64([4, 5, 6]) });
    expectData(g.x, [3], [1, 0, 1]);
    expectData(g.y, [3], [0, 1, 0]);
  });

  it('a scalar branch collects one unit per position that chose it', () => {
    // cond [2, 2] has three zeros, so the scalar y receives 3
    const cond = f64([1, 0, 0, 0], [2, 2]);
    const [v, g] = valueAndGrad((y: Tensor) => sum(where(cond, f64([10, 20, 30, 40], [2, 2]), y)))(f64([7], []));
    expect(v.item()).toBe(10 + 3 * 7);
    expectData(g, [], [3]);
  });
});

describe('bad input', () => {
  it('mixed dtypes in a comparison are refused, naming both', () => {
    expectSeqgradError(() => greater(f64([1]), tensor([1])), /^greater: dtypes differ: float64 and float32/);
  });

  it('mismatched shapes name the op and both shapes', () => {
    expectSeqgradError(() => less(f64([1, 2, 3]), f64([1, 2])), /^less: shapes \[3\] and \[2\] do not broadcast/);
    expectSeqgradError(() => where(f64([1, 0, 1]), f64([1, 2]), f64([3, 4])), /^where: shapes \[3\] and \[2\] do not broadcast/);
  });

  it('where refuses int32 branches and mixed float branches', () => {
    const ids = tensor([1, 2], { dtype: 'int32' });
    expectSeqgradError(() => where(f64([1, 0]), ids, ids), /^where: .*dtype int32; a floating dtype/);
    expectSeqgradError(() => where(f64([1, 0]), f64([1, 2]), tensor([1, 2])), /^where: dtypes differ: .*float64.*float32/);
  });

  it('where refuses a condition that is not a tensor', () => {
    expectSeqgradError(() => where(1 as unknown as Tensor, f64([1]), f64([2])), /^where: argument cond must be a Tensor, got number/);
  });
});

describe('immutability', () => {
  it('comparisons and where (with its gradient) do not mutate their inputs', () => {
    fc.assert(
      fc.property(whereArb, fc.constantFrom(...COMPARISONS), ([cond, x, y], c) => {
        expectUnchanged([cond, x, y], () => {
          c.op(x, y);
          return valueAndGrad((p: { x: Tensor; y: Tensor }) => sum(where(cond, p.x, p.y)))({ x, y });
        });
      }),
      RUNS,
    );
  });
});
