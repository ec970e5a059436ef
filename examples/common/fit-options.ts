/**
 * The parts of `fit`'s options every example derives from the command line the same
 * way: the time budget from `--max-minutes` and the progress display from
 * `--progress`.
 */
import type { TrainOptions } from '../../lib/cli/contract.js';
import type { ProgressOptions } from '../../lib/train/index.js';

/**
 * `maxSeconds` from `--max-minutes` (nothing when it is absent), divided among `parts`
 * models when a task trains several in one run.
 */
export const budget = (options: TrainOptions, parts = 1): { maxSeconds?: number } =>
  options.maxMinutes === undefined ? {} : { maxSeconds: (options.maxMinutes * 60) / parts };

/**
 * The progress display for `--progress`: a bar without the terminal chart, JSON lines
 * (by default one per step; `every: 'epoch'` for one per epoch), or none.
 */
export const progressOf = (options: TrainOptions, json: 'json' | ProgressOptions = 'json'): 'json' | 'none' | ProgressOptions =>
  options.progress === 'bar' ? { mode: 'bar', chart: false } : options.progress === 'json' ? json : 'none';
