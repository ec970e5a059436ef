/**
 * dense: a hand-computed case, PyTorch-Linear initialisation bounds, a gradient
 * property against finite differences, and errors naming the layer and shapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, tensor, SeqgradError } from '../../../lib/index.js';
import { dense, initDense } from '../../../lib/nn/layers/dense.js';
import { checkGrad, tensorArb } from '../../../lib/testing/index.js';
import { expectClose } from '../../support/close.js';

describe('dense', () => {
  it('computes x · weightᵀ + bias (hand-computed)', () => {
    const weight = tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
    const bias = tensor([0.5, -1, 2], { dtype: 'float64' });
    const x = tensor([[1, -1], [2, 0.5]], { dtype: 'float64' });
    // row 0: [1-2+0.5, 3-4-1, 5-6+2]; row 1: [2+1+0.5, 6+2-1, 10+3+2]
    expectClose(dense({ weight, bias }, x), tensor([[-0.5, -2, 1], [3.5, 7, 15]], { dtype: 'float64' }), 1e-15);
    expectClose(dense({ weight, bias: null }, x), tensor([[-1, -1, -1], [3, 8, 13]], { dtype: 'float64' }), 1e-15);
  });

  it('maps leading batch axes through ([batch, time, in] -> [batch, time, out])', () => {
    const p = initDense(key(3), { inputSize: 4, outputSize: 2, dtype: 'float64' });
    const x = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), { shape: [2, 3, 4], dtype: 'float64' });
    const y = dense(p, x);
    expect(y.shape).toEqual([2, 3, 2]);
    // element [1, 2, 1] by hand from the flat data
    let want = p.bias!.data[1]!;
    for (let i = 0; i < 4; i++) want += x.data[(1 * 3 + 2) * 4 + i]! * p.weight.data[4 + i]!;
    expect(y.data[(1 * 3 + 2) * 2 + 1]).toBeCloseTo(want, 14);
  });

  it('initialises like PyTorch Linear: uniform in ±1/sqrt(in), spread over the interval', () => {
    const p = initDense(key(0), { inputSize: 25, outputSize: 40, dtype: 'float64' });
    expect(p.weight.shape).toEqual([40, 25]);
    expect(p.bias!.shape).toEqual([40]);
    const w = Array.from(p.weight.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.2);
    expect(Math.max(...w)).toBeGreaterThan(0.19);
    expect(Math.min(...w)).toBeLessThan(-0.19);
    expect(initDense(key(0), { inputSize: 3, outputSize: 2, bias: false }).bias).toBeNull();
    expect(initDense(key(0), { inputSize: 3, outputSize: 2 }).weight.dtype).toBe('float32');
  });

  it('has gradients that agree with finite differences (property)', () => {
    const sizes = fc.record({
      lead: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      inputSize: fc.integer({ min: 1, max: 4 }),
      outputSize: fc.integer({ min: 1, max: 4 }),
      bias: fc.boolean(),
    });
    const cases = sizes.chain((s) => fc.record({
      weight: tensorArb([s.outputSize, s.inputSize]),
      bias: s.bias ? tensorArb([s.outputSize]) : fc.constant(null),
      x: tensorArb([...s.lead, s.inputSize]),
    }));
    fc.assert(fc.property(cases, (c) => {
      const report = checkGrad((p: typeof c) => dense({ weight: p.weight, bias: p.bias }, p.x), { ...c });
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 60 });
  });

  it('refuses mismatched widths and bad params, naming the layer and shapes', () => {
    const p = initDense(key(1), { inputSize: 3, outputSize: 2 });
    expect(() => dense(p, tensor([[1, 2]]))).toThrow(SeqgradError);
    expect(() => dense(p, tensor([[1, 2]]))).toThrow(/dense: x \[1, 2\] must end in 3 features to match weight \[2, 3\]/);
    expect(() => dense({ weight: p.weight, bias: tensor([1, 2, 3]) }, tensor([[1, 2, 3]]))).toThrow(/dense: bias \[3\] must be \[2\]/);
    expect(() => dense({ weight: tensor([1, 2]), bias: null }, tensor([1, 2]))).toThrow(/dense: params.weight must be a \[out, in\] tensor, got \[2\]/);
    expect(() => initDense(key(0), { inputSize: 0, outputSize: 2 })).toThrow(/initDense: inputSize must be a positive integer/);
  });
});
