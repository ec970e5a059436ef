/**
 * The GRU cell in both conventions: 1-unit steps computed by hand (they differ by
 * where the reset gate meets b_hn), PyTorch's GRUCell fixture for reset-after,
 * gradients through time against finite differences, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gru, key, tensor, zeros, type RecurrentParams } from '../../../lib/index.js';
import { expectClose } from '../../support/close.js';
import { readFixture, toTensor } from '../../support/fixtures.js';
import { cellGradReport, seqCaseArb } from '../../support/recurrent.js';

const col = (values: number[]) => tensor(values.map((v) => [v]), { dtype: 'float64' });
const vec = (values: number[]) => tensor(values, { dtype: 'float64' });
const sigma = (v: number): number => 1 / (1 + Math.exp(-v));

// gates r, z, n: W_ih = [0.1, 0.2, 0.3], W_hh = [0.4, 0.5, 0.6], b_ih = 0.1, b_hh = 0.2; x = 1, h = 0.5
const unit: RecurrentParams = { weight_ih: col([0.1, 0.2, 0.3]), weight_hh: col([0.4, 0.5, 0.6]), bias_ih: vec([0.1, 0.1, 0.1]), bias_hh: vec([0.2, 0.2, 0.2]) };
const h = tensor([[0.5]], { dtype: 'float64' });
const x = tensor([[1]], { dtype: 'float64' });
const r = sigma(0.1 + 0.1 + 0.2 + 0.2);
const z = sigma(0.2 + 0.1 + 0.25 + 0.2);
const byHand = (n: number): number => (1 - z) * n + z * 0.5;

describe('gru cell', () => {
  it('reset-after (the default): n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), by hand', () => {
    const [next] = gru().step(unit, h, x);
    expect(next.data[0]).toBeCloseTo(byHand(Math.tanh(0.3 + 0.1 + r * (0.3 + 0.2))), 14);
  });

  it('reset-before: n = tanh(W_in x + b_in + W_hn (r·h) + b_hn), by hand', () => {
    const [next] = gru({ convention: 'reset-before' }).step(unit, h, x);
    expect(next.data[0]).toBeCloseTo(byHand(Math.tanh(0.3 + 0.1 + 0.6 * r * 0.5 + 0.2)), 14);
  });

  it('the conventions agree when h = 0 and b_hn = 0, and differ otherwise', () => {
    const p = { ...unit, bias_hh: vec([0.2, 0.2, 0]) };
    const h0 = zeros([1, 1], { dtype: 'float64' });
    expect(gru().step(p, h0, x)[0].data[0]).toBeCloseTo(gru({ convention: 'reset-before' }).step(p, h0, x)[0].data[0]!, 15);
    expect(Math.abs(gru().step(unit, h, x)[0].data[0]! - gru({ convention: 'reset-before' }).step(unit, h, x)[0].data[0]!)).toBeGreaterThan(1e-3);
  });

  it("reset-after reproduces PyTorch's GRUCell", () => {
    const f = readFixture('cell/gru_cell.json');
    const p = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, toTensor(v as never)])) as unknown as RecurrentParams;
    expectClose(gru().step(p, toTensor(f.inputs.h), toTensor(f.inputs.x))[0], toTensor(f.outputs.h), 1e-12, 'h');
  });

  it('works without biases in both conventions, by hand', () => {
    const p = { ...unit, bias_ih: null, bias_hh: null };
    const [r0, z0] = [sigma(0.1 + 0.4 * 0.5), sigma(0.2 + 0.5 * 0.5)];
    const mix = (n: number): number => (1 - z0) * n + z0 * 0.5;
    expect(gru().step(p, h, x)[0].data[0]).toBeCloseTo(mix(Math.tanh(0.3 + r0 * 0.6 * 0.5)), 14);
    expect(gru({ convention: 'reset-before' }).step(p, h, x)[0].data[0]).toBeCloseTo(mix(Math.tanh(0.3 + 0.6 * (r0 * 0.5))), 14);
  });

  for (const convention of ['reset-after', 'reset-before'] as const) {
    it(`${convention}: gradients through time agree with finite differences (random sizes, lengths, direction)`, () => {
      const cell = gru({ convention });
      fc.assert(fc.property(seqCaseArb(), (c) => {
        const report = cellGradReport(cell, c);
        expect(report.ok, report.message).toBe(true);
      }), { numRuns: 50 });
    });
  }

  it('refuses a wrong input size, a wrong h shape, mismatched weights and an unknown convention', () => {
    const p = gru().init(key(0), { inputSize: 3, hiddenSize: 2 });
    expect(() => gru().step(p, zeros([2, 2]), zeros([2, 1]))).toThrow(/gru\(reset-after\): x_t has shape \[2, 1\] but weight_ih \[6, 3\]/);
    expect(() => gru().step(p, zeros([2, 3]), zeros([2, 3]))).toThrow(/carry h has shape \[2, 3\]/);
    expect(() => gru().step({ ...p, weight_hh: zeros([4, 2]) }, zeros([2, 2]), zeros([2, 3]))).toThrow(/same 3·hidden rows/);
    expect(() => gru().step({ ...p, bias_ih: zeros([5]) }, zeros([2, 2]), zeros([2, 3]))).toThrow(/bias_ih has shape \[5\] but needs \[6\]/);
    expect(() => gru({ convention: 'keras' as never })).toThrow(/convention must be/);
  });
});
