/**
 * W3's memory, in a process of its own so that nothing else (the tfjs peers, other
 * workloads' garbage) shares the heap: the peak of `heapUsed + arrayBuffers` above a
 * baseline taken after a full GC and before the model is built, sampled while the step
 * runs, against the bytes the step must hold (bench/harness/memory-estimate.ts).
 *
 * The samples come from inside the step through seqgrad's public `definePrimitive`: an
 * identity op on the logits samples when the forward pass ends and when the backward
 * pass starts, and one on the LSTM's input weight samples near the end of the backward
 * pass (its cotangent is complete only after all time steps). A sample also follows
 * each whole step. Two passes over fresh models: one as the step runs (garbage not yet
 * collected counts, as it does for the process), one forcing a GC before each sample,
 * which leaves what is live. seqgrad runs in its default configuration; nothing here
 * imports tfjs.
 *
 * Run: `npm run bench:memory` (it needs `node --expose-gc`, which the script passes),
 * or `npm run bench:memory -- --json` for one line of JSON, which `npm run bench` reads.
 */
import { definePrimitive, type Tensor } from '../lib/index.js';
import { charLmEstimate } from './harness/memory-estimate.js';
import { seqgradBackend } from './workloads/seqgrad-side.js';
import { FULL, seqgradCharLm } from './workloads/w3.js';

const STEPS = 4;
const MB = 1e6; // decimal megabytes, as bench/README.md's estimate table

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/memory.ts needs node --expose-gc (npm run bench:memory passes it)');

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Peak bytes above the baseline, overall and per sampling point, over `STEPS` steps of a fresh model. */
const measure = (collect: boolean): { peak: number; peakRss: number; peaks: Record<string, number>; losses: number[] } => {
  gc();
  gc();
  const baseline = used();
  const baselineRss = process.memoryUsage.rss();
  const peaks: Record<string, number> = {};
  let peak = 0;
  let peakRss = 0;
  const sample = (where: string): void => {
    if (collect) gc();
    const above = used() - baseline;
    peak = Math.max(peak, above);
    peakRss = Math.max(peakRss, process.memoryUsage.rss() - baselineRss);
    peaks[where] = Math.max(peaks[where] ?? 0, above);
  };
  const probeOp = definePrimitive<string>({
    name: 'memoryProbe',
    forward: ([x], where) => {
      sample(`forward: ${where}`);
      return x!;
    },
    vjp: (dy, _inputs, _out, where) => {
      sample(`backward: ${where}`);
      return [dy];
    },
  });
  const { step } = seqgradCharLm(FULL, (t: Tensor, where) => probeOp([t], where));
  sample('model built');
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    losses.push(step());
    sample('after update');
  }
  return { peak, peakRss, peaks, losses };
};

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

const main = async (): Promise<void> => {
  const backend = await seqgradBackend(); // chooses (and compiles) the backend before any baseline
  const natural = measure(false);
  const live = measure(true);
  const estimate = charLmEstimate(FULL);
  const result = {
    workload: 'W3', backend, steps: STEPS, losses: natural.losses,
    peak_bytes: natural.peak,
    live_peak_bytes: live.peak,
    // WebAssembly memory is in neither heapUsed nor arrayBuffers: growth of the resident
    // set shows it (with V8's own reservations, so only as a rough upper figure)
    rss_growth_bytes: natural.peakRss,
    ...estimate,
    peak_over_estimate: natural.peak / estimate.estimate_bytes,
    live_peak_over_estimate: live.peak / estimate.estimate_bytes,
    peaks_by_point: natural.peaks,
    live_peaks_by_point: live.peaks,
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`W3 memory, seqgrad backend ${backend}, ${STEPS} steps (losses ${natural.losses.map((l) => l.toFixed(4)).join(', ')})`);
  console.log('  above the baseline (heapUsed + arrayBuffers)        as it runs   after a forced GC');
  for (const where of Object.keys(natural.peaks)) {
    console.log(`    at ${where.padEnd(44)} ${mb(natural.peaks[where]!).padStart(9)}   ${mb(live.peaks[where] ?? NaN).padStart(9)}`);
  }
  console.log(`    peak${' '.repeat(44)}${mb(natural.peak).padStart(9)}   ${mb(live.peak).padStart(9)}`);
  console.log(`  resident set grew by ${mb(natural.peakRss)} at most (includes WebAssembly memory, and V8's reservations)`);
  console.log(`  estimate: params ${mb(estimate.params_bytes)} + Adam ${mb(estimate.adam_bytes)} + activations ${mb(estimate.activations_bytes)} = ${mb(estimate.estimate_bytes)}`);
  console.log(`    (plus gradient ${mb(estimate.grads_bytes)} and batch ${mb(estimate.inputs_bytes)}: ${mb(estimate.estimate_all_bytes)})`);
  console.log(`  peak / estimate: ${result.peak_over_estimate.toFixed(1)}× as it runs, ${result.live_peak_over_estimate.toFixed(1)}× live after a forced GC`);
};

await main();
