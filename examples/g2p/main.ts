/**
 * Runs the g2p task directly (the `seqgrad` CLI dispatches to the same task). The full
 * mode resumes from the run folder's newest checkpoint when started again.
 *
 * Run: npx tsx examples/g2p/main.ts [--quick] [--epochs N] [--hidden N] [--lr X] [--seed N] [--out DIR] [--max-minutes M]
 */
import { runTask } from '../common/main.js';
import task from './task.js';

await runTask(task);
