/**
 * Encoder-decoder reference files (`seq2seq/*.json`): an embedding and a one-layer GRU
 * (or LSTM) encoder from h0 = 0, a decoder of the same kind started from the
 * encoder's final state and fed the target-in tokens (teacher forcing), optional
 * attention (`config.attention`: true for Luong dot, or the name of a form) combined as
 * `tanh(combine(concat[ctx, dec_out]))`, and the mean cross-entropy over all target
 * tokens. Recomputes the logits, the attention weights, the loss and the gradient of
 * every parameter, under the file's PyTorch parameter names.
 *
 * @module
 */
import { valueAndGrad } from '../../../lib/autodiff/transforms.js';
import type { AttentionKind } from '../../../lib/nn/attention.js';
import type { Cell } from '../../../lib/nn/cell.js';
import { gru } from '../../../lib/nn/cells/gru.js';
import { lstm, type LstmParams } from '../../../lib/nn/cells/lstm.js';
import { encoderDecoder, type Seq2SeqBatch, type Seq2SeqCellSizes, type Seq2SeqParams } from '../../../lib/nn/seq2seq/model.js';
import { fromTorchNames, toTorchNames } from '../../../lib/nn/seq2seq/torch-names.js';
import type { DType } from '../../../lib/tensor/dtype.js';
import { SeqgradError } from '../../../lib/tensor/errors.js';
import { compareLoss, compareRecord, decodeRecord, decodeTensor, field, type Checker, type Comparison, type Fixture } from '../types.js';

/**
 * Recomputes `seq2seq/*.json` (files whose config names `src_vocab` and `tgt_vocab`).
 *
 * @example
 * ```ts
 * const result = runFile('spec/fixtures/torch/seq2seq/gru_luong_attention.json', 'float32', [seq2seqChecker]);
 * result.ok; // true: logits, attention, loss and every gradient within 1e-4
 * ```
 */
export const seq2seqChecker: Checker = {
  kind: 'seq2seq',
  accepts: (f) => f.config !== undefined && 'src_vocab' in f.config && 'tgt_vocab' in f.config,
  check: (f, dtype) => {
    const model = encoderDecoder({ cell: cellOf(f.config!) as Cell<LstmParams, unknown, Seq2SeqCellSizes>, attention: attentionOf(f.config!.attention) });
    const params = fromTorchNames(decodeRecord(field(f.params, 'params'), dtype, 'params'));
    const batch = batchOf(f, dtype);
    const [loss, grads] = valueAndGrad((p: Seq2SeqParams<LstmParams>) => model.loss(p, batch))(params);
    const out = model.forward(params, batch);
    const outputs = { logits: out.logits, ...(out.attention ? { attention: out.attention } : {}) };
    const comparisons: Comparison[] = [
      ...compareRecord('outputs', outputs, decodeRecord(f.outputs, dtype, 'outputs')),
      compareLoss(f, loss, dtype),
      ...compareRecord('grads', toTorchNames(grads), decodeRecord(f.grads, dtype, 'grads')),
    ];
    return comparisons;
  },
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const cellOf = (config: Record<string, unknown>): Cell<unknown, unknown, Seq2SeqCellSizes> => {
  const name = String(config.cell ?? config.rnn ?? config.kind ?? 'gru').toLowerCase();
  if (name === 'gru') return gru() as Cell<unknown, unknown, Seq2SeqCellSizes>;
  if (name === 'lstm') return lstm() as Cell<unknown, unknown, Seq2SeqCellSizes>;
  throw new SeqgradError('conformance', `config.cell ${JSON.stringify(config.cell ?? config.rnn ?? config.kind)} is not gru or lstm`);
};

const ATTENTION_NAMES: Readonly<Record<string, AttentionKind>> = { dot: 'dot', luong: 'dot', general: 'general', additive: 'additive', bahdanau: 'additive', concat: 'additive' };

const attentionOf = (value: unknown): AttentionKind | null => {
  if (value === undefined || value === null || value === false) return null;
  if (value === true) return 'dot';
  const kind = ATTENTION_NAMES[String(value).toLowerCase()];
  if (!kind) throw new SeqgradError('conformance', `config.attention ${JSON.stringify(value)} is not one of true, false, ${Object.keys(ATTENTION_NAMES).join(', ')}`);
  return kind;
};

const batchOf = (f: Fixture, dtype: DType): Seq2SeqBatch => {
  const inputs = field(f.inputs, 'inputs');
  const lengths = (name: string): readonly number[] | undefined => {
    const value = inputs[name] ?? f.config?.[name];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? (value as number[]) : Array.from(decodeTensor(value, 'int32', `inputs.${name}`).data);
  };
  const srcLengths = lengths('src_lengths');
  const tgtLengths = lengths('tgt_lengths');
  return {
    src: decodeTensor(inputs.src, dtype, 'inputs.src'),
    tgtIn: decodeTensor(inputs.tgt_in, dtype, 'inputs.tgt_in'),
    tgtOut: decodeTensor(inputs.tgt_out, dtype, 'inputs.tgt_out'),
    ...(srcLengths ? { srcLengths } : {}),
    ...(tgtLengths ? { tgtLengths } : {}),
  };
};
