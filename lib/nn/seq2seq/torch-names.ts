/**
 * PyTorch names for seq2seq parameters: the flat state_dict of a module with
 * submodules `enc_emb`, `enc` (a one-layer `nn.GRU`/`nn.LSTM`), `dec_emb`, `dec`,
 * `out`, and with attention `combine` (Luong's attentional layer) plus `attn`
 * (`attn.weight` for general attention; `attn.query.weight`, `attn.key.weight` and
 * `attn.v.weight [1, units]` for additive attention). The reference files use exactly
 * these names, so loading one is `fromTorchNames(params)`.
 *
 * @module
 */
import { reshape } from '../../ops/shape.js';
import { SeqgradError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { AttentionParams } from '../attention.js';
import type { LstmParams } from '../cells/lstm.js';
import type { DenseParams } from '../layers/dense.js';
import { BASES, paramName, type BaseName } from '../torch/layout.js';
import type { Seq2SeqParams } from './model.js';

/**
 * A params record from PyTorch's flat names (unknown names are refused by name).
 *
 * @example
 * ```ts
 * declare const stateDict: Record<string, Tensor>;   // a PyTorch state_dict, e.g. 'enc.weight_ih_l0'
 * const params = fromTorchNames(stateDict);
 * params.encoder.rnn.weight_ih === stateDict['enc.weight_ih_l0']; // true
 * ```
 */
export const fromTorchNames = (flat: Readonly<Record<string, Tensor>>): Seq2SeqParams<LstmParams> => {
  const used = new Set<string>();
  const take = (name: string): Tensor | null => {
    if (!(name in flat)) return null;
    used.add(name);
    return flat[name]!;
  };
  const need = (name: string): Tensor => take(name) ?? missing(name);
  const rnn = (prefix: string): LstmParams => {
    const name = (b: BaseName): string => `${prefix}.${paramName(b, 0, 0)}`;
    const [wi, wh, bi, bh, wr] = BASES.map((b) => take(name(b)));
    return { weight_ih: wi ?? missing(name('weight_ih')), weight_hh: wh ?? missing(name('weight_hh')), bias_ih: bi ?? null, bias_hh: bh ?? null, ...(wr ? { weight_hr: wr } : {}) };
  };
  const linear = (prefix: string): DenseParams => ({ weight: need(`${prefix}.weight`), bias: take(`${prefix}.bias`) });
  const params: Seq2SeqParams<LstmParams> = {
    encoder: { embedding: { weight: need('enc_emb.weight') }, rnn: rnn('enc') },
    decoder: {
      embedding: { weight: need('dec_emb.weight') },
      rnn: rnn('dec'),
      attention: attentionFrom(take),
      combine: 'combine.weight' in flat ? linear('combine') : null,
      out: linear('out'),
    },
  };
  const unknown = Object.keys(flat).filter((k) => !used.has(k));
  if (unknown.length > 0) throw new SeqgradError('fromTorchNames', `unknown parameter names ${unknown.join(', ')} (seq2seq models have one layer and one direction)`);
  return params;
};

/**
 * PyTorch's flat names for a params record (the inverse of `fromTorchNames`; null
 * biases are left out).
 *
 * @example
 * ```ts
 * declare const grads: Seq2SeqParams<LstmParams>;
 * const flat = toTorchNames(grads);
 * flat['dec.weight_hh_l0']; // the decoder's hidden-weight gradient
 * ```
 */
export const toTorchNames = (params: Seq2SeqParams<LstmParams>): Record<string, Tensor> => {
  const out: Record<string, Tensor> = {};
  const put = (name: string, t: Tensor | null | undefined): void => {
    if (t) out[name] = t;
  };
  const { encoder: e, decoder: d } = (params ?? {}) as Seq2SeqParams<LstmParams>;
  if (typeof e?.embedding !== 'object' || typeof e?.rnn !== 'object' || typeof d?.embedding !== 'object' || typeof d?.rnn !== 'object' || typeof d?.out !== 'object') {
    throw new SeqgradError('toTorchNames', 'params must be an encoderDecoder(lstm) record { encoder: { embedding, rnn }, decoder: { embedding, rnn, out, ... } }');
  }
  put('enc_emb.weight', e.embedding.weight);
  for (const b of BASES) put(`enc.${paramName(b, 0, 0)}`, e.rnn[b]);
  put('dec_emb.weight', d.embedding.weight);
  for (const b of BASES) put(`dec.${paramName(b, 0, 0)}`, d.rnn[b]);
  put('out.weight', d.out.weight);
  put('out.bias', d.out.bias);
  put('combine.weight', d.combine?.weight);
  put('combine.bias', d.combine?.bias);
  const a = d.attention as Record<string, Tensor> | null;
  put('attn.weight', a?.weight);
  put('attn.query.weight', a?.queryWeight);
  put('attn.key.weight', a?.keyWeight);
  if (a?.v) put('attn.v.weight', reshape(a.v, [1, -1]));
  return out;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const missing = (name: string): never => {
  throw new SeqgradError('fromTorchNames', `missing parameter ${name}`);
};

const attentionFrom = (take: (name: string) => Tensor | null): AttentionParams => {
  const weight = take('attn.weight');
  if (weight) return { weight };
  const [q, k, v] = [take('attn.query.weight'), take('attn.key.weight'), take('attn.v.weight')];
  if (!q && !k && !v) return null;
  if (!q || !k || !v) throw new SeqgradError('fromTorchNames', 'additive attention needs attn.query.weight, attn.key.weight and attn.v.weight');
  return { queryWeight: q, keyWeight: k, v: reshape(v, [-1]) };
};
