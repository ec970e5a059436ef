/** Heatmaps of attention weights: letters of a word across, phonemes down, one panel per word. */
import type { TopLevelSpec } from 'vega-lite';

/** One cell of a heatmap. */
export interface AttentionCell { readonly word: string; readonly letter: string; readonly i: number; readonly phone: string; readonly j: number; readonly weight: number }

/** The cells of one word's heatmap from its weights `[phones][letters]`. */
export const attentionCells = (word: string, phones: readonly string[], weights: readonly (readonly number[])[]): AttentionCell[] =>
  weights.flatMap((row, j) => row.map((weight, i) => ({ word, letter: `${i}:${word[i]}`, i, phone: `${j}:${phones[j] ?? '</s>'}`, j, weight })));

/** A faceted vega-lite heatmap. */
export const attentionSpec = (cells: readonly AttentionCell[]): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'G2P attention: which letters each phoneme reads',
  background: 'white',
  data: { values: cells as unknown as Record<string, unknown>[] },
  facet: { field: 'word', type: 'nominal', title: null },
  columns: 3,
  spec: {
    width: 180,
    height: 180,
    mark: 'rect',
    encoding: {
      x: { field: 'letter', type: 'ordinal', sort: { field: 'i' }, title: 'letter', axis: { labelExpr: "split(datum.label, ':')[1]", labelAngle: 0 } },
      y: { field: 'phone', type: 'ordinal', sort: { field: 'j' }, title: 'phoneme', axis: { labelExpr: "split(datum.label, ':')[1]" } },
      color: { field: 'weight', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] } },
    },
  },
  resolve: { scale: { x: 'independent', y: 'independent' } },
});
