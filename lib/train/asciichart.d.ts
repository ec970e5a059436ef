/**
 * Types for the parts of `asciichart` (which ships none) that seqgrad uses.
 *
 * @module
 */
declare module 'asciichart' {
  /** Options of `plot`. */
  export interface PlotConfig {
    /** Rows of the chart. */
    height?: number;
    /** Lower bound of the y axis. */
    min?: number;
    /** Upper bound of the y axis. */
    max?: number;
    /** Columns left of the axis. */
    offset?: number;
    /** Left padding of the labels. */
    padding?: string;
    /** One ANSI colour sequence per series. */
    colors?: string[];
    /** The ten drawing characters: zero-axis cross, axis tick, ..., vertical line. */
    symbols?: string[];
    /** Formats the y labels. */
    format?: (value: number, index: number) => string;
  }
  /** Draws one or more series as a multi-line string. */
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  /** ANSI colour sequences. */
  export const blue: string;
  export const green: string;
  export const yellow: string;
  export const magenta: string;
  export const reset: string;
}
