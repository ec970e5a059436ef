/**
 * The `g2p` task: grapheme-to-phoneme on CMUdict with a bidirectional LSTM encoder, an
 * attention decoder and beam search. Quick mode trains a small model for a few minutes;
 * the full mode (hidden 256, as the PyTorch anchor) runs within a time budget, saves a
 * checkpoint every 200 steps into the run folder and resumes from the newest one when
 * started again on the same folder. The run folder gets metrics.json (PER, WER),
 * model.safetensors (with both vocabularies), run.json, loss.svg and attention.svg.
 */
import { join } from 'node:path';
import { key, splitKey } from '../../lib/index.js';
import type { Task, TaskReport, TrainOptions } from '../../lib/cli/contract.js';
import { loadModel, saveModel } from '../../lib/io/node.js';
import { adam, chain, clipByGlobalNorm } from '../../lib/optim/index.js';
import { vocabFromJson, type Vocab } from '../../lib/text/index.js';
import { checkpointing, fit, resumeFrom, writeLossPlot, type TrainState } from '../../lib/train/index.js';
import { readJson, secondsSince, writeJson, writeRunInfo, writeSvg } from '../common/run-files.js';
import { progressOf } from '../common/fit-options.js';
import { DATASET, epochBatches, loadEntries, pairs, prepare, type Entry, type G2PBatch, type G2PData } from './data.js';
import { attentionOf, g2pModel, initG2P, pronounce, score, type G2PConfig, type G2PParams } from './model.js';
import { attentionCells, attentionSpec } from './plot.js';

/** Sizes a caller (the smoke spec) may shrink: training words and test words scored. */
export interface G2POverrides { readonly trainWords?: number; readonly evalWords?: number }

const HEATMAP_WORDS = 6;

const configOf = (o: TrainOptions & G2POverrides): G2PConfig => ({
  hidden: o.hidden ?? (o.quick ? 64 : 256), embedding: o.quick ? 32 : 64, carryDropout: o.quick ? 0 : 0.1,
  batch: 64, lr: o.lr ?? (o.quick ? 3e-3 : 2e-3), beam: o.quick ? 3 : 4, evalWords: o.evalWords ?? (o.quick ? 300 : Infinity),
});

/** Trains (resuming from the run folder's newest checkpoint, if any); returns the final state and history. */
const trainModel = async (o: TrainOptions & G2POverrides, config: G2PConfig, data: G2PData) => {
  const [initKey, batchKey, runKey] = splitKey(key(o.seed), 3);
  const examples = pairs(o.trainWords === undefined ? data.train : data.train.slice(0, o.trainWords));
  const params = initG2P(initKey, config, data.letters, data.phones);
  const optimizer = chain(clipByGlobalNorm(1), adam({ lr: config.lr }));
  const dir = join(o.out, 'checkpoints');
  const saved = o.quick ? undefined : await resumeFrom(dir, { params, optState: optimizer.init(params) });
  const model = g2pModel(config);
  const minutes = o.maxMinutes ?? (o.quick ? 3 : 55);
  return fit<G2PParams, G2PBatch, unknown>({
    params, optimizer, epochs: o.epochs ?? (o.quick ? 2 : 30), key: runKey, resume: saved?.state as TrainState<G2PParams, unknown> | undefined,
    loss: (p, b, ctx) => ({ loss: model.loss(p, b, { train: ctx.train, key: ctx.key }), weight: b.tgtLengths.reduce((a, n) => a + n, 0) }),
    data: epochBatches(data, examples, batchKey, config.batch), maxSeconds: minutes * 60,
    progress: progressOf(o),
    callbacks: o.quick ? [] : [checkpointing({ dir, everySteps: 200, keep: 2, optimizer: 'adam+clip', config: { ...config, evalWords: -1 } })],
  });
};

const sampleLines = (test: readonly Entry[], predicted: readonly string[][], n = 15): string[] =>
  test.slice(0, n).map((e, i) => `${e.word.padEnd(16)} predicted ${predicted[i]!.join(' ').padEnd(28)} true ${e.prons.map((p) => p.join(' ')).join(' | ')}`);

const writeFigures = async (o: TrainOptions, config: G2PConfig, params: G2PParams, data: G2PData, history: Parameters<typeof writeLossPlot>[1]) => {
  if (history.steps.length > 0) await writeLossPlot(join(o.out, 'loss.svg'), history, { title: 'G2P: training loss (cross-entropy per phoneme)', logScale: true });
  const words = data.test.filter((e) => e.word.length >= 5 && e.word.length <= 9).slice(0, HEATMAP_WORDS);
  const cells = words.flatMap((e) => attentionCells(e.word, e.prons[0]!, attentionOf(config, params, data.letters, data.phones, e)));
  await writeSvg(o.out, 'attention.svg', attentionSpec(cells));
};

/** Trains, scores the held-out words and writes the run folder. */
export const train = async (o: TrainOptions & G2POverrides): Promise<TaskReport> => {
  const started = performance.now();
  const config = configOf(o);
  const data = prepare(await loadEntries(), o.seed);
  const result = await trainModel(o, config, data);
  const test = data.test.slice(0, Math.min(config.evalWords, data.test.length));
  const { per, wer, predicted } = score(config, result.params, data.letters, data.phones, test);
  const h = result.history;
  const metrics = {
    'test.per': per, 'test.wer': wer, 'test.words': test.length, 'train.words': data.train.length, steps: result.state.step, epochs: result.state.epoch,
    'trainLoss.first': h.steps[0]?.loss ?? NaN, 'trainLoss.last': h.steps.slice(-20).reduce((a, s) => a + s.loss, 0) / Math.max(1, Math.min(20, h.steps.length)),
    seconds: secondsSince(started),
  };
  await saveModel(join(o.out, 'model.safetensors'), { params: result.params, config: { ...config, evalWords: config.evalWords === Infinity ? -1 : config.evalWords }, vocab: { letters: data.letters.toJSON(), phones: data.phones.toJSON() } as never });
  await writeFigures(o, config, result.params, data, h);
  await writeJson(o.out, 'metrics.json', metrics);
  await writeRunInfo('g2p', o);
  return { metrics, lines: [...sampleLines(test, predicted), `PER ${(per * 100).toFixed(1)}%, WER ${(wer * 100).toFixed(1)}% on ${test.length} held-out words after ${metrics.steps} steps (${metrics.seconds} s)`] };
};

const loadRun = async (run: string) => {
  const { params, config, vocab } = await loadModel<G2PParams>(join(run, 'model.safetensors'));
  const v = vocab as { letters: unknown; phones: unknown };
  const letters: Vocab = vocabFromJson(v.letters);
  const phones: Vocab = vocabFromJson(v.phones);
  return { params, config: config as unknown as G2PConfig, letters, phones };
};

/** Re-scores a run on its held-out words (the split is recomputed from the run's seed). */
export const evaluate = async (run: string): Promise<TaskReport> => {
  const { params, config, letters, phones } = await loadRun(run);
  const info = await readJson<{ options: TrainOptions }>(run, 'run.json');
  const test = prepare(await loadEntries(), info.options.seed).test;
  const scored = config.evalWords > 0 ? test.slice(0, config.evalWords) : test;
  const { per, wer, predicted } = score(config, params, letters, phones, scored);
  return { metrics: { 'test.per': per, 'test.wer': wer, 'test.words': scored.length }, lines: sampleLines(scored, predicted) };
};

/** The pronunciation of one word. */
export const predict = async (run: string, input: string): Promise<string> => {
  const word = input.trim().toLowerCase();
  if (!/^[a-z']+$/.test(word)) throw new Error(`g2p predict: input must be one word of letters (and apostrophes), got ${JSON.stringify(input)}`);
  const { params, config, letters, phones } = await loadRun(run);
  return `${word}: ${pronounce(config, params, letters, phones, [word])[0]!.join(' ')}`;
};

const task: Task = {
  name: 'g2p',
  summary: 'grapheme-to-phoneme on CMUdict: bi-LSTM encoder, attention decoder, beam search (PER and WER)',
  datasets: [DATASET],
  train, evaluate, predict,
};
export default task;

/** The run folder's files. */
export const RUN_FILES = ['metrics.json', 'model.safetensors', 'run.json', 'loss.svg', 'attention.svg'] as const;
