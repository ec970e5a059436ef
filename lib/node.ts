/**
 * The Node entry: everything the core entry exports, plus `useThreads`, which it calls
 * on import with one thread per core (up to four), so large matrix products use every
 * core by default. `SEQGRAD_THREADS=1` (or any count) sets the number instead;
 * `SEQGRAD_BACKEND=js` leaves the reference kernels in charge.
 *
 * @module
 */
import { defaultThreads, useThreads } from './threads.js';

export * from './index.js';
export { defaultThreads, threadCount, useThreads } from './threads.js';

const requested = process.env.SEQGRAD_THREADS;
if (process.env.SEQGRAD_BACKEND !== 'js') useThreads(requested === undefined || requested === '' ? defaultThreads() : Number(requested));
