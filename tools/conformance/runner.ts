/**
 * Runs reference files through their checkers and measures the worst relative error
 * per file. Tolerances: 1e-8 relative in float64, 1e-4 in float32. An element's error
 * is |actual - expected| / max(|expected|, floor), where the floor (1e-6 of the
 * tensor's largest magnitude in float64, 1e-3 in float32) keeps elements that are
 * nearly zero from demanding more digits than the tensor carries.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DType } from '../../lib/tensor/dtype.js';
import { showShape } from '../../lib/tensor/errors.js';
import { shapesEqual } from '../../lib/tensor/shape.js';
import { CHECKERS } from './checkers/index.js';
import type { Checker, Comparison, Fixture } from './types.js';

/** The outcome for one file in one dtype. */
export interface FileResult {
  /** The reference file's path. */
  readonly file: string;
  /** The dtype it was recomputed in. */
  readonly dtype: DType;
  /** True when every comparison is within the dtype's tolerance. */
  readonly ok: boolean;
  /** The worst relative error and the tensor it was in (absent when the file failed to run). */
  readonly worst?: { readonly error: number; readonly name: string };
  /** Why the file failed, when it did not get as far as comparing. */
  readonly reason?: string;
}

/** The relative tolerance for `dtype`. */
export const toleranceFor = (dtype: DType): number => (dtype === 'float64' ? 1e-8 : 1e-4);

/** The worst relative error of one comparison (Infinity on a shape mismatch or NaN). */
export const relativeError = (c: Comparison, dtype: DType): number => {
  if (!shapesEqual(c.actual.shape, c.expected.shape)) return Infinity;
  let scale = 0;
  for (const e of c.expected.data) scale = Math.max(scale, Math.abs(e));
  const floor = Math.max(scale * (dtype === 'float64' ? 1e-6 : 1e-3), 1e-300);
  let worst = 0;
  c.expected.data.forEach((e, i) => {
    const err = Math.abs(c.actual.data[i]! - e) / Math.max(Math.abs(e), floor);
    if (!(err <= worst)) worst = err;
  });
  return worst;
};

/** Runs one parsed fixture with the first checker that accepts it. */
export const runFixture = (fixture: Fixture, file: string, dtype: DType, checkers: readonly Checker[] = CHECKERS): FileResult => {
  const checker = checkers.find((c) => c.accepts(fixture));
  if (!checker) return { file, dtype, ok: false, reason: `no checker knows this kind of file (name ${JSON.stringify(fixture.name)}; known kinds: ${checkers.map((c) => c.kind).join(', ')})` };
  try {
    const comparisons = checker.check(fixture, dtype);
    if (comparisons.length === 0) return { file, dtype, ok: false, reason: 'the checker compared nothing' };
    let worst = { error: -1, name: '' };
    for (const c of comparisons) {
      const error = relativeError(c, dtype);
      const shapeNote = Number.isFinite(error) ? '' : ` (got ${showShape(c.actual.shape)}, want ${showShape(c.expected.shape)})`;
      if (!(error <= worst.error)) worst = { error, name: c.name + shapeNote };
    }
    return { file, dtype, ok: worst.error <= toleranceFor(dtype), worst };
  } catch (e) {
    return { file, dtype, ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
};

/** Reads and runs one file. */
export const runFile = (path: string, dtype: DType, checkers: readonly Checker[] = CHECKERS): FileResult => {
  let fixture: Fixture;
  try {
    fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
  } catch (e) {
    return { file: path, dtype, ok: false, reason: `cannot read it as JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof fixture !== 'object' || fixture === null || typeof fixture.name !== 'string') {
    return { file: path, dtype, ok: false, reason: 'not a reference file: it has no "name" field' };
  }
  return runFixture(fixture, path, dtype, checkers);
};

/** The `.json` files of a directory (recursively), sorted. */
export const listFixtureFiles = (dir: string): string[] =>
  readdirSync(dir).sort().flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return listFixtureFiles(path);
    return entry.endsWith('.json') ? [path] : [];
  });

/** One line for a result: `PASS float64 rnn/gru_1layer.json  worst 3.1e-14 in grads.x`. */
export const formatResult = (r: FileResult, root = ''): string => {
  const file = root && r.file.startsWith(root) ? r.file.slice(root.length).replace(/^[/\\]/, '') : basename(r.file);
  const detail = r.worst ? `worst ${r.worst.error.toExponential(2)} in ${r.worst.name}` : `error: ${r.reason}`;
  return `${r.ok ? 'PASS' : 'FAIL'} ${r.dtype.padEnd(7)} ${file.padEnd(40)} ${detail}${r.ok || !r.worst ? '' : ` (tolerance ${toleranceFor(r.dtype)})`}`;
};
