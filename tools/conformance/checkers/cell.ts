/**
 * Recomputes `cell/` reference files (`torch.nn.RNNCell`, `LSTMCell`, `GRUCell`: one
 * step) with the cells: the next state, the loss `Σ output·cot`, and its gradient
 * with respect to `x`, `h`, `c` and every parameter.
 *
 * @module
 */
import { SeqgradError } from '../../../lib/tensor/errors.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { gru } from '../../../lib/nn/cells/gru.js';
import { lstm, type LstmParams } from '../../../lib/nn/cells/lstm.js';
import { rnn } from '../../../lib/nn/cells/rnn.js';
import { decodeRecord, decodeTensor, field, type Checker } from '../types.js';
import { compareAll } from './rnn.js';

/** The variables a cell file's gradients are taken with respect to. */
interface Variables {
  readonly params: LstmParams;
  readonly x: Tensor;
  readonly h: Tensor;
  readonly c?: Tensor;
}

type Step = (v: Variables) => Record<string, Tensor>;

const stepOf = (config: Record<string, unknown>): Step => {
  switch (config.kind) {
    case 'RNNCell': {
      const cell = rnn({ nonlinearity: (config.nonlinearity as 'tanh' | 'relu' | undefined) ?? 'tanh' });
      return (v) => ({ h: cell.step(v.params, v.h, v.x)[0] });
    }
    case 'GRUCell': {
      const cell = gru();
      return (v) => ({ h: cell.step(v.params, v.h, v.x)[0] });
    }
    case 'LSTMCell': {
      const cell = lstm();
      return (v) => ({ ...cell.step(v.params, { h: v.h, c: v.c! }, v.x)[0] });
    }
    default:
      throw new SeqgradError('conformance', `unknown cell kind ${JSON.stringify(config.kind)}`);
  }
};

/**
 * Recomputes `cell/*.json` (files whose `config.kind` is RNNCell, LSTMCell or GRUCell).
 *
 * @example
 * ```ts
 * const result = runFile('cell/lstm_cell.json', 'float32', [cellChecker]);
 * ```
 */
export const cellChecker: Checker = {
  kind: 'cell',
  accepts: (f) => ['RNNCell', 'LSTMCell', 'GRUCell'].includes(String(f.config?.kind)),
  check: (f, dtype) => {
    const step = stepOf(field(f.config, 'config'));
    const inputs = field(f.inputs, 'inputs');
    const raw = decodeRecord(field(f.params, 'params'), dtype, 'params');
    const params: LstmParams = { weight_ih: field(raw.weight_ih, 'params.weight_ih'), weight_hh: field(raw.weight_hh, 'params.weight_hh'), bias_ih: raw.bias_ih ?? null, bias_hh: raw.bias_hh ?? null };
    const vars: Variables = {
      params,
      x: decodeTensor(inputs.x, dtype, 'inputs.x'),
      h: decodeTensor(inputs.h, dtype, 'inputs.h'),
      c: inputs.c === undefined ? undefined : decodeTensor(inputs.c, dtype, 'inputs.c'),
    };
    return compareAll(f, dtype, step, vars, (g) => ({ x: g.x, h: g.h, c: g.c, ...g.params }));
  },
};
