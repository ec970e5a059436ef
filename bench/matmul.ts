/**
 * Matmul benchmark: GFLOP/s of seqgrad's blocked kernel and of a textbook triple loop,
 * run side by side in one process on the same operands, at 256³ and 1024³, float32
 * and float64, for A·B and the two products the backward pass needs (A·Bᵀ, Aᵀ·B);
 * then the shapes one step of a recurrent layer produces. The ratio column is what to
 * quote: absolute figures depend on the machine.
 *
 * Run with `npm run bench:matmul` (add `--quick` to skip the naive loop at 1024³, which
 * takes seconds per run).
 */
import { matmul } from '../lib/kernels/reference/matmul.js';
import type { NumArray } from '../lib/kernels/types.js';

type Float = 'float32' | 'float64';
type Variant = 'A·B' | 'A·Bᵀ' | 'Aᵀ·B';

interface Case {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly dtype: Float;
  readonly variant: Variant;
}

const MIN_SECONDS = 1;
const quick = process.argv.includes('--quick');

const cubes: Case[] = [256, 1024].flatMap((s) =>
  (['float32', 'float64'] as const).flatMap((dtype) =>
    (['A·B', 'A·Bᵀ', 'Aᵀ·B'] as const).map((variant) => ({ label: `${s}³`, m: s, n: s, k: s, dtype, variant }))));

// An LSTM step with 256 inputs and hidden size 256 (gates 4·256 = 1024): the forward
// x·Wᵀ, and the backward dx = dy·W and dW = dyᵀ·x, at batch 32 and batch 1.
const recurrent: Case[] = [32, 1].flatMap((batch) => [
  { label: `x·Wᵀ  b=${batch}`, m: batch, n: 1024, k: 256, dtype: 'float32', variant: 'A·Bᵀ' },
  { label: `dy·W  b=${batch}`, m: batch, n: 256, k: 1024, dtype: 'float32', variant: 'A·B' },
  { label: `dyᵀ·x b=${batch}`, m: 1024, n: 256, k: batch, dtype: 'float32', variant: 'Aᵀ·B' },
]);

/**
 * The textbook i-j-p loop (a dot product per output element), one inner loop per
 * reading of the operands so the branch on the variant stays out of it.
 */
const naive = (a: NumArray, b: NumArray, out: NumArray, { m, n, k, variant }: Case): void => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (variant === 'A·B') for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      else if (variant === 'A·Bᵀ') for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
      else for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!;
      out[i * n + j] = s;
    }
  }
};

/**
 * Seconds of CPU time `run` takes. CPU time rather than wall time, because the machine
 * may be shared: a busy neighbour stretches wall time but not the CPU time of this
 * single-threaded loop (which allocates nothing, so no GC thread adds to it).
 */
const cpuSeconds = (run: () => void): number => {
  const t0 = process.cpuUsage();
  run();
  const dt = process.cpuUsage(t0);
  return (dt.user + dt.system) / 1e6;
};

/** Best GFLOP/s over repeated batches of runs (one untimed warm-up, then ≥ MIN_SECONDS and ≥ 5 batches). */
const gflops = (flops: number, run: () => void, maxBatches = Infinity): number => {
  // small products repeat within a batch so each timing spans a few milliseconds
  const reps = Math.max(1, Math.round(2e7 / flops));
  const batch = (): void => {
    for (let r = 0; r < reps; r++) run();
  };
  batch();
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < maxBatches && (r < 5 || total < MIN_SECONDS); r++) {
    const seconds = cpuSeconds(batch);
    best = Math.min(best, seconds);
    total += seconds;
  }
  return (flops * reps) / best / 1e9;
};

const random = (dtype: Float, size: number, seed: number): NumArray => {
  const data = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
};

const measure = (c: Case): { seqgrad: number; naive: number | null } => {
  const a = random(c.dtype, c.m * c.k, 1);
  const b = random(c.dtype, c.k * c.n, 2);
  const out = random(c.dtype, c.m * c.n, 3);
  const flops = 2 * c.m * c.n * c.k;
  const opA = { data: a, offset: 0, transposed: c.variant === 'Aᵀ·B' };
  const opB = { data: b, offset: 0, transposed: c.variant === 'A·Bᵀ' };
  const seqgrad = gflops(flops, () => matmul(opA, opB, out, 0, c.m, c.n, c.k));
  // the naive loop takes seconds per run at 1024³: one warm-up and one timed run
  const slow = flops > 1e9;
  const naiveRate = quick && slow ? null : gflops(flops, () => naive(a, b, out, c), slow ? 1 : Infinity);
  return { seqgrad, naive: naiveRate };
};

const table = (title: string, cases: readonly Case[]): void => {
  console.log(`\n${title}`);
  console.log(['shape', 'dtype', 'product'].map((h, i) => h.padEnd(i === 0 ? 14 : 9)).join('') +
    ['seqgrad', 'naive', 'ratio'].map((h) => h.padStart(10)).join(''));
  for (const c of cases) {
    const r = measure(c);
    const ratio = r.naive === null ? '-' : `${(r.seqgrad / r.naive).toFixed(1)}×`;
    console.log(c.label.padEnd(14) + c.dtype.padEnd(9) + c.variant.padEnd(9) +
      [r.seqgrad.toFixed(2), r.naive === null ? '-' : r.naive.toFixed(2), ratio].map((s) => s.padStart(10)).join(''));
  }
};

console.log(`matmul GFLOP/s (best CPU time of repeated runs), node ${process.version}, ${process.arch}`);
table('square products', cubes);
table('one LSTM step: 256 inputs, hidden 256, float32', recurrent);
