/** Smoke: the forecast task trains tiny, its loss falls, its metrics are finite and the run folder holds its files; evaluate and predict read the folder back. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import task, { RUN_FILES } from '../../examples/forecast/task.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe('examples/forecast', () => {
  it('trains, scores against both baselines and writes its run folder', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqgrad-forecast-'));
    dirs.push(out);
    const { metrics } = await task.train({ quick: true, epochs: 2, hidden: 4, seed: 1, out, progress: 'none' });
    for (const s of ['seattle', 'co2']) {
      expect(metrics[`${s}.trainLoss.last`]).toBeLessThan(metrics[`${s}.trainLoss.first`]!);
      for (const m of ['rmse', 'mae', 'persistence.rmse', 'seasonalNaive.rmse']) expect(Number.isFinite(metrics[`${s}.${m}`])).toBe(true);
    }
    RUN_FILES.forEach((f) => expect(existsSync(join(out, f)), f).toBe(true));
    const again = await task.evaluate(out);
    expect(again.metrics['co2.rmse']).toBeCloseTo(metrics['co2.rmse']!, 4);
    expect(await task.predict(out, 'co2')).toMatch(/next 12 steps/);
    await expect(task.predict(out, 'tokyo')).rejects.toThrow(/input must be seattle or co2/);
  }, 60_000);
});
