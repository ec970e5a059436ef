/**
 * Matmul benchmark: GFLOP/s of the WebAssembly SIMD kernel and of the TypeScript
 * reference kernel, run side by side in one process on the same float32 operands, at
 * 256³ and 1024³ for A·B and the two products the backward pass needs (A·Bᵀ, Aᵀ·B),
 * then the shapes one step of a recurrent layer produces. The WebAssembly kernel is
 * timed twice: with B resident (a weight reused at every step, packed once) and with
 * no resident operands (B copied and packed on every call, as for an activation).
 * The ratio column is what to quote: absolute figures depend on the machine.
 *
 * Run with `npm run bench:matmul` (add `--quick` for fewer, shorter timings).
 */
import type { MatrixOperand } from '../lib/kernels/backend.js';
import { matmul as referenceMatmul } from '../lib/kernels/reference/matmul.js';
import { compileWasmModule, createWasmKernels } from '../lib/kernels/wasm/index.js';

type Variant = 'A·B' | 'A·Bᵀ' | 'Aᵀ·B';

interface Case {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly variant: Variant;
}

const quick = process.argv.includes('--quick');
const MIN_SECONDS = quick ? 0.2 : 1;
const VARIANTS: readonly Variant[] = ['A·B', 'Aᵀ·B', 'A·Bᵀ'];

const module = compileWasmModule();
const resident = createWasmKernels(module);
const uncached = createWasmKernels(module, { residentBytes: 0 });

const cubes: Case[] = [256, 1024].flatMap((s) => VARIANTS.map((variant) => ({ label: `${s}³`, m: s, n: s, k: s, variant })));

// LSTM steps: 64 inputs + 128 hidden = 192, gates 4·128 = 512 (the benchmark workloads'
// W1/W4), and 256 + 256 = 512 -> 1024; forward x·Wᵀ, backward dh·W and dWᵀ = dyᵀ·x
const recurrent: Case[] = [[192, 512], [256, 1024]].flatMap(([k, n]) => [32, 1].flatMap((batch) => [
  { label: `x·Wᵀ  ${batch}×${k}×${n}`, m: batch, n: n!, k: k!, variant: 'A·Bᵀ' as const },
  { label: `dy·W  ${batch}×${n}×${k}`, m: batch, n: k!, k: n!, variant: 'A·B' as const },
  { label: `dyᵀ·x ${n}×${batch}×${k}`, m: n!, n: k!, k: batch, variant: 'Aᵀ·B' as const },
]));

/**
 * Seconds of CPU time `run` takes. CPU time rather than wall time, because the machine
 * may be shared: a busy neighbour stretches wall time but not the CPU time of this
 * single-threaded loop.
 */
const cpuSeconds = (run: () => void): number => {
  const t0 = process.cpuUsage();
  run();
  const dt = process.cpuUsage(t0);
  return (dt.user + dt.system) / 1e6;
};

/** Best GFLOP/s over repeated batches of runs (one untimed warm-up, then ≥ MIN_SECONDS and ≥ 5 batches). */
const gflops = (flops: number, run: () => void): number => {
  // small products repeat within a batch so each timing spans several milliseconds
  const reps = Math.max(1, Math.round(5e7 / flops));
  const batch = (): void => {
    for (let r = 0; r < reps; r++) run();
  };
  batch();
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < 5 || total < MIN_SECONDS; r++) {
    const seconds = cpuSeconds(batch);
    best = Math.min(best, seconds);
    total += seconds;
  }
  return (flops * reps) / best / 1e9;
};

const random = (size: number, seed: number): Float32Array => {
  const data = new Float32Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
};

const measure = (c: Case): [number, number, number] => {
  const a: MatrixOperand = { data: random(c.m * c.k, 1), offset: 0, transposed: c.variant === 'Aᵀ·B' };
  const b: MatrixOperand = { data: random(c.k * c.n, 2), offset: 0, transposed: c.variant === 'A·Bᵀ' };
  const out = new Float32Array(c.m * c.n);
  const flops = 2 * c.m * c.n * c.k;
  return [
    gflops(flops, () => resident.matmul(a, b, out, 0, c.m, c.n, c.k)),
    gflops(flops, () => uncached.matmul(a, b, out, 0, c.m, c.n, c.k)),
    gflops(flops, () => referenceMatmul(a, b, out, 0, c.m, c.n, c.k)),
  ];
};

const table = (title: string, cases: readonly Case[]): void => {
  console.log(`\n${title}`);
  console.log('shape'.padEnd(22) + 'product'.padEnd(8)
    + ['wasm', 'wasm, B per call', 'reference', 'wasm / ref'].map((h) => h.padStart(17)).join(''));
  for (const c of cases) {
    const [cached, fresh, reference] = measure(c);
    console.log(c.label.padEnd(22) + c.variant.padEnd(8)
      + [cached.toFixed(1), fresh.toFixed(1), reference.toFixed(2), `${(cached / reference).toFixed(1)}×`].map((s) => s.padStart(17)).join(''));
  }
};

console.log(`matmul GFLOP/s, float32 (best CPU time of repeated runs), node ${process.version}, ${process.arch}`);
table('square products', cubes);
table('one LSTM step', recurrent);
