/**
 * Matmul benchmark: GFLOP/s of seqgrad's blocked kernel and of a textbook triple loop,
 * run side by side in one process on the same operands, at 256³ and 1024³, float32
 * and float64, for A·B and the two products the backward pass needs (A·Bᵀ, Aᵀ·B).
 * The ratio column is what to quote: absolute figures depend on the machine.
 *
 * Run with `npm run bench:matmul` (add `--quick` to time the naive loop only at 256³).
 */
import { matmul, type NumArray } from '../lib/kernels/index.js';

type Float = 'float32' | 'float64';
type Variant = 'A·B' | 'A·Bᵀ' | 'Aᵀ·B';

const SIZES = [256, 1024] as const;
const DTYPES: readonly Float[] = ['float32', 'float64'];
const VARIANTS: readonly Variant[] = ['A·B', 'A·Bᵀ', 'Aᵀ·B'];
const MIN_SECONDS = 1;
const quick = process.argv.includes('--quick');

/**
 * The textbook i-j-p loop (a dot product per output element), one loop per reading of
 * the operands so the branch on the variant stays out of the inner loop.
 */
const naive = (a: NumArray, b: NumArray, out: NumArray, n: number, variant: Variant): void => {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (variant === 'A·B') for (let p = 0; p < n; p++) s += a[i * n + p]! * b[p * n + j]!;
      else if (variant === 'A·Bᵀ') for (let p = 0; p < n; p++) s += a[i * n + p]! * b[j * n + p]!;
      else for (let p = 0; p < n; p++) s += a[p * n + i]! * b[p * n + j]!;
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

/** Best GFLOP/s over repeated runs (at least one untimed warm-up, then ≥ MIN_SECONDS or 3 runs). */
const gflops = (n: number, run: () => void, maxRuns = Infinity): number => {
  run();
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < maxRuns && (r < 3 || total < MIN_SECONDS); r++) {
    const seconds = cpuSeconds(run);
    best = Math.min(best, seconds);
    total += seconds;
  }
  return (2 * n ** 3) / best / 1e9;
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

interface Row { size: number; dtype: Float; variant: Variant; seqgrad: number; naive: number | null }

const measure = (n: number, dtype: Float, variant: Variant): Row => {
  const a = random(dtype, n * n, 1);
  const b = random(dtype, n * n, 2);
  const out = random(dtype, n * n, 3);
  const transA = variant === 'Aᵀ·B';
  const transB = variant === 'A·Bᵀ';
  const seqgrad = gflops(n, () => matmul({ data: a, offset: 0, transposed: transA }, { data: b, offset: 0, transposed: transB }, out, 0, n, n, n));
  // the naive loop takes seconds per run at 1024³: one warm-up and one timed run
  const naiveRate = quick && n > 256 ? null : gflops(n, () => naive(a, b, out, n, variant), n > 256 ? 1 : Infinity);
  return { size: n, dtype, variant, seqgrad, naive: naiveRate };
};

const pad = (s: string, width: number): string => s.padStart(width);

const main = (): void => {
  console.log(`matmul GFLOP/s (best CPU time of repeated runs), node ${process.version}, ${process.arch}`);
  console.log(['size', 'dtype', 'product', 'seqgrad', 'naive', 'ratio'].map((h, i) => pad(h, i < 3 ? 8 : 10)).join(''));
  for (const n of SIZES) {
    for (const dtype of DTYPES) {
      for (const variant of VARIANTS) {
        const r = measure(n, dtype, variant);
        const ratio = r.naive === null ? '-' : `${(r.seqgrad / r.naive).toFixed(1)}×`;
        console.log([`${n}³`, dtype, variant].map((s) => pad(s, 8)).join('') +
          [r.seqgrad.toFixed(2), r.naive === null ? '-' : r.naive.toFixed(2), ratio].map((s) => pad(s, 10)).join(''));
      }
    }
  }
};

main();
