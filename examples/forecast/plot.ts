/** The forecast figure: the test span's truth with the model's forecasts from non-overlapping origins. */
import type { TopLevelSpec } from 'vega-lite';
import type { Series } from './data.js';

/** One point of the figure. */
export interface ForecastPoint { readonly date: string; readonly value: number; readonly series: string; readonly origin?: string }

/** A vega-lite line chart of truth and forecasts (each forecast its own line segment). */
export const forecastSpec = (s: Series, points: readonly ForecastPoint[], subtitle: string): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: `${s.title}: forecast against truth (test span)`, subtitle },
  width: 760,
  height: 320,
  background: 'white',
  data: { values: points as unknown as Record<string, unknown>[] },
  mark: { type: 'line', strokeWidth: 1.5 },
  encoding: {
    x: { field: 'date', type: 'temporal', title: null },
    y: { field: 'value', type: 'quantitative', title: s.unit, scale: { zero: false } },
    color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' }, scale: { domain: ['truth', 'GRU forecast'], range: ['#444444', '#e6550d'] } },
    detail: { field: 'origin', type: 'nominal' },
  },
});
