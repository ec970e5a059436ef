import { describe, it, expect } from 'vitest';
import { key, mul, scalar, splitKey, square, sub, sum, tensor, SeqgradError, type Tensor } from '../../lib/index.js';
import { chain, clipByGlobalNorm, sgd } from '../../lib/optim/index.js';
import { emptyMean } from '../../lib/train/metrics.js';
import { evaluate, readLossOutput, trainStep } from '../../lib/train/step.js';
import type { TrainState } from '../../lib/train/types.js';

type P = { readonly w: Tensor };

const start = <S>(optState: S, w = 1): TrainState<P, S> => ({
  params: { w: tensor([w], { dtype: 'float64' }) }, optState, step: 0, epoch: 0, batch: 0, key: key(3), mean: emptyMean(),
});

// L(w) = (w - 3)², so at w = 1: L = 4, dL/dw = 2(w - 3) = -4.
const quadratic = (p: P) => sum(square(sub(p.w, 3)));

describe('trainStep', () => {
  it('records the loss and gradient norm and applies the update (hand-computed)', () => {
    const opt = sgd({ lr: 0.1 });
    const [next, record] = trainStep(opt, quadratic, start(opt.init({ w: tensor([1]) })), null);
    expect(record).toEqual({ step: 1, epoch: 1, batch: 0, loss: 4, gradNorm: 4, metrics: {} });
    expect(next.params.w.data[0]).toBeCloseTo(1.4, 14); // 1 - 0.1·(-4)
    expect(next.step).toBe(1);
    expect(next.batch).toBe(1);
    expect(next.mean).toEqual({ sums: { loss: 4 }, weight: 1 });
  });

  it('logs the gradient norm before clipping', () => {
    const opt = chain(clipByGlobalNorm(1), sgd({ lr: 0.1 }));
    const [next, record] = trainStep(opt, quadratic, start(opt.init({ w: tensor([1]) })), null);
    expect(record.gradNorm).toBe(4);
    // the clipped gradient is -4·1/(4 + 1e-6)
    expect(next.params.w.data[0]).toBeCloseTo(1 + 0.1 * (4 / (4 + 1e-6)), 12);
  });

  it('gives the loss the second half of the split run key and keeps the first', () => {
    const opt = sgd({ lr: 0.1 });
    const seen: unknown[] = [];
    const [next] = trainStep(opt, (p: P, _b, ctx) => {
      seen.push(ctx);
      return quadratic(p);
    }, start(opt.init({ w: tensor([1]) })), null);
    const [keep, forStep] = splitKey(key(3));
    expect(seen).toEqual([{ key: forStep, train: true, step: 0, epoch: 0 }]);
    expect(next.key).toEqual(keep);
  });
});

describe('evaluate', () => {
  it('averages loss and metrics by weight with train: false, leaving the key alone', async () => {
    const opt = sgd({ lr: 0.1 });
    const state = start(opt.init({ w: tensor([1]) }));
    const means = await evaluate((p: P, b: number, ctx) => {
      expect(ctx.train).toBe(false);
      return { loss: mul(quadratic(p), b), metrics: { b }, weight: b };
    }, [1, 3], state);
    // weights 1 and 3: loss (4·1 + 12·3)/4 = 10, b (1 + 9)/4 = 2.5
    expect(means).toEqual({ loss: 10, b: 2.5 });
  });
});

describe('readLossOutput', () => {
  it('accepts a scalar tensor or { loss, metrics, weight }', () => {
    expect(readLossOutput(scalar(2)).metrics).toEqual({});
    const out = readLossOutput({ loss: tensor([2]), metrics: { acc: 0.5, ppl: scalar(3) }, weight: 4 });
    expect(out.metrics).toEqual({ acc: 0.5, ppl: 3 });
    expect(out.weight).toBe(4);
  });

  it('refuses a non-scalar loss, a missing loss and bad metrics, naming fit and the field', () => {
    const refuses = (value: unknown, pattern: RegExp) => {
      expect(() => readLossOutput(value as Tensor)).toThrow(SeqgradError);
      expect(() => readLossOutput(value as Tensor)).toThrow(pattern);
    };
    refuses(tensor([1, 2]), /^fit: loss must return a one-element tensor \(a scalar loss\), got shape \[2\]/);
    refuses({ value: scalar(1) }, /^fit: loss must return a one-element tensor or \{ loss, metrics \}, got Object/);
    refuses(3, /^fit: loss must return .* got number/);
    refuses({ loss: scalar(1), metrics: { acc: tensor([1, 2]) } }, /^fit: loss: metrics\.acc must be a number or a one-element tensor, got shape \[2\]/);
    refuses({ loss: scalar(1), weight: -1 }, /^fit: loss: weight must be a finite number >= 0, got -1/);
  });
});
