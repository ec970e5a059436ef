/**
 * `seqgrad train classify`: a bidirectional GRU reads a first name and says which
 * list it is in (female or male; names in both lists dropped). Trained with Adam
 * (clip 1), the best validation epoch kept; reported on the test split as accuracy
 * with a confusion matrix, beside the majority-class baseline.
 */
import { join } from 'node:path';
import { key, splitKey, vocabFromJson, type Vocab } from '../../lib/index.js';
import { loadModel, saveModel } from '../../lib/io/node.js';
import { adam, chain, clipByGlobalNorm } from '../../lib/optim/index.js';
import { confusionMatrix, fit, writeLossPlot, type Callback, type Confusion } from '../../lib/train/index.js';
import type { Task, TaskReport, TrainOptions } from '../../lib/cli/contract.js';
import { budget, progressOf } from '../common/fit-options.js';
import { writeBaselinePlot } from '../support/plots.js';
import { FILES, readRunInfo, writeJson, writeRunInfo } from '../support/run.js';
import { CLASSES, evalBatches, loadExamples, majorityBaseline, PACKAGES, toBatch, trainBatches, type Example } from './data.js';
import { init, logits, loss, type Config, type Params } from './model.js';

const DEFAULTS = { epochs: 10, hidden: 64, lr: 3e-3, embed: 16, batch: 64 } as const;
const QUICK = { epochs: 2, hidden: 8, lr: 1e-2, embed: 8, batch: 32, limit: 256 } as const;

const loadRun = async (run: string): Promise<{ params: Params; vocab: Vocab }> => {
  const file = await loadModel(join(run, FILES.model));
  const params = (await loadModel<Params>(join(run, FILES.model), { template: init(key(0), file.config as unknown as Config) })).params;
  return { params, vocab: vocabFromJson(file.vocab) };
};

/** The confusion matrix of the model over `examples`. */
const confusionOn = (params: Params, vocab: Vocab, examples: readonly Example[]): Confusion => {
  let c: Confusion | undefined;
  for (const b of evalBatches(vocab, examples)) c = confusionMatrix(logits(params, b.ids, b.lengths), b.labels, c);
  return c!;
};

const showMatrix = (c: Confusion): string[] => [
  `confusion matrix (rows: true list, columns: predicted):`,
  `            ${CLASSES.map((n) => n.padStart(8)).join('')}`,
  ...c.matrix.map((row, i) => `  ${CLASSES[i]!.padEnd(10)}${row.map((n) => String(n).padStart(8)).join('')}`),
];

const keepBest = (out: string, config: Config, vocab: Vocab, best: { value: number; epoch: number }): Callback<Params, unknown> => ({
  onEpochEnd: async (record, state) => {
    const v = record.val?.['accuracy'];
    if (v === undefined || !(v > best.value)) return;
    Object.assign(best, { value: v, epoch: record.epoch });
    await saveModel(join(out, FILES.model), { params: state.params, config: { ...config }, vocab });
  },
});

const train = async (options: TrainOptions): Promise<TaskReport> => {
  const q = options.quick;
  const epochs = options.epochs ?? (q ? QUICK.epochs : DEFAULTS.epochs);
  const data = loadExamples(options.seed, q ? QUICK.limit : undefined);
  const config: Config = { vocabSize: data.vocab.size, embed: q ? QUICK.embed : DEFAULTS.embed, hidden: options.hidden ?? (q ? QUICK.hidden : DEFAULTS.hidden), classes: 2 };
  const [initKey, shuffleKey, runKey] = splitKey(key(options.seed), 3);
  const best = { value: -Infinity, epoch: 0 };
  const started = performance.now();
  const result = await fit({
    params: init(initKey, config), loss, epochs, key: runKey,
    optimizer: chain(clipByGlobalNorm(1), adam({ lr: options.lr ?? (q ? QUICK.lr : DEFAULTS.lr) })),
    data: trainBatches(data.vocab, data.train, q ? QUICK.batch : DEFAULTS.batch, shuffleKey, epochs),
    validation: evalBatches(data.vocab, data.validation),
    ...budget(options),
    progress: progressOf(options, { mode: 'json', every: 'epoch' }),
    callbacks: [keepBest(options.out, config, data.vocab, best)],
  });
  const seconds = (performance.now() - started) / 1000;
  const { params } = await loadRun(options.out);
  const test = confusionOn(params, data.vocab, data.test);
  const baseline = majorityBaseline(data.train, data.test);
  const metrics = {
    'test.accuracy': test.accuracy, 'baseline.majority.accuracy': baseline.accuracy, 'val.accuracy': best.value, bestEpoch: best.epoch,
    epochs: result.history.epochs.length, steps: result.state.step, seconds, train: data.train.length, test: data.test.length, droppedInBothLists: data.dropped,
  };
  await writeJson(join(options.out, FILES.metrics), { task: 'classify', metrics, config, classes: CLASSES, confusion: test.matrix, majorityClass: CLASSES[baseline.label], stoppedBy: result.stoppedBy, epochs: result.history.epochs });
  await writeLossPlot(join(options.out, FILES.loss), result.history, { title: 'classify: cross-entropy' });
  await writeBaselinePlot(join(options.out, 'accuracy.svg'), result.history.epochs, (e) => e.val?.['accuracy'], { name: `majority (${CLASSES[baseline.label]})`, value: majorityBaseline(data.train, data.validation).accuracy }, { title: 'classify: validation accuracy', y: 'accuracy' });
  await writeRunInfo('classify', options);
  return { metrics, lines: [`test accuracy ${(100 * test.accuracy).toFixed(1)}% vs majority baseline ${(100 * baseline.accuracy).toFixed(1)}% (${CLASSES[baseline.label]}); best epoch ${best.epoch}`, ...showMatrix(test)] };
};

const evaluate = async (run: string): Promise<TaskReport> => {
  const info = await readRunInfo(run);
  const { params, vocab } = await loadRun(run);
  const data = loadExamples(info.options.seed, info.options.quick ? QUICK.limit : undefined);
  const test = confusionOn(params, vocab, data.test);
  const baseline = majorityBaseline(data.train, data.test);
  return { metrics: { 'test.accuracy': test.accuracy, 'baseline.majority.accuracy': baseline.accuracy }, lines: [`test accuracy ${(100 * test.accuracy).toFixed(1)}% on ${test.total} names vs majority ${(100 * baseline.accuracy).toFixed(1)}%`, ...showMatrix(test)] };
};

const predict = async (run: string, input: string): Promise<string> => {
  const { params, vocab } = await loadRun(run);
  const name = input.toLowerCase();
  const b = toBatch(vocab, [{ name, label: 0 }]);
  const z = Array.from(logits(params, b.ids, b.lengths).data);
  const p = z.map((v) => Math.exp(v - Math.max(...z)));
  const total = p.reduce((s, v) => s + v, 0);
  return `${name}: ${CLASSES.map((c, i) => `${c} ${(100 * p[i]! / total).toFixed(1)}%`).join(', ')}`;
};

/** The classify task for the CLI. */
const task: Task = {
  name: 'classify',
  summary: 'bidirectional GRU: which list (female/male) a first name is in',
  datasets: PACKAGES,
  train, evaluate, predict,
};
export default task;
