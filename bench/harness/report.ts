/**
 * From timings to what a reader quotes: one row per (workload, implementation,
 * backend[, case]) with median/min/max ms, one ratio per workload (seqgrad's median
 * over the faster tfjs variant's, on wasm and on cpu), a plain-text table, and the
 * `bench/results/latest.json` file. Pure functions of the timings apart from the
 * writer, so the smoke spec checks the exact rows without timing anything real.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { summary } from './timing.js';
import type { Timing } from './types.js';

/** One line of results. */
export interface Row {
  readonly workload: string;
  readonly impl: string;
  readonly backend: string;
  /** W5 only: the product, e.g. `1024³ A·B`. */
  readonly case?: string;
  readonly median_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
  /** W5 only: 2n³ over the median time. */
  readonly gflops?: number;
  /** How many timed runs the figures summarise. */
  readonly runs: number;
}

/** seqgrad's median time over the best peer variant's, per backend (below 1: seqgrad faster). */
export interface Ratio {
  readonly workload: string;
  readonly ratio_vs_tfjs_wasm: number | null;
  readonly ratio_vs_tfjs_cpu: number | null;
  /** Which tfjs variant (`tfjs-ops`, `tfjs-layers`, `tfjs`) was faster and so counted, per backend. */
  readonly tfjs_wasm_variant: string | null;
  readonly tfjs_cpu_variant: string | null;
}

/** The whole of latest.json. */
export interface Results {
  readonly rows: readonly Row[];
  readonly ratios: readonly Ratio[];
  readonly memory: unknown;
  readonly machine: unknown;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** One row per timing. */
export const toRows = (timings: readonly Timing[]): Row[] => timings.map((t) => {
  const { median, min, max } = summary(t.times);
  return {
    workload: t.workload, impl: t.impl, backend: t.backend,
    ...(t.case === undefined ? {} : { case: t.case }),
    median_ms: median, min_ms: min, max_ms: max,
    ...(t.flops === undefined ? {} : { gflops: t.flops / (median * 1e6) }),
    runs: t.times.length,
  };
});

/**
 * One ratio per workload present in `rows`: the `seqgrad` row (W2: reset-before;
 * W5: the case `ratioCaseOf` names) against the fastest tfjs row of each backend.
 */
export const toRatios = (rows: readonly Row[], ratioCaseOf: (workload: string) => string | undefined): Ratio[] => {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  return workloads.map((workload) => {
    const wanted = ratioCaseOf(workload);
    const here = rows.filter((r) => r.workload === workload && r.case === wanted);
    const ours = here.find((r) => r.impl === 'seqgrad');
    const best = (backend: string): Row | undefined => here
      .filter((r) => r.impl.startsWith('tfjs') && r.backend === backend)
      .reduce<Row | undefined>((a, r) => (a === undefined || r.median_ms < a.median_ms ? r : a), undefined);
    const ratio = (peer: Row | undefined): number | null => (ours && peer ? ours.median_ms / peer.median_ms : null);
    const wasm = best('wasm');
    const cpu = best('cpu');
    return {
      workload, ratio_vs_tfjs_wasm: ratio(wasm), ratio_vs_tfjs_cpu: ratio(cpu),
      tfjs_wasm_variant: wasm?.impl ?? null, tfjs_cpu_variant: cpu?.impl ?? null,
    };
  });
};

/** The rows as an aligned text table. */
export const rowsTable = (rows: readonly Row[]): string => table(
  ['workload', 'impl', 'backend', 'median ms', 'min ms', 'max ms', 'GFLOP/s', 'runs'], 'lllrrrrr',
  rows.map((r) => [
    r.case ? `${r.workload} ${r.case}` : r.workload, r.impl, r.backend,
    ms(r.median_ms), ms(r.min_ms), ms(r.max_ms), r.gflops === undefined ? '' : r.gflops.toFixed(2), String(r.runs),
  ]),
);

/** The ratios as an aligned text table. */
export const ratiosTable = (ratios: readonly Ratio[]): string => table(
  ['workload', 'seqgrad / tfjs-wasm', 'counted', 'seqgrad / tfjs-cpu', 'counted'], 'lrlrl',
  ratios.map((r) => [r.workload, times(r.ratio_vs_tfjs_wasm), r.tfjs_wasm_variant ?? '', times(r.ratio_vs_tfjs_cpu), r.tfjs_cpu_variant ?? '']),
);

/** Writes `results` as indented JSON to `file`, creating its folder. */
export const writeResults = (file: string, results: Results): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

const times = (v: number | null): string => (v === null ? '-' : `${v.toFixed(2)}×`);

/** Columns padded to their widest cell; `align` has one `l` or `r` per column. */
const table = (head: readonly string[], align: string, body: readonly (readonly string[])[]): string => {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (align[i] === 'l' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
};
