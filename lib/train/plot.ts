/**
 * Loss curves as a picture: a vega-lite spec of the training loss per step, the
 * training mean and the validation loss per epoch on one step axis, rendered to SVG by
 * vega in Node (no browser, no canvas) and written to a file a user can open. The spec
 * is plain JSON, so the same chart can be shown in a browser page with vega-embed.
 * vega is loaded only when a plot is rendered, so importing the training module stays
 * quick.
 *
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../io/checkpoint.js';
import { expectPath } from '../io/args.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import type { History } from './types.js';
import { checkHistory } from './types-check.js';
import { importOptional } from './optional.js';

/** Options of the loss plot. */
export interface LossPlotOptions {
  /** The chart's title (default `Loss`). */
  readonly title?: string;
  /** Plot width in pixels (default 640). */
  readonly width?: number;
  /** Plot height in pixels (default 360). */
  readonly height?: number;
  /** A logarithmic loss axis (default false); non-positive losses are then left out. */
  readonly logScale?: boolean;
}

/**
 * A Vega-Lite specification: the JSON object vega-lite compiles and vega-embed shows.
 * seqgrad's declarations do not name vega-lite's own types, because vega-lite is an
 * optional package and its types need the DOM library; any of vega-lite's
 * `TopLevelSpec`s is a `VegaLiteSpec`.
 */
export type VegaLiteSpec = object;

/** One point of the plot's data. */
export interface LossPoint {
  /** Updates made when the value was measured. */
  readonly step: number;
  /** The loss. */
  readonly loss: number;
  /** Which curve: `train (step)`, `train (epoch mean)` or `validation`. */
  readonly series: string;
}

/** @internal Names of the curves, in legend order. */
export const SERIES = ['train (step)', 'train (epoch mean)', 'validation'] as const;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * The curves' data: every step's loss and every epoch's training mean and validation
 * loss, placed at the step where they were measured. Non-finite losses are dropped.
 *
 * @example
 * ```ts
 * lossPoints(history).filter((p) => p.series === 'validation');
 * ```
 */
export const lossPoints = (history: History): LossPoint[] => pointsOf(checkHistory('lossPoints', history));

const pointsOf = (history: History): LossPoint[] => [
  ...history.steps.map((s) => ({ step: s.step, loss: s.loss, series: SERIES[0] })),
  ...history.epochs.map((e) => ({ step: e.step, loss: e.train.loss, series: SERIES[1] })),
  ...history.epochs.flatMap((e) => (e.val === undefined ? [] : [{ step: e.step, loss: e.val.loss, series: SERIES[2] }])),
].filter((p) => Number.isFinite(p.loss));

/**
 * A vega-lite spec of the loss curves: the noisy per-step loss as a thin line, the
 * epoch means and the validation loss as lines with points.
 *
 * @example
 * ```ts
 * const spec = lossCurveSpec(history, { title: 'GRU classifier' });
 * ```
 */
export const lossCurveSpec = (history: History, options: LossPlotOptions = {}): VegaLiteSpec => {
  const { title = 'Loss', width = 640, height = 360, logScale = false } = options;
  const values = pointsOf(checkHistory('lossCurveSpec', history)).filter((p) => !logScale || p.loss > 0);
  if (values.length === 0) throw new SeqgradError('lossCurveSpec', 'the history has no finite losses to plot');
  const present = SERIES.filter((s) => values.some((p) => p.series === s));
  const color = { field: 'series', type: 'nominal' as const, title: null, scale: { domain: present, range: present.map(colorOf) }, legend: { orient: 'bottom' as const } };
  const x = { field: 'step', type: 'quantitative' as const, title: 'step', scale: { nice: false } };
  const y = { field: 'loss', type: 'quantitative' as const, title: 'loss', scale: logScale ? { type: 'log' as const } : { zero: false } };
  // typed against vega-lite here, where it is a devDependency, and handed out as plain JSON
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    height,
    background: 'white',
    data: { values: values as unknown as Record<string, unknown>[] },
    layer: [
      { transform: [{ filter: `datum.series === '${SERIES[0]}'` }], mark: { type: 'line', strokeWidth: 1, opacity: 0.55 }, encoding: { x, y, color } },
      { transform: [{ filter: `datum.series !== '${SERIES[0]}'` }], mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y, color } },
    ],
  };
  return spec;
};

// ---------------------------------------------------------------------------
// rendering
// ---------------------------------------------------------------------------

/**
 * Renders a vega-lite spec to an SVG string with vega, headless.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(lossCurveSpec(history));
 * ```
 */
export const renderSvg = async (spec: VegaLiteSpec): Promise<string> => {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SeqgradError('renderSvg', `spec must be a Vega-Lite spec object, got ${showValue(spec)}`);
  const [vega, vegaLite] = await Promise.all([importOptional('renderSvg', 'vega', () => import('vega')), importOptional('renderSvg', 'vega-lite', () => import('vega-lite'))]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

/**
 * Writes the loss curves of `history` to an SVG file at `path` and returns the path.
 *
 * @example
 * ```ts
 * const file = await writeLossPlot('runs/a/loss.svg', history);
 * console.log(`loss curves: ${file}`);
 * ```
 */
export const writeLossPlot = async (path: string, history: History, options: LossPlotOptions = {}): Promise<string> => {
  expectPath('writeLossPlot', path);
  checkHistory('writeLossPlot', history);
  const svg = await renderSvg(lossCurveSpec(history, options));
  await writeFileAtomic(path, new TextEncoder().encode(svg), 'writeLossPlot');
  return path;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const colorOf = (series: string): string =>
  series === SERIES[0] ? '#9ecae9' : series === SERIES[1] ? '#1f77b4' : '#ff7f0e';
