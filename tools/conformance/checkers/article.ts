/**
 * The article's worked example, recomputed with the library's own pieces: the Elman
 * cell `rnn({ nonlinearity: 'tanh' })` lifted over time by `recurrent`, with W_xh,
 * W_hh and b_h as its `weight_ih`, `weight_hh` and `bias_ih` (no `bias_hh`), then a
 * sigmoid output unit y_t = σ(W_hy h_t + b_y) on every step. The sequence is unbatched
 * in the file (`x [T, 2]`), a batch of one here; h_0 = 0 and
 * loss = 1/2 Σ_t ||y_t - target_t||².
 *
 * @module
 */
import { valueAndGrad } from '../../../lib/autodiff/transforms.js';
import { add, mul, square, sub } from '../../../lib/ops/arithmetic.js';
import { matmul } from '../../../lib/ops/matmul.js';
import { sum } from '../../../lib/ops/reduce.js';
import { reshape } from '../../../lib/ops/shape.js';
import { sigmoid } from '../../../lib/ops/unary.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { rnn } from '../../../lib/nn/cells/rnn.js';
import { recurrent } from '../../../lib/nn/recurrent.js';
import { compareLoss, compareRecord, decodeRecord, decodeTensor, field, type Checker } from '../types.js';

type Params = Record<'W_xh' | 'W_hh' | 'b_h' | 'W_hy' | 'b_y', Tensor>;

const elman = recurrent(rnn({ nonlinearity: 'tanh' }));

/** Hidden states `[T, hidden]` and outputs `[T, 1]` of the unbatched sequence `x [T, input]`. */
const forward = (p: Params, x: Tensor): { h: Tensor; y: Tensor } => {
  const [steps, features] = x.shape as [number, number];
  const cell = { weight_ih: p.W_xh, weight_hh: p.W_hh, bias_ih: p.b_h, bias_hh: null };
  const { outputs } = elman(cell, reshape(x, [1, steps, features]));
  const h = reshape(outputs, [steps, p.W_hh.shape[0]!]);
  return { h, y: sigmoid(add(matmul(h, p.W_hy, { transposeB: true }), p.b_y)) };
};

/**
 * Recomputes `article/worked_example_*.json`.
 *
 * @example
 * ```ts
 * const result = runFile('article/worked_example_T3.json', 'float64', [articleChecker]);
 * ```
 */
export const articleChecker: Checker = {
  kind: 'article',
  accepts: (f) => f.name.startsWith('worked_example'),
  check: (f, dtype) => {
    const params = decodeRecord(field(f.params, 'params'), dtype, 'params') as Params;
    const inputs = field(f.inputs, 'inputs');
    const x = decodeTensor(inputs.x, dtype, 'inputs.x');
    const target = decodeTensor(inputs.target, dtype, 'inputs.target');
    const lossOf = (p: Params): Tensor => mul(sum(square(sub(forward(p, x).y, target))), 0.5);
    const [loss, grads] = valueAndGrad(lossOf)(params);
    return [
      ...compareRecord('outputs', forward(params, x), decodeRecord(f.outputs, dtype, 'outputs')),
      compareLoss(f, loss, dtype),
      ...compareRecord('grads', grads, decodeRecord(f.grads, dtype, 'grads')),
    ];
  },
};
