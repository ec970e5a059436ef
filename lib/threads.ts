/**
 * Both cores (Node only, opt-in): `useThreads` switches the WebAssembly backend to its
 * threaded form, where worker threads take a block of rows of the matrix products large
 * enough to pay for the hand-off, wherever that measures faster than one thread (a
 * policy times both ways per size of product). It pays for large products (1024³: 1.9×
 * on two cores here) and larger models; the per-step products of a small recurrent
 * layer (batch 32, hidden 128) gain nothing on the 2-core machine the benchmarks run
 * on, so one thread stays the default. Browsers keep the single-threaded backend: their
 * Web Workers would need the page to be cross-origin isolated for shared memory.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { installWasmBackend } from './kernels/registry.js';
import { SeqgradError } from './kernels/errors.js';
import { loadWasmKernels } from './kernels/wasm/index.js';
import { createThreadedWasmKernels } from './kernels/wasm/threads/index.js';

/** The most threads the threaded build supports (the kernels keep one edge buffer per thread). */
const MAX_THREADS = 4;

let stopCurrent: (() => void) | null = null;
let current = 1;

/**
 * The default thread count: one per core this process may use, at most four.
 *
 * @example
 * ```ts
 * useThreads(defaultThreads());
 * ```
 */
export const defaultThreads = (): number => Math.max(1, Math.min(MAX_THREADS, availableParallelism()));

/**
 * Runs large matrix products on `threads` threads in all (the main thread included;
 * 1: the main thread alone). At most one per core, and at most four. Workers start at
 * the first product that needs them and never keep the process alive. Returns the
 * thread count now in use. Results are the same as on one thread: each thread computes
 * whole rows, with the same kernel.
 *
 * @example
 * ```ts
 * import { useThreads } from 'seqgrad/threads';
 * useThreads(2);   // the main thread and one worker
 * ```
 */
export const useThreads = (threads: number = defaultThreads()): number => {
  const cores = availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > Math.min(MAX_THREADS, cores)) {
    throw new SeqgradError('useThreads', `threads must be an integer from 1 to ${Math.min(MAX_THREADS, cores)} (this process may use ${cores} cores; at most ${MAX_THREADS}), got ${String(threads)}`);
  }
  stopCurrent?.();
  stopCurrent = null;
  if (threads === 1) {
    installWasmBackend(loadWasmKernels());
  } else {
    const threaded = createThreadedWasmKernels({ threads });
    installWasmBackend(threaded.kernels);
    stopCurrent = threaded.stop;
  }
  current = threads;
  return current;
};

/**
 * The number of threads large products run on now (1 until `useThreads` asks for more).
 *
 * @example
 * ```ts
 * console.log(`matmul on ${threadCount()} threads`);
 * ```
 */
export const threadCount = (): number => current;
