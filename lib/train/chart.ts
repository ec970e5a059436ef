/**
 * The loss curve in the terminal: an asciichart line chart of the training loss per
 * step (averaged into at most `width` columns, so long runs still fit a terminal) and,
 * when there was validation, the validation loss drawn as a staircase over the same
 * columns — each column shows the validation loss measured at the end of the epoch
 * that column's steps belong to, so both curves share one step axis.
 *
 * @module
 */
import type { History } from './types.js';
import { checkHistory } from './types-check.js';
import { asciichart } from './optional.js';

/** Options of `terminalChart`. */
export interface TerminalChartOptions {
  /** Columns of the plot area (default 60). */
  readonly width?: number;
  /** Rows of the plot area (default 10). */
  readonly height?: number;
  /** Colour the series with ANSI escapes (default false: plain text for logs). */
  readonly colors?: boolean;
  /** The loss axis: `log`, `linear`, or `auto` (default): log when the losses are positive and span 100× or more. */
  readonly scale?: 'auto' | 'linear' | 'log';
}

/**
 * The loss chart as a multi-line string with a legend underneath, or a one-line note
 * when there are no steps to draw.
 *
 * @example
 * ```ts
 * declare const options: FitOptions<Tensor, { x: Tensor; y: Tensor }, OptimizerState>;   // the rest of the run
 * const { history } = await fit(options);
 * console.log(terminalChart(history));
 * ```
 */
export const terminalChart = (history: History, options: TerminalChartOptions = {}): string => {
  checkHistory('terminalChart', history);
  const { width = 60, height = 10, colors = false, scale = 'auto' } = options;
  const steps = history.steps.filter((s) => Number.isFinite(s.loss));
  if (steps.length === 0) return '(no finite training losses to chart)';
  const columns = bucketRanges(steps.length, Math.max(1, Math.floor(width)));
  const train = columns.map(([from, to]) => mean(steps.slice(from, to).map((s) => s.loss)));
  const val = validationStaircase(history, columns.map(([, to]) => steps[to - 1]!.step));
  const series = val === undefined ? [train] : [train, val];
  const log = useLog(series.flat(), scale);
  const { blue, plot, reset, yellow } = asciichart('terminalChart');
  const chart = plot(log ? series.map((s) => s.map(Math.log10)) : series, {
    height: Math.max(2, Math.floor(height)),
    colors: colors ? [blue, yellow] : [],
    symbols: SYMBOLS,
    format: (v) => formatLabel(log ? 10 ** v : v).padStart(9),
  });
  const first = steps[0]!.step;
  const last = steps[steps.length - 1]!.step;
  const paint = (text: string, color: string): string => (colors ? `${color}${text}${reset}` : text);
  const legend = [paint('── train loss', blue), ...(val ? [paint('── validation loss', yellow)] : [])].join('   ');
  return `${chart}\n${' '.repeat(10)}steps ${first}..${last}${log ? ' (log scale)' : ''}   ${legend}`;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * asciichart's characters, but with a plain tick where it would draw a cross: it puts
 * the cross on the row it takes for y = 0, which lands on the wrong row when the axis
 * does not straddle zero (always, on a log scale), and also marks each series' first value.
 */
const SYMBOLS = ['┤', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];

/** `n` items cut into at most `columns` contiguous [from, to) ranges of near-equal size. */
const bucketRanges = (n: number, columns: number): Array<[number, number]> => {
  const count = Math.min(n, columns);
  return Array.from({ length: count }, (_, c) => [Math.floor((c * n) / count), Math.floor(((c + 1) * n) / count)]);
};

/** For each column's last step, the validation loss of the epoch holding that step. */
const validationStaircase = (history: History, columnSteps: readonly number[]): number[] | undefined => {
  const epochs = history.epochs.filter((e) => e.val !== undefined && Number.isFinite(e.val.loss));
  if (epochs.length === 0) return undefined;
  return columnSteps.map((step) => (epochs.find((e) => e.step >= step) ?? epochs[epochs.length - 1]!).val!.loss);
};

/** Log scale when asked, or (auto) when every value is positive and they span two decades. */
const useLog = (values: readonly number[], scale: 'auto' | 'linear' | 'log'): boolean => {
  const positive = values.every((v) => v > 0);
  if (scale === 'log') return positive;
  return scale === 'auto' && positive && Math.max(...values) >= 100 * Math.min(...values);
};

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const formatLabel = (v: number): string => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toExponential(2) : v.toFixed(3));
