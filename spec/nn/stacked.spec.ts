/**
 * stacked(layers, { dropout }): running sums of running sums by hand, inverted
 * dropout between layers only while training (from an explicit key, never after the
 * last layer), a gradient property over random depths and cells (dropout masks fixed
 * by the key), bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bidirectional, key, recurrent, rnn, splitKey, stacked, tensor, zeros } from '../../lib/index.js';
import { caseKeys, layerGradReport, seqCaseArb } from '../support/recurrent.js';
import { identityRelu, variantArb } from '../support/recurrent-cells.js';

const unit = recurrent(rnn({ nonlinearity: 'relu' }));
const x = tensor([[[1], [2], [3]], [[4], [5], [6]]], { dtype: 'float64' });

describe('stacked', () => {
  it('feeds each layer the previous outputs: running sums of running sums, by hand, with lengths', () => {
    const deep = stacked([unit, unit]);
    const { outputs, carry } = deep([identityRelu(), identityRelu()], x, { lengths: [3, 2] });
    expect(outputs.toArray()).toEqual([[[1], [4], [10]], [[4], [13], [0]]]);
    expect(carry.map((c) => c.toArray())).toEqual([[[6], [9]], [[10], [13]]]);
  });

  it('passes reverse and one initial carry per layer through', () => {
    const deep = stacked([unit, unit]);
    const start = [tensor([[1], [0]], { dtype: 'float64' }), tensor([[0], [0]], { dtype: 'float64' })];
    const { outputs } = deep([identityRelu(), identityRelu()], x, { reverse: true, initialCarry: start });
    // layer 1 reversed from 1: [7, 6, 4] and [15, 11, 6]; layer 2 reversed: [17, 10, 4] and [32, 17, 6]
    expect(outputs.toArray()).toEqual([[[17], [10], [4]], [[32], [17], [6]]]);
  });

  it('applies inverted dropout between layers only while training, reproducibly from the key', () => {
    const rate = 0.5;
    const deep = stacked([unit, unit], { dropout: rate });
    // layer 2 with w_hh = 0 passes its (dropped) input through: each value is 0 or layer 1's value / (1 - rate)
    const p = [identityRelu(), identityRelu(1, 0)];
    const layer1 = [1, 3, 6, 4, 9, 15];
    expect(Array.from(deep(p, x).outputs.data)).toEqual(layer1);
    const trained = Array.from(deep(p, x, { train: true, key: key(4) }).outputs.data);
    trained.forEach((v, i) => expect([0, layer1[i]! / (1 - rate)]).toContain(v));
    expect(trained.some((v) => v === 0) && trained.some((v) => v !== 0)).toBe(true);
    expect(Array.from(deep(p, x, { train: true, key: key(4) }).outputs.data)).toEqual(trained);
    // never after the last layer
    expect(Array.from(stacked([unit], { dropout: rate })([identityRelu()], x, { train: true, key: key(4) }).outputs.data)).toEqual(layer1);
  });

  it('gradients agree with finite differences (random depth 1-3, cells, sizes, lengths, direction, dropout on or off)', () => {
    fc.assert(fc.property(fc.array(variantArb, { minLength: 1, maxLength: 3 }), fc.boolean(), seqCaseArb({ maxHidden: 2 }), (variants, train, c) => {
      const keys = splitKey(caseKeys(c, 4)[3]!, variants.length + 1);
      const params = variants.map(({ cell }, l) =>
        cell.init(keys[l]!, { inputSize: l === 0 ? c.input : c.hidden, hiddenSize: c.hidden, dtype: 'float64' }));
      const zero = variants.map(({ cell }, l) => cell.initialCarry(params[l], c.batch));
      const deep = stacked(variants.map(({ cell }) => recurrent(cell)), { dropout: 0.3 });
      const call = train ? { train: true, key: keys[variants.length]! } : {};
      const report = layerGradReport(deep, params, zero, c, { call });
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('stacks bidirectional layers (the second reads both directions)', () => {
    const both = bidirectional(unit, 'concat');
    const second = recurrent(rnn({ nonlinearity: 'relu' }));
    const deep = stacked<any, any>([both, second]);
    const p2 = { weight_ih: tensor([[1, 1]], { dtype: 'float64' }), weight_hh: tensor([[0]], { dtype: 'float64' }), bias_ih: null, bias_hh: null };
    const { outputs } = deep([{ forward: identityRelu(), backward: identityRelu() }, p2], x, { lengths: [3, 2] });
    // forward running sums plus backward suffix sums: [1+6, 3+5, 6+3] and [4+9, 9+5, padding]
    expect(outputs.toArray()).toEqual([[[7], [8], [9]], [[13], [14], [0]]]);
  });

  it('refuses the wrong number of params or carries, training without a key and a bad rate', () => {
    const deep = stacked([unit, unit], { dropout: 0.2 });
    expect(() => deep([identityRelu()], x)).toThrow(/stacked: params must be an array of 2 layers' params, got 1 entries/);
    expect(() => deep([identityRelu(), identityRelu()], x, { initialCarry: [zeros([2, 1])] })).toThrow(/initialCarry must be an array of 2 carries/);
    expect(() => deep([identityRelu(), identityRelu()], x, { train: true })).toThrow(/train: true needs a key/);
    expect(() => stacked([unit], { dropout: 1 })).toThrow(/dropout must lie in \[0, 1\), got 1/);
    expect(() => stacked([])).toThrow(/non-empty array of layers/);
    expect(() => deep([identityRelu(), identityRelu()], x, { lengths: [4, 1] })).toThrow(/stacked: lengths\[0\] = 4 is out of range: x \[2, 3, 1\]/);
  });
});
