/**
 * The article's worked example, written directly with seqgrad ops and a JS loop:
 * h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), y_t = sigmoid(W_hy h_t + b_y), h_0 = 0,
 * loss = 1/2 Σ_t ||y_t - target_t||². Every number is checked against PyTorch's
 * autograd in float64 to 1e-9.
 */
import { describe, expect, it } from 'vitest';
import { add, concat, matmul, mul, sigmoid, slice, square, sub, sum, tanh, valueAndGrad, zeros, type Tensor } from '../lib/index.js';
import { readFixture, toTensor } from './support/fixtures.js';
import { expectClose } from './support/close.js';

type Params = Record<'W_xh' | 'W_hh' | 'b_h' | 'W_hy' | 'b_y', Tensor>;

const fixture = readFixture('article/worked_example_T3.json');
const params = Object.fromEntries(Object.entries(fixture.params).map(([k, v]) => [k, toTensor(v as never)])) as Params;
const x = toTensor(fixture.inputs.x);
const target = toTensor(fixture.inputs.target);
const steps = x.shape[0]!;

/** Rows are time steps: h is [T, 3], y is [T, 1]. */
const unroll = (p: Params): { h: Tensor; y: Tensor } => {
  let h = zeros([1, 3], { dtype: 'float64' });
  const hs: Tensor[] = [];
  const ys: Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const xt = slice(x, [t, 0], [1, -1]);
    h = tanh(add(add(matmul(xt, p.W_xh, { transposeB: true }), matmul(h, p.W_hh, { transposeB: true })), p.b_h));
    hs.push(h);
    ys.push(sigmoid(add(matmul(h, p.W_hy, { transposeB: true }), p.b_y)));
  }
  return { h: concat(hs, 0), y: concat(ys, 0) };
};

const lossOf = (p: Params): Tensor => mul(sum(square(sub(unroll(p).y, target))), 0.5);

describe('the worked example of the article', () => {
  it('reproduces the hidden states and outputs', () => {
    const { h, y } = unroll(params);
    expectClose(h, toTensor(fixture.outputs.h), 1e-9, 'h');
    expectClose(y, toTensor(fixture.outputs.y), 1e-9, 'y');
  });

  it('reproduces the loss and all five parameter gradients', () => {
    const [loss, grads] = valueAndGrad(lossOf)(params);
    expect(Math.abs(loss.item() - fixture.loss)).toBeLessThan(1e-9 * Math.abs(fixture.loss));
    for (const name of Object.keys(params) as (keyof Params)[]) {
      expectClose(grads[name], toTensor(fixture.grads[name]), 1e-9, name);
    }
  });
});
