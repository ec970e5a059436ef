/**
 * The tape's own primitives broadcastTo and sumTo (each the other's VJP): gradients
 * against central finite differences on random broadcastable shape pairs, forwards
 * against index arithmetic written here, hand-computed cases, bad input, immutability.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastTo, grad, mul, sum, sumTo, valueAndGrad, type Tensor } from '../../lib/index.js';
import { broadcastPairArb, checkGrad, tensorArb } from '../../lib/testing/index.js';
import { broadcastAll, broadcastRead, expectData, expectGradOk, expectUnchanged, f64, unravel, expectSeqgradError, RUNS, SHAPES } from '../support/reference.js';

/** A tensor of a shape that broadcasts to `to`, and `to` itself. */
const narrowArb = broadcastPairArb(SHAPES).chain(([sa, sb]) => fc.tuple(tensorArb(sa), fc.constant(broadcastAll(sa, sb)!)));
/** A tensor of the full shape, and a shape that broadcasts to it. */
const wideArb = broadcastPairArb(SHAPES).chain(([sa, sb]) => fc.tuple(tensorArb(broadcastAll(sa, sb)!), fc.constant(sa)));

describe('broadcastTo and sumTo: gradients and values', () => {
  it('broadcastTo: VJP (a sumTo) matches finite differences; each output element reads its broadcast source', () => {
    fc.assert(
      fc.property(narrowArb, ([x, to]) => {
        const size = to.reduce((n, d) => n * d, 1);
        const want = Array.from({ length: size }, (_, i) => x.data[broadcastRead(x.shape, to, unravel(to, i))]!);
        expectData(broadcastTo(x, to), to, want);
        expectGradOk(checkGrad((t: Tensor) => broadcastTo(t, to), x));
      }),
      RUNS,
    );
  });

  it('sumTo: VJP (a broadcastTo) matches finite differences; each output element sums the elements broadcast from it', () => {
    fc.assert(
      fc.property(wideArb, ([x, shape]) => {
        const want = new Array<number>(shape.reduce((n, d) => n * d, 1)).fill(0);
        for (let i = 0; i < x.size; i++) want[broadcastRead(shape, x.shape, unravel(x.shape, i))]! += x.data[i]!;
        expectData(sumTo(x, shape), shape, want, 1e-14);
        expectGradOk(checkGrad((t: Tensor) => sumTo(t, shape), x));
      }),
      RUNS,
    );
  });
});

describe('hand-computed cases', () => {
  it('broadcastTo([1, 2], [2, 2]) = [[1, 2], [1, 2]]; the gradient of its sum is [2, 2]', () => {
    expectData(broadcastTo(f64([1, 2]), [2, 2]), [2, 2], [1, 2, 1, 2]);
    expectData(grad((t: Tensor) => sum(broadcastTo(t, [2, 2])))(f64([1, 2])), [2], [2, 2]);
  });

  it('sumTo of [[1, 2, 3], [4, 5, 6]]: to [3] is [5, 7, 9], to [2, 1] is [[6], [15]], to [] is 21', () => {
    const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    expectData(sumTo(x, [3]), [3], [5, 7, 9]);
    expectData(sumTo(x, [2, 1]), [2, 1], [6, 15]);
    expectData(sumTo(x, []), [], [21]);
  });

  it('both are the identity (the same tensor) when the shapes already match', () => {
    const x = f64([1, 2]);
    expect(broadcastTo(x, [2])).toBe(x);
    expect(sumTo(x, [2])).toBe(x);
  });
});

describe('bad input', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);

  it('broadcastTo a shape the input does not broadcast to names both shapes', () => {
    expectSeqgradError(() => broadcastTo(x, [3, 3]), /^broadcastTo: input shape \[2, 3\] does not broadcast to \[3, 3\]/);
    expectSeqgradError(() => broadcastTo(x, [3]), /^broadcastTo: input shape \[2, 3\] does not broadcast to \[3\]/);
  });

  it('sumTo a shape that does not broadcast to the input names both shapes', () => {
    expectSeqgradError(() => sumTo(x, [2]), /^sumTo: shape \[2\] does not broadcast to the input's shape \[2, 3\]/);
    expectSeqgradError(() => sumTo(x, [1, 2, 3, 1]), /^sumTo: shape \[1, 2, 3, 1\] does not broadcast/);
  });

  it('a non-tensor input or a malformed shape is named, not read blindly', () => {
    expectSeqgradError(() => broadcastTo(3 as unknown as Tensor, [3]), /^broadcastTo: argument x must be a Tensor, got number/);
    expectSeqgradError(() => broadcastTo(x, undefined as unknown as number[]), /^broadcastTo: invalid shape undefined/);
    expectSeqgradError(() => sumTo(undefined as unknown as Tensor, [3]), /^sumTo: argument x must be a Tensor, got undefined/);
    expectSeqgradError(() => sumTo(x, [2, -1]), /^sumTo: invalid shape \[2, -1\]/);
  });
});

describe('immutability', () => {
  it('broadcastTo, sumTo and their gradients do not mutate their input', () => {
    fc.assert(
      fc.property(narrowArb, ([x, to]) => {
        expectUnchanged([x], () => valueAndGrad((t: Tensor) => sum(mul(sumTo(mul(broadcastTo(t, to), 2), t.shape), t)))(x));
      }),
      RUNS,
    );
  });
});
