/**
 * Elementwise unary functions: VJPs against central finite differences on random
 * shapes (values kept off kinks and singularities), forwards against JS Math, exact
 * hand-computed values, stability at |x| ~ 1e4, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs, exp, grad, log, mul, neg, relu, sigmoid, softplus, sqrt, sum, tanh, tensor, valueAndGrad, type Tensor,
} from '../../lib/index.js';
import { checkGrad, shapedTensorArb, type TensorOptions } from '../../lib/testing/index.js';
import { expectData, expectGradOk, expectUnchanged, f64, expectSeqgradError, RUNS, SHAPES } from '../support/reference.js';

interface UnaryCase {
  readonly name: string;
  readonly op: (x: Tensor) => Tensor;
  readonly ref: (v: number) => number;
  readonly values?: TensorOptions;
  /** Relative tolerance of the forward against `ref` (0: bit-exact). */
  readonly tol?: number;
}

const UNARY: readonly UnaryCase[] = [
  { name: 'neg', op: neg, ref: (v) => -v },
  { name: 'exp', op: exp, ref: Math.exp },
  // log and sqrt: positive inputs, at least 0.1 from the singularity at 0
  { name: 'log', op: log, ref: Math.log, values: { min: 0.1, max: 3 } },
  { name: 'sqrt', op: sqrt, ref: Math.sqrt, values: { min: 0.1, max: 3 } },
  { name: 'tanh', op: tanh, ref: Math.tanh },
  { name: 'sigmoid', op: sigmoid, ref: (v) => 1 / (1 + Math.exp(-v)), tol: 1e-15, values: { min: -6, max: 6 } },
  // relu and abs have a kink at 0
  { name: 'relu', op: relu, ref: (v) => Math.max(v, 0), values: { avoid: [0] } },
  { name: 'abs', op: abs, ref: Math.abs, values: { avoid: [0] } },
  { name: 'softplus', op: softplus, ref: (v) => Math.log1p(Math.exp(v)), tol: 1e-15, values: { min: -6, max: 6 } },
];

describe('unary ops: gradients and values on random shapes', () => {
  for (const c of UNARY) {
    it(`${c.name}: VJP matches finite differences; forward matches JS Math`, () => {
      fc.assert(
        fc.property(shapedTensorArb(SHAPES, c.values), (x) => {
          expectData(c.op(x), x.shape, Array.from(x.data, c.ref), c.tol ?? 0);
          expectGradOk(checkGrad(c.op, x));
        }),
        RUNS,
      );
    });
  }
});

describe('hand-computed values and gradients', () => {
  const at = (f: (x: Tensor) => Tensor, v: number): [number, number] => {
    const [y, g] = valueAndGrad((x: Tensor) => sum(f(x)))(f64([v]));
    return [y.item(), g.data[0]!];
  };

  it('sigmoid(0) = 1/2 with slope 1/4; tanh(0) = 0 with slope 1; exp(0) = 1 with slope 1', () => {
    expect(at(sigmoid, 0)).toEqual([0.5, 0.25]);
    expect(at(tanh, 0)).toEqual([0, 1]);
    expect(at(exp, 0)).toEqual([1, 1]);
  });

  it('log(1) = 0 with slope 1; sqrt(4) = 2 with slope 1/(2·2) = 1/4; neg has slope -1', () => {
    expect(at(log, 1)).toEqual([0, 1]);
    expect(at(sqrt, 4)).toEqual([2, 0.25]);
    expect(at(neg, 3)).toEqual([-3, -1]);
  });

  it('softplus(0) = ln 2 with slope sigmoid(0) = 1/2', () => {
    const [y, g] = at(softplus, 0);
    expect(y).toBeCloseTo(Math.LN2, 15);
    expect(g).toBe(0.5);
  });

  it('relu and abs take the subgradient 0 at 0; their slopes elsewhere are 0/1 and ±1', () => {
    expectData(grad((x: Tensor) => sum(relu(x)))(f64([-2, 0, 3])), [3], [0, 0, 1]);
    expectData(grad((x: Tensor) => sum(abs(x)))(f64([-2, 0, 3])), [3], [-1, 0, 1]);
    expectData(relu(f64([-2, 0, 3])), [3], [0, 0, 3]);
  });
});

describe('stability for large |x|', () => {
  it('sigmoid(±800) is exactly 1 and 0, with finite zero slopes', () => {
    const x = f64([800, -800]);
    expectData(sigmoid(x), [2], [1, 0]);
    expectData(grad((t: Tensor) => sum(sigmoid(t)))(x), [2], [0, 0]);
  });

  it('softplus(1e4) = 1e4 and softplus(-1e4) = 0 (no overflow), slopes 1 and 0', () => {
    const x = f64([1e4, -1e4]);
    expectData(softplus(x), [2], [1e4, 0]);
    expectData(grad((t: Tensor) => sum(softplus(t)))(x), [2], [1, 0]);
  });

  it('sigmoid and softplus stay finite, with finite gradients, for any |x| up to 1e4', () => {
    fc.assert(
      fc.property(shapedTensorArb({ maxRank: 2, maxDim: 4 }, { min: -1e4, max: 1e4 }), (x) => {
        for (const f of [sigmoid, softplus]) {
          const [y, g] = valueAndGrad((t: Tensor) => sum(f(t)))(x);
          expect(Number.isFinite(y.item())).toBe(true);
          expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
        }
        // sigmoid stays inside [0, 1], softplus(x) >= max(x, 0)
        expect(Array.from(sigmoid(x).data).every((v) => v >= 0 && v <= 1)).toBe(true);
        expect(Array.from(softplus(x).data).every((v, i) => v >= Math.max(x.data[i]!, 0))).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('bad input', () => {
  it('int32 input is refused where floats are needed, naming the op and the dtype', () => {
    const ids = tensor([1, 2], { dtype: 'int32' });
    expectSeqgradError(() => exp(ids), /^exp: argument 0 has dtype int32; a floating dtype/);
    expectSeqgradError(() => sigmoid(ids), /^sigmoid: argument 0 has dtype int32/);
    expectSeqgradError(() => softplus(ids), /^softplus: argument 0 has dtype int32/);
  });

  it('a non-tensor argument is refused, naming the op and what was given', () => {
    expectSeqgradError(() => tanh(undefined as unknown as Tensor), /^tanh: argument x must be a Tensor, got undefined/);
    expectSeqgradError(() => log([1, 2] as unknown as Tensor), /^log: argument x must be a Tensor, got object/);
  });
});

describe('immutability', () => {
  it('no unary op or its gradient mutates its input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...UNARY).chain((c) => shapedTensorArb(SHAPES, c.values).map((x) => [c, x] as const)), ([c, x]) => {
        expectUnchanged([x], () => valueAndGrad((t: Tensor) => sum(mul(c.op(t), 2)))(x));
      }),
      RUNS,
    );
  });
});
