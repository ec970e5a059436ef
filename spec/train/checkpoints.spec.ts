import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, normal, splitKey, tensor, type Key, type Tensor } from '../../lib/index.js';
import { saveCheckpoint } from '../../lib/io/checkpoint.js';
import { gru, type RecurrentParams } from '../../lib/nn/cells/index.js';
import { dense, dropout, initDense, type DenseParams } from '../../lib/nn/layers/index.js';
import { crossEntropy } from '../../lib/nn/losses.js';
import { recurrent } from '../../lib/nn/recurrent.js';
import { adam } from '../../lib/optim/index.js';
import {
  accuracy, checkpointing, fit, loadTrainState, resumeFrom, saveTrainState, type FitOptions, type FitResult, type LossContext,
} from '../../lib/train/index.js';

type Model = { readonly rnn: RecurrentParams; readonly head: DenseParams };
type Batch = { readonly x: Tensor; readonly y: Tensor };

const cell = gru();
const layer = recurrent(cell);
const init = (k: Key): Model => {
  const [a, b] = splitKey(k);
  return { rnn: cell.init(a, { inputSize: 2, hiddenSize: 3 }), head: initDense(b, { inputSize: 3, outputSize: 2 }) };
};

/** A tiny GRU classifier with dropout on its final state, so the per-step keys matter. */
const loss = (p: Model, b: Batch, ctx: LossContext) => {
  const h = dropout(layer(p.rnn, b.x).carry, { rate: 0.3, key: ctx.key, train: ctx.train });
  const logits = dense(p.head, h);
  return { loss: crossEntropy(logits, b.y), metrics: { accuracy: accuracy(logits, b.y) } };
};

/** 20 sequences of 4 steps; the label says whether the first feature sums above 0. */
const dataset = (): Batch => {
  const x = normal(key(3), [20, 4, 2]);
  const labels = Array.from({ length: 20 }, (_, i) => (x.data[i * 8]! + x.data[i * 8 + 2]! + x.data[i * 8 + 4]! + x.data[i * 8 + 6]! > 0 ? 1 : 0));
  return { x, y: tensor(labels, { dtype: 'int32' }) };
};

const optimizer = adam({ lr: 0.02 });
const TOTAL = 13; // 5 batches per epoch: the run ends inside its third epoch
const options: FitOptions<Model, Batch, unknown> = {
  params: init(key(0)), optimizer, loss, epochs: 3, key: key(11), progress: 'none',
  data: { dataset: dataset(), batchSize: 4, shuffle: key(5) },
  validation: { dataset: dataset(), batchSize: 10 },
};
const templates = () => ({ params: init(key(99)), optState: optimizer.init(init(key(99))) });
const bits = (p: Model): number[] => [p.rnn.weight_ih, p.rnn.weight_hh, p.head.weight].flatMap((t) => Array.from(t.data));

let dir: string;
let full: FitResult<Model, unknown>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqgrad-train-'));
  full = await fit({ ...options, maxSteps: TOTAL });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resume', () => {
  for (const stop of [7, 5]) {
    it(`after ${stop} steps (${stop % 5 === 0 ? 'at an epoch boundary' : 'mid-epoch'}) reproduces the uninterrupted run bit for bit`, async () => {
      const first = await fit({ ...options, maxSteps: stop });
      const path = join(dir, `at-${stop}.safetensors`);
      await saveTrainState(path, first.state, { optimizer: 'adam', config: { hidden: 3 } });
      const saved = await loadTrainState(path, templates());
      expect(saved.config).toEqual({ hidden: 3 });
      expect(saved.state).toMatchObject({ step: stop, epoch: Math.floor(stop / 5), batch: stop % 5 });
      const rest = await fit({ ...options, params: init(key(42)), resume: saved.state, maxSteps: TOTAL });
      const losses = (r: FitResult<Model, unknown>) => r.history.steps.map((s) => s.loss);
      expect([...losses(first), ...losses(rest)]).toEqual(losses(full));
      expect([...first.history.steps, ...rest.history.steps]).toEqual(full.history.steps);
      expect([...first.history.epochs, ...rest.history.epochs]).toEqual(full.history.epochs);
      expect(bits(rest.params)).toEqual(bits(full.params));
      expect(rest.state.key).toEqual(full.state.key);
    });
  }

  it('continues from the newest checkpoint the callback kept', async () => {
    const runDir = join(dir, 'run');
    await fit({ ...options, maxSteps: 12, callbacks: [checkpointing({ dir: runDir, everySteps: 3, keep: 2, optimizer: 'adam' })] });
    expect((await readdir(runDir)).sort()).toEqual(['.seqgrad-checkpoints.lock', 'checkpoint-000009.safetensors', 'checkpoint-000012.safetensors']);
    const saved = await resumeFrom(runDir, templates());
    expect(saved?.state.step).toBe(12);
    const rest = await fit({ ...options, resume: saved!.state, maxSteps: TOTAL });
    expect(rest.history.steps).toEqual(full.history.steps.slice(12));
    expect(await resumeFrom(join(dir, 'nothing-here'), templates())).toBeUndefined();
  });

  it('saves at epoch ends by default, holding the next epoch\'s start', async () => {
    const runDir = join(dir, 'epochs');
    await fit({ ...options, maxSteps: 10, callbacks: [checkpointing({ dir: runDir })] });
    const saved = await resumeFrom(runDir, templates());
    expect(saved!.state).toMatchObject({ step: 10, epoch: 2, batch: 0, mean: { weight: 0 } });
  });
});

describe('the saved position', () => {
  it('keeps non-finite running sums', async () => {
    const path = join(dir, 'nan.safetensors');
    const state = { ...full.state, mean: { sums: { loss: Number.NaN, accuracy: Number.POSITIVE_INFINITY }, weight: 2 } };
    await saveTrainState(path, state);
    const saved = await loadTrainState(path, templates());
    expect(saved.state.mean.sums.loss).toBeNaN();
    expect(saved.state.mean.sums.accuracy).toBe(Number.POSITIVE_INFINITY);
  });

  it('defaults to the epoch start for checkpoints saved without it, and refuses a malformed one', async () => {
    const plain = join(dir, 'plain.safetensors');
    const meta = { step: 4, epoch: 1, key: key(1), optimizer: 'adam' };
    await saveCheckpoint(plain, { params: full.params, optState: full.optState, meta });
    expect((await loadTrainState(plain, templates())).state).toMatchObject({ step: 4, epoch: 1, batch: 0, mean: { sums: {}, weight: 0 } });
    const bad = join(dir, 'bad.safetensors');
    await saveCheckpoint(bad, { params: full.params, optState: full.optState, meta: { ...meta, config: { 'seqgrad.fit': { batch: -1, mean: { sums: {}, weight: 0 } } } } });
    await expect(loadTrainState(bad, templates())).rejects.toThrow(/^loadTrainState: .*bad\.safetensors: config\.seqgrad\.fit: batch: expected a non-negative integer, got -1/);
  });

  it('refuses bad checkpointing options', () => {
    expect(() => checkpointing({ dir: '' })).toThrow(/^checkpointing: dir must be a directory path/);
    expect(() => checkpointing({ dir: 'x', everySteps: 0 })).toThrow(/^checkpointing: everySteps must be a positive integer, got 0/);
    expect(() => checkpointing({ dir: 'x', keep: 1.5 })).toThrow(/^checkpointing: keep must be a positive integer, got 1.5/);
  });
});
