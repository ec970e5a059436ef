/**
 * What every example run folder holds besides its model: metrics.json, run.json (the
 * CLI contract's RunInfo, naming the task) and SVG figures, each written atomically so
 * an interrupted run never leaves half a file. Also finds a dataset file inside an
 * installed npm package, and says which package to install when it is missing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { RunInfo, TrainOptions } from '../../lib/cli/contract.js';
import { writeFileAtomic } from '../../lib/io/node.js';
import { renderSvg } from '../../lib/train/index.js';

const encoder = new TextEncoder();

/** Writes `value` as pretty JSON to `dir/name`. */
export const writeJson = async (dir: string, name: string, value: unknown): Promise<string> => {
  const path = join(dir, name);
  await writeFileAtomic(path, encoder.encode(`${JSON.stringify(value, null, 2)}\n`), name);
  return path;
};

/** Reads `dir/name` as JSON, saying which run folder lacked it. */
export const readJson = async <T>(dir: string, name: string): Promise<T> => {
  try {
    return JSON.parse(await readFile(join(dir, name), 'utf8')) as T;
  } catch (e) {
    throw new Error(`${dir} has no readable ${name} (${(e as Error).message}); is it a finished run folder?`, { cause: e });
  }
};

/** Writes run.json, which tells `seqgrad eval` and `predict` which task made the folder. */
export const writeRunInfo = (task: string, options: TrainOptions): Promise<string> =>
  writeJson(options.out, 'run.json', { task, options, finished: new Date().toISOString() } satisfies RunInfo);

/** Renders a vega-lite spec to `dir/name` as SVG. */
export const writeSvg = async (dir: string, name: string, spec: TopLevelSpec): Promise<string> => {
  const path = join(dir, name);
  await writeFileAtomic(path, encoder.encode(await renderSvg(spec)), name);
  return path;
};

/** The text of `file` inside the installed package `pkg`, or an error naming the package to install. */
export const readPackageFile = async (pkg: string, file: string): Promise<string> => {
  // a package's exports may hide package.json and data files, so look in node_modules directly
  const candidates = createRequire(import.meta.url).resolve.paths(pkg) ?? [];
  const root = candidates.map((dir) => join(dir, pkg)).find((dir) => existsSync(join(dir, 'package.json')));
  if (root === undefined) throw new Error(`the dataset package ${pkg} is not installed: run npm install --save-dev ${pkg}`);
  return readFile(join(root, file), 'utf8');
};

/** Seconds since `start` (from performance.now()), to one decimal. */
export const secondsSince = (start: number): number => Math.round((performance.now() - start) / 100) / 10;
