/**
 * PyTorch names: the fixture's flat state_dict maps onto the params record and back
 * unchanged; additive attention's `attn.v.weight [1, units]` becomes `v [units]`;
 * unknown, missing and incomplete names are refused by name.
 */
import { describe, expect, it } from 'vitest';
import { key, type Tensor } from '../../../lib/index.js';
import { initAttention } from '../../../lib/nn/attention.js';
import { fromTorchNames, toTorchNames } from '../../../lib/nn/seq2seq/torch-names.js';
import { readFixture, toTensor } from '../../support/fixtures.js';

const flatOf = (file: string): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(readFixture(file).params).map(([k, v]) => [k, toTensor(v as never)]));

describe('fromTorchNames / toTorchNames', () => {
  it('maps the fixture names onto the record and back, tensor for tensor', () => {
    const flat = flatOf('seq2seq/gru_luong_attention.json');
    const params = fromTorchNames(flat);
    expect(params.encoder.embedding.weight).toBe(flat['enc_emb.weight']);
    expect(params.encoder.rnn.weight_hh).toBe(flat['enc.weight_hh_l0']);
    expect(params.decoder.rnn.bias_ih).toBe(flat['dec.bias_ih_l0']);
    expect(params.decoder.combine!.weight).toBe(flat['combine.weight']);
    expect(params.decoder.out.bias).toBe(flat['out.bias']);
    expect(params.decoder.attention).toBeNull();
    const back = toTorchNames(params);
    expect(Object.keys(back).sort()).toEqual(Object.keys(flat).sort());
    for (const k of Object.keys(flat)) expect(back[k]).toBe(flat[k]);
    expect(fromTorchNames(flatOf('seq2seq/gru_teacher_forcing.json')).decoder.combine).toBeNull();
  });

  it('reads general and additive attention weights', () => {
    const flat = flatOf('seq2seq/gru_luong_attention.json');
    const general = initAttention('general', key(0), { queryDim: 8, keyDim: 8, dtype: 'float64' });
    expect((fromTorchNames({ ...flat, 'attn.weight': general.weight }).decoder.attention as { weight: Tensor }).weight).toBe(general.weight);
    const a = initAttention('additive', key(0), { queryDim: 8, keyDim: 8, units: 5, dtype: 'float64' });
    const named = toTorchNames({ ...fromTorchNames(flat), decoder: { ...fromTorchNames(flat).decoder, attention: a } });
    expect(named['attn.v.weight']!.shape).toEqual([1, 5]);
    const round = fromTorchNames(named).decoder.attention as typeof a;
    expect(round.v.shape).toEqual([5]);
    expect(Array.from(round.v.data)).toEqual(Array.from(a.v.data));
    expect(round.queryWeight).toBe(a.queryWeight);
  });

  it('refuses unknown, missing and incomplete names', () => {
    const flat = flatOf('seq2seq/gru_teacher_forcing.json');
    expect(() => fromTorchNames({ ...flat, 'enc.weight_ih_l1': flat['enc.weight_ih_l0']! })).toThrow(/fromTorchNames: unknown parameter names enc.weight_ih_l1/);
    const { ['dec.weight_hh_l0']: _, ...without } = flat;
    expect(() => fromTorchNames(without)).toThrow(/fromTorchNames: missing parameter dec.weight_hh_l0/);
    expect(() => fromTorchNames({ ...flat, 'attn.v.weight': flat['out.bias']! })).toThrow(/additive attention needs attn.query.weight, attn.key.weight and attn.v.weight/);
  });
});
