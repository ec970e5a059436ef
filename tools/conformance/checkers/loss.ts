/**
 * The loss files (`loss/*.json`): a PyTorch functional loss of `inputs.logits` against
 * `inputs.targets`, its value and its gradient in the logits. The loss is named by the
 * file's `name` (`cross_entropy_*`, `log_softmax_nll_*`, `mse_*`, `bce_with_logits_*`,
 * `huber_*`), the reduction by its suffix (`_sum`, `_none`, else PyTorch's default
 * mean), and `ignore_index`, `label_smoothing` and `delta` come from the inputs.
 *
 * @module
 */
import { valueAndGrad } from '../../../lib/autodiff/transforms.js';
import { bceWithLogits, crossEntropy, huber, mse, nll, type Reduction } from '../../../lib/nn/losses.js';
import { logSoftmax } from '../../../lib/ops/softmax.js';
import type { DType } from '../../../lib/tensor/dtype.js';
import { SeqgradError } from '../../../lib/tensor/errors.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { compareLoss, decodeRecord, decodeTensor, field, type Checker, type Fixture } from '../types.js';

type LossFn = (logits: Tensor, targets: Tensor, inputs: Record<string, unknown>, reduction: Reduction) => Tensor;

const optionalNumber = (inputs: Record<string, unknown>, key: string): number | undefined => {
  const v = inputs[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new SeqgradError('conformance', `field inputs.${key} must be a number, got ${typeof v}`);
  return v;
};

const classOptions = (inputs: Record<string, unknown>, reduction: Reduction) => ({
  reduction,
  ignoreIndex: optionalNumber(inputs, 'ignore_index'),
  labelSmoothing: optionalNumber(inputs, 'label_smoothing'),
});

/** The losses by file-name prefix, longest first so `log_softmax_nll` is not taken for another. */
const LOSSES: readonly (readonly [string, LossFn])[] = [
  ['log_softmax_nll', (z, t, inputs, r) => nll(logSoftmax(z), t, classOptions(inputs, r))],
  ['cross_entropy', (z, t, inputs, r) => crossEntropy(z, t, classOptions(inputs, r))],
  ['bce_with_logits', (z, t, _, r) => bceWithLogits(z, t, { reduction: r })],
  ['huber', (z, t, inputs, r) => huber(z, t, { reduction: r, delta: optionalNumber(inputs, 'delta') })],
  ['mse', (z, t, _, r) => mse(z, t, { reduction: r })],
];

const lossOf = (f: Fixture): LossFn | undefined => LOSSES.find(([prefix]) => f.name.startsWith(`${prefix}_`) || f.name === prefix)?.[1];

const reductionOf = (name: string): Reduction => (name.endsWith('_sum') ? 'sum' : name.endsWith('_none') ? 'none' : 'mean');

const check = (f: Fixture, dtype: DType) => {
  const inputs = field(f.inputs, 'inputs');
  const logits = decodeTensor(inputs.logits, dtype, 'inputs.logits');
  const targets = decodeTensor(inputs.targets, dtype, 'inputs.targets');
  const loss = lossOf(f)!;
  const reduction = reductionOf(f.name);
  const [value, grads] = valueAndGrad((p: { logits: Tensor }) => loss(p.logits, targets, inputs, reduction))({ logits });
  const expected = decodeRecord(field(f.grads, 'grads'), dtype, 'grads');
  return [
    compareLoss(f, value, dtype),
    { name: 'grads.logits', actual: grads.logits, expected: field(expected.logits, 'grads.logits') },
  ];
};

/** Recomputes `loss/*.json`: the loss value and its gradient in the logits. */
export const lossChecker: Checker = {
  kind: 'loss',
  accepts: (f) => lossOf(f) !== undefined && f.inputs !== undefined && 'logits' in f.inputs,
  check,
};
