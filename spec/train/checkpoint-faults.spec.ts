/**
 * Checkpoint faults a long run meets: the newest file corrupted while an older one is
 * good (resume falls back and says which file it skipped and why), temporary files
 * left by killed saves (removed once their process is gone, never while it runs), and
 * a second process writing into the same folder (refused by a lock holding the owner's
 * pid; a lock whose owner has died is taken over). Metadata bit flips are covered in
 * spec/io/checkpoint-format.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, SeqgradError, tensor, type Tensor } from '../../lib/index.js';
import { checkpointPath, LOCK_NAME, lockCheckpointDir, saveRotatingCheckpoint } from '../../lib/io/node.js';
import { resumeFrom, type TrainState } from '../../lib/train/index.js';

type Params = { readonly w: Tensor };
const state = (step: number): TrainState<Params, readonly never[]> => ({
  params: { w: tensor([step, -step]) }, optState: [], step, epoch: 0, batch: 0, key: key(1), mean: { sums: {}, weight: 0 },
});
const templates = { params: { w: tensor([0, 0]) }, optState: [] as readonly never[] };
const contents = (step: number) => ({
  params: state(step).params, optState: [] as readonly never[],
  meta: { step, epoch: 0, key: key(1), optimizer: 'sgd', config: { 'seqgrad.fit': { batch: 0, mean: { sums: {}, weight: 0 } } } },
});

/** The pid of a process that has exited (a child run to completion), so no process holds it now. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgrad-faults-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a corrupt newest checkpoint with a good older one', () => {
  it('resumeFrom falls back to the older file and says which file it skipped and why', async () => {
    await saveRotatingCheckpoint(dir, contents(10), { keep: 5 });
    const newest = await saveRotatingCheckpoint(dir, contents(20), { keep: 5 });
    // flip one bit in the last tensor byte: the size and header stay valid, only the CRC can tell
    const bytes = readFileSync(newest);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
    writeFileSync(newest, bytes);
    const told: string[] = [];
    const loaded = await resumeFrom(dir, templates, { onSkip: (path, reason) => told.push(`${path} | ${reason}`) });
    expect(loaded?.state.step).toBe(10);
    expect(Array.from(loaded!.state.params.w.data)).toEqual([10, -10]);
    expect(loaded?.path).toBe(checkpointPath(dir, 10));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(new RegExp(`^${escape(newest)} \\| loadCheckpoint: ${escape(newest)}: tensor "params/w" .*is corrupted: its CRC-32 is`));
    expect(loaded?.skipped?.map((s) => s.path)).toEqual([newest]);
  });

  it('when no checkpoint loads, it refuses naming every file rather than starting afresh', async () => {
    const only = await saveRotatingCheckpoint(dir, contents(5), { keep: 5 });
    writeFileSync(only, readFileSync(only).subarray(0, 40));
    await expect(resumeFrom(dir, templates, { onSkip: () => undefined })).rejects.toThrow(
      new RegExp(`^resumeFrom: ${escape(dir)}: none of the 1 checkpoints loads: safetensors: ${escape(only)}: header length \\d+ runs past the end of the file`));
  });

  it('an empty folder is a fresh run', async () => {
    expect(await resumeFrom(join(dir, 'absent'), templates)).toBeUndefined();
  });
});

describe('stale temporary files', () => {
  it('a save and a resume remove those of dead processes and keep those of live ones', async () => {
    const stale = join(dir, `.checkpoint-000030.safetensors.tmp-${deadPid()}-0a1b2c3d`);
    const live = join(dir, `.checkpoint-000030.safetensors.tmp-${process.pid}-deadbeef`);
    writeFileSync(stale, new Uint8Array(1024));
    writeFileSync(live, new Uint8Array(16));
    await saveRotatingCheckpoint(dir, contents(1), { keep: 2 });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    const again = join(dir, `.checkpoint-000040.safetensors.tmp-${deadPid()}-00ff00ff`);
    writeFileSync(again, new Uint8Array(8));
    await resumeFrom(dir, templates);
    expect(existsSync(again)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([live.slice(dir.length + 1), LOCK_NAME, 'checkpoint-000001.safetensors'].sort());
  });
});

describe('a second writer', () => {
  it('is refused while the lock owner runs, naming its pid', async () => {
    // the parent of this test process is alive and is not this process
    writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: process.ppid, host: hostname(), since: '2024-01-01T00:00:00.000Z' }));
    const save = saveRotatingCheckpoint(dir, contents(3), { keep: 2 });
    await expect(save).rejects.toThrow(SeqgradError);
    await expect(saveRotatingCheckpoint(dir, contents(3), { keep: 2 })).rejects.toThrow(
      new RegExp(`^saveRotatingCheckpoint: ${escape(dir)}: another run is writing checkpoints here \\(process ${process.ppid} on `));
    expect(readdirSync(dir)).toEqual([LOCK_NAME]);
  });

  it('takes over a stale lock whose owner has died, and writes its own pid', async () => {
    writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: deadPid(), host: hostname(), since: '2024-01-01T00:00:00.000Z' }));
    await saveRotatingCheckpoint(dir, contents(4), { keep: 2 });
    expect(JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8')).pid).toBe(process.pid);
    // the owner may save again
    await expect(lockCheckpointDir(dir)).resolves.toBeUndefined();
  });
});

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
