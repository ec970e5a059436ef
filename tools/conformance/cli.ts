/**
 * `npm run conformance -- DIR [DIR...]`: recomputes every reference file under the
 * given directories in float64 and float32, prints one line per file and dtype, ends
 * with `N passed, M failed`, and exits non-zero on any failure.
 *
 * Options: `--dtype float64|float32` limits the run to one dtype.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DType } from '../../lib/tensor/dtype.js';
import { formatResult, listFixtureFiles, runFile } from './runner.js';

const main = (argv: readonly string[]): number => {
  const dtypes: DType[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dtype') {
      const d = argv[++i];
      if (d !== 'float64' && d !== 'float32') {
        console.error(`conformance: --dtype must be float64 or float32, got ${d}`);
        return 2;
      }
      dtypes.push(d);
    } else dirs.push(arg);
  }
  if (dirs.length === 0) {
    console.error('usage: npm run conformance -- DIR [DIR...] [--dtype float64|float32]');
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      console.log(`FAIL ${dir}: no such file or directory`);
      failed++;
      continue;
    }
    const files = statSync(dir).isDirectory() ? listFixtureFiles(dir) : [dir];
    const root = statSync(dir).isDirectory() ? resolve(dir, '..') : dirname(resolve(dir));
    if (files.length === 0) {
      console.log(`FAIL ${dir}: no .json files`);
      failed++;
    }
    for (const file of files) {
      for (const dtype of dtypes.length ? dtypes : (['float64', 'float32'] as const)) {
        const result = runFile(resolve(file), dtype);
        console.log(formatResult(result, root));
        if (result.ok) passed++;
        else failed++;
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
};

process.exitCode = main(process.argv.slice(2));
