/**
 * The main job (`npm run example`): trains the character LSTM language model of first
 * names into runs/names with a progress bar, then prints the validation NLL beside the
 * Kneser-Ney 3-gram and names sampled at two temperatures. Any `seqgrad train` option
 * may follow, e.g. `npm run example -- --epochs 4 --quick`; the time budget defaults
 * to 6 minutes so the job stays short on a small machine.
 */
import { main } from '../../lib/cli/main.js';

const args = process.argv.slice(2);
const defaults = [
  ...(args.includes('--out') ? [] : ['--out', 'runs/names']),
  ...(args.includes('--max-minutes') ? [] : ['--max-minutes', '6']),
];
main(['train', 'names', ...defaults, ...args]).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`names: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
