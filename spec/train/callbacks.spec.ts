import { describe, it, expect } from 'vitest';
import { add, mul, scalar, sum, tensor, SeqgradError, type Tensor } from '../../lib/index.js';
import { sgd } from '../../lib/optim/index.js';
import { earlyStopping, fit, learningRateLogger, type EpochRecord } from '../../lib/train/index.js';
import { monitored } from '../../lib/train/callbacks.js';

type W = { readonly w: Tensor };
const w0 = { w: tensor([0], { dtype: 'float64' }) };

/**
 * A fake model whose validation loss in epoch e (0-based) is `val[e]` and whose
 * validation "accuracy" is its negation, so the epoch early stopping picks is known.
 */
const scripted = (val: readonly number[], epochs = val.length) => ({
  params: w0,
  optimizer: sgd({ lr: 0.1 }),
  loss: (p: W, _b: number, ctx: { train: boolean; epoch: number }) => {
    const zero = sum(mul(p.w, 0));
    return ctx.train ? zero : { loss: add(zero, val[ctx.epoch]!), metrics: { accuracy: -val[ctx.epoch]! } };
  },
  data: [0, 0],
  validation: [0],
  epochs,
  progress: 'none' as const,
});

describe('earlyStopping', () => {
  const VAL = [5, 4, 4.5, 3, 3.2, 3.1, 3.3, 1];

  it('stops after `patience` epochs without improvement and remembers the best', async () => {
    const stopper = earlyStopping<W>({ monitor: 'val.loss', patience: 3 });
    const result = await fit({ ...scripted(VAL), callbacks: [stopper] });
    // best 3 at epoch 4; epochs 5, 6, 7 do not improve: stop after epoch 7
    expect(result.history.epochs.length).toBe(7);
    expect(result.stoppedBy).toBe('callback');
    expect(stopper.best()).toMatchObject({ epoch: 4, value: 3 });
    expect(stopper.best()!.params).toHaveProperty('w');
  });

  it('stops at the first non-improving epoch with patience 1 (the default)', async () => {
    const result = await fit({ ...scripted(VAL), callbacks: [earlyStopping()] });
    expect(result.history.epochs.length).toBe(3);
  });

  it('never stops while the value keeps improving', async () => {
    const result = await fit({ ...scripted([4, 3, 2, 1]), callbacks: [earlyStopping({ patience: 1 })] });
    expect(result.stoppedBy).toBe('epochs');
    expect(result.history.epochs.length).toBe(4);
  });

  it('maximises in max mode and ignores changes within minDelta', async () => {
    const max = earlyStopping({ monitor: 'val.accuracy', mode: 'max', patience: 2 });
    expect((await fit({ ...scripted(VAL), callbacks: [max] })).history.epochs.length).toBe(6);
    expect(max.best()).toMatchObject({ epoch: 4, value: -3 });
    // 4.8 and 4.7 improve on 5 by less than 0.5: two epochs without improvement
    const delta = await fit({ ...scripted([5, 4.8, 4.7, 1]), callbacks: [earlyStopping({ minDelta: 0.5, patience: 2 })] });
    expect(delta.history.epochs.length).toBe(3);
  });

  it('resets between runs', async () => {
    const stopper = earlyStopping({ patience: 1 });
    await fit({ ...scripted([1, 2]), callbacks: [stopper] });
    const second = await fit({ ...scripted([9, 8, 7]), callbacks: [stopper] });
    expect(second.history.epochs.length).toBe(3);
    expect(stopper.best()).toMatchObject({ epoch: 3, value: 7 });
  });

  it('names the monitored value and what exists when it is missing', async () => {
    await expect(fit({ ...scripted([1, 2]), callbacks: [earlyStopping({ monitor: 'val.f1' })] }))
      .rejects.toThrow(/^earlyStopping: monitor "val.f1" is not in epoch 1's record \(it has train.loss, val.loss, val.accuracy\)/);
  });

  it('refuses bad options', () => {
    expect(() => earlyStopping({ patience: 0 })).toThrow(/^earlyStopping: patience must be an integer >= 1, got 0/);
    expect(() => earlyStopping({ mode: 'up' as 'min' })).toThrow(SeqgradError);
    expect(() => earlyStopping({ minDelta: -1 })).toThrow(/minDelta must be >= 0/);
  });
});

describe('monitored', () => {
  it('reads train and val values', () => {
    const record: EpochRecord = { epoch: 2, step: 10, train: { loss: 1, acc: 0.5 }, val: { loss: 2 } };
    expect(monitored(record, 'train.acc')).toBe(0.5);
    expect(monitored(record, 'val.loss')).toBe(2);
    expect(() => monitored(record, 'loss')).toThrow(/monitor "loss" is not in epoch 2's record/);
  });
});

describe('learningRateLogger', () => {
  it('logs the rate each step used, which is the one the optimizer applied', async () => {
    const schedule = (s: number) => 0.1 * (s + 1);
    const result = await fit({
      params: w0, optimizer: sgd({ lr: schedule }), loss: (p: W) => sum(p.w), data: [scalar(0)], epochs: 4,
      progress: 'none', callbacks: [learningRateLogger(schedule)],
    });
    const rates = result.history.steps.map((s) => s.metrics.lr!);
    expect(rates.map((r) => r.toFixed(12))).toEqual(['0.100000000000', '0.200000000000', '0.300000000000', '0.400000000000']);
    // L = w has gradient 1, so w = -Σ lr over the steps taken
    expect(result.params.w.data[0]).toBeCloseTo(-rates.reduce((a, b) => a + b, 0), 14);
  });

  it('logs a constant under another name, and refuses a non-number', () => {
    expect(learningRateLogger(0.01, 'eta').onStepEnd!({ step: 3, epoch: 1, batch: 2, loss: 0, gradNorm: 0, metrics: {} }, undefined as never)).toEqual({ logs: { eta: 0.01 } });
    expect(() => learningRateLogger(Number.NaN)).toThrow(/^learningRateLogger: schedule must be a function of the step or a number/);
  });
});
