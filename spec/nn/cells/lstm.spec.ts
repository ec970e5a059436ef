/**
 * The LSTM cell: a 1-unit step computed by hand (and two such units projected to one),
 * PyTorch's LSTMCell fixture, the forget-gate bias option, gradients through time
 * against finite differences, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, lstm, tensor, zeros, type LstmParams } from '../../../lib/index.js';
import { expectClose } from '../../support/close.js';
import { readFixture, toTensor } from '../../support/fixtures.js';
import { cellGradReport, seqCaseArb } from '../../support/recurrent.js';

const col = (values: number[]) => tensor(values.map((v) => [v]), { dtype: 'float64' });
const vec = (values: number[]) => tensor(values, { dtype: 'float64' });
const sigma = (v: number): number => 1 / (1 + Math.exp(-v));

// gates i, f, g, o: W_ih = [0.1, 0.2, 0.3, 0.4], W_hh = [0.5, 0.6, 0.7, 0.8], b_ih = [0.1, -0.1, 0.2, -0.2], b_hh = 0
const unit: LstmParams = { weight_ih: col([0.1, 0.2, 0.3, 0.4]), weight_hh: col([0.5, 0.6, 0.7, 0.8]), bias_ih: vec([0.1, -0.1, 0.2, -0.2]), bias_hh: vec([0, 0, 0, 0]) };
// x = 1, h = 0.5, c = -0.3
const cByHand = sigma(0.2 + 0.3 - 0.1) * -0.3 + sigma(0.1 + 0.25 + 0.1) * Math.tanh(0.3 + 0.35 + 0.2);
const hByHand = sigma(0.4 + 0.4 - 0.2) * Math.tanh(cByHand);
const carry = { h: tensor([[0.5]], { dtype: 'float64' }), c: tensor([[-0.3]], { dtype: 'float64' }) };
const x = tensor([[1]], { dtype: 'float64' });

describe('lstm cell', () => {
  it('computes a 1-unit step by hand (gate order i, f, g, o)', () => {
    const [next, y] = lstm().step(unit, carry, x);
    expect(next.c.data[0]).toBeCloseTo(cByHand, 14);
    expect(next.h.data[0]).toBeCloseTo(hByHand, 14);
    expect(y).toBe(next.h);
  });

  it('projects h by weight_hr, and it is the projected h that recurs', () => {
    // two copies of the 1-unit cell (each gate block has two equal rows) projected to one
    // unit (PyTorch requires projSize < hidden): the projected h = 2·h - 0.5·h
    const twice = (values: number[]) => values.flatMap((v) => [v, v]);
    const pair: LstmParams = {
      weight_ih: col(twice([0.1, 0.2, 0.3, 0.4])), weight_hh: col(twice([0.5, 0.6, 0.7, 0.8])),
      bias_ih: vec(twice([0.1, -0.1, 0.2, -0.2])), bias_hh: vec(twice([0, 0, 0, 0])),
      weight_hr: tensor([[2, -0.5]], { dtype: 'float64' }),
    };
    const [next] = lstm({ projSize: 1 }).step(pair, { h: carry.h, c: tensor([[-0.3, -0.3]], { dtype: 'float64' }) }, x);
    expect(next.h.data[0]).toBeCloseTo(1.5 * hByHand, 14);
    expect(Array.from(next.c.data)).toEqual([expect.closeTo(cByHand, 14), expect.closeTo(cByHand, 14)]);
  });

  it('refuses a projection as wide as the hidden state, as PyTorch does', () => {
    expect(() => lstm({ projSize: 4 }).init(key(0), { inputSize: 3, hiddenSize: 4 })).toThrow(/^lstm: projSize \(4\) must be smaller than hiddenSize \(4\)/);
    expect(() => lstm({ projSize: 1 }).step({ ...unit, weight_hr: tensor([[2]], { dtype: 'float64' }) }, carry, x)).toThrow(/^lstm: weight_hr \[1, 1\] gives projSize \(1\)/);
  });

  it("reproduces PyTorch's LSTMCell", () => {
    const f = readFixture('cell/lstm_cell.json');
    const p = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, toTensor(v as never)])) as unknown as LstmParams;
    const [next] = lstm().step(p, { h: toTensor(f.inputs.h), c: toTensor(f.inputs.c) }, toTensor(f.inputs.x));
    expectClose(next.h, toTensor(f.outputs.h), 1e-12, 'h');
    expectClose(next.c, toTensor(f.outputs.c), 1e-12, 'c');
  });

  it('initialises PyTorch shapes, a projection, and the forget-gate bias when asked', () => {
    const p = lstm({ projSize: 2 }).init(key(1), { inputSize: 3, hiddenSize: 4, dtype: 'float64', initializer: { forgetBias: 1 } });
    expect([p.weight_ih.shape, p.weight_hh.shape, p.weight_hr!.shape]).toEqual([[16, 3], [16, 2], [2, 4]]);
    expect(Array.from(p.bias_ih!.data.slice(4, 8))).toEqual([1, 1, 1, 1]);
    expect(Array.from(p.bias_hh!.data.slice(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Array.from(p.bias_ih!.data.slice(0, 4)).every((v) => Math.abs(v) <= 0.5 && v !== 1)).toBe(true);
    const zero = lstm().initialCarry(lstm({ projSize: 2 }).init(key(1), { inputSize: 3, hiddenSize: 4 }), 5);
    expect([zero.h.shape, zero.c.shape]).toEqual([[5, 2], [5, 4]]);
  });

  it('differentiates with respect to the input alone (parameters untraced, one time step)', () => {
    // the one-call inference path must not take a sequence whose input is being differentiated
    const c = { batch: 1, time: 1, input: 1, hidden: 1, reverse: false, seed: 0, lengths: undefined,
      include: [false, false, false, false, true, false, false, false, false, false, false, false, false, false, false, false] };
    const report = cellGradReport(lstm(), c);
    expect(report.ok, report.message).toBe(true);
  });

  for (const projected of [false, true]) {
    it(`${projected ? 'projected: ' : ''}gradients through time agree with finite differences (random sizes, lengths, direction)`, () => {
      fc.assert(fc.property(seqCaseArb().filter((c) => !projected || c.hidden > 1), (c) => {
        const proj = projected ? 1 + (c.seed % (c.hidden - 1)) : 0;
        const cell = lstm({ projSize: proj });
        const report = cellGradReport(cell, c);
        expect(report.ok, report.message).toBe(true);
      }), { numRuns: 50 });
    });
  }

  it('refuses a wrong input size, wrong h or c shapes and a carry that is not { h, c }', () => {
    const p = lstm().init(key(0), { inputSize: 3, hiddenSize: 2 });
    const ok = { h: zeros([2, 2]), c: zeros([2, 2]) };
    expect(() => lstm().step(p, ok, zeros([2, 5]))).toThrow(/lstm: x_t has shape \[2, 5\] but weight_ih \[8, 3\]/);
    expect(() => lstm().step(p, { ...ok, h: zeros([2, 3]) }, zeros([2, 3]))).toThrow(/carry h has shape \[2, 3\]/);
    expect(() => lstm().step(p, { ...ok, c: zeros([1, 2]) }, zeros([2, 3]))).toThrow(/carry c has shape \[1, 2\] but needs \[2, 2\]/);
    expect(() => lstm().step(p, zeros([2, 2]) as never, zeros([2, 3]))).toThrow(/carry must be a record/);
    expect(() => lstm({ projSize: -1 })).toThrow(/projSize/);
  });
});
