/** The figure: ‖∂L/∂h_t‖ against t on a log scale, one panel per cell, one line per stage of training. */
import type { TopLevelSpec } from 'vega-lite';

/** One measured norm. */
export interface NormPoint { readonly cell: string; readonly stage: string; readonly t: number; readonly norm: number }

/** The stages, in legend order. */
export const STAGES = ['initialisation', 'trained, clipped at 1', 'trained, no clipping'] as const;

/** A faceted vega-lite line chart of the norms (non-positive norms dropped, as a log axis needs). */
export const normsSpec = (points: readonly NormPoint[], steps: number): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: `Gradient flow through time: ‖∂L/∂h_t‖ on the adding problem (T = ${steps})`, subtitle: 'the loss reads only the last step; small t is far in the past' },
  background: 'white',
  data: { values: points.filter((p) => p.norm > 0 && Number.isFinite(p.norm)) as unknown as Record<string, unknown>[] },
  facet: { column: { field: 'cell', type: 'nominal', title: null, sort: ['rnn', 'lstm', 'gru'] } },
  spec: {
    width: 260,
    height: 260,
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'step t' },
      y: { field: 'norm', type: 'quantitative', title: '‖∂L/∂h_t‖', scale: { type: 'log' } },
      color: { field: 'stage', type: 'nominal', title: null, sort: [...STAGES], legend: { orient: 'bottom' } },
    },
  },
});
