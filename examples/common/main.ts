/**
 * Runs an example's task from the command line without the `seqgrad` CLI: the common
 * train options, validated, then the task's report printed.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Task } from '../../lib/cli/contract.js';

const count = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${v}`);
  return n;
};

/** Parses `--quick --epochs --hidden --lr --seed --out --max-minutes` and trains `task`. */
export const runTask = async (task: Task): Promise<void> => {
  const { values: a } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, epochs: { type: 'string' }, hidden: { type: 'string' }, lr: { type: 'string' },
      seed: { type: 'string', default: '0' }, out: { type: 'string', default: join(tmpdir(), `seqgrad-${task.name}`) }, 'max-minutes': { type: 'string' },
    },
  });
  const maxMinutes = count('max-minutes', a['max-minutes']);
  const report = await task.train({
    quick: a.quick === true, seed: count('seed', a.seed) ?? 0, out: a.out!, epochs: count('epochs', a.epochs), hidden: count('hidden', a.hidden),
    lr: count('lr', a.lr), ...(maxMinutes === undefined ? {} : { maxMinutes }), progress: process.stdout.isTTY ? 'bar' : 'none',
  });
  for (const line of report.lines) console.log(line);
  console.log(`run folder: ${a.out} (${report.metrics.seconds} s)`);
};
