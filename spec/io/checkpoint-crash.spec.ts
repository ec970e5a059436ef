/**
 * The crash spec: a child process saves ~6 MB checkpoints in a loop (each version's
 * tensors filled with its version number) and is killed with SIGKILL at random
 * moments, twelve times over. After every kill the fixed file and the newest rotating
 * checkpoint must load, pass every check, and hold one fully written version: the last
 * one the child reported, or the one it was finishing when it died. The spec also shows
 * the kills really landed mid-save (stray temporary files, `begin` without `saved`).
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch as watchDir } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { full, type Tensor } from '../../lib/index.js';
import { type LoadedCheckpoint } from '../../lib/io/index.js';
import { latestCheckpoint, loadCheckpoint, TEMPORARY_MARK } from '../../lib/io/node.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '../support/crash-child.ts');
const ELEMENTS = 262_144;
const ROUNDS = 12;

// the shapes the child writes (values are irrelevant in a template)
const params = { w: full([ELEMENTS], 0), layers: [{ u: full([ELEMENTS / 4, 4], 0, { dtype: 'float64' }), b: full([3], 0, { dtype: 'int32' }) }] };
const optState = [{ count: 0, mu: { w: full([ELEMENTS], 0), layers: [{ u: full([ELEMENTS / 4, 4], 0, { dtype: 'float64' }), b: null }] } }, {}] as const;
type Loaded = LoadedCheckpoint<typeof params, typeof optState>;

/** The child's stdout lines as they arrive, and a way to wait for one. */
const watch = (child: ChildProcess) => {
  const lines: string[] = [];
  let stderr = '';
  let pending = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waitFor = (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (lines.some((l) => pattern.test(l))) resolve();
        else if (child.exitCode !== null) reject(new Error(`child exited early: ${stderr}`));
        else waiters.push(check);
      };
      child.once('exit', () => waiters.splice(0).forEach((w) => w()));
      check();
    });
  return { lines, waitFor };
};

/** A checkpoint's version after checking every element, the count, step and config agree on it. */
const versionOf = ({ params: p, optState: s, meta }: Loaded): number => {
  const v = meta.step;
  const tensors: Tensor[] = [p.w, p.layers[0]!.u, p.layers[0]!.b, s[0]!.mu.w, s[0]!.mu.layers[0]!.u];
  for (const t of tensors) expect(t.data.every((x) => x === v), `every element equals version ${v}`).toBe(true);
  expect(s[0]!.count).toBe(v);
  expect(meta.config).toEqual({ version: v });
  return v;
};

/**
 * Kills the child after `when` ms, or (`'write'`) at the first change to `dir`'s entries
 * or files, i.e. as a save starts writing: random moments alone mostly land in the
 * encoding, which is the longer part of a save.
 */
const killMidWrite = async (child: ChildProcess, dir: string, when: number | 'write'): Promise<void> => {
  if (when !== 'write') {
    await new Promise((resolve) => setTimeout(resolve, when));
    child.kill('SIGKILL');
    return;
  }
  await new Promise<void>((resolve) => {
    const watcher = watchDir(dir, () => done());
    const timer = setTimeout(() => done(), 2000);
    function done(): void {
      child.kill('SIGKILL');
      watcher.close();
      clearTimeout(timer);
      resolve();
    }
  });
};

/** A small deterministic generator for the kill delays. */
const lcg = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
};

describe('saveCheckpoint under SIGKILL', () => {
  it('always leaves the last good checkpoint loadable, holding one fully written version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgrad-crash-'));
    const random = lcg(2024);
    let fixedBefore = 0;
    let rotatingBefore = 0;
    let killedMidSave = 0;
    let killedWriting = 0;
    let straysBefore = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(fixedBefore + 1), String(ELEMENTS)], { stdio: ['ignore', 'pipe', 'pipe'] });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const { lines, waitFor } = watch(child);
        // the first round waits for one complete version so there is a checkpoint to protect
        await waitFor(round === 0 ? /^saved / : /^begin /);
        await killMidWrite(child, dir, round % 2 === 1 ? 'write' : random() * 500);
        await exited;
        const strays = readdirSync(dir).filter((f) => f.includes(TEMPORARY_MARK)).length;
        if (strays > straysBefore) killedWriting++;
        straysBefore = strays;
        const reported = lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6)));
        if (lines.at(-1)?.startsWith('begin ')) killedMidSave++;
        // a version counts as written once reported; the one in progress may also have landed
        // (killed after its rename, before its report), and nothing else may be on disk
        const saved = reported.length > 0 ? Math.max(...reported) : undefined;
        const fixed = versionOf(await loadCheckpoint(join(dir, 'fixed.safetensors'), { params, optState }));
        expect(saved === undefined ? [fixedBefore, fixedBefore + 1] : [saved, saved + 1]).toContain(fixed);
        const latest = await latestCheckpoint(join(dir, 'rotating'));
        expect(latest).toBeDefined();
        const rotating = versionOf(await loadCheckpoint(latest!, { params, optState }));
        expect(saved === undefined ? [rotatingBefore, fixedBefore + 1] : [saved, saved + 1]).toContain(rotating);
        expect(rotating).toBeLessThanOrEqual(fixed);
        [fixedBefore, rotatingBefore] = [fixed, rotating];
      }
      // evidence the kills landed inside saves, and some inside the file write itself
      expect(killedMidSave).toBeGreaterThan(0);
      expect(killedWriting).toBeGreaterThan(0);
      console.info(`crash spec: ${ROUNDS} kills, ${killedMidSave} between begin and saved, ${killedWriting} while the fixed file's temporary was being written; last version ${fixedBefore}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
