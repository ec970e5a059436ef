/** Smoke: the g2p task trains a tiny model on 300 words, its loss falls, PER/WER are finite rates and the run folder holds its files. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import task, { RUN_FILES, train } from '../../examples/g2p/task.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe('examples/g2p', () => {
  it('trains, scores held-out words and writes its run folder', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqgrad-g2p-'));
    dirs.push(out);
    const { metrics, lines } = await train({ quick: true, hidden: 8, epochs: 2, seed: 3, out, progress: 'none', trainWords: 300, evalWords: 10 });
    expect(metrics['trainLoss.last']).toBeLessThan(metrics['trainLoss.first']!);
    for (const m of ['test.per', 'test.wer']) expect(metrics[m]! >= 0 && metrics[m]! <= 1.5).toBe(true);
    expect(metrics['test.words']).toBe(10);
    expect(lines[0]).toMatch(/predicted .* true /);
    RUN_FILES.forEach((f) => expect(existsSync(join(out, f)), f).toBe(true));
    expect(await task.predict(out, 'hello')).toMatch(/^hello: /);
    await expect(task.predict(out, 'x1')).rejects.toThrow(/input must be one word of letters/);
  }, 60_000);
});
