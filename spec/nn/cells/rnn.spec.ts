/**
 * The Elman RNN cell: a 1-unit step computed by hand (tanh and relu), PyTorch's
 * RNNCell fixture, gradients through time against finite differences, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, rnn, SeqgradError, tensor, zeros, type RecurrentParams } from '../../../lib/index.js';
import { expectClose } from '../../support/close.js';
import { readFixture, toTensor } from '../../support/fixtures.js';
import { cellGradReport, seqCaseArb } from '../../support/recurrent.js';

const f64 = (values: number[][]) => tensor(values, { dtype: 'float64' });
const f64v = (values: number[]) => tensor(values, { dtype: 'float64' });

/** w_ih 0.5, w_hh -0.3, b_ih 0.1, b_hh 0.2. */
const unit: RecurrentParams = { weight_ih: f64([[0.5]]), weight_hh: f64([[-0.3]]), bias_ih: f64v([0.1]), bias_hh: f64v([0.2]) };

describe('rnn cell', () => {
  it('computes a 1-unit tanh step by hand: tanh(0.5·2 - 0.3·1 + 0.1 + 0.2) = tanh(1)', () => {
    const [h, y] = rnn().step(unit, f64([[1]]), f64([[2]]));
    expect(h.data[0]).toBeCloseTo(Math.tanh(1), 14);
    expect(y).toBe(h);
  });

  it('computes 1-unit relu steps by hand (positive and clipped)', () => {
    const cell = rnn({ nonlinearity: 'relu' });
    expect(cell.step(unit, f64([[1]]), f64([[2]]))[0].data[0]).toBeCloseTo(1, 14);
    expect(cell.step(unit, f64([[1]]), f64([[-2]]))[0].data[0]).toBe(0); // 0.5·-2 - 0.3 + 0.3 = -1
  });

  it("reproduces PyTorch's RNNCell", () => {
    const f = readFixture('cell/rnn_cell_tanh.json');
    const p = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, toTensor(v as never)])) as unknown as RecurrentParams;
    const [h] = rnn().step(p, toTensor(f.inputs.h), toTensor(f.inputs.x));
    expectClose(h, toTensor(f.outputs.h), 1e-12, 'h');
  });

  it('draws PyTorch-shaped parameters within ±1/√hidden, without biases on request', () => {
    const p = rnn().init(key(3), { inputSize: 4, hiddenSize: 9, dtype: 'float64' });
    expect(p.weight_ih.shape).toEqual([9, 4]);
    expect(p.weight_hh.shape).toEqual([9, 9]);
    expect(p.bias_hh!.shape).toEqual([9]);
    expect(Math.max(...Array.from(p.weight_hh.data, Math.abs))).toBeLessThanOrEqual(1 / 3);
    const q = rnn().init(key(3), { inputSize: 4, hiddenSize: 9, bias: false });
    expect([q.bias_ih, q.bias_hh]).toEqual([null, null]);
  });

  for (const nonlinearity of ['tanh', 'relu'] as const) {
    it(`${nonlinearity}: gradients through time agree with finite differences (random sizes, lengths, direction)`, () => {
      const cell = rnn({ nonlinearity });
      fc.assert(fc.property(seqCaseArb(), (c) => {
        const report = cellGradReport(cell, c);
        expect(report.ok, report.message).toBe(true);
      }), { numRuns: 50 });
    });
  }

  it('refuses a wrong input size, a wrong h shape and unknown options, naming the cell and shapes', () => {
    const p = rnn().init(key(0), { inputSize: 3, hiddenSize: 2 });
    expect(() => rnn().step(p, zeros([2, 2]), zeros([2, 4]))).toThrow(/rnn\(tanh\): x_t has shape \[2, 4\] but weight_ih \[2, 3\]/);
    expect(() => rnn().step(p, zeros([3, 2]), zeros([2, 3]))).toThrow(/carry h has shape \[3, 2\].*need \[2, 2\]/);
    expect(() => rnn({ nonlinearity: 'gelu' as never })).toThrow(SeqgradError);
    expect(() => rnn().init(key(0), { inputSize: 0, hiddenSize: 2 })).toThrow(/inputSize must be a positive integer/);
  });
});
