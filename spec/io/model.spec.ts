import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVocab, decodeModel, encodeModel, tensor, vocabFromJson } from '../../lib/index.js';
import { crc32Hex, decodeSafetensors, encodeSafetensors, MODEL_META_KEY } from '../../lib/io/index.js';
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

  it('writes float parameters as float16 on request, each checksum over the 2-byte elements as stored', () => {
    const bytes = encodeModel({ params: { w: tensor([1, -2]), ids: tensor([3], { dtype: 'int32' }) } }, { dtype: 'float16' });
    const file = decodeSafetensors(bytes);
    expect([file.dtypes.get('w'), file.dtypes.get('ids')]).toEqual(['F16', 'I32']);
    const meta = JSON.parse(file.metadata[MODEL_META_KEY]!) as { checksums: Record<string, string> };
    // 1 = 0x3C00 and -2 = 0xC000, little-endian; 3 as an int32
    expect(meta.checksums).toEqual({ w: crc32Hex(Uint8Array.from([0x00, 0x3c, 0x00, 0xc0])), ids: crc32Hex(Uint8Array.from([3, 0, 0, 0])) });
    const loaded = decodeModel(bytes, { template: { w: tensor([0, 0]), ids: tensor([0], { dtype: 'int32' }) } });
    expect([loaded.checked, Array.from(loaded.params.w.data), loaded.dtypes.get('w')]).toEqual([true, [1, -2], 'F16']);
  });

  it('detects a flipped bit in a bfloat16 tensor by its CRC-32', () => {
    const bytes = encodeModel({ params: { w: tensor([0.1, 0.2, 0.3]) } }, { dtype: 'bfloat16' });
    const bad = bytes.slice();
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x01;
    expect(() => decodeModel(bad, { source: 'half.safetensors' })).toThrow(/^decodeModel: half\.safetensors: tensor "w" \(BF16 \[3\]\) is corrupted: its CRC-32 is [0-9a-f]{8}, the metadata says [0-9a-f]{8}$/);
  });

  it('saveModel creates missing folders and loadModel names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqgrad-model-'));
    try {
      const path = join(dir, 'a', 'b', 'model.safetensors');
      await saveModel(path, { params, config: { n: 1 } });
      expect((await readFile(path)).length).toBeGreaterThan(0);
      expect((await loadModel(path, { template: params })).config).toEqual({ n: 1 });
      const half = join(dir, 'half.safetensors');
      await saveModel(half, { params: { w: tensor([65504]) } }, { dtype: 'float16' });
      expect(Array.from((await readFile(half)).subarray(-2))).toEqual([0xff, 0x7b]);
      await expect(loadModel(join(dir, 'none.safetensors'))).rejects.toThrow(/^loadModel: .*none\.safetensors: cannot read the file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
