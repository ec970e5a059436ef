/**
 * Checkpoint directories: names that sort by step, listing that ignores temporary and
 * foreign files, a finder that skips truncated files, and keep-last-N rotation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, SeqgradError, tensor } from '../../lib/index.js';
import { checkpointPath, latestCheckpoint, listCheckpoints, loadCheckpoint, pruneCheckpoints, saveRotatingCheckpoint } from '../../lib/io/node.js';

const root = mkdtempSync(join(tmpdir(), 'seqgrad-rotation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const contents = (step: number) => ({
  params: { w: tensor([step, step]) },
  optState: { count: step },
  meta: { step, epoch: 0, key: key(step), optimizer: 'sgd' },
});
const templates = { params: { w: tensor([0, 0]) }, optState: { count: 0 } };

describe('checkpointPath', () => {
  it('zero-pads the step to six digits and refuses negative or fractional steps', () => {
    expect(checkpointPath('runs', 100)).toBe(join('runs', 'checkpoint-000100.safetensors'));
    expect(checkpointPath('runs', 1234567)).toBe(join('runs', 'checkpoint-1234567.safetensors'));
    expect(() => checkpointPath('runs', -1)).toThrow(new SeqgradError('checkpointPath', 'step must be a non-negative integer, got -1'));
    expect(() => checkpointPath('runs', 2.5)).toThrow(/got 2\.5/);
  });
});

describe('listCheckpoints and latestCheckpoint', () => {
  it('list numbered checkpoints by step, ignoring temporary and unrelated files', async () => {
    const dir = join(root, 'list');
    mkdirSync(dir);
    for (const step of [20, 3, 1000000]) writeFileSync(checkpointPath(dir, step), '');
    for (const name of ['.checkpoint-000050.safetensors.tmp-1-ab', 'checkpoint-000060.safetensors.tmp-9-cd', 'notes.txt', 'checkpoint-x.safetensors']) writeFileSync(join(dir, name), '');
    expect(await listCheckpoints(dir)).toEqual([3, 20, 1000000].map((step) => ({ path: checkpointPath(dir, step), step })));
    expect(await listCheckpoints(join(root, 'absent'))).toEqual([]);
    expect(await latestCheckpoint(join(root, 'absent'))).toBeUndefined();
  });

  it('skip a newest file that is truncated or not safetensors, falling back to the last good one', async () => {
    const dir = join(root, 'latest');
    for (const step of [1, 2, 3]) await saveRotatingCheckpoint(dir, contents(step), { keep: 10 });
    const good = readFileSync(checkpointPath(dir, 3));
    writeFileSync(checkpointPath(dir, 3), good.subarray(0, good.length - 1));
    writeFileSync(checkpointPath(dir, 4), 'not a checkpoint at all');
    writeFileSync(join(dir, '.checkpoint-000005.safetensors.tmp-7-ff'), good);
    expect(await latestCheckpoint(dir)).toBe(checkpointPath(dir, 2));
    expect(await latestCheckpoint(dir, { verify: false })).toBe(checkpointPath(dir, 4));
    const loaded = await loadCheckpoint((await latestCheckpoint(dir))!, templates);
    expect([loaded.meta.step, loaded.optState.count, ...loaded.params.w.data]).toEqual([2, 2, 2, 2]);
  });
});

describe('rotation', () => {
  it('saveRotatingCheckpoint keeps only the newest N', async () => {
    const dir = join(root, 'rotate');
    const paths: string[] = [];
    for (const step of [10, 20, 30, 40, 50]) paths.push(await saveRotatingCheckpoint(dir, contents(step), { keep: 2 }));
    expect(paths.at(-1)).toBe(checkpointPath(dir, 50));
    // the lock file marks the folder as this process's while it runs
    expect(readdirSync(dir).sort()).toEqual(['.seqgrad-checkpoints.lock', 'checkpoint-000040.safetensors', 'checkpoint-000050.safetensors']);
    expect(await latestCheckpoint(dir)).toBe(checkpointPath(dir, 50));
  });

  it('pruneCheckpoints returns what it deleted and leaves other files', async () => {
    const dir = join(root, 'prune');
    mkdirSync(dir);
    for (const step of [1, 2, 3]) writeFileSync(checkpointPath(dir, step), '');
    writeFileSync(join(dir, 'keep.txt'), '');
    expect(await pruneCheckpoints(dir, 1)).toEqual([checkpointPath(dir, 1), checkpointPath(dir, 2)]);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-000003.safetensors', 'keep.txt']);
    expect(await pruneCheckpoints(dir, 5)).toEqual([]);
  });

  it('refuses a keep that is not a positive integer', async () => {
    await expect(pruneCheckpoints(root, 0)).rejects.toThrow(new SeqgradError('pruneCheckpoints', 'keep must be a positive integer, got 0'));
    await expect(saveRotatingCheckpoint(root, contents(1), { keep: 1.5 })).rejects.toThrow(/saveRotatingCheckpoint: options.keep must be a positive integer, got 1\.5/);
  });
});
