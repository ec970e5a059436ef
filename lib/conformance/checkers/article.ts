/**
 * The article's worked example: an Elman RNN (tanh) with a sigmoid output unit over an
 * unbatched sequence, h_0 = 0, loss = 1/2 Σ_t ||y_t - target_t||².
 *
 * @module
 */
import { valueAndGrad } from '../../autodiff/transforms.js';
import { add, mul, square, sub } from '../../ops/arithmetic.js';
import { matmul } from '../../ops/matmul.js';
import { sum } from '../../ops/reduce.js';
import { concat, slice } from '../../ops/shape.js';
import { sigmoid, tanh } from '../../ops/unary.js';
import { zeros } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { compareRecord, decodeRecord, decodeTensor, field, type Checker } from '../types.js';

type Params = Record<'W_xh' | 'W_hh' | 'b_h' | 'W_hy' | 'b_y', Tensor>;

const unroll = (p: Params, x: Tensor): { h: Tensor; y: Tensor } => {
  let h = zeros([1, p.W_hh.shape[0]!], { dtype: x.dtype });
  const hs: Tensor[] = [];
  const ys: Tensor[] = [];
  for (let t = 0; t < x.shape[0]!; t++) {
    const xt = slice(x, [t, 0], [1, -1]);
    h = tanh(add(add(matmul(xt, p.W_xh, { transposeB: true }), matmul(h, p.W_hh, { transposeB: true })), p.b_h));
    hs.push(h);
    ys.push(sigmoid(add(matmul(h, p.W_hy, { transposeB: true }), p.b_y)));
  }
  return { h: concat(hs, 0), y: concat(ys, 0) };
};

/** Recomputes `article/worked_example_*.json`. */
export const articleChecker: Checker = {
  kind: 'article',
  accepts: (f) => f.name.startsWith('worked_example'),
  check: (f, dtype) => {
    const params = decodeRecord(field(f.params, 'params'), dtype, 'params') as Params;
    const inputs = field(f.inputs, 'inputs');
    const x = decodeTensor(inputs.x, dtype, 'inputs.x');
    const target = decodeTensor(inputs.target, dtype, 'inputs.target');
    const lossOf = (p: Params): Tensor => mul(sum(square(sub(unroll(p, x).y, target))), 0.5);
    const [loss, grads] = valueAndGrad(lossOf)(params);
    const outputs = unroll(params, x);
    return [
      ...compareRecord('outputs', outputs, decodeRecord(f.outputs, dtype, 'outputs')),
      { name: 'loss', actual: loss, expected: decodeTensor({ shape: [], data: [field(f.loss, 'loss')] }, dtype, 'loss') },
      ...compareRecord('grads', grads, decodeRecord(f.grads, dtype, 'grads')),
    ];
  },
};
