import { describe, it, expect } from 'vitest';
import { add, mul, sum, tensor, type Tensor } from '../../lib/index.js';
import { sgd } from '../../lib/optim/index.js';
import { barReporter, createReporter, fit, type ProgressOptions, type ProgressStream } from '../../lib/train/index.js';

type W = { readonly w: Tensor };

const sink = (isTTY = false): ProgressStream & { text: () => string } => {
  const chunks: string[] = [];
  return { write: (s: string) => chunks.push(s), isTTY, text: () => chunks.join('') };
};

/** Two epochs of three batches whose losses are the batch values, validated on [10]. */
const run = (progress: ProgressOptions) =>
  fit({
    params: { w: tensor([0], { dtype: 'float64' }) },
    optimizer: sgd({ lr: 0.1 }),
    loss: (p: W, b: number) => ({ loss: add(sum(mul(p.w, 0)), b), metrics: { half: b / 2 } }),
    data: [1, 2, 3],
    validation: [10],
    epochs: 2,
    progress,
  });

const jsonLines = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('JSON lines', () => {
  it('writes one parseable line per step and per epoch with the documented fields', async () => {
    const out = sink();
    await run({ mode: 'json', stream: out });
    const lines = jsonLines(out.text());
    expect(lines.map((l) => l.event)).toEqual(['step', 'step', 'step', 'epoch', 'step', 'step', 'step', 'epoch']);
    const [step] = lines;
    expect(Object.keys(step!).sort()).toEqual(['batch', 'elapsed', 'epoch', 'event', 'gradNorm', 'loss', 'metrics', 'step']);
    expect(step).toMatchObject({ step: 1, epoch: 1, batch: 0, loss: 1, gradNorm: 0, metrics: { half: 0.5 } });
    expect(typeof step!.elapsed).toBe('number');
    const epoch = lines[3]!;
    expect(Object.keys(epoch).sort()).toEqual(['elapsed', 'epoch', 'event', 'step', 'train', 'val']);
    expect(epoch).toMatchObject({ epoch: 1, step: 3, train: { loss: 2, half: 1 }, val: { loss: 10, half: 5 } });
  });

  it('writes epoch lines only when every is epoch', async () => {
    const out = sink();
    await run({ mode: 'json', every: 'epoch', stream: out });
    expect(jsonLines(out.text()).map((l) => [l.event, l.epoch])).toEqual([['epoch', 1], ['epoch', 2]]);
  });

  it('is what auto picks when the stream is not a terminal', async () => {
    const out = sink(false);
    await run({ stream: out });
    expect(jsonLines(out.text()).length).toBe(8);
  });
});

describe('the bar', () => {
  it('draws on a terminal with the epoch, counts and loss, a summary per epoch and a chart', async () => {
    const out = sink(true);
    await run({ mode: 'auto', stream: out });
    const text = out.text();
    expect(text).toMatch(/epoch 1\/2 .*3\/3/);
    expect(text).toMatch(/loss 2\.0000 half 1\.0000/);
    expect(text).toContain('epoch 1/2  train loss 2.0000 half 1.0000  |  val loss 10.0000 half 5.0000\n');
    expect(text).toContain('epoch 2/2  train loss 2.0000');
    expect(text).toContain('train loss');
    expect(text).toContain('validation loss');
    expect(text).not.toMatch(/^\{/m);
  });

  it('weights the live means by batch weight, as the epoch summary does (hand-computed)', () => {
    const out = sink(true);
    const bar = barReporter(out, 1, false);
    bar.epochBegin(0, 2, 0);
    bar.step({ step: 1, epoch: 1, batch: 0, loss: 1, gradNorm: 1, metrics: {}, weight: 3 });
    bar.step({ step: 2, epoch: 1, batch: 1, loss: 5, gradNorm: 1, metrics: {} });
    bar.end({ steps: [], epochs: [] });
    // (3·1 + 1·5) / 4 = 2; the unweighted mean would be 3
    expect(out.text()).toMatch(/loss 2\.0000/);
    expect(out.text()).not.toMatch(/loss 3\.0000/);
  });

  it('shows a batch count without a total until the first epoch has told it', () => {
    const out = sink(true);
    const bar = barReporter(out, 2, false);
    bar.epochBegin(0, undefined, 0);
    bar.step({ step: 1, epoch: 1, batch: 0, loss: 0.5, gradNorm: 1, metrics: {} });
    bar.epochEnd({ epoch: 1, step: 1, train: { loss: 0.5 } });
    bar.epochBegin(1, undefined, 0);
    bar.end({ steps: [], epochs: [] });
    expect(out.text()).toMatch(/epoch 1\/2 1 batches/);
    expect(out.text()).toMatch(/epoch 2\/2 .*0\/1/);
  });
});

describe('a failure', () => {
  it('stops the bar (showing the cursor again) and rethrows', async () => {
    const out = sink(true);
    const failing = fit({
      params: { w: tensor([0], { dtype: 'float64' }) },
      optimizer: sgd({ lr: 0.1 }),
      loss: (p: W, b: number) => {
        if (b === 2) throw new Error('bad batch');
        return sum(p.w);
      },
      data: [1, 2, 3],
      epochs: 1,
      progress: { mode: 'bar', stream: out },
    });
    await expect(failing).rejects.toThrow('bad batch');
    const text = out.text();
    expect(text).toContain('\x1b[?25l'); // hidden while drawing
    expect(text.lastIndexOf('\x1b[?25h')).toBeGreaterThan(text.lastIndexOf('\x1b[?25l')); // shown again
  });
});

describe('none', () => {
  it('writes nothing', async () => {
    const out = sink(true);
    await run({ mode: 'none', stream: out });
    expect(out.text()).toBe('');
    expect(() => createReporter({ mode: 'none' }, 1).step({ step: 1, epoch: 1, batch: 0, loss: 1, gradNorm: 1, metrics: {} })).not.toThrow();
  });
});
