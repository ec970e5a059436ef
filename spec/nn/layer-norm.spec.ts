/**
 * layerNorm: hand-computed rows, the affine parameters, other axes, initLayerNorm, a
 * gradient property against finite differences, and errors naming the shapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqgradError, tensor, transpose, type Tensor } from '../../lib/index.js';
import { initLayerNorm, layerNorm } from '../../lib/nn/layer-norm.js';
import { checkGrad, shapeArb, tensorArb } from '../../lib/testing/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });

describe('layerNorm: hand-computed values', () => {
  // row [1, 2, 3]: mean 2, biased variance 2/3; row [2, 2, 2]: variance 0, so y = 0
  const x = f64([[1, 2, 3], [2, 2, 2]]);
  const r = 1 / Math.sqrt(2 / 3 + 1e-5);

  it('normalizes each row over the last axis with eps = 1e-5 inside the root', () => {
    expectClose(layerNorm(x), f64([[-r, 0, r], [0, 0, 0]]), 1e-14);
  });

  it('scales by weight and shifts by bias', () => {
    const y = layerNorm(x, { weight: f64([1, 2, 3]), bias: f64([0, 1, -1]) });
    expectClose(y, f64([[-r, 1, 3 * r - 1], [0, 1, -1]]), 1e-14);
  });

  it('normalizes over another axis, or several', () => {
    const t = f64([[1, 2], [2, 2], [3, 2]]);
    expectClose(layerNorm(t, {}, { axis: 0 }), transpose(layerNorm(transpose(t))), 1e-15);
    const all = layerNorm(x, { weight: f64([[1, 1, 1], [1, 1, 1]]) }, { axis: [0, 1], eps: 0 });
    // mean of all six is 2; variance (1 + 0 + 1 + 0 + 0 + 0) / 6 = 1/3
    expectClose(all, f64([[-Math.sqrt(3), 0, Math.sqrt(3)], [0, 0, 0]]), 1e-14);
  });

  it('initLayerNorm makes ones and zeros of the given extents and dtype', () => {
    const p = initLayerNorm(3, { dtype: 'float64' });
    expect(p.weight.dtype).toBe('float64');
    expect(Array.from(p.weight.data)).toEqual([1, 1, 1]);
    expect(Array.from(p.bias.data)).toEqual([0, 0, 0]);
    expect(initLayerNorm([2, 4]).weight.shape).toEqual([2, 4]);
    expectClose(layerNorm(x, p), layerNorm(x), 0);
  });
});

describe('layerNorm: gradient property', () => {
  it('matches central differences in x, weight and bias (50 random shapes)', () => {
    const caseArb = fc.tuple(shapeArb({ maxRank: 2, maxDim: 3 }), fc.integer({ min: 1, max: 5 })).chain(([lead, d]) =>
      fc.record({ x: tensorArb([...lead, d]), weight: tensorArb([d]), bias: tensorArb([d]) }));
    fc.assert(fc.property(caseArb, (p) => {
      const report = checkGrad((q: typeof p) => layerNorm(q.x, q), { x: p.x, weight: p.weight, bias: p.bias });
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });
});

describe('layerNorm: bad input', () => {
  const x = f64([[1, 2, 3]]);
  const fails = (f: () => unknown, pattern: RegExp): void => {
    expect(f).toThrow(SeqgradError);
    expect(f).toThrow(pattern);
  };

  it('refuses affine parameters of the wrong shape, naming both shapes and the axes', () => {
    fails(() => layerNorm(x, { weight: f64([1, 2]) }), /layerNorm: weight has shape \[2\] but x of shape \[1, 3\] normalized over axes \[1\] needs \[3\]/);
    fails(() => layerNorm(x, { bias: f64([[1, 2, 3]]) }), /bias has shape \[1, 3\]/);
  });

  it('refuses integer input, a negative eps and an axis out of range', () => {
    fails(() => layerNorm(tensor([1, 2], { dtype: 'int32' })), /layerNorm: x must be a float32 or float64 Tensor, got int32 \[2\]/);
    fails(() => layerNorm(x, {}, { eps: -1 }), /eps/);
    fails(() => layerNorm(x, {}, { axis: 2 }), /layerNorm: axis 2 is out of range/);
  });
});
