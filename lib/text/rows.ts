/**
 * Reading line-oriented data (word lists, dictionaries, CSV rows) so that a bad row
 * is reported with its line number and the file, instead of surfacing later as a NaN
 * or a shape error far from its cause. Every bad row is collected, so one run shows
 * them all (up to a limit).
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';

/** Options of `parseLines`. */
export interface ParseLinesOptions {
  /** Names the text in errors, e.g. the file or package (default `(text)`). */
  readonly source?: string;
  /** Skip lines that are empty after trimming (default true). */
  readonly skipBlank?: boolean;
  /** Skip lines starting with this marker, e.g. `;;;` or `#` (default: none). */
  readonly comment?: string;
  /** Skip this many lines first, e.g. 1 for a CSV header (default 0). */
  readonly skip?: number;
}

/** What a row parser returns for a row it refuses: the reason. */
export interface BadRow {
  /** Why the row was refused. */
  readonly error: string;
}

/**
 * Parses `text` line by line with `parse(line, lineNumber)`, which returns a value or
 * `{ error }`. Throws one SeqgradError listing every refused row as `source:line:
 * reason` (the first 10, then a count); line numbers are 1-based as editors show them.
 *
 * @example
 * ```ts
 * declare const csv: string;   // a file's text
 * const rows = parseLines(csv, (line) => {
 *   const [date, value] = line.split(',');
 *   const v = Number(value);
 *   return Number.isFinite(v) ? { date, v } : { error: `value ${JSON.stringify(value)} is not a number` };
 * }, { source: 'weather.csv', skip: 1 });
 * ```
 */
export const parseLines = <T>(text: string, parse: (line: string, lineNumber: number) => T | BadRow, options: ParseLinesOptions = {}): T[] => {
  const { source = '(text)', skipBlank = true, comment, skip = 0 } = options;
  if (typeof text !== 'string') throw new SeqgradError('parseLines', `${source}: text must be a string, got ${typeof text}`);
  const out: T[] = [];
  const bad: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (i < skip || (skipBlank && line.trim() === '') || (comment !== undefined && line.startsWith(comment))) return;
    const value = parse(line, i + 1);
    if (isBad(value)) bad.push(`${source}:${i + 1}: ${value.error}`);
    else out.push(value);
  });
  if (bad.length > 0) {
    const more = bad.length > 10 ? `; and ${bad.length - 10} more` : '';
    throw new SeqgradError('parseLines', `${bad.length} bad row${bad.length > 1 ? 's' : ''}: ${bad.slice(0, 10).join('; ')}${more}`);
  }
  return out;
};

const isBad = (value: unknown): value is BadRow =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as BadRow).error === 'string';
