/**
 * Binary elementwise arithmetic: every primitive's VJP agrees with central finite
 * differences on random broadcasting pairs, and its forward agrees with plain JS math
 * applied through an independent broadcasting index; hand-computed gradients; bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, clip, div, grad, maximum, minimum, mul, pow, scalar, sign, square, sub, sum, tensor, valueAndGrad,
  type Operand, type Tensor,
} from '../../lib/index.js';
import { broadcastPairArb, checkGrad, shapedTensorArb, tensorArb, type TensorOptions } from '../../lib/testing/index.js';
import { expectData, expectGradOk, expectUnchanged, f64, mapBroadcastRef, expectSeqgradError, RUNS, SHAPES } from '../support/reference.js';

interface BinaryCase {
  readonly name: string;
  readonly op: (a: Operand, b: Operand) => Tensor;
  readonly ref: (a: number, b: number) => number;
  readonly a?: TensorOptions;
  readonly b?: TensorOptions;
  /** Keep every broadcast pair of elements this far apart (max/min have a kink on ties). */
  readonly apart?: number;
}

const BINARY: readonly BinaryCase[] = [
  { name: 'add', op: add, ref: (a, b) => a + b },
  { name: 'sub', op: sub, ref: (a, b) => a - b },
  { name: 'mul', op: mul, ref: (a, b) => a * b },
  // the divisor stays at least 0.25 from its pole
  { name: 'div', op: div, ref: (a, b) => a / b, b: { avoid: [0], margin: 0.25 } },
  // a positive base, so both partial derivatives exist everywhere
  { name: 'pow', op: pow, ref: Math.pow, a: { min: 0.2, max: 2 } },
  { name: 'maximum', op: maximum, ref: Math.max, apart: 1e-3 },
  { name: 'minimum', op: minimum, ref: Math.min, apart: 1e-3 },
];

const pairArb = (c: BinaryCase): fc.Arbitrary<[Tensor, Tensor]> =>
  broadcastPairArb(SHAPES).chain(([sa, sb]) => fc.tuple(tensorArb(sa, c.a), tensorArb(sb, c.b)));

describe('binary arithmetic: gradients and values on broadcasting pairs', () => {
  for (const c of BINARY) {
    it(`${c.name}: VJP matches finite differences; forward matches JS math`, () => {
      fc.assert(
        fc.property(pairArb(c), ([a, b]) => {
          if (c.apart !== undefined) fc.pre(mapBroadcastRef([a, b], (x, y) => Math.abs(x - y)).data.every((d) => d >= c.apart!));
          const want = mapBroadcastRef([a, b], c.ref);
          expectData(c.op(a, b), want.shape, want.data);
          expectGradOk(checkGrad((p) => c.op(p.a, p.b), { a, b }));
        }),
        RUNS,
      );
    });
  }
});

describe('derived arithmetic', () => {
  it('square: VJP is 2x; values are x*x', () => {
    fc.assert(
      fc.property(shapedTensorArb(SHAPES), (x) => {
        expectData(square(x), x.shape, Array.from(x.data, (v) => v * v));
        expectGradOk(checkGrad(square, x));
      }),
      RUNS,
    );
  });

  it('clip: VJP matches finite differences away from the bounds; values are clamped', () => {
    fc.assert(
      fc.property(shapedTensorArb(SHAPES, { avoid: [-1, 1] }), (x) => {
        expectData(clip(x, -1, 1), x.shape, Array.from(x.data, (v) => Math.min(Math.max(v, -1), 1)));
        expectGradOk(checkGrad((t: Tensor) => clip(t, -1, 1), x));
      }),
      RUNS,
    );
  });

  it('sign: values are Math.sign, and no gradient flows through it', () => {
    fc.assert(
      fc.property(shapedTensorArb(SHAPES, { avoid: [0] }), (x) => {
        expectData(sign(x), x.shape, Array.from(x.data, Math.sign));
        expectData(grad((t: Tensor) => sum(mul(sign(t), 3)))(x), x.shape, new Array(x.size).fill(0));
      }),
      RUNS,
    );
  });
});

describe('hand-computed gradients', () => {
  it('div at a = 3, b = 2: value 1.5, d/da = 1/b = 0.5, d/db = -a/b² = -0.75', () => {
    const [v, g] = valueAndGrad((p: { a: Tensor; b: Tensor }) => div(p.a, p.b))({ a: scalar(3, { dtype: 'float64' }), b: scalar(2, { dtype: 'float64' }) });
    expect(v.item()).toBe(1.5);
    expect(g.a.item()).toBe(0.5);
    expect(g.b.item()).toBe(-0.75);
  });

  it('pow(2, 3) = 8: d/da = 3·2² = 12, d/db = 8 ln 2; the exponent gradient is 0 at a base <= 0', () => {
    const g = grad((p: { a: Tensor; b: Tensor }) => sum(pow(p.a, p.b)))({ a: f64([2, -2]), b: f64([3, 2]) });
    expectData(g.a, [2], [12, 2 * -2], 1e-15);
    expectData(g.b, [2], [8 * Math.LN2, 0], 1e-15);
  });

  it('maximum and minimum split the gradient evenly on ties', () => {
    const p = { a: f64([1, 2, 3]), b: f64([2, 2, 2]) };
    const gmax = grad((q: typeof p) => sum(maximum(q.a, q.b)))(p);
    expectData(gmax.a, [3], [0, 0.5, 1]);
    expectData(gmax.b, [3], [1, 0.5, 0]);
    const gmin = grad((q: typeof p) => sum(minimum(q.a, q.b)))(p);
    expectData(gmin.a, [3], [1, 0.5, 0]);
    expectData(gmin.b, [3], [0, 0.5, 1]);
  });

  it('a broadcast operand collects the gradient of every position it was repeated to', () => {
    // y [3] is added to each of the 2 rows of x [2, 3], so each of its elements receives 2
    const g = grad((p: { x: Tensor; y: Tensor }) => sum(mul(add(p.x, p.y), 1)))({ x: f64([1, 2, 3, 4, 5, 6], [2, 3]), y: f64([1, 2, 3]) });
    expectData(g.y, [3], [2, 2, 2]);
    expectData(g.x, [2, 3], [1, 1, 1, 1, 1, 1]);
  });

  it('numbers act as scalars of the other operand\'s dtype', () => {
    const x = f64([1, 2]);
    expectData(mul(x, 0.5), [2], [0.5, 1]);
    expectData(sub(1, x), [2], [0, -1]);
    expect(mul(x, 0.5).dtype).toBe('float64');
    expect(add(tensor([1]), 2).dtype).toBe('float32');
  });
});

describe('bad input', () => {
  it('mismatched shapes name the op and both shapes', () => {
    expectSeqgradError(() => add(f64([1, 2, 3, 4, 5, 6], [2, 3]), f64([1, 2])), /^add: shapes \[2, 3\] and \[2\] do not broadcast/);
    expectSeqgradError(() => maximum(f64([1, 2, 3, 4], [4, 1]), f64([1, 2], [2, 1])), /^maximum: shapes \[4, 1\] and \[2, 1\]/);
  });

  it('mixed float32 / float64 is refused, naming both dtypes', () => {
    expectSeqgradError(() => mul(f64([1, 2]), tensor([1, 2])), /^mul: dtypes differ: argument 0 is float64, argument 1 is float32/);
  });

  it('int32 operands are refused where floats are needed', () => {
    const ids = tensor([1, 2], { dtype: 'int32' });
    expectSeqgradError(() => div(ids, f64([1, 2])), /^div: argument 0 has dtype int32; a floating dtype/);
    expectSeqgradError(() => pow(ids, 2), /^pow: argument 0 has dtype int32/);
    expectSeqgradError(() => clip(ids, 0, 1), /^clip: argument 0 has dtype int32/);
  });

  it('operands that are neither tensors nor numbers are refused', () => {
    expectSeqgradError(() => sub(f64([1]), 'x' as unknown as number), /^sub: argument 1 must be a Tensor or a number, got string/);
    expectSeqgradError(() => add(null as unknown as number, 1), /^add: argument 0 must be a Tensor or a number, got null/);
  });

  it('errors are SeqgradErrors carrying the op', () => {
    try {
      add(f64([1, 2]), f64([1, 2, 3]));
      expect.unreachable();
    } catch (e) {
      expect((e as Error).name).toBe('SeqgradError');
      expect((e as { op: string }).op).toBe('add');
    }
  });
});

describe('immutability', () => {
  it('no binary op or its gradient mutates its inputs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BINARY).chain((c) => pairArb(c).map((pair) => [c, pair] as const)), ([c, [a, b]]) => {
        expectUnchanged([a, b], () => valueAndGrad((p: { a: Tensor; b: Tensor }) => sum(c.op(p.a, p.b)))({ a, b }));
      }),
      RUNS,
    );
  });
});
