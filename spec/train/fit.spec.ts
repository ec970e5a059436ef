import { describe, it, expect } from 'vitest';
import {
  add, key, matmul, mul, normal, splitKey, sum, tensor, SeqgradError, type Key, type Tensor,
} from '../../lib/index.js';
import { dense, initDense, type DenseParams } from '../../lib/nn/layers/index.js';
import { mse } from '../../lib/nn/losses.js';
import { adam, sgd } from '../../lib/optim/index.js';
import { fit, type FitOptions } from '../../lib/train/index.js';

type Batch = { readonly x: Tensor; readonly y: Tensor };
type W = { readonly w: Tensor };

/** y = x·[1, -2, 0.5]ᵀ + 0.3 on 96 examples: a linear model can fit it exactly. */
const regression = (seed: number) => {
  const [kx, kp] = splitKey(key(seed));
  const x = normal(kx, [96, 3], { dtype: 'float64' });
  const y = add(matmul(x, tensor([[1], [-2], [0.5]], { dtype: 'float64' })), 0.3);
  return { x, y, params: initDense(kp, { inputSize: 3, outputSize: 1, dtype: 'float64' }) };
};

const linearLoss = (p: DenseParams, b: Batch) => mse(dense(p, b.x), b.y);

/** A loss whose value is the batch number itself (0·w keeps the gradient defined). */
const batchValue = (p: W, b: number) => add(sum(mul(p.w, 0)), b);
const w0 = { w: tensor([0], { dtype: 'float64' }) };
const base: Omit<FitOptions<W, number, unknown>, 'data' | 'epochs'> = { params: w0, optimizer: sgd({ lr: 0.1 }), loss: batchValue, progress: 'none' };

const fitError = async (options: unknown): Promise<Error> => {
  try {
    await fit(options as FitOptions<W, number, unknown>);
  } catch (e) {
    return e as Error;
  }
  throw new Error('fit did not throw');
};

describe('fit', () => {
  it('decreases the loss of a small regression, with validation each epoch', async () => {
    const { x, y, params } = regression(0);
    const result = await fit({
      params, optimizer: adam({ lr: 0.05 }), loss: linearLoss, epochs: 8, progress: 'none',
      data: { dataset: { x, y }, batchSize: 16, shuffle: key(1) },
      validation: { dataset: { x, y }, batchSize: 48 },
    });
    const [first, last] = [result.history.epochs[0]!, result.history.epochs[7]!];
    expect(result.history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.history.steps.length).toBe(48);
    expect(last.step).toBe(48);
    expect(last.train.loss).toBeLessThan(first.train.loss / 20);
    expect(last.val!.loss).toBeLessThan(first.val!.loss / 20);
    expect(result.stoppedBy).toBe('epochs');
    expect(result.state).toMatchObject({ step: 48, epoch: 8, batch: 0 });
  });

  it('trains identically from an array, a function of the epoch and async iterables', async () => {
    const { x, y, params } = regression(2);
    const batches: Batch[] = [0, 1, 2].map((i) => ({ x: sliceRows(x, i * 32, 32), y: sliceRows(y, i * 32, 32) }));
    async function* stream(): AsyncGenerator<Batch> {
      for (const b of batches) yield b;
    }
    const run = async (data: FitOptions<DenseParams, Batch, unknown>['data'], epochs: number) =>
      (await fit({ params, optimizer: adam({ lr: 0.01 }), loss: linearLoss, data, epochs, progress: 'none' })).history.steps.map((s) => s.loss);
    const fromArray = await run(batches, 2);
    expect(await run(() => stream(), 2)).toEqual(fromArray);
    expect(await run(() => batches.values(), 2)).toEqual(fromArray);
    expect(await run(stream(), 1)).toEqual(fromArray.slice(0, 3)); // a one-shot async iterator serves one epoch
  });

  it('shuffles the same way for the same key and another way for another', async () => {
    const { x, y, params } = regression(4);
    const order = async (shuffle: Key) => {
      const seen: number[] = [];
      const loss = (p: DenseParams, b: Batch) => (seen.push(b.x.data[0]!), linearLoss(p, b));
      await fit({ params, optimizer: sgd({ lr: 0.01 }), loss, data: { dataset: { x, y }, batchSize: 8, shuffle }, epochs: 2, progress: 'none' });
      return seen;
    };
    const a = await order(key(1));
    expect(await order(key(1))).toEqual(a);
    expect(await order(key(2))).not.toEqual(a);
    expect(a.slice(0, 12)).not.toEqual(a.slice(12)); // each epoch has its own order
  });

  it('gives every step its own key, the same on every run of the same run key', async () => {
    const keysOf = async (runKey: Key) => {
      const seen: Key[] = [];
      await fit({ ...base, data: [1, 2, 3], epochs: 2, key: runKey, loss: (p: W, b: number, ctx) => (seen.push(ctx.key), batchValue(p, b)) });
      return seen;
    };
    const a = await keysOf(key(9));
    expect(new Set(a.map((k) => k.join(','))).size).toBe(6);
    expect(await keysOf(key(9))).toEqual(a);
    expect(await keysOf(key(10))).not.toEqual(a);
  });

  it('averages epoch metrics by batch weight and tells validation train: false', async () => {
    const modes: boolean[] = [];
    const result = await fit({
      ...base, data: [1, 2, 3], validation: [10], epochs: 1,
      loss: (p: W, b: number, ctx) => (modes.push(ctx.train), { loss: batchValue(p, b), metrics: { double: 2 * b }, weight: b }),
    });
    // weights 1, 2, 3: loss (1 + 4 + 9)/6, double twice that
    expect(result.history.epochs[0]!.train).toEqual({ loss: 14 / 6, double: 28 / 6 });
    expect(result.history.epochs[0]!.val).toEqual({ loss: 10, double: 20 });
    expect(result.history.steps.map((s) => s.metrics.double)).toEqual([2, 4, 6]);
    expect(modes).toEqual([true, true, true, false]);
  });

  it('stops when a callback says so, merges callback logs, and honours maxSteps', async () => {
    const calls: string[] = [];
    const stopped = await fit({
      ...base, data: [1, 2, 3], epochs: 5,
      callbacks: [
        { onTrainBegin: () => void calls.push('begin'), onStepEnd: (r) => ({ logs: { twice: 2 * r.step } }) },
        { onStepEnd: (r) => ({ stop: r.metrics.twice === 10 }), onEpochEnd: (r) => void calls.push(`epoch ${r.epoch}`), onTrainEnd: (h) => void calls.push(`end ${h.steps.length}`) },
      ],
    });
    expect(stopped.stoppedBy).toBe('callback');
    expect(stopped.history.steps.map((s) => s.metrics.twice)).toEqual([2, 4, 6, 8, 10]);
    expect(calls).toEqual(['begin', 'epoch 1', 'end 5']);
    const limited = await fit({ ...base, data: [1, 2, 3], epochs: 5, maxSteps: 4 });
    expect(limited.stoppedBy).toBe('maxSteps');
    expect(limited.history.steps.length).toBe(4);
    expect(limited.state).toMatchObject({ step: 4, epoch: 1, batch: 1 });
  });

  it('refuses bad input with an error naming fit and the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, data: [], epochs: 1 }, /^fit: data is an empty array/],
      [{ ...base, data: () => [], epochs: 1 }, /^fit: data yielded no batches in epoch 1/],
      [{ ...base, data: [1], epochs: 0 }, /^fit: epochs must be a positive integer, got 0/],
      [{ ...base, data: [1], epochs: -2 }, /^fit: epochs must be a positive integer, got -2/],
      [{ ...base, data: [1], epochs: 1.5 }, /^fit: epochs must be a positive integer, got 1.5/],
      [{ ...base, data: [1], epochs: 1, loss: (p: W) => mul(p.w, tensor([1, 2], { dtype: 'float64' })) }, /^fit: loss must return a one-element tensor \(a scalar loss\), got shape \[2\]/],
      [{ ...base, data: [1], epochs: 1, optimizer: {} }, /^fit: optimizer must be a GradientTransformation/],
      [{ ...base, data: [1], epochs: 1, loss: 'mse' }, /^fit: loss must be a function/],
      [{ ...base, data: [1], epochs: 1, validation: [] }, /^fit: validation is an empty array/],
      [{ ...base, data: [1], epochs: 1, maxSteps: -1 }, /^fit: maxSteps must be an integer >= 0/],
      [{ ...base, data: [1], epochs: 1, progress: 'loud' }, /^fit: progress must be 'auto', 'bar', 'json' or 'none', got "loud"/],
      [{ ...base, data: [1], epochs: 1, key: [1, 2, 3] }, /^fit: expected a PRNG key/],
    ];
    for (const [options, pattern] of cases) {
      const error = await fitError(options);
      expect(error, String(pattern)).toBeInstanceOf(SeqgradError);
      expect(error.message).toMatch(pattern);
    }
  });

  it('starts from a given optimizer state', async () => {
    const opt = sgd({ lr: 0.5 });
    // L = w, dL/dw = 1: each step moves w by -0.5
    const result = await fit({ ...base, optimizer: opt, optState: opt.init(w0), loss: (p: W) => sum(p.w), data: [0], epochs: 3 });
    expect(result.params.w.data[0]).toBe(-1.5);
  });
});

const sliceRows = (t: Tensor, from: number, count: number): Tensor => {
  const row = t.size / t.shape[0]!;
  return tensor(t.data.slice(from * row, (from + count) * row), { shape: [count, ...t.shape.slice(1)] });
};
