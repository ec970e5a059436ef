import { describe, it, expect } from 'vitest';
import { add, mul, sum, tensor, type Tensor } from '../../lib/index.js';
import { sgd } from '../../lib/optim/index.js';
import { fit, type EpochRecord } from '../../lib/train/index.js';

type W = { readonly w: Tensor };

/** A loss that takes about `ms` of wall time per call, so a time budget is reached after a few steps. */
const slowLoss = (ms: number) => (p: W, b: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* busy: the budget is wall time */ }
  return add(sum(mul(p.w, 0)), b);
};

describe('fit with maxSeconds', () => {
  it('stops mid-epoch and still validates, records the epoch and runs the epoch hooks', async () => {
    const seen: EpochRecord[] = [];
    const result = await fit({
      params: { w: tensor([0]) }, optimizer: sgd({ lr: 0.1 }), loss: slowLoss(10), epochs: 3, progress: 'none',
      data: Array.from({ length: 200 }, (_, i) => i % 3), validation: [1, 2],
      maxSeconds: 0.1,
      callbacks: [{ onEpochEnd: (record) => void seen.push(record) }],
    });
    expect(result.stoppedBy).toBe('maxSeconds');
    expect(result.history.steps.length).toBeGreaterThan(0);
    expect(result.history.steps.length).toBeLessThan(200);
    expect(result.history.epochs.length).toBe(1);
    expect(result.history.epochs[0]!.val!.loss).toBeCloseTo(1.5, 6);
    expect(seen).toEqual(result.history.epochs);
  });

  it('refuses a budget that is not positive', async () => {
    await expect(fit({ params: { w: tensor([0]) }, optimizer: sgd({ lr: 0.1 }), loss: slowLoss(0), epochs: 1, data: [1], maxSeconds: 0, progress: 'none' }))
      .rejects.toThrow('fit: maxSeconds must be a number > 0, got 0');
  });
});
