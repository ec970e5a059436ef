/**
 * The optimizer files (`optim/*.json`): a `torch.optim` optimizer (named in `what`)
 * with `hyperparams`, started at `inputs.p0`, fed gradient k at step k; the
 * parameters after every step are compared. PyTorch's hyperparameter names map onto
 * the named optimizers' options (`betas` to b1/b2, `weight_decay`, `alpha`, ...).
 *
 * @module
 */
import { adagrad, adam, adamw, rmsprop, sgd, type OptimizerState } from '../../../lib/optim/optimizers.js';
import { applyUpdates, type GradientTransformation } from '../../../lib/optim/transformation.js';
import { SeqgradError } from '../../../lib/tensor/errors.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { decodeTensor, field, type Checker, type Comparison, type Fixture } from '../types.js';

type Hyper = Record<string, unknown>;
type Build = (h: Hyper) => GradientTransformation<OptimizerState>;

const num = (h: Hyper, key: string): number | undefined => {
  const v = h[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new SeqgradError('conformance', `hyperparams.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
};

const betas = (h: Hyper): { b1?: number; b2?: number } => {
  const b = h.betas;
  if (b === undefined) return {};
  if (!Array.isArray(b) || b.length !== 2) throw new SeqgradError('conformance', `hyperparams.betas must be [b1, b2], got ${JSON.stringify(b)}`);
  return { b1: b[0] as number, b2: b[1] as number };
};

const adamOptions = (h: Hyper) => ({ lr: num(h, 'lr'), ...betas(h), eps: num(h, 'eps'), weightDecay: num(h, 'weight_decay') });

/** PyTorch's optimizer class names and how to build the same optimizer here. */
const OPTIMIZERS: Readonly<Record<string, Build>> = {
  SGD: (h) => sgd({ lr: num(h, 'lr'), momentum: num(h, 'momentum'), nesterov: h.nesterov === true, weightDecay: num(h, 'weight_decay') }),
  Adam: (h) => adam(adamOptions(h)),
  AdamW: (h) => adamw(adamOptions(h)),
  RMSprop: (h) => rmsprop({ lr: num(h, 'lr'), alpha: num(h, 'alpha'), eps: num(h, 'eps'), momentum: num(h, 'momentum'), weightDecay: num(h, 'weight_decay') }),
  Adagrad: (h) => adagrad({ lr: num(h, 'lr'), eps: num(h, 'eps'), lrDecay: num(h, 'lr_decay'), weightDecay: num(h, 'weight_decay') }),
};

const optimizerName = (f: Fixture): string | undefined => /torch\.optim\.(\w+)\(/.exec(f.what ?? '')?.[1];

const check = (f: Fixture, dtype: 'float32' | 'float64' | 'int32'): Comparison[] => {
  const name = optimizerName(f)!;
  const build = OPTIMIZERS[name];
  if (!build) throw new SeqgradError('conformance', `no optimizer here matches torch.optim.${name} (known: ${Object.keys(OPTIMIZERS).join(', ')})`);
  const opt = build(f.hyperparams ?? {});
  const inputs = field(f.inputs, 'inputs');
  const grads = field(inputs.grads as unknown[] | undefined, 'inputs.grads');
  const expected = field((f.outputs as { params?: unknown[] } | undefined)?.params, 'outputs.params');
  let params: Tensor = decodeTensor(inputs.p0, dtype, 'inputs.p0');
  let state = opt.init(params);
  return grads.map((raw, k) => {
    const g = decodeTensor(raw, dtype, `inputs.grads[${k}]`);
    const [updates, next] = opt.update(g, state, params);
    params = applyUpdates(params, updates);
    state = next;
    return { name: `outputs.params[${k}]`, actual: params, expected: decodeTensor(expected[k], dtype, `outputs.params[${k}]`) };
  });
};

/** Recomputes `optim/*.json`: the parameter trajectory of a torch.optim optimizer. */
export const optimChecker: Checker = {
  kind: 'optim',
  accepts: (f) => optimizerName(f) !== undefined && f.inputs !== undefined && 'p0' in f.inputs,
  check,
};
