/**
 * Trains a stacked (2-layer) bidirectional GRU classifier to name the most frequent
 * token of a sequence (see model.ts), with Adam, gradient clipping at global norm 1
 * and a cosine learning-rate schedule with linear warmup. On a terminal it shows a
 * progress bar; when piped, or with --json, it writes one JSON line per step and per
 * epoch. It checkpoints every epoch into --out, and at the end writes the loss curves
 * as an SVG file there and draws them in the terminal. Run it again with --resume to
 * continue from the newest checkpoint in --out.
 *
 * Run: npm run example:bigru -- [--epochs 5] [--json] [--out DIR] [--resume]
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { key, splitKey } from '../../lib/index.js';
import { adam, chain, clipByGlobalNorm, cosineWarmup } from '../../lib/optim/index.js';
import {
  checkpointing, fit, learningRateLogger, resumeFrom, terminalChart, writeLossPlot, type FitResult,
} from '../../lib/train/index.js';
import { init, loss, makeData, type Batch, type Params } from './model.js';

const SIZES = { embed: 8, hidden: 16 } as const;
const TRAIN = 1024;
const VALIDATION = 512;
const BATCH = 32;

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    out: { type: 'string', default: join(tmpdir(), 'seqgrad-bigru') },
    resume: { type: 'boolean', default: false },
  },
});
const epochs = Number(args.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${args.epochs}`);
const outDir = args.out!;
const json = args.json === true || !process.stdout.isTTY;
/** Human-readable lines go to stderr when stdout carries JSON lines, so those stay parseable. */
const say = (text: string): void => void (json ? process.stderr : process.stdout).write(`${text}\n`);

const main = async (): Promise<void> => {
  const [initKey, trainKey, valKey, shuffleKey, runKey] = splitKey(key(2024), 5);
  const train = makeData(trainKey, TRAIN);
  const validation = makeData(valKey, VALIDATION);
  const totalSteps = epochs * Math.ceil(TRAIN / BATCH);
  const lr = cosineWarmup({ peak: 1e-2, warmupSteps: Math.round(totalSteps / 20), totalSteps, final: 5e-4 });
  const optimizer = chain(clipByGlobalNorm(1), adam({ lr }));
  const params = init(initKey, SIZES);
  const saved = args.resume ? await resumeFrom(outDir, { params, optState: optimizer.init(params) }) : undefined;
  say(`bidirectional GRU, 2 layers, hidden ${SIZES.hidden}: ${TRAIN} training and ${VALIDATION} validation sequences, ${epochs} epoch${epochs === 1 ? '' : 's'}`
    + (saved ? ` (resuming at step ${saved.state.step} from ${saved.path})` : ''));
  const started = performance.now();
  const result: FitResult<Params, unknown> = await fit<Params, Batch, unknown>({
    params, optimizer, loss, epochs, key: runKey, resume: saved?.state,
    data: { dataset: train, batchSize: BATCH, shuffle: shuffleKey },
    validation: { dataset: validation, batchSize: 256 },
    progress: json ? { mode: 'json', every: 'step' } : { mode: 'bar', chart: false },
    callbacks: [learningRateLogger(lr), checkpointing({ dir: outDir, everyEpochs: 1, keep: 2, optimizer: 'adam+clip+cosine', config: { ...SIZES, epochs } })],
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.history.steps.length === 0) {
    say(`nothing to do: the checkpoint is already at epoch ${result.state.epoch} of ${epochs} (pass a larger --epochs)`);
    return;
  }
  const plot = await writeLossPlot(join(outDir, 'loss.svg'), result.history, { title: 'Stacked bidirectional GRU: most frequent token', logScale: true });
  report(result, seconds, plot);
};

const report = (result: FitResult<Params, unknown>, seconds: number, plot: string): void => {
  const last = result.history.epochs.at(-1);
  say(terminalChart(result.history, { colors: !json && process.stdout.isTTY === true }));
  if (last === undefined) return;
  const summary = {
    event: 'done', epochs: last.epoch, steps: last.step, seconds: Math.round(seconds * 10) / 10,
    trainLoss: last.train.loss, valLoss: last.val?.loss, valAccuracy: last.val?.accuracy, plot, checkpoints: outDir,
  };
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  say(`validation loss ${last.val?.loss.toFixed(4)}, accuracy ${((last.val?.accuracy ?? 0) * 100).toFixed(1)}% after ${last.step} steps in ${summary.seconds} s`);
  say(`loss curves: ${plot}`);
  say(`checkpoints: ${outDir}`);
};

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
