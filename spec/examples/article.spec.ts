import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArticle, tapeGradients } from '../../examples/article/main.js';
import { bptt, forward, maxDiff, readFixture, rows, type Grads } from '../../examples/article/worked.js';

const fixture = readFixture();
const torch = Object.fromEntries(Object.entries(fixture.grads).map(([k, v]) => [k, rows(v)])) as Grads;

describe('examples/article', () => {
  it('closed-form BPTT and the tape both match PyTorch; the article as written does not', () => {
    const { steps, loss } = forward(fixture);
    expect(steps.map((s) => s.y)).toEqual(fixture.outputs.y.data.map((y) => expect.closeTo(y, 12)));
    expect(loss).toBeCloseTo(fixture.loss, 12);
    expect(maxDiff(bptt(fixture, 'correct'), torch)).toBeLessThan(1e-12);
    expect(maxDiff(tapeGradients(fixture).grads, torch)).toBeLessThan(1e-12);
    // the article's output-bias gradient is Σ (y_t − target_t): no σ′ factor
    const ys = fixture.outputs.y.data;
    const targets = fixture.inputs.target.data;
    expect(bptt(fixture, 'article').b_y[0]![0]).toBeCloseTo(ys.reduce((s, y, t) => s + y - targets[t]!, 0), 12);
    expect(maxDiff(bptt(fixture, 'article'), torch)).toBeGreaterThan(1e-2);
  });

  it('runs tiny: loss falls, beats the memoryless rule, writes its run folder', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqgrad-article-'));
    try {
      const lines: string[] = [];
      const metrics = await runArticle(60, out, (l) => lines.push(l));
      expect((await readdir(out)).sort()).toEqual(['accuracy.svg', 'loss.svg', 'metrics.json', 'model.safetensors']);
      const saved = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
      expect(saved.log.at(-1).testLoss).toBeLessThan(saved.log[0].testLoss);
      for (const v of Object.values(metrics)) expect(Number.isFinite(v)).toBe(true);
      expect(metrics['accuracy']).toBeGreaterThan(metrics['baseline.memoryless.accuracy']!);
      expect(lines.join('\n')).toContain('σ′(o) = y(1−y)');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
