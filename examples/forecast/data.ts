/**
 * The forecasting data: Seattle's daily maximum temperature and Mauna Loa's monthly
 * CO2 (vega-datasets), cut into windows. Each window's inputs and targets are taken
 * relative to its last observed value, so the model learns changes rather than levels
 * (CO2 keeps rising past anything in the training span), and scaled by a spread fitted
 * on the training span only. Two baselines score the same test windows: persistence
 * (the last value, repeated) and seasonal-naive (the value one season earlier).
 */
import { tensor, type Tensor } from '../../lib/index.js';
import { readPackageFile } from '../common/run-files.js';

/** A regular series with its season. */
export interface Series {
  readonly name: 'seattle' | 'co2';
  readonly title: string;
  readonly unit: string;
  readonly dates: readonly string[];
  readonly values: readonly number[];
  /** Position within the season in [0, 1) for each step (day of year, month). */
  readonly phase: readonly number[];
  /** Steps per season (365 days, 12 months). */
  readonly period: number;
  /** Steps read and steps forecast. */
  readonly window: number;
  readonly horizon: number;
}

/** Windows of one span: model inputs and targets, with the levels to undo the scaling. */
export interface Windows {
  /** `[n, window, 3]`: scaled change from the last value, sin and cos of the phase. */
  readonly x: Tensor;
  /** `[n, horizon]`: scaled change from the last value. */
  readonly y: Tensor;
  /** Index of each window's first forecast step. */
  readonly origins: readonly number[];
}

export const DATASET = 'vega-datasets';

// ---------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------

/** Seattle's daily maximum temperature, 2012-2015. */
export const loadSeattle = async (): Promise<Series> => {
  const rows = csvRows(await readPackageFile(DATASET, 'data/seattle-weather.csv'), 'date', 'temp_max');
  return {
    name: 'seattle', title: 'Seattle daily maximum temperature', unit: '°C', period: 365, window: 28, horizon: 7,
    dates: rows.map((r) => r.date), values: rows.map((r) => r.value), phase: rows.map((r) => dayOfYear(r.date) / 365.25),
  };
};

/** Monthly CO2 at Mauna Loa, on a regular monthly grid (the few missing months interpolated). */
export const loadCo2 = async (): Promise<Series> => {
  const rows = csvRows(await readPackageFile(DATASET, 'data/co2-concentration.csv'), 'Date', 'CO2');
  const month = (d: string): number => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  const first = month(rows[0]!.date);
  const values: number[] = [];
  rows.forEach((r, i) => {
    const m = month(r.date) - first;
    const prev = i === 0 ? null : { m: month(rows[i - 1]!.date) - first, v: rows[i - 1]!.value };
    for (let k = prev ? prev.m + 1 : 0; k < m; k++) values.push(prev!.v + ((r.value - prev!.v) * (k - prev!.m)) / (m - prev!.m));
    values.push(r.value);
  });
  const dates = values.map((_, k) => `${Math.floor((first + k) / 12)}-${String(((first + k) % 12) + 1).padStart(2, '0')}-01`);
  return { name: 'co2', title: 'Mauna Loa monthly CO2', unit: 'ppm', period: 12, window: 24, horizon: 12, dates, values, phase: dates.map((d) => (Number(d.slice(5, 7)) - 1) / 12) };
};

// ---------------------------------------------------------------------------
// windows and baselines
// ---------------------------------------------------------------------------

/** Where the test span starts: the last `share` of the series. */
export const testStart = (s: Series, share = 0.2): number => Math.floor(s.values.length * (1 - share));

/** Every origin whose window and season lie inside [from, to) (targets included). */
export const origins = (s: Series, from: number, to: number, stride = 1): number[] => {
  const out: number[] = [];
  for (let t = Math.max(from, s.window, s.period); t + s.horizon <= to; t += stride) out.push(t);
  return out;
};

/** The spread of the training targets (changes from the last value), fitted on the training span only. */
export const fitScale = (s: Series, trainEnd: number): number => {
  const d = origins(s, 0, trainEnd).flatMap((t) => Array.from({ length: s.horizon }, (_, k) => s.values[t + k]! - s.values[t - 1]!));
  const mean = d.reduce((a, v) => a + v, 0) / d.length;
  return Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / d.length);
};

/** The windows at `at`, scaled by `scale`. */
export const windows = (s: Series, at: readonly number[], scale: number): Windows => {
  const x: number[] = [];
  const y: number[] = [];
  for (const t of at) {
    const last = s.values[t - 1]!;
    for (let i = t - s.window; i < t; i++) x.push((s.values[i]! - last) / scale, Math.sin(2 * Math.PI * s.phase[i]!), Math.cos(2 * Math.PI * s.phase[i]!));
    for (let k = 0; k < s.horizon; k++) y.push((s.values[t + k] ?? last) / scale - last / scale);
  }
  return {
    x: tensor(x, { shape: [at.length, s.window, 3], dtype: 'float32' }),
    y: tensor(y, { shape: [at.length, s.horizon], dtype: 'float32' }),
    origins: at,
  };
};

/** Scaled model outputs `[n, horizon]` back to the series' units. */
export const unscale = (s: Series, at: readonly number[], out: Tensor, scale: number): number[] =>
  Array.from(out.data, (v, i) => s.values[at[Math.floor(i / s.horizon)]! - 1]! + v * scale);

/** The true values of every window's horizon, flat. */
export const truth = (s: Series, at: readonly number[]): number[] => at.flatMap((t) => s.values.slice(t, t + s.horizon));

/** Persistence: the last observed value for every step ahead. */
export const persistence = (s: Series, at: readonly number[]): number[] => at.flatMap((t) => Array<number>(s.horizon).fill(s.values[t - 1]!));

/** Seasonal-naive: the value one season before each step ahead. */
export const seasonalNaive = (s: Series, at: readonly number[]): number[] =>
  at.flatMap((t) => Array.from({ length: s.horizon }, (_, k) => s.values[t + k - s.period]!));

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const csvRows = (text: string, dateColumn: string, valueColumn: string): { date: string; value: number }[] => {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header!.split(',');
  const di = columns.indexOf(dateColumn);
  const vi = columns.indexOf(valueColumn);
  if (di < 0 || vi < 0) throw new Error(`the CSV has no ${dateColumn} or ${valueColumn} column (columns: ${columns.join(', ')})`);
  return lines.map((line, i) => {
    const cells = line.split(',');
    const value = Number(cells[vi]);
    if (!Number.isFinite(value)) throw new Error(`line ${i + 2}: ${valueColumn} = ${JSON.stringify(cells[vi])} is not a number`);
    return { date: cells[di]!, value };
  });
};

const dayOfYear = (date: string): number => {
  const d = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return (d - Date.UTC(Number(date.slice(0, 4)), 0, 1)) / 86_400_000;
};
