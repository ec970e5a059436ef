/**
 * carryDropout: the identity at evaluation; while training one mask per sequence (the
 * same units dropped at every step, shown by hand on running sums); the LSTM's cell
 * state untouched by default; reproducible from the key; gradients against finite
 * differences with the masks fixed; bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carryDropout, key, lstm, ones, recurrent, rnn, tensor } from '../../lib/index.js';
import { caseKeys, layerGradReport, seqCaseArb } from '../support/recurrent.js';
import { variantArb } from '../support/recurrent-cells.js';

const H = 16;
const eye = tensor(Array.from({ length: H * H }, (_, i) => (i % (H + 1) === 0 ? 1 : 0)), { shape: [H, H], dtype: 'float64' });
/** h' = relu(x + h) per unit: with all-ones inputs, a running sum 1, 2, 3 … */
const sums = { weight_ih: ones([H, 1], { dtype: 'float64' }), weight_hh: eye, bias_ih: null, bias_hh: null };
const x = ones([2, 3, 1], { dtype: 'float64' });

describe('carryDropout', () => {
  it('is the cell itself at evaluation or with rate 0', () => {
    const cell = rnn();
    expect(carryDropout(cell, { rate: 0.5 })).toBe(cell);
    expect(carryDropout(cell, { rate: 0, train: true, key: key(1) })).toBe(cell);
  });

  it('drops the same units at every step: each unit runs 1, 1, 1 (dropped) or 1, 3, 7 (kept, scaled by 2)', () => {
    const cell = carryDropout(rnn({ nonlinearity: 'relu' }), { rate: 0.5, key: key(3), train: true });
    const out = recurrent(cell)(sums, x).outputs.toArray() as number[][][];
    const trajectories = out.flatMap((row) => Array.from({ length: H }, (_, j) => row.map((step) => step[j]).join(',')));
    // h_t = 1 + m·h_{t-1} with m ∈ {0, 2} fixed per unit; a fresh mask per step would mix, e.g. 1,3,1
    trajectories.forEach((t) => expect(['1,1,1', '1,3,7']).toContain(t));
    expect(new Set(trajectories).size).toBe(2);
    const again = recurrent(carryDropout(rnn({ nonlinearity: 'relu' }), { rate: 0.5, key: key(3), train: true }))(sums, x).outputs.toArray();
    expect(again).toEqual(out);
  });

  it("leaves the LSTM's cell state alone by default and masks only the chosen leaves", () => {
    const base = lstm();
    const p = base.init(key(0), { inputSize: 1, hiddenSize: 4, dtype: 'float64' });
    const xt = ones([1, 1], { dtype: 'float64' });
    // h = 0, so masking h changes nothing: any change would have to come from masking c
    const carry = { h: tensor([[0, 0, 0, 0]], { dtype: 'float64' }), c: tensor([[1, -2, 3, 0.5]], { dtype: 'float64' }) };
    const dropped = carryDropout(base, { rate: 0.5, key: key(9), train: true });
    const [plain] = base.step(p, carry, xt);
    expect(Array.from(dropped.step(p, carry, xt)[0].c.data)).toEqual(Array.from(plain.c.data));
    const onC = carryDropout(base, { rate: 0.5, key: key(9), train: true, leaves: ['c'] });
    expect(Array.from(onC.step(p, carry, xt)[0].c.data)).not.toEqual(Array.from(plain.c.data));
    expect(dropped.name).toBe('carryDropout(lstm)');
    expect(() => carryDropout(base, { rate: 0.5, key: key(1), train: true, leaves: ['z'] }).step(p, carry, xt))
      .toThrow(/carryDropout: the carry has no leaf named z \(its leaves: h, c\)/);
  });

  it('gradients agree with finite differences with the masks fixed by the key (random cells, sizes, lengths)', () => {
    fc.assert(fc.property(variantArb, seqCaseArb({ maxHidden: 3 }), ({ cell }, c) => {
      const [kp, kd] = caseKeys(c, 5).slice(3);
      const params = cell.init(kp!, { inputSize: c.input, hiddenSize: c.hidden, dtype: 'float64' });
      const layer = recurrent(carryDropout(cell, { rate: 0.4, key: kd!, train: true }));
      const report = layerGradReport(layer, params, cell.initialCarry(params, c.batch), c);
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 30 });
  });

  it('refuses a bad rate and training without a key', () => {
    expect(() => carryDropout(rnn(), { rate: 1 })).toThrow(/carryDropout: rate must be a probability in \[0, 1\), got 1/);
    expect(() => carryDropout(rnn(), { rate: 0.2, train: true })).toThrow(/carryDropout/);
  });
});
