import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { asciichart, cliProgress, importOptional, loadOptional, missingPackage } from '../../lib/train/optional.js';

const requireHere = createRequire(import.meta.url);

/** A loader that fails the way Node does when `name` is not installed. */
const absent = (name: string) => (): never => requireHere(name) as never;

describe('optional packages', () => {
  it('loads an installed package', () => {
    expect(typeof cliProgress('barReporter').SingleBar).toBe('function');
    expect(typeof asciichart('terminalChart').plot).toBe('function');
  });

  it('names the missing package, what needs it and how to install it', () => {
    // the error Node's require raises for a package that is not installed
    const notFound = Object.assign(new Error("Cannot find module 'vega-lite'\nRequire stack:\n- x.js"), { code: 'MODULE_NOT_FOUND' });
    expect(() => loadOptional('renderSvg', 'vega-lite', () => { throw notFound; }))
      .toThrow("renderSvg: rendering plots to SVG needs the optional package 'vega-lite', which is not installed; install it with: npm install vega-lite");
  });

  it('passes through errors that are not the package itself missing', async () => {
    // a package whose own import is missing is a broken install, not an absent option
    expect(() => loadOptional('barReporter', 'cli-progress', absent('string-width-missing'))).toThrow(/string-width-missing/);
    expect(() => loadOptional('barReporter', 'cli-progress', () => { throw new TypeError('boom'); })).toThrow(TypeError);
    await expect(importOptional('renderSvg', 'vega', () => Promise.reject(new RangeError('bad')))).rejects.toThrow(RangeError);
  });

  it('turns a missing ES module into the same message', async () => {
    const missing = Object.assign(new Error("Cannot find package 'vega' imported from x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(importOptional('renderSvg', 'vega', () => Promise.reject(missing))).rejects.toThrow("renderSvg: rendering plots to SVG needs the optional package 'vega'");
    expect(missingPackage('fit', 'cli-progress').message).toBe("fit: the progress bar needs the optional package 'cli-progress', which is not installed; install it with: npm install cli-progress");
  });
});
