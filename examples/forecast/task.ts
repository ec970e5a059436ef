/**
 * The `forecast` task: trains one GRU forecaster per series (Seattle's daily maximum
 * temperature, 7 days ahead from 28; Mauna Loa CO2, 12 months ahead from 24) on the
 * first 80% of each series and scores the last 20% in RMSE beside persistence and
 * seasonal-naive. The run folder gets metrics.json, model.safetensors (both models and
 * their scales), run.json, forecast and loss SVGs.
 */
import { join } from 'node:path';
import { key, splitKey } from '../../lib/index.js';
import type { Task, TaskReport, TrainOptions } from '../../lib/cli/contract.js';
import { loadModel, saveModel } from '../../lib/io/node.js';
import { adam, chain, clipByGlobalNorm } from '../../lib/optim/index.js';
import { fit, mae, rmse, writeLossPlot, type History } from '../../lib/train/index.js';
import { secondsSince, writeJson, writeRunInfo, writeSvg } from '../common/run-files.js';
import { budget, progressOf } from '../common/fit-options.js';
import { DATASET, fitScale, loadCo2, loadSeattle, origins, persistence, seasonalNaive, testStart, truth, unscale, windows, type Series } from './data.js';
import { forecast, forecastLoss, initForecaster, type ForecastParams } from './model.js';
import { forecastSpec, type ForecastPoint } from './plot.js';

/** What model.safetensors' config holds. */
interface ForecastConfig { readonly hidden: number; readonly scale: Readonly<Record<string, number>> }

const loadAll = (): Promise<Series[]> => Promise.all([loadSeattle(), loadCo2()]);

/** Trains one series' model; returns its parameters, scale and history. */
const trainSeries = async (s: Series, options: TrainOptions, hidden: number, seed: number) => {
  const trainEnd = testStart(s);
  const scale = fitScale(s, trainEnd);
  const data = windows(s, origins(s, 0, trainEnd), scale);
  const [initKey, shuffleKey, runKey] = splitKey(key(seed), 3);
  const epochs = options.epochs ?? (options.quick ? 12 : 40);
  const result = await fit({
    params: initForecaster(initKey, { inputs: 3, hidden, horizon: s.horizon }),
    optimizer: chain(clipByGlobalNorm(1), adam({ lr: options.lr ?? 3e-3 })),
    loss: forecastLoss, epochs, key: runKey,
    data: { dataset: { x: data.x, y: data.y }, batchSize: 64, shuffle: shuffleKey },
    progress: progressOf(options),
    ...budget(options, 2),
  });
  return { params: result.params, scale, history: result.history };
};

/** Test RMSE and MAE of the model and both baselines for one series. */
const score = (s: Series, params: ForecastParams, scale: number): Record<string, number> => {
  const at = origins(s, testStart(s), s.values.length);
  const predicted = unscale(s, at, forecast(params, windows(s, at, scale).x), scale);
  const actual = truth(s, at);
  return {
    [`${s.name}.rmse`]: rmse(predicted, actual), [`${s.name}.mae`]: mae(predicted, actual),
    [`${s.name}.persistence.rmse`]: rmse(persistence(s, at), actual), [`${s.name}.seasonalNaive.rmse`]: rmse(seasonalNaive(s, at), actual),
    [`${s.name}.testWindows`]: at.length,
  };
};

/** Truth over the test span and forecasts from every horizon-th origin. */
const figurePoints = (s: Series, params: ForecastParams, scale: number): ForecastPoint[] => {
  const start = testStart(s);
  const at = origins(s, start, s.values.length, s.horizon);
  const predicted = unscale(s, at, forecast(params, windows(s, at, scale).x), scale);
  const truthLine = s.values.slice(start).map((value, i) => ({ date: s.dates[start + i]!, value, series: 'truth' }));
  const forecasts = predicted.map((value, i) => {
    const t = at[Math.floor(i / s.horizon)]! + (i % s.horizon);
    return { date: s.dates[t]!, value, series: 'GRU forecast', origin: String(at[Math.floor(i / s.horizon)]) };
  });
  return [...truthLine, ...forecasts];
};

const lossSummary = (name: string, history: History): Record<string, number> => ({
  [`${name}.trainLoss.first`]: history.steps[0]?.loss ?? NaN,
  [`${name}.trainLoss.last`]: history.epochs.at(-1)?.train.loss ?? NaN,
  [`${name}.steps`]: history.steps.length,
});

const describe = (s: Series, m: Record<string, number>): string =>
  `${s.title} (${s.horizon} steps ahead, ${m[`${s.name}.testWindows`]} test windows): RMSE ${m[`${s.name}.rmse`]!.toFixed(3)} ${s.unit}`
  + ` vs persistence ${m[`${s.name}.persistence.rmse`]!.toFixed(3)} and seasonal-naive ${m[`${s.name}.seasonalNaive.rmse`]!.toFixed(3)}`;

/** Trains both models and writes the run folder. */
export const train = async (options: TrainOptions): Promise<TaskReport> => {
  const started = performance.now();
  const hidden = options.hidden ?? (options.quick ? 16 : 32);
  const series = await loadAll();
  const trained: Awaited<ReturnType<typeof trainSeries>>[] = [];
  for (const [i, s] of series.entries()) trained.push(await trainSeries(s, options, hidden, options.seed * 2 + i));
  let metrics: Record<string, number> = {};
  for (const [i, s] of series.entries()) {
    const { params, scale, history } = trained[i]!;
    metrics = { ...metrics, ...score(s, params, scale), ...lossSummary(s.name, history) };
    await writeSvg(options.out, `forecast-${s.name}.svg`, forecastSpec(s, figurePoints(s, params, scale), `RMSE ${metrics[`${s.name}.rmse`]!.toFixed(3)} ${s.unit}`));
    await writeLossPlot(join(options.out, `loss-${s.name}.svg`), history, { title: `${s.title}: training loss (scaled MSE)`, logScale: true });
  }
  metrics = { ...metrics, seconds: secondsSince(started) };
  const config: ForecastConfig = { hidden, scale: Object.fromEntries(series.map((s, i) => [s.name, trained[i]!.scale])) };
  await saveModel(join(options.out, 'model.safetensors'), { params: Object.fromEntries(series.map((s, i) => [s.name, trained[i]!.params])), config: { ...config } });
  await writeJson(options.out, 'metrics.json', metrics);
  await writeRunInfo('forecast', options);
  return { metrics, lines: series.map((s) => describe(s, metrics)) };
};

const loadRun = async (run: string) => {
  const { params, config } = await loadModel<Record<string, ForecastParams>>(join(run, 'model.safetensors'));
  return { params, config: config as unknown as ForecastConfig, series: await loadAll() };
};

/** Re-scores a run's models on the test spans. */
export const evaluate = async (run: string): Promise<TaskReport> => {
  const { params, config, series } = await loadRun(run);
  const metrics = Object.assign({}, ...series.map((s) => score(s, params[s.name]!, config.scale[s.name]!))) as Record<string, number>;
  return { metrics, lines: series.map((s) => describe(s, metrics)) };
};

/** Forecasts past the end of the series named by `input` (`seattle` or `co2`). */
export const predict = async (run: string, input: string): Promise<string> => {
  const { params, config, series } = await loadRun(run);
  const s = series.find((c) => c.name === input.trim().toLowerCase());
  if (!s) throw new Error(`forecast predict: input must be seattle or co2, got ${JSON.stringify(input)}`);
  const at = [s.values.length];
  const out = unscale(s, at, forecast(params[s.name]!, windows(s, at, config.scale[s.name]!).x), config.scale[s.name]!);
  return `${s.title}, the next ${s.horizon} steps after ${s.dates.at(-1)}: ${out.map((v) => v.toFixed(2)).join(', ')} ${s.unit}`;
};

const task: Task = {
  name: 'forecast',
  summary: 'GRU forecasts of Seattle daily max temperature and Mauna Loa CO2 (RMSE vs persistence and seasonal-naive)',
  datasets: [DATASET],
  train, evaluate, predict,
};
export default task;

/** The run folder's files (for tests and docs). */
export const RUN_FILES = ['metrics.json', 'model.safetensors', 'run.json', 'forecast-seattle.svg', 'forecast-co2.svg', 'loss-seattle.svg', 'loss-co2.svg'] as const;
