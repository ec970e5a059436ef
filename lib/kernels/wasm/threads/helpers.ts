/**
 * Gemm helpers on worker threads (Node only: `node:worker_threads`). Each helper is a
 * worker running its own instance of the shared-memory module over the same memory as
 * the main thread's; a job is a handful of int32 words written into a small shared
 * control block, and the two sides hand over with `Atomics`: the worker spins briefly
 * on the block (a recurrent step issues its next product within microseconds) and then
 * sleeps in `Atomics.wait`; the main thread spins on the done word while it does its
 * own share, and only then blocks. Workers start asynchronously; until one reports
 * ready, products run on the main thread alone. A worker that fails, or stops
 * answering, is taken out of service with an error naming what happened.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { SeqgradError } from '../../errors.js';
import type { WasmMemory, WasmModule } from '../api.js';
import type { GemmHelpers } from '../matmul.js';

/** Control block words: the job's sequence number, the last finished one, state, then the job. */
const SEQ = 0;
const DONE = 1;
const STATE = 2;
const JOB = 3;
/** STATE values (0: starting). */
const READY = 1;
const FAILED = 2;
const STOP = -1;

/**
 * How long a helper spins for the next job before it sleeps, and the main thread for a
 * result before it blocks. Short: on a busy machine a spinning thread holds a core the
 * other one needs (measured here: with other work running, 2 ms of spinning turned a
 * 40 µs hand-off into 2 ms), while the steps of a recurrence come well within it.
 */
const SPIN_MS = 0.1;
/**
 * A helper that has not finished a job after this long is taken to be gone: 30 s plus
 * a second per 10⁸ multiply-adds, far beyond any real product (a thread here does
 * about 10¹⁰ a second).
 */
const timeoutMs = (work: number): number => 30_000 + work / 1e5;

/**
 * The worker's program, evaluated as CommonJS in the worker (`eval: true`): no file to
 * locate next to the library, whichever way it was installed or bundled.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, spinMs } = workerData;
const c = new Int32Array(control);
let k;
try {
  k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  k.useEdgeSlot(slot);
  Atomics.store(c, ${STATE}, ${READY});
} catch (error) {
  Atomics.store(c, ${STATE}, ${FAILED});
  Atomics.notify(c, ${DONE});
  throw error;
}
let seen = 0;
for (;;) {
  const since = performance.now();
  let spins = 0;
  while (Atomics.load(c, ${SEQ}) === seen) {
    if ((++spins & 1023) === 0 && performance.now() - since > spinMs) Atomics.wait(c, ${SEQ}, seen);
  }
  seen = Atomics.load(c, ${SEQ});
  if (c[${JOB}] === ${STOP}) break;
  try {
    k.packA(c[${JOB}], c[${JOB + 1}], c[${JOB + 2}], c[${JOB + 3}], c[${JOB + 4}], c[${JOB + 5}]);
    k.gemm(c[${JOB + 5}], c[${JOB + 6}], c[${JOB + 7}], c[${JOB + 3}], c[${JOB + 8}], c[${JOB + 4}], c[${JOB + 9}]);
  } catch (error) {
    Atomics.store(c, ${STATE}, ${FAILED});
    Atomics.notify(c, ${DONE});
    throw error;
  }
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

/** One worker and its control block. */
interface Helper {
  readonly worker: Worker;
  readonly control: Int32Array;
  /** The sequence number of its last job. */
  seq: number;
  /** Whether a job is out and not yet waited for. */
  busy: boolean;
  /** Multiply-adds of the job out. */
  work: number;
}

/** Options of `startGemmHelpers`. @internal */
export interface HelperOptions {
  /** Number of worker threads (the main thread is one more). */
  readonly count: number;
}

/** Gemm helpers that can be stopped (their workers end). @internal */
export interface StoppableHelpers extends GemmHelpers {
  /** Ends the workers; products run on the main thread from then on. */
  stop(): void;
}

/**
 * Gemm helpers over `memory` (shared) running `module` (the shared-memory variant): the
 * `count` workers start when a product first asks for them, so a program that never
 * multiplies large matrices never starts a thread. @internal
 */
export const startGemmHelpers = (module: WasmModule, memory: WasmMemory, options: HelperOptions): StoppableHelpers => {
  const helpers: Helper[] = [];
  let failure: string | null = null;
  let started = false;
  const spawn = (): void => {
    started = true;
    for (let slot = 1; slot <= options.count; slot++) {
      const control = new Int32Array(new SharedArrayBuffer(4 * 16));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control: control.buffer, slot, spinMs: SPIN_MS } });
      // a pool of helpers must never keep the process alive
      worker.unref();
      worker.on('error', (error) => {
        failure = `a gemm helper thread failed: ${error.message}`;
      });
      helpers.push({ worker, control, seq: 0, busy: false, work: 0 });
    }
  };
  const live = (): Helper[] => {
    if (!started && failure === null) spawn();
    return failure === null ? helpers.filter((h) => Atomics.load(h.control, STATE) === READY) : [];
  };

  const awaitDone = (h: Helper): void => {
    const since = performance.now();
    let spins = 0;
    while (Atomics.load(h.control, DONE) !== h.seq) {
      if (Atomics.load(h.control, STATE) === FAILED) {
        failure ??= 'a gemm helper thread failed during a product';
        break;
      }
      if ((++spins & 1023) !== 0) continue;
      const waited = performance.now() - since;
      if (waited > timeoutMs(h.work)) {
        failure = `a gemm helper thread did not finish a product of ${h.work} multiply-adds within ${Math.round(timeoutMs(h.work) / 1000)} s`;
        break;
      }
      if (waited > SPIN_MS) Atomics.wait(h.control, DONE, Atomics.load(h.control, DONE), 50);
    }
    h.busy = false;
    if (failure !== null) throw new SeqgradError('matmul', `${failure}; products run on the main thread from now on`);
  };

  return {
    ready: () => live().length,
    start: (index, a, rs, cs, m, k, aPacked, bPacked, c, n, accumulate) => {
      const h = live()[index]!;
      const job = [a, rs, cs, m, k, aPacked, bPacked, c, n, accumulate ? 1 : 0];
      for (let i = 0; i < job.length; i++) h.control[JOB + i] = job[i]!;
      h.seq = (h.seq + 1) | 0;
      h.busy = true;
      h.work = m * n * k;
      Atomics.store(h.control, SEQ, h.seq);
      Atomics.notify(h.control, SEQ);
    },
    wait: () => {
      for (const h of helpers) if (h.busy) awaitDone(h);
    },
    stop: () => {
      failure ??= 'the gemm helpers were stopped';
      for (const h of helpers) {
        h.control[JOB] = STOP;
        Atomics.store(h.control, SEQ, (h.seq + 1) | 0);
        Atomics.notify(h.control, SEQ);
        void h.worker.terminate();
      }
    },
  };
};
