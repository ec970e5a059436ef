/**
 * Example plots beyond the loss curves: a validation metric per epoch against the
 * baseline it must beat (a horizontal rule), as a vega-lite spec rendered to SVG.
 */
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../lib/io/node.js';
import { renderSvg, type EpochRecord } from '../../lib/train/index.js';

/** Plots `metric` (e.g. `val.loss`) per epoch beside `baseline`, titled `title`, into `path`. */
export const writeBaselinePlot = async (
  path: string, epochs: readonly EpochRecord[], read: (e: EpochRecord) => number | undefined,
  baseline: { readonly name: string; readonly value: number }, labels: { readonly title: string; readonly y: string },
): Promise<void> => {
  const values = epochs.flatMap((e) => {
    const v = read(e);
    return v === undefined || !Number.isFinite(v) ? [] : [{ epoch: e.epoch, value: v, series: 'model (validation)' }];
  });
  const rule = [{ value: baseline.value, series: baseline.name }];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: labels.title, width: 480, height: 300, background: 'white',
    layer: [
      { data: { values }, mark: { type: 'line', point: true }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', title: labels.y, scale: { zero: false } }, color: { field: 'series', type: 'nominal', title: null } } },
      { data: { values: rule }, mark: { type: 'rule', strokeDash: [6, 4] }, encoding: { y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal', title: null } } },
    ],
  };
  await writeFileAtomic(path, new TextEncoder().encode(await renderSvg(spec)), 'writeBaselinePlot');
};
