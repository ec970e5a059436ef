/**
 * recurrent(cell): running sums by hand (lengths, reverse, an initial carry),
 * gradients against finite differences for every cell variant, bad input naming the
 * layer and shapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, gru, key, lstm, mean, mul, normal, recurrent, rnn, scan, splitKey, square, sum, tensor, valueAndGrad, zeros, type Tensor } from '../../lib/index.js';
import { expectClose } from '../support/close.js';
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

describe('recurrent over a long sequence (the input projection in blocks)', () => {
  // hidden 64 and batch 4: an LSTM's projection is 1,024 floats a step, so 300 steps
  // run as blocks of 1, 128, 128 and 43 steps; a GRU's (768 a step) as 1, 170, 129
  for (const [name, cell] of [['lstm', lstm()], ['gru', gru()], ['gru reset-before', gru({ convention: 'reset-before' })]] as const) {
    it(`${name}: outputs, final carry and gradients equal a plain scan of the cell's step`, () => {
      const [kp, kx] = splitKey(key(11), 2);
      const params = (cell as ReturnType<typeof lstm>).init(kp!, { inputSize: 3, hiddenSize: 64, dtype: 'float64' });
      const x = mul(normal(kx!, [4, 300, 3], { dtype: 'float64' }), 0.5);
      const layer = recurrent(cell as ReturnType<typeof lstm>);
      const loss = (run: (p: typeof params) => { outputs: Tensor; carry: unknown }) => (p: typeof params): Tensor => {
        const { outputs, carry } = run(p);
        const h = (carry as { h?: Tensor }).h ?? (carry as Tensor);
        return add(mean(square(outputs)), sum(h));
      };
      const blocked = (p: typeof params) => layer(p, x);
      const plain = (p: typeof params) => {
        const [carry, outputs] = scan((c: unknown, xt: Tensor) => (cell as ReturnType<typeof lstm>).step(p, c as never, xt), (cell as ReturnType<typeof lstm>).initialCarry(p, 4), x);
        return { outputs, carry };
      };
      expectClose(blocked(params).outputs, plain(params).outputs, 1e-9, 'outputs');
      const [value, g] = valueAndGrad(loss(blocked))(params);
      const [want, gWant] = valueAndGrad(loss(plain))(params);
      expectClose(value, want, 1e-9, 'loss');
      for (const k of Object.keys(g) as (keyof typeof g)[]) expectClose(g[k] as Tensor, gWant[k] as Tensor, 1e-8, `d${String(k)}`);
    });
  }
});
