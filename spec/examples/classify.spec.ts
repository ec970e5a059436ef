import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import task from '../../examples/classify/task.js';
import { loadExamples, majorityBaseline } from '../../examples/classify/data.js';

describe('examples/classify', () => {
  it('drops names in both lists and splits disjointly', () => {
    const d = loadExamples(0);
    const names = [...d.train, ...d.validation, ...d.test].map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(d.dropped).toBeGreaterThan(0);
    expect(majorityBaseline([{ name: 'a', label: 1 }, { name: 'b', label: 1 }, { name: 'c', label: 0 }], [{ name: 'd', label: 0 }, { name: 'e', label: 1 }])).toEqual({ label: 1, accuracy: 0.5 });
  });

  it('trains tiny: loss falls, metrics finite, confusion matrix and run folder complete', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqgrad-classify-'));
    try {
      const report = await task.train({ quick: true, seed: 0, out, progress: 'none', epochs: 3 });
      expect((await readdir(out)).sort()).toEqual(['accuracy.svg', 'loss.svg', 'metrics.json', 'model.safetensors', 'run.json']);
      const saved = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
      const losses = saved.epochs.map((e: { train: { loss: number } }) => e.train.loss);
      expect(losses[2]).toBeLessThan(losses[0]);
      for (const v of Object.values(report.metrics)) expect(Number.isFinite(v)).toBe(true);
      expect(saved.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(report.metrics['test']);
      expect((await task.evaluate(out)).metrics['test.accuracy']).toBeCloseTo(report.metrics['test.accuracy']!, 10);
      expect(await task.predict(out, 'Maria')).toMatch(/^maria: female \d+\.\d%, male \d+\.\d%$/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
