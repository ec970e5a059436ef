/**
 * `seqgrad train names`: the character LSTM language model of first names, trained
 * with Adam (clip 1) on length-bucketed batches, evaluated per epoch on held-out
 * names in nats per character (end of name counted), against an interpolated
 * Kneser-Ney character 3-gram fitted on the same training names. The run folder gets
 * the best epoch's model (with its config and vocabulary), metrics.json, loss.svg,
 * nll.svg and run.json; samples are drawn at two temperatures.
 */
import { join } from 'node:path';
import { generate, key, splitKey, vocabFromJson, type Vocab } from '../../lib/index.js';
import { loadModel, saveModel } from '../../lib/io/node.js';
import { adam, chain, clipByGlobalNorm } from '../../lib/optim/index.js';
import { fit, writeLossPlot, type Callback, type EpochRecord } from '../../lib/train/index.js';
import type { SampleOptions, Task, TaskReport, TrainOptions } from '../../lib/cli/contract.js';
import { evalBatches, loadNames, PACKAGES, toBatch, trainBatches } from './data.js';
import { fitKneserNey, kneserNeyNll } from './kneser-ney.js';
import { init, languageModel, lossOf, sampleNames, type Config, type Params } from './model.js';
import { budget, progressOf } from '../common/fit-options.js';
import { writeBaselinePlot } from '../support/plots.js';
import { FILES, readJson, readRunInfo, writeJson, writeRunInfo } from '../support/run.js';

const DEFAULTS = { epochs: 12, hidden: 128, lr: 3e-3, embed: 32, batch: 64 } as const;
const QUICK = { epochs: 2, hidden: 16, lr: 1e-2, embed: 8, batch: 32, limit: 256 } as const;
/** Temperatures the samples are drawn at. */
export const TEMPERATURES = [0.5, 1] as const;

/** Loads a run's model, config and vocabulary. */
const loadRun = async (run: string): Promise<{ config: Config; params: Params; vocab: Vocab }> => {
  const file = await loadModel<Params>(join(run, FILES.model));
  const config = file.config as unknown as Config;
  const params = (await loadModel<Params>(join(run, FILES.model), { template: init(key(0), config) })).params;
  return { config, params, vocab: vocabFromJson(file.vocab) };
};

/** Saves the model whenever validation improves, so the folder holds the best epoch's parameters. */
const keepBest = (out: string, config: Config, vocab: Vocab, best: { value: number; epoch: number }): Callback<Params, unknown> => ({
  onEpochEnd: async (record, state) => {
    const v = record.val?.loss;
    if (v === undefined || !(v < best.value)) return;
    best.value = v;
    best.epoch = record.epoch;
    await saveModel(join(out, FILES.model), { params: state.params, config: { ...config }, vocab });
  },
});

const train = async (options: TrainOptions): Promise<TaskReport> => {
  const q = options.quick;
  const epochs = options.epochs ?? (q ? QUICK.epochs : DEFAULTS.epochs);
  const data = loadNames(options.seed, q ? QUICK.limit : undefined);
  const config: Config = { vocabSize: data.vocab.size, embed: q ? QUICK.embed : DEFAULTS.embed, hidden: options.hidden ?? (q ? QUICK.hidden : DEFAULTS.hidden) };
  const encode = (names: readonly string[]) => names.map((n) => data.vocab.encode(n));
  const kn = fitKneserNey(encode(data.train), data.vocab.bos, data.vocab.eos);
  const baseline = kneserNeyNll(kn, encode(data.validation), data.vocab.bos, data.vocab.eos);
  const [initKey, shuffleKey, runKey] = splitKey(key(options.seed), 3);
  const best = { value: Infinity, epoch: 0 };
  const started = performance.now();
  const result = await fit({
    params: init(initKey, config), loss: lossOf(config), epochs, key: runKey,
    optimizer: chain(clipByGlobalNorm(1), adam({ lr: options.lr ?? (q ? QUICK.lr : DEFAULTS.lr) })),
    data: trainBatches(data.vocab, data.train, q ? QUICK.batch : DEFAULTS.batch, shuffleKey, epochs),
    validation: evalBatches(data.vocab, data.validation),
    ...budget(options),
    progress: progressOf(options, { mode: 'json', every: 'epoch' }),
    callbacks: [keepBest(options.out, config, data.vocab, best)],
  });
  const seconds = (performance.now() - started) / 1000;
  const { params } = await loadRun(options.out);
  const samples = TEMPERATURES.map((t, i) => ({ temperature: t, names: sampleNames(config, params, data.vocab, 10, t, options.seed + 1 + i) }));
  const metrics = { 'val.nll': best.value, 'baseline.kneserNey3.nll': baseline, bestEpoch: best.epoch, epochs: result.history.epochs.length, steps: result.state.step, seconds, train: data.train.length, validation: data.validation.length };
  await writeJson(join(options.out, FILES.metrics), { task: 'names', metrics, config, stoppedBy: result.stoppedBy, epochs: result.history.epochs, samples });
  await writeLossPlot(join(options.out, FILES.loss), result.history, { title: 'names: NLL per character' });
  await writeBaselinePlot(join(options.out, 'nll.svg'), result.history.epochs, (e: EpochRecord) => e.val?.loss, { name: 'Kneser-Ney 3-gram', value: baseline }, { title: 'names: validation NLL', y: 'nats per character' });
  await writeRunInfo('names', options);
  return { metrics, lines: report(metrics, samples) };
};

const report = (metrics: Record<string, number>, samples: readonly { temperature: number; names: readonly string[] }[]): string[] => [
  `validation NLL ${metrics['val.nll']!.toFixed(3)} nats/char (best epoch ${metrics['bestEpoch']}) vs Kneser-Ney 3-gram ${metrics['baseline.kneserNey3.nll']!.toFixed(3)}`,
  ...samples.map((s) => `samples at temperature ${s.temperature}: ${s.names.join(', ')}`),
];

const evaluate = async (run: string): Promise<TaskReport> => {
  const info = await readRunInfo(run);
  const { config, params, vocab } = await loadRun(run);
  const data = loadNames(info.options.seed, info.options.quick ? QUICK.limit : undefined);
  let total = 0;
  let tokens = 0;
  for (const b of evalBatches(vocab, data.validation)) {
    const { loss, weight } = lossOf(config)(params, b);
    total += loss.item() * weight;
    tokens += weight;
  }
  const saved = await readJson<{ metrics: Record<string, number> }>(join(run, FILES.metrics));
  const metrics = { 'val.nll': total / tokens, 'baseline.kneserNey3.nll': saved.metrics['baseline.kneserNey3.nll']! };
  return { metrics, lines: [`validation NLL ${metrics['val.nll'].toFixed(3)} nats/char on ${data.validation.length} names; Kneser-Ney 3-gram ${metrics['baseline.kneserNey3.nll'].toFixed(3)}`] };
};

const sample = async (run: string, options: SampleOptions): Promise<string[]> => {
  const { config, params, vocab } = await loadRun(run);
  return sampleNames(config, params, vocab, options.count, options.temperature, options.seed);
};

/** NLL per character of a name under the model, and its most likely continuation. */
const predict = async (run: string, input: string): Promise<string> => {
  const { config, params, vocab } = await loadRun(run);
  const name = input.toLowerCase();
  const ids = vocab.encode(name);
  const lm = languageModel(config, params);
  const completion = generate(lm, { prompt: [vocab.bos, ...ids], endToken: vocab.eos, maxLength: 20, temperature: 0, key: key(0) })[0]!;
  const { loss } = lossOf(config)(params, toBatch(vocab, [name]));
  return `${name}: ${loss.item().toFixed(3)} nats/char; most likely completion: ${name}${vocab.decode(completion)}`;
};

/** The names task for the CLI. */
const task: Task = {
  name: 'names',
  summary: 'character LSTM language model of first names vs a Kneser-Ney 3-gram',
  datasets: PACKAGES,
  train, evaluate, predict, sample,
};
export default task;
