#!/usr/bin/env node
/**
 * The `seqgrad` executable: runs `main` on the command line and turns its outcome
 * into an exit code (0 done, 1 failed, 2 a usage error, printed with a hint).
 *
 * @module
 */
import { main } from './main.js';
import { UsageError } from './options.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  const usage = e instanceof UsageError || (e as Error).name === 'MissingDatasetError';
  process.stderr.write(`seqgrad: ${(e as Error).message}${usage ? "\nRun 'seqgrad --help' for usage." : ''}\n`);
  process.exitCode = usage ? 2 : 1;
});
