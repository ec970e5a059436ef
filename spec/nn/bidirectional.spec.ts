/**
 * bidirectional(layer, merge): forward running sums and doubled backward running
 * sums by hand for every merge (length-aware: the backward pass starts at each row's
 * last valid step, the padding stays zero), a gradient property per merge, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bidirectional, recurrent, rnn, splitKey, tensor, zeros, type Merge } from '../../lib/index.js';
import { caseKeys, layerGradReport, seqCaseArb } from '../support/recurrent.js';
import { identityRelu, VARIANTS } from '../support/recurrent-cells.js';

const unit = recurrent(rnn({ nonlinearity: 'relu' }));
// the backward direction doubles its input, so the two are told apart
const params = { forward: identityRelu(), backward: identityRelu(2) };
const x = tensor([[[1], [2], [3]], [[4], [5], [6]]], { dtype: 'float64' });
const lengths = [3, 2];
// by hand: forward running sums, backward doubled suffix sums within each length
const fwd = [[1, 3, 6], [4, 9, 0]];
const bwd = [[12, 10, 6], [18, 10, 0]];

const byHand: Record<Merge, (f: number, b: number) => number[]> = {
  concat: (f, b) => [f, b],
  sum: (f, b) => [f + b],
  mean: (f, b) => [(f + b) / 2],
  mul: (f, b) => [f * b],
};

describe('bidirectional', () => {
  for (const merge of ['concat', 'sum', 'mean', 'mul'] as const) {
    it(`${merge}: merges forward and length-aware backward outputs, computed by hand`, () => {
      const { outputs, carry } = bidirectional(unit, merge)(params, x, { lengths });
      expect(outputs.toArray()).toEqual(fwd.map((r, b) => r.map((f, t) => byHand[merge](f, bwd[b]![t]!))));
      expect(carry.forward.toArray()).toEqual([[6], [9]]);
      expect(carry.backward.toArray()).toEqual([[12], [18]]);
    });

    it(`${merge}: gradients agree with finite differences (rnn or gru cells, random sizes, lengths)`, () => {
      // the merge and the length-aware reverse do not depend on the cell: the cheaper cells keep this fast
      fc.assert(fc.property(fc.constantFrom(...VARIANTS.filter((v) => v.label.startsWith('rnn') || v.label === 'gru reset-after')), seqCaseArb(), ({ cell }, c) => {
        const [kf, kb] = splitKey(caseKeys(c, 4)[3]!);
        const sizes = { inputSize: c.input, hiddenSize: c.hidden, dtype: 'float64' as const };
        const p = { forward: cell.init(kf, sizes), backward: cell.init(kb, sizes) };
        const zero = { forward: cell.initialCarry(p.forward, c.batch), backward: cell.initialCarry(p.backward, c.batch) };
        const report = layerGradReport(bidirectional(recurrent(cell), merge), p, zero, c, { noReverse: true });
        expect(report.ok, report.message).toBe(true);
      }), { numRuns: 50 });
    });
  }

  it('takes an initial carry per direction', () => {
    const start = { forward: tensor([[1], [0]], { dtype: 'float64' }), backward: tensor([[0], [1]], { dtype: 'float64' }) };
    const { outputs } = bidirectional(unit, 'concat')(params, x, { lengths, initialCarry: start });
    expect(outputs.toArray()).toEqual([[[2, 12], [4, 10], [7, 6]], [[4, 19], [9, 11], [0, 0]]]);
  });

  it('refuses reverse, an unknown merge, params or an initial carry without both directions, and lengths out of range', () => {
    const layer = bidirectional(unit, 'sum');
    expect(() => layer(params, x, { reverse: true })).toThrow(/bidirectional: reverse has no meaning/);
    expect(() => bidirectional(unit, 'max' as never)).toThrow(/merge must be one of concat, sum, mean, mul, got "max"/);
    expect(() => layer({ forward: identityRelu() } as never, x)).toThrow(/params must be a record \{ forward, backward \}/);
    expect(() => layer(params, x, { lengths: [0, 2] })).toThrow(/^bidirectional: lengths\[0\] = 0 is out of range: x \[2, 3, 1\]/);
    expect(() => layer(params, x, { initialCarry: zeros([2, 1], { dtype: 'float64' }) as never })).toThrow(/^bidirectional: initialCarry must be a record \{ forward, backward \}/);
    expect(() => layer(params, zeros([2, 3, 2], { dtype: 'float64' }))).toThrow(/x_t has shape \[2, 2\] but weight_ih \[1, 1\]/);
  });
});
