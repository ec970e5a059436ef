/**
 * recurrent(cell): running sums by hand (lengths, reverse, an initial carry),
 * gradients against finite differences for every cell variant, bad input naming the
 * layer and shapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, lstm, recurrent, rnn, tensor, zeros } from '../../lib/index.js';
import { caseKeys, layerGradReport, seqCaseArb } from '../support/recurrent.js';
import { identityRelu, variantArb } from '../support/recurrent-cells.js';

const layer = recurrent(rnn({ nonlinearity: 'relu' }));
const x = tensor([[[1], [2], [3]], [[4], [5], [6]]], { dtype: 'float64' });

describe('recurrent', () => {
  it('runs a cell over time: running sums by hand, with lengths, in reverse and from a given carry', () => {
    const p = identityRelu();
    const fwd = layer(p, x, { lengths: [3, 2] });
    expect(fwd.outputs.toArray()).toEqual([[[1], [3], [6]], [[4], [9], [0]]]);
    expect(fwd.carry.toArray()).toEqual([[6], [9]]);
    const bwd = layer(p, x, { lengths: [3, 2], reverse: true });
    expect(bwd.outputs.toArray()).toEqual([[[6], [5], [3]], [[9], [5], [0]]]);
    expect(bwd.carry.toArray()).toEqual([[6], [9]]);
    const from = layer(p, x, { initialCarry: tensor([[1], [2]], { dtype: 'float64' }) });
    expect(from.outputs.toArray()).toEqual([[[2], [4], [7]], [[6], [11], [17]]]);
  });

  it('gradients agree with finite differences for every cell (random sizes, lengths, direction)', () => {
    fc.assert(fc.property(variantArb, seqCaseArb(), ({ cell }, c) => {
      const params = cell.init(caseKeys(c, 4)[3]!, { inputSize: c.input, hiddenSize: c.hidden, dtype: 'float64' });
      const report = layerGradReport(recurrent(cell), params, cell.initialCarry(params, c.batch), c);
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('refuses a wrong input size, a wrong initial carry and lengths out of range, naming the layer and shapes', () => {
    const p = identityRelu();
    expect(() => layer(p, zeros([2, 3, 2], { dtype: 'float64' }))).toThrow(/rnn\(relu\): x_t has shape \[2, 2\] but weight_ih \[1, 1\]/);
    expect(() => layer(p, x, { initialCarry: zeros([3, 1], { dtype: 'float64' }) })).toThrow(/recurrent\(rnn\(relu\)\): initialCarry is h \[3, 1\] but x \[2, 3, 1\] needs h \[2, 1\]/);
    expect(() => layer(p, x, { lengths: [3, 4] })).toThrow(/recurrent\(rnn\(relu\)\): lengths\[1\] = 4 is out of range: x \[2, 3, 1\] has 3 steps/);
    expect(() => layer(p, x, { lengths: [3] })).toThrow(/lengths has 1 entries but x \[2, 3, 1\] has 2 rows/);
    expect(() => layer(p, zeros([2, 3], { dtype: 'float64' }))).toThrow(/x must be a non-empty \[batch, time, features\] tensor, got shape \[2, 3\]/);
    const cell = lstm();
    const q = cell.init(key(0), { inputSize: 1, hiddenSize: 2, dtype: 'float64' });
    expect(() => recurrent(cell)(q, x, { initialCarry: { h: zeros([2, 2], { dtype: 'float64' }), c: zeros([2, 3], { dtype: 'float64' }) } }))
      .toThrow(/recurrent\(lstm\): initialCarry is h \[2, 2\], c \[2, 3\] but x \[2, 3, 1\] needs h \[2, 2\], c \[2, 2\]/);
  });
});
