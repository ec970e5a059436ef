/** Smoke: the gradient-flow task at T = 12 trains six tiny models, measures finite per-step norms and writes its run folder. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import task, { RUN_FILES, train } from '../../examples/gradient-flow/task.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe('examples/gradient-flow', () => {
  it('trains RNN, LSTM and GRU with and without clipping and plots the norms', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqgrad-flow-'));
    dirs.push(out);
    const { metrics } = await train({ quick: true, hidden: 4, seed: 2, out, progress: 'none', steps: 12, updates: 25, lr: 2e-2 });
    for (const run of ['rnn_clip', 'rnn_noclip', 'lstm_clip', 'lstm_noclip', 'gru_clip', 'gru_noclip']) {
      expect(metrics[`${run}.lastLoss`], run).toBeLessThan(metrics[`${run}.firstLoss`]!);
      expect(Number.isFinite(metrics[`${run}.testMse`])).toBe(true);
    }
    RUN_FILES.forEach((f) => expect(existsSync(join(out, f)), f).toBe(true));
    const norms = JSON.parse(await readFile(join(out, 'norms.json'), 'utf8')) as { norm: number }[];
    expect(norms).toHaveLength(3 * 3 * 12);
    norms.forEach((p) => expect(Number.isFinite(p.norm) && p.norm >= 0).toBe(true));
    expect(await task.predict(out, '7')).toMatch(/^target \d/);
  }, 60_000);
});
