import { describe, it, expect } from 'vitest';
import { terminalChart, type History, type StepRecord } from '../../lib/train/index.js';

const steps = (losses: readonly number[]): StepRecord[] =>
  losses.map((loss, i) => ({ step: i + 1, epoch: 1, batch: i, loss, gradNorm: 0, metrics: {} }));

describe('terminalChart', () => {
  it('draws height + 1 rows of at most width columns and a legend', () => {
    const history: History = { steps: steps(Array.from({ length: 500 }, (_, i) => 2 - i / 500)), epochs: [] };
    const lines = terminalChart(history, { width: 40, height: 8 }).split('\n');
    expect(lines.length).toBe(8 + 1 + 1);
    // 9 characters of label, the axis, then one column per bucket
    expect(Math.max(...lines.slice(0, -1).map((l) => l.trimEnd().length))).toBeLessThanOrEqual(10 + 40);
    // the top is the first column: the mean of steps 0..11 (500/40 = 12.5 per column), 2 - 5.5/500
    expect(lines[0]).toMatch(/^\s+1\.989 /);
    expect(lines.at(-1)).toMatch(/steps 1\.\.500\s+── train loss$/);
  });

  it('adds the validation staircase and uses a log axis when losses span decades', () => {
    const history: History = {
      steps: steps([100, 50, 10, 5, 1, 0.5]),
      epochs: [{ epoch: 1, step: 3, train: { loss: 53 }, val: { loss: 60 } }, { epoch: 2, step: 6, train: { loss: 2 }, val: { loss: 3 } }],
    };
    const text = terminalChart(history, { height: 6 });
    expect(text).toContain('── validation loss');
    expect(text).toContain('(log scale)');
    expect(text.split('\n')[0]).toMatch(/^\s+100\.000 /);
    expect(terminalChart(history, { height: 6, scale: 'linear' })).not.toContain('(log scale)');
  });

  it('colours only when asked', () => {
    const history: History = { steps: steps([3, 2, 1]), epochs: [] };
    expect(terminalChart(history)).not.toContain('\x1b[');
    expect(terminalChart(history, { colors: true })).toContain('\x1b[');
  });

  it('says so when there is nothing finite to draw', () => {
    expect(terminalChart({ steps: steps([Number.NaN]), epochs: [] })).toBe('(no finite training losses to chart)');
  });
});
