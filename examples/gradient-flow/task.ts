/**
 * The `gradient-flow` task: the article's vanishing and exploding gradients made
 * visible. RNN, LSTM and GRU each train on the adding problem (T = 100 by default),
 * once with gradient clipping (global norm 1) and once without, and ‖∂L/∂h_t‖ is
 * measured for every step before and after training. The run folder gets
 * metrics.json (test MSE of each model beside the 1/6 baseline, norm ratios),
 * model.safetensors, run.json and gradient-norms.svg (log scale).
 */
import { join } from 'node:path';
import { key, splitKey } from '../../lib/index.js';
import type { Task, TaskReport, TrainOptions } from '../../lib/cli/contract.js';
import { loadModel, saveModel } from '../../lib/io/node.js';
import { adam, chain, clipByGlobalNorm, identity, type GradientTransformation } from '../../lib/optim/index.js';
import { fit } from '../../lib/train/index.js';
import { secondsSince, writeJson, writeRunInfo, writeSvg } from '../common/run-files.js';
import { budget, progressOf } from '../common/fit-options.js';
import { CELLS, flowLoss, initFlow, predictSums, stepNorms, type CellName, type FlowParams } from './model.js';
import { normsSpec, STAGES, type NormPoint } from './plot.js';
import { addingProblems, BASELINE_MSE, type AddingBatch } from './problem.js';

/** The sizes of a run (quick and full differ; tests shrink them further through `steps`). */
interface FlowConfig { readonly steps: number; readonly hidden: number; readonly updates: number; readonly batch: number }

/** Sizes a caller (the smoke spec) may shrink below the task's own. */
export interface FlowOverrides { readonly steps?: number; readonly updates?: number }

const configOf = (o: TrainOptions & FlowOverrides): FlowConfig => ({
  steps: o.steps ?? 100,
  hidden: o.hidden ?? (o.quick ? 16 : 24),
  updates: o.updates ?? (o.epochs ?? 1) * (o.quick ? 40 : 200),
  batch: 32,
});

const optimizerOf = (clip: boolean, lr: number): GradientTransformation<unknown> =>
  (clip ? chain(clipByGlobalNorm(1), adam({ lr })) : chain(identity(), adam({ lr }))) as GradientTransformation<unknown>;

const runName = (name: CellName, clip: boolean): string => `${name}_${clip ? 'clip' : 'noclip'}`;

/** Trains one model; returns its parameters and how far its loss moved. */
const trainOne = async (name: CellName, clip: boolean, init: FlowParams, data: AddingBatch, o: TrainOptions, c: FlowConfig) => {
  const result = await fit({
    params: init, optimizer: optimizerOf(clip, o.lr ?? 3e-3), loss: flowLoss(name), epochs: 1, key: key(o.seed),
    data: { dataset: data, batchSize: c.batch, shuffle: key(o.seed + 1) },
    progress: progressOf(o),
    ...budget(o, 6),
  });
  const steps = result.history.steps;
  const head = steps.slice(0, 10), tail = steps.slice(-10);
  const mean = (s: typeof steps): number => s.reduce((a, r) => a + r.loss, 0) / Math.max(1, s.length);
  return { params: result.params, firstLoss: mean(head), lastLoss: mean(tail), maxGradNorm: Math.max(...steps.map((s) => s.gradNorm)) };
};

const testMse = (name: CellName, p: FlowParams, test: AddingBatch): number => {
  const out = predictSums(name, p, test.x).data;
  return Array.from(out).reduce((a, v, i) => a + (v - test.y.data[i]!) ** 2, 0) / out.length;
};

const normPoints = (name: CellName, stage: string, norms: readonly number[]): NormPoint[] => norms.map((norm, t) => ({ cell: name, stage, t, norm }));

/** Trains the six models and writes the run folder. */
export const train = async (o: TrainOptions & FlowOverrides): Promise<TaskReport> => {
  const started = performance.now();
  const c = configOf(o);
  const [dataKey, testKey, probeKey, initKey] = splitKey(key(o.seed), 4);
  const data = addingProblems(dataKey, c.updates * c.batch, c.steps);
  const test = addingProblems(testKey, 256, c.steps);
  const probe = addingProblems(probeKey, 64, c.steps);
  const metrics: Record<string, number> = { baselineMse: BASELINE_MSE, steps: c.steps, updates: c.updates };
  const points: NormPoint[] = [];
  const models: Record<string, FlowParams> = {};
  for (const name of Object.keys(CELLS) as CellName[]) {
    const init = initFlow(name, splitKey(initKey, 3)[Object.keys(CELLS).indexOf(name)]!, c.hidden);
    const before = stepNorms(name, init, probe);
    points.push(...normPoints(name, STAGES[0], before));
    metrics[`${name}.init.normRatio`] = before[0]! / before[c.steps - 1]!;
    for (const clip of [true, false]) {
      const run = runName(name, clip);
      const r = await trainOne(name, clip, init, data, o, c);
      const after = stepNorms(name, r.params, probe);
      points.push(...normPoints(name, STAGES[clip ? 1 : 2], after));
      Object.assign(metrics, { [`${run}.testMse`]: testMse(name, r.params, test), [`${run}.firstLoss`]: r.firstLoss, [`${run}.lastLoss`]: r.lastLoss, [`${run}.maxGradNorm`]: r.maxGradNorm, [`${run}.normRatio`]: after[0]! / after[c.steps - 1]! });
      models[run] = r.params;
    }
  }
  metrics.seconds = secondsSince(started);
  await writeSvg(o.out, 'gradient-norms.svg', normsSpec(points, c.steps));
  await writeJson(o.out, 'norms.json', points);
  await saveModel(join(o.out, 'model.safetensors'), { params: models, config: { ...c } });
  await writeJson(o.out, 'metrics.json', metrics);
  await writeRunInfo('gradient-flow', o);
  return { metrics, lines: summary(metrics) };
};

const summary = (m: Record<string, number>): string[] => (Object.keys(CELLS) as CellName[]).map((name) =>
  `${name}: ‖∂L/∂h_0‖/‖∂L/∂h_T-1‖ at init ${m[`${name}.init.normRatio`]!.toExponential(1)}; test MSE clipped ${m[`${runName(name, true)}.testMse`]!.toFixed(4)}, `
  + `unclipped ${m[`${runName(name, false)}.testMse`]!.toFixed(4)} (baseline ${BASELINE_MSE.toFixed(4)})`);

const loadRun = async (run: string) => {
  const { params, config } = await loadModel<Record<string, FlowParams>>(join(run, 'model.safetensors'));
  return { params, config: config as unknown as FlowConfig };
};

/** Re-scores a run's six models on fresh adding problems. */
export const evaluate = async (run: string): Promise<TaskReport> => {
  const { params, config } = await loadRun(run);
  const test = addingProblems(key(12345), 256, config.steps);
  const metrics: Record<string, number> = { baselineMse: BASELINE_MSE };
  for (const name of Object.keys(CELLS) as CellName[]) for (const clip of [true, false]) metrics[`${runName(name, clip)}.testMse`] = testMse(name, params[runName(name, clip)]!, test);
  return { metrics, lines: Object.entries(metrics).map(([k, v]) => `${k}: ${v.toFixed(4)}`) };
};

/** Answers one random adding problem (the input is its seed) with every model. */
export const predict = async (run: string, input: string): Promise<string> => {
  const seed = Number(input);
  if (!Number.isInteger(seed)) throw new Error(`gradient-flow predict: input must be an integer seed for a random problem, got ${JSON.stringify(input)}`);
  const { params, config } = await loadRun(run);
  const problem = addingProblems(key(seed), 1, config.steps);
  const answers = Object.keys(params).map((run) => `${run} ${predictSums(run.split('_')[0] as CellName, params[run]!, problem.x).data[0]!.toFixed(3)}`);
  return `target ${problem.y.data[0]!.toFixed(3)}; ${answers.join(', ')}`;
};

const task: Task = {
  name: 'gradient-flow',
  summary: 'RNN, LSTM and GRU on the adding problem: per-step gradient norms before and after training, with and without clipping',
  datasets: [],
  train, evaluate, predict,
};
export default task;

/** The run folder's files. */
export const RUN_FILES = ['metrics.json', 'model.safetensors', 'run.json', 'gradient-norms.svg', 'norms.json'] as const;
