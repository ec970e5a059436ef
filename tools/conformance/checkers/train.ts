/**
 * The training-utility files (`train/*.json`): `clip_grad_norm_` (the total norm and
 * the clipped gradients), `clip_grad_value_`, and `nn.LayerNorm` (output and the
 * gradients of `sum(y · cot.y)` in the input, weight and bias).
 *
 * @module
 */
import { valueAndGrad } from '../../../lib/autodiff/transforms.js';
import { layerNorm } from '../../../lib/nn/layer-norm.js';
import { clipByGlobalNorm, clipByValue, globalNorm } from '../../../lib/optim/clip.js';
import type { GradientTransformation } from '../../../lib/optim/transformation.js';
import { mul } from '../../../lib/ops/arithmetic.js';
import { sum } from '../../../lib/ops/reduce.js';
import { scalar } from '../../../lib/tensor/create.js';
import type { DType } from '../../../lib/tensor/dtype.js';
import { SeqgradError } from '../../../lib/tensor/errors.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { compareRecord, decodeRecord, decodeTensor, field, type Checker, type Comparison, type Fixture } from '../types.js';

const number = (v: unknown, name: string): number => {
  if (typeof v !== 'number') throw new SeqgradError('conformance', `field ${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
};

/** The file's `inputs.grads`, a list of tensors. */
const gradsOf = (f: Fixture, dtype: DType): Tensor[] =>
  field(field(f.inputs, 'inputs').grads as unknown[] | undefined, 'inputs.grads').map((g, i) => decodeTensor(g, dtype, `inputs.grads[${i}]`));

const clipped = (f: Fixture, dtype: DType, clip: GradientTransformation<unknown>): Comparison[] => {
  const grads = gradsOf(f, dtype);
  const want = field((f.outputs as { clipped?: unknown[] } | undefined)?.clipped, 'outputs.clipped');
  const [out] = clip.update(grads, clip.init(grads));
  return out.map((t, i) => ({ name: `outputs.clipped[${i}]`, actual: t, expected: decodeTensor(want[i], dtype, `outputs.clipped[${i}]`) }));
};

const clipNorm = (f: Fixture, dtype: DType): Comparison[] => {
  const inputs = field(f.inputs, 'inputs');
  const grads = gradsOf(f, dtype);
  const total = number((f.outputs as { total_norm?: unknown } | undefined)?.total_norm, 'outputs.total_norm');
  return [
    { name: 'outputs.total_norm', actual: scalar(globalNorm(grads), { dtype }), expected: scalar(total, { dtype }) },
    ...clipped(f, dtype, clipByGlobalNorm(number(inputs.max_norm, 'inputs.max_norm'))),
  ];
};

const clipValue = (f: Fixture, dtype: DType): Comparison[] =>
  clipped(f, dtype, clipByValue(number(field(f.inputs, 'inputs').clip_value, 'inputs.clip_value')));

const layerNormCase = (f: Fixture, dtype: DType): Comparison[] => {
  const params = decodeRecord(field(f.params, 'params'), dtype, 'params');
  const x = decodeTensor(field(f.inputs, 'inputs').x, dtype, 'inputs.x');
  const cot = decodeTensor(field(f.cotangents, 'cotangents').y, dtype, 'cotangents.y');
  const eps = Number(/eps=([0-9.e+-]+)/.exec(f.what ?? '')?.[1] ?? 1e-5);
  const args = { x, weight: field(params.weight, 'params.weight'), bias: field(params.bias, 'params.bias') };
  const forward = (p: typeof args): Tensor => layerNorm(p.x, p, { eps });
  const [, grads] = valueAndGrad((p: typeof args) => sum(mul(forward(p), cot)))(args);
  return [
    ...compareRecord('outputs', { y: forward(args) }, decodeRecord(f.outputs, dtype, 'outputs')),
    ...compareRecord('grads', grads, decodeRecord(f.grads, dtype, 'grads')),
  ];
};

const CASES: readonly (readonly [string, (f: Fixture, dtype: DType) => Comparison[]])[] = [
  ['clip_grad_norm', clipNorm],
  ['clip_grad_value', clipValue],
  ['layer_norm', layerNormCase],
];

const caseOf = (f: Fixture) => CASES.find(([prefix]) => f.name.startsWith(prefix))?.[1];

/** Recomputes `train/*.json`: gradient clipping by norm and by value, and layer norm. */
export const trainChecker: Checker = {
  kind: 'train',
  accepts: (f) => caseOf(f) !== undefined,
  check: (f, dtype) => caseOf(f)!(f, dtype),
};
