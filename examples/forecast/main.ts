/**
 * Runs the forecast task directly (the `seqgrad` CLI dispatches to the same task).
 *
 * Run: npx tsx examples/forecast/main.ts [--quick] [--epochs N] [--hidden N] [--lr X] [--seed N] [--out DIR] [--max-minutes M]
 */
import { runTask } from '../common/main.js';
import task from './task.js';

await runTask(task);
