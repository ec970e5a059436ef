/**
 * `npm run bench -- [W1 W2 W3 W4 W5] [--quick] [--reps N] [--no-memory]`: seqgrad
 * against TensorFlow.js (tfjs-core ops and tfjs-layers, on the wasm and cpu backends)
 * in one invocation, the implementations of each workload timed interleaved (see
 * bench/harness/timing.ts for why), then W3's memory in a child process of its own.
 * Prints median/min/max per implementation and seqgrad's ratio to the faster tfjs
 * variant per backend, and writes it all to bench/results/latest.json. bench/README.md
 * describes the workloads and how to read the file.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratiosTable, rowsTable, toRatios, toRows, writeResults, type Row } from './harness/report.js';
import { initPeers, tfVersion, wasmFeatures } from './harness/tfjs.js';
import { label, timeInterleaved } from './harness/timing.js';
import type { Impl, PeerBackend, Timing } from './harness/types.js';
import type { BuildOptions } from './workloads/classifier.js';
import { threadCount } from '../lib/threads.js';
import { seqgradBackend } from './workloads/seqgrad-side.js';
import * as w1 from './workloads/w1.js';
import * as w2 from './workloads/w2.js';
import * as w3 from './workloads/w3.js';
import * as w4 from './workloads/w4.js';
import * as w5 from './workloads/w5.js';

const BUILDERS: Record<string, (options: BuildOptions) => Promise<Impl[]>> = {
  W1: (o) => w1.build(w1.FULL, o),
  W2: (o) => w2.build(w2.FULL, o),
  W3: (o) => w3.build(w3.FULL, o),
  W4: (o) => w4.build(w4.FULL, o),
  W5: (o) => w5.build(w5.FULL, o),
};

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------
// command line
// ---------------------------------------------------------------------------

interface Args {
  readonly workloads: string[];
  readonly quick: boolean;
  readonly reps: number;
  readonly memory: boolean;
}

const parseArgs = (argv: readonly string[]): Args => {
  const workloads: string[] = [];
  let quick = false;
  let reps = 7;
  let memory = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--no-memory') memory = false;
    else if (a === '--reps') reps = Number(argv[++i]);
    else if (/^w[1-5]$/i.test(a)) workloads.push(a.toUpperCase());
    else throw new Error(`bench: unknown argument ${JSON.stringify(a)}; expected W1..W5, --quick, --reps N or --no-memory`);
  }
  if (!Number.isInteger(reps) || reps < 5) throw new Error(`bench: --reps must be an integer of at least 5, got ${reps}`);
  return { workloads: workloads.length > 0 ? [...new Set(workloads)] : Object.keys(BUILDERS), quick, reps, memory };
};

// ---------------------------------------------------------------------------
// the run
// ---------------------------------------------------------------------------

/** W3's memory figures from `bench/memory.ts` in a child process with `--expose-gc`. */
const measureMemory = (): unknown => {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, 'memory.ts'), '--json'], {
    cwd: path.dirname(here), encoding: 'utf8', env: process.env, maxBuffer: 1 << 24,
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    return { error: `bench/memory.ts exited with ${child.status}: ${child.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500)}` };
  }
};

const machine = async (args: Args, loadStart: number[]) => ({
  cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memory_gb: +(os.totalmem() / 2 ** 30).toFixed(1),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`, node: process.version,
  seqgrad_backend: await seqgradBackend(), seqgrad_threads: threadCount(), tfjs_version: tfVersion(), tfjs_wasm: wasmFeatures(),
  date: new Date().toISOString(), loadavg_start: loadStart, loadavg_end: os.loadavg(),
  quick: args.quick, reps: args.reps,
});

const main = async (): Promise<void> => {
  const args = parseArgs(process.argv.slice(2));
  const loadStart = os.loadavg();
  await initPeers();
  const backends: PeerBackend[] = args.quick ? ['wasm'] : ['wasm', 'cpu'];
  const info = await machine(args, loadStart);
  console.log(`seqgrad backend: ${info.seqgrad_backend} on ${info.seqgrad_threads} thread(s); tfjs ${info.tfjs_version} on ${backends.join(' and ')} `
    + `(wasm SIMD ${info.tfjs_wasm.simd}, threads ${info.tfjs_wasm.threads}); ${info.cores} × ${info.cpu}, Node ${info.node}`);
  const timings: Timing[] = [];
  for (const workload of args.workloads) {
    const impls = await BUILDERS[workload]!({ backends, reps: args.reps, cpuReps: 5 });
    process.stderr.write(`${workload}: ${impls.length} implementations, warming up\n`);
    const got = await timeInterleaved(impls, { onProgress: (m) => process.stderr.write(`  ${workload} ${m}\n`) });
    timings.push(...got);
    console.log(`\n${rowsTable(toRows(got))}`);
    for (const t of got) if (!Number.isFinite(t.last)) throw new Error(`${label(t)} read back ${t.last}`);
  }
  const rows: Row[] = toRows(timings);
  const ratios = toRatios(rows, (w) => (w === 'W5' ? w5.ratioCase(w5.FULL) : undefined));
  console.log(`\nseqgrad's median over the faster tfjs variant's (below 1: seqgrad is faster; W5: ${w5.ratioCase(w5.FULL)})\n${ratiosTable(ratios)}`);
  let memory: unknown = null;
  if (args.memory && args.workloads.includes('W3')) {
    process.stderr.write('W3 memory: child process\n');
    memory = measureMemory();
    const m = memory as { peak_bytes?: number; live_peak_bytes?: number; estimate_bytes?: number; error?: string };
    console.log(m.error ? `\nW3 memory: ${m.error}` : `\nW3 memory: peak ${mb(m.peak_bytes)} as it runs, ${mb(m.live_peak_bytes)} live; `
      + `estimate ${mb(m.estimate_bytes)}; ratio ${(m.peak_bytes! / m.estimate_bytes!).toFixed(1)}× (${(m.live_peak_bytes! / m.estimate_bytes!).toFixed(1)}× live)`);
  }
  const file = path.join(here, 'results', 'latest.json');
  writeResults(file, { rows, ratios, memory, machine: { ...info, loadavg_end: os.loadavg() } });
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
};

const mb = (bytes: number | undefined): string => `${((bytes ?? NaN) / 1e6).toFixed(1)} MB`;

await main();
