/**
 * Checkpoint files: a save/load round trip through the file system, atomic writes that
 * leave no temporary file behind, failed saves and failed loads that change nothing on
 * disk, and errors that name the file and the tensor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, SeqgradError, tensor, zeros } from '../../lib/index.js';
import { loadCheckpoint, saveCheckpoint, writeFileAtomic } from '../../lib/io/node.js';

const dir = mkdtempSync(join(tmpdir(), 'seqgrad-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const params = { encoder: { w: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.25, -0.25, 1e-30], { dtype: 'float64' }) }, vocab: tensor([7, 8], { dtype: 'int32' }) };
const optState = [{ count: 41, mu: { encoder: { w: zeros([2, 3]), b: zeros([3], { dtype: 'float64' }) }, vocab: null } }, { lr: 0.003 }] as const;
const templates = { params, optState };
const meta = { step: 41, epoch: 2, key: key(9), optimizer: 'adam', config: { layers: 2 } };

/** The rejection a promise ends with. */
const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SeqgradError);
    return e as Error;
  }
  throw new Error('expected a rejection');
};

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips parameters, optimizer state (numbers included) and metadata through a file', async () => {
    const path = join(dir, 'round.safetensors');
    await saveCheckpoint(path, { params, optState, meta });
    const loaded = await loadCheckpoint(path, templates);
    expect(loaded.params.encoder.w.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(loaded.params.encoder.b.data)).toEqual([0.25, -0.25, 1e-30]);
    expect(loaded.params.vocab.dtype).toBe('int32');
    expect(loaded.optState[0]!.count).toBe(41);
    expect(loaded.optState[1]!.lr).toBe(0.003);
    expect(loaded.optState[0]!.mu.vocab).toBeNull();
    expect(loaded.meta).toMatchObject({ step: 41, epoch: 2, key: [0, 9], optimizer: 'adam', config: { layers: 2 } });
  });

  it('leaves only the target in the directory and overwrites an older checkpoint whole', async () => {
    const sub = join(dir, 'clean');
    mkdirSync(sub);
    const path = join(sub, 'c.safetensors');
    await saveCheckpoint(path, { params, optState, meta });
    await saveCheckpoint(path, { params, optState: [{ ...optState[0]!, count: 42 }, optState[1]!], meta: { ...meta, step: 42 } });
    expect(readdirSync(sub)).toEqual(['c.safetensors']);
    const loaded = await loadCheckpoint(path, templates);
    expect([loaded.meta.step, loaded.optState[0]!.count]).toEqual([42, 42]);
  });

  it('a save that fails leaves the previous file byte for byte, and no temporary file', async () => {
    const sub = join(dir, 'failed-save');
    mkdirSync(sub);
    const path = join(sub, 'c.safetensors');
    await saveCheckpoint(path, { params, optState, meta });
    const before = readFileSync(path);
    const bad = await rejection(saveCheckpoint(path, { params, optState, meta: { ...meta, step: 1.5 } }));
    expect(bad.message).toBe(`saveCheckpoint: ${path}: metadata: step: expected a non-negative integer, got 1.5`);
    const notTree = await rejection(saveCheckpoint(path, { params: { w: [1, 2] }, optState, meta }));
    expect(notTree.message).toMatch(/leaf at w\[0\] is a number, not a Tensor/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(sub)).toEqual(['c.safetensors']);
  });

  it('a write that fails (the target is a directory) removes its temporary file and says the old file is unchanged', async () => {
    const sub = join(dir, 'failed-write');
    mkdirSync(join(sub, 'target'), { recursive: true });
    const error = await rejection(writeFileAtomic(join(sub, 'target'), new Uint8Array([1, 2, 3]), 'saveCheckpoint'));
    expect(error.message).toMatch(new RegExp(`^saveCheckpoint: ${join(sub, 'target').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: could not write \\(.*\\); any previous file there is unchanged$`));
    expect(readdirSync(sub)).toEqual(['target']);
  });

  it('a save makes missing folders; a missing file is an error naming the path', async () => {
    const missing = join(dir, 'nope', 'c.safetensors');
    expect((await rejection(loadCheckpoint(missing, templates))).message).toMatch(/^loadCheckpoint: .*nope.c\.safetensors: cannot read the file \(ENOENT/);
    await saveCheckpoint(join(dir, 'made', 'deeper', 'c.safetensors'), { params, optState, meta });
    expect(readdirSync(join(dir, 'made', 'deeper'))).toEqual(['c.safetensors']);
  });

  it('refuses a wrong-shaped template naming the file and the tensor, and leaves the file alone', async () => {
    const path = join(dir, 'shapes.safetensors');
    await saveCheckpoint(path, { params, optState, meta });
    const before = readFileSync(path);
    const wrong = { params: { ...params, encoder: { ...params.encoder, w: zeros([3, 2]) } }, optState };
    expect((await rejection(loadCheckpoint(path, wrong))).message).toBe(
      `loadCheckpoint: ${path}: does not match the template (1 problem): params/encoder.w: the file has float32 [2, 3], the template wants float32 [3, 2]`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a truncated or corrupted file naming the file and, for data damage, the tensor', async () => {
    const path = join(dir, 'damaged.safetensors');
    await saveCheckpoint(path, { params, optState, meta });
    const good = readFileSync(path);
    truncateSync(path, good.length - 3);
    expect((await rejection(loadCheckpoint(path, templates))).message).toMatch(new RegExp(`^safetensors: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: tensor ".*" ends at byte \\d+ of the data section, which holds only \\d+ bytes \\(file truncated\\)$`));
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x10;
    writeFileSync(path, flipped);
    expect((await rejection(loadCheckpoint(path, templates))).message).toMatch(/^loadCheckpoint: .*damaged\.safetensors: tensor "(params|opt)\/[^"]+" \(.*\) is corrupted: its CRC-32 is/);
  });
});
