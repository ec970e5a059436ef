/**
 * Recomputes `rnn/` reference files (`torch.nn.RNN`, `LSTM`, `GRU`, batch-first, with
 * optional packed `lengths`) through the PyTorch-layout builders: outputs `y`, `hn`,
 * `cn`, the loss `Σ output·cot` and its gradient with respect to `x`, `h0`, `c0` and
 * every parameter.
 *
 * @module
 */
import { valueAndGrad } from '../../../lib/autodiff/transforms.js';
import { add, mul } from '../../../lib/ops/arithmetic.js';
import { sum } from '../../../lib/ops/reduce.js';
import { scalar } from '../../../lib/tensor/create.js';
import type { DType } from '../../../lib/tensor/dtype.js';
import { SeqgradError } from '../../../lib/tensor/errors.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { gru, lstm, rnn, type StateDict, type TorchConfig } from '../../../lib/nn/torch/index.js';
import { compareLoss, compareRecord, decodeRecord, decodeTensor, field, type Checker, type Comparison, type Fixture } from '../types.js';

const BUILDERS = { RNN: rnn, LSTM: lstm, GRU: gru } as const;

/** The variables a file's gradients are taken with respect to. */
interface Variables {
  readonly params: StateDict;
  readonly x: Tensor;
  readonly h0?: Tensor;
  readonly c0?: Tensor;
}

/**
 * Recomputes `rnn/*.json` (files whose `config.kind` is RNN, LSTM or GRU).
 *
 * @example
 * ```ts
 * const comparisons = rnnChecker.check(JSON.parse(readFileSync('rnn/gru_packed.json', 'utf8')), 'float64');
 * ```
 */
export const rnnChecker: Checker = {
  kind: 'rnn',
  accepts: (f) => typeof f.config?.kind === 'string' && f.config.kind in BUILDERS,
  check: (f, dtype) => {
    const config = field(f.config, 'config');
    if (config.batch_first === false) throw new SeqgradError('conformance', 'only batch_first files are supported (config.batch_first is false)');
    const model = BUILDERS[config.kind as keyof typeof BUILDERS](torchConfig(config));
    const lengths = config.lengths as number[] | undefined;
    const inputs = field(f.inputs, 'inputs');
    const optional = (name: string): Tensor | undefined => (inputs[name] === undefined ? undefined : decodeTensor(inputs[name], dtype, `inputs.${name}`));
    const vars: Variables = { params: decodeRecord(field(f.params, 'params'), dtype, 'params'), x: decodeTensor(inputs.x, dtype, 'inputs.x'), h0: optional('h0'), c0: optional('c0') };
    const run = (v: Variables): Record<string, Tensor | undefined> => ({ ...model.apply(v.params, v.x, { h0: v.h0, c0: v.c0, lengths }) });
    return compareAll(f, dtype, run, vars, (g) => ({ x: g.x, h0: g.h0, c0: g.c0, ...g.params }));
  },
};

// ---------------------------------------------------------------------------
// shared by the recurrent checkers
// ---------------------------------------------------------------------------

/**
 * `Σ_k sum(outputs[k] · cot[k])` over the file's cotangents, the loss every rnn and
 * cell file states.
 *
 * @internal
 */
export const dotCotangents = (outputs: Record<string, Tensor | undefined>, cot: Record<string, Tensor>): Tensor =>
  Object.entries(cot).reduce((total: Tensor, [k, c]) => {
    const out = outputs[k];
    if (!out) throw new SeqgradError('conformance', `cotangents.${k} names an output that was not computed`);
    return add(total, sum(mul(out, c)));
  }, scalar(0, { dtype: Object.values(cot)[0]?.dtype ?? 'float64' }));

/**
 * Runs `run` on `vars`, differentiates `Σ output·cot`, and pairs outputs, loss and the
 * gradients (flattened by `gradsOf` to the file's keys) with the file's references.
 *
 * @internal
 */
export const compareAll = <V>(
  f: Fixture, dtype: DType, run: (v: V) => Record<string, Tensor | undefined>, vars: V,
  gradsOf: (g: V) => Record<string, Tensor | null | undefined>,
): Comparison[] => {
  const cot = decodeRecord(field(f.cotangents, 'cotangents'), dtype, 'cotangents');
  const [loss, grads] = valueAndGrad((v: V) => dotCotangents(run(v), cot))(vars);
  return [
    ...compareRecord('outputs', run(vars), decodeRecord(field(f.outputs, 'outputs'), dtype, 'outputs')),
    compareLoss(f, loss, dtype),
    ...compareRecord('grads', present(gradsOf(grads)), decodeRecord(field(f.grads, 'grads'), dtype, 'grads')),
  ];
};

/** The record without its null entries (absent parameters such as a missing bias). */
const present = (r: Record<string, Tensor | null | undefined>): Record<string, Tensor | undefined> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? undefined]));

/** The builder config of a file's snake_case `config`. */
const torchConfig = (c: Record<string, unknown>): TorchConfig => ({
  inputSize: c.input_size as number,
  hiddenSize: c.hidden_size as number,
  numLayers: (c.num_layers as number | undefined) ?? 1,
  bidirectional: (c.bidirectional as boolean | undefined) ?? false,
  bias: (c.bias as boolean | undefined) ?? true,
  projSize: (c.proj_size as number | undefined) ?? 0,
  ...(c.kind === 'RNN' ? { nonlinearity: (c.nonlinearity as 'tanh' | 'relu' | undefined) ?? 'tanh' } : {}),
});
