/**
 * Interleaved timing. The machines the project runs on alternate between a fast phase
 * and one about half as fast (other load on the host), so timing seqgrad in one block
 * and the peer in the next could hand either side the slow phase. Here every
 * implementation of a workload is warmed up first, then the timed runs go round-robin:
 * run 1 of each, run 2 of each, ... so each phase slows all of them alike and the
 * ratios of medians stay meaningful.
 */
import type { Impl, Timing } from './types.js';

/** How long and how often to run. */
export interface TimingOptions {
  /** Fewest warm-up runs per implementation (default 2). */
  readonly warmupRuns?: number;
  /** Least warm-up time per implementation, ms (default 300). */
  readonly warmupMs?: number;
  /** Called after each implementation's warm-up and each round, for progress output. */
  readonly onProgress?: (message: string) => void;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Warms up every implementation, then times them interleaved until each has its
 * `reps` runs (implementations that need fewer drop out of later rounds).
 *
 * @example
 * ```ts
 * const timings = await timeInterleaved(await w1.build(w1.FULL, ['wasm']));
 * ```
 */
export const timeInterleaved = async (impls: readonly Impl[], options: TimingOptions = {}): Promise<Timing[]> => {
  const { warmupRuns = 2, warmupMs = 300, onProgress } = options;
  const last = new Map<Impl, number>();
  for (const impl of impls) {
    last.set(impl, await warmUp(impl, warmupRuns, warmupMs));
    onProgress?.(`warmed up ${label(impl)}`);
  }
  const times = new Map<Impl, number[]>(impls.map((i) => [i, []]));
  const rounds = Math.max(0, ...impls.map((i) => i.reps));
  for (let round = 0; round < rounds; round++) {
    for (const impl of impls) {
      if (round >= impl.reps) continue;
      const [ms, value] = await timeOnce(impl);
      times.get(impl)!.push(ms);
      last.set(impl, value);
    }
    onProgress?.(`round ${round + 1}/${rounds}`);
  }
  return impls.map((impl) => ({
    workload: impl.workload, impl: impl.impl, backend: impl.backend,
    ...(impl.case === undefined ? {} : { case: impl.case }),
    ...(impl.flops === undefined ? {} : { flops: impl.flops }),
    times: times.get(impl)!, last: last.get(impl)!,
  }));
};

/** Median, min and max of some run times, ms. */
export const summary = (times: readonly number[]): { median: number; min: number; max: number } => {
  if (times.length === 0) return { median: NaN, min: NaN, max: NaN };
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
};

/** `W1 tfjs-layers/wasm` (with the case for W5), for progress lines and errors. */
export const label = (i: { workload: string; impl: string; backend: string; case?: string }): string =>
  `${i.workload}${i.case ? ` ${i.case}` : ''} ${i.impl}/${i.backend}`;

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** One run: activation untimed, then the step and its read-back timed. */
const timeOnce = async (impl: Impl): Promise<[number, number]> => {
  await impl.activate?.();
  const start = performance.now();
  const value = await impl.step();
  const ms = performance.now() - start;
  if (!Number.isFinite(value)) throw new Error(`${label(impl)}: the step read back ${value}, not a finite number`);
  return [ms, value];
};

/** Runs until both `runs` runs and `ms` milliseconds are done; returns the last value read. */
const warmUp = async (impl: Impl, runs: number, ms: number): Promise<number> => {
  let spent = 0;
  let value = NaN;
  for (let n = 0; n < runs || spent < ms; n++) {
    const [t, v] = await timeOnce(impl);
    spent += t;
    value = v;
  }
  return value;
};
