/**
 * The training entry's optional packages: the progress bar (cli-progress), the
 * terminal chart (asciichart) and the SVG plots (vega, vega-lite). seqgrad does not
 * install them, so a model that never draws a bar or a plot pulls none of them in;
 * they are loaded on first use, and a missing one is reported with the package's name
 * and the command that installs it, instead of a module-resolution error from deep
 * inside the loop.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type * as AsciiChart from 'asciichart';
import { SeqgradError } from '../tensor/errors.js';
import { isMissingModule } from '../tensor/missing-module.js';

/** What each optional package is needed for, as a message names it. */
export const OPTIONAL_PACKAGES = {
  'cli-progress': 'the progress bar',
  asciichart: 'the terminal loss chart',
  vega: 'rendering plots to SVG',
  'vega-lite': 'rendering plots to SVG',
} as const;

/** The name of an optional package. */
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

// cli-progress and asciichart are CommonJS, so a synchronous require loads them where
// the bar or chart is made, without making every reporter constructor async
const requireHere = createRequire(import.meta.url);

/** The error for a missing optional package: what needs it and how to install it. */
export const missingPackage = (op: string, name: OptionalPackage, cause?: unknown): SeqgradError => {
  const error = new SeqgradError(op, `${OPTIONAL_PACKAGES[name]} needs the optional package '${name}', which is not installed; install it with: npm install ${name}`);
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
};

/**
 * Runs `load` and turns "`name` is not installed" into `missingPackage`; any other
 * error (a broken install, a bug in the package) passes through unchanged.
 */
export const loadOptional = <T>(op: string, name: OptionalPackage, load: () => T): T => {
  try {
    return load();
  } catch (error) {
    throw isMissingModule(error, name) ? missingPackage(op, name, error) : error;
  }
};

/** The same as `loadOptional` for a loader that returns a promise (an ES module's `import()`). */
export const importOptional = async <T>(op: string, name: OptionalPackage, load: () => Promise<T>): Promise<T> => {
  try {
    return await load();
  } catch (error) {
    throw isMissingModule(error, name) ? missingPackage(op, name, error) : error;
  }
};

/** cli-progress, for `op`'s progress bar. */
export const cliProgress = (op: string): typeof CliProgress => loadOptional(op, 'cli-progress', () => requireHere('cli-progress') as typeof CliProgress);

/** asciichart, for `op`'s terminal chart. */
export const asciichart = (op: string): typeof AsciiChart => loadOptional(op, 'asciichart', () => requireHere('asciichart') as typeof AsciiChart);
