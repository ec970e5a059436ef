import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVocab, decodeModel, encodeModel, tensor, vocabFromJson } from '../../lib/index.js';
import { encodeSafetensors } from '../../lib/io/index.js';
import { loadModel, saveModel } from '../../lib/io/node.js';

const params = {
  embed: { weight: tensor([[1, 2], [3, 4]]) },
  rnn: [{ weight_ih_l0: tensor([[0.5, -0.5]], { dtype: 'float64' }) }, { weight_ih_l0: tensor([7], { dtype: 'int32' }) }],
};

describe('encodeModel / decodeModel', () => {
  it('round-trips params, config and vocab under state_dict names', () => {
    const vocab = buildVocab(['ab']);
    const bytes = encodeModel({ params, config: { hidden: 2, kind: 'lstm' }, vocab });
    const plain = decodeModel(bytes);
    expect([...plain.tensors.keys()].sort()).toEqual(['embed.weight', 'rnn.0.weight_ih_l0', 'rnn.1.weight_ih_l0']);
    expect(plain.checked).toBe(true);
    expect(plain.config).toEqual({ hidden: 2, kind: 'lstm' });
    expect(vocabFromJson(plain.vocab).encode('ba')).toEqual(vocab.encode('ba'));
    // without a template the tree comes back from the names, arrays included
    const rebuilt = plain.params as typeof params;
    expect(Array.from(rebuilt.rnn[0]!.weight_ih_l0.data)).toEqual([0.5, -0.5]);
    expect(rebuilt.rnn[1]!.weight_ih_l0.dtype).toBe('int32');
    const typed = decodeModel(bytes, { template: params }).params;
    expect(typed.embed.weight.shape).toEqual([2, 2]);
    expect(Array.from(typed.embed.weight.data)).toEqual([1, 2, 3, 4]);
  });

  it('detects a corrupted tensor by its CRC-32', () => {
    const bytes = encodeModel({ params });
    const bad = bytes.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x01;
    expect(() => decodeModel(bad, { source: 'm.safetensors' })).toThrow(/^decodeModel: m\.safetensors: tensor ".*" .* is corrupted/);
  });

  it('loads a plain safetensors file (no seqgrad metadata) with names, shapes and dtypes checked', () => {
    const torchLike = encodeSafetensors({ weight_ih_l0: tensor([[1, 2, 3]]), bias_ih_l0: tensor([0]) });
    const template = { weight_ih_l0: tensor([[0, 0, 0]]), bias_ih_l0: tensor([0]) };
    const loaded = decodeModel(torchLike, { template });
    expect(loaded.checked).toBe(false);
    expect(Array.from(loaded.params.weight_ih_l0.data)).toEqual([1, 2, 3]);
    const wrong = { weight_ih_l0: tensor([[0, 0]]), bias_hh_l0: tensor([0]), bias_ih_l0: tensor([0], { dtype: 'float64' }) };
    expect(() => decodeModel(torchLike, { template: wrong, source: 'torch.safetensors' })).toThrow(
      'decodeModel: torch.safetensors: does not match the template (3 problems): missing from the file (1): bias_hh_l0 (float32 [1]); '
      + 'wrong shape or dtype (2): weight_ih_l0 (the file has float32 [1, 3], the template wants float32 [1, 2]), bias_ih_l0 (the file has float32 [1], the template wants float64 [1])',
    );
  });

  it('saveModel creates missing folders and loadModel names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqgrad-model-'));
    try {
      const path = join(dir, 'a', 'b', 'model.safetensors');
      await saveModel(path, { params, config: { n: 1 } });
      expect((await readFile(path)).length).toBeGreaterThan(0);
      expect((await loadModel(path, { template: params })).config).toEqual({ n: 1 });
      await expect(loadModel(join(dir, 'none.safetensors'))).rejects.toThrow(/^loadModel: .*none\.safetensors: cannot read the file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
