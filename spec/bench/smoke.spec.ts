/**
 * Smoke test of the benchmark harness (bench/), not a benchmark: every workload's
 * seqgrad and tfjs-wasm implementations run at tiny sizes and must read back finite
 * numbers without leaking tfjs tensors, and the table and JSON writer must produce the
 * expected rows and ratios. No timing is asserted (DESIGN.md: performance is measured
 * by benchmarks that print figures). tfjs-cpu is left to the real run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charLmEstimate } from '../../bench/harness/memory-estimate.js';
import { ratiosTable, rowsTable, toRatios, toRows, writeResults } from '../../bench/harness/report.js';
import { initPeers, tf } from '../../bench/harness/tfjs.js';
import { summary, timeInterleaved } from '../../bench/harness/timing.js';
import type { Impl, Timing } from '../../bench/harness/types.js';
import * as w1 from '../../bench/workloads/w1.js';
import * as w2 from '../../bench/workloads/w2.js';
import * as w3 from '../../bench/workloads/w3.js';
import * as w4 from '../../bench/workloads/w4.js';
import * as w5 from '../../bench/workloads/w5.js';

const tiny = { batch: 3, seq: 4, input: 5, hidden: 6, classes: 3 };
const options = { backends: ['wasm'] as const, reps: 1 };

const builders: [string, () => Promise<Impl[]>][] = [
  ['W1', () => w1.build(tiny, options)],
  ['W2', () => w2.build(tiny, options)],
  ['W3', () => w3.build({ batch: 2, seq: 5, vocab: 7, hidden: 6 }, options)],
  ['W4', () => w4.build({ ...tiny, batch: 1 }, options)],
  ['W5', () => w5.build({ sizes: [8, 16] }, options)],
];

beforeAll(async () => {
  await initPeers();
});

describe('bench workloads at tiny sizes', () => {
  it.each(builders)('%s: seqgrad and tfjs-wasm each read back a finite number, twice, without leaking tfjs tensors', async (id, build) => {
    const impls = await build();
    expect(impls.map((i) => i.workload).every((w) => w === id)).toBe(true);
    expect(impls.some((i) => i.impl === 'seqgrad')).toBe(true);
    expect(impls.some((i) => i.impl.startsWith('tfjs') && i.backend === 'wasm')).toBe(true);
    for (const impl of impls) {
      await impl.activate?.();
      const first = await impl.step();
      const tensors = tf.memory().numTensors;
      const second = await impl.step();
      expect([impl.impl, Number.isFinite(first) && Number.isFinite(second)]).toEqual([impl.impl, true]);
      expect([impl.impl, tf.memory().numTensors]).toEqual([impl.impl, tensors]);
    }
  });

  it('W2 times seqgrad reset-before as `seqgrad` and reset-after as an extra row', async () => {
    const names = (await w2.build(tiny, options)).map((i) => `${i.impl}/${i.backend}`);
    expect(names.filter((n) => n.startsWith('seqgrad'))).toHaveLength(2);
    expect(names.some((n) => n.startsWith('seqgrad reset-after/'))).toBe(true);
    expect(names).toContain('tfjs-ops/wasm');
    expect(names).toContain('tfjs-layers/wasm');
  });

  it('W5 has A·B, Aᵀ·B and A·Bᵀ per size for seqgrad and tfjs-wasm, A·B on threads too, with 2n³ flops', async () => {
    const impls = await w5.build({ sizes: [8, 16] }, options);
    expect(impls).toHaveLength(2 * (3 * 2 + 1));
    expect(impls.find((i) => i.case === '16³ Aᵀ·B' && i.impl === 'tfjs')?.flops).toBe(2 * 16 ** 3);
    const threaded = impls.find((i) => i.case === '16³ A·B' && /^seqgrad \d+ threads$/.test(i.impl));
    const single = impls.find((i) => i.case === '16³ A·B' && i.impl === 'seqgrad');
    expect(threaded?.step()).toBeCloseTo(Number(single?.step()), 4);
  });
});

describe('bench timing and report', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'seqgrad-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('times interleaved: every implementation gets its runs and a finite last value', async () => {
    const impls = await w1.build(tiny, { backends: ['wasm'], reps: 2 });
    const timings = await timeInterleaved(impls, { warmupRuns: 1, warmupMs: 0 });
    const rows = toRows(timings);
    expect(rows.map((r) => [r.impl, r.backend, r.runs])).toEqual(impls.map((i) => [i.impl, i.backend, 2]));
    expect(rows.every((r) => r.min_ms <= r.median_ms && r.median_ms <= r.max_ms)).toBe(true);
  });

  it('summarises, counts the faster tfjs variant per backend and writes latest.json', () => {
    expect(summary([5, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 5 });
    const timing = (workload: string, impl: string, backend: string, times: number[], extra = {}): Timing => ({ workload, impl, backend, times, last: 1, ...extra });
    const timings = [
      timing('W1', 'seqgrad', 'wasm', [10, 30, 20, 40, 50]),
      timing('W1', 'tfjs-ops', 'wasm', [60, 60, 60, 60, 60]),
      timing('W1', 'tfjs-layers', 'wasm', [15, 15, 15, 15, 15]),
      timing('W1', 'tfjs-ops', 'cpu', [300, 300, 300, 300, 300]),
      timing('W5', 'seqgrad', 'wasm', [2, 2, 2, 2, 2], { case: '1024³ A·B', flops: 2e9 }),
      timing('W5', 'tfjs', 'wasm', [1, 1, 1, 1, 1], { case: '1024³ A·B', flops: 2e9 }),
      timing('W5', 'seqgrad', 'wasm', [9, 9, 9, 9, 9], { case: '256³ A·B', flops: 2 * 256 ** 3 }),
    ];
    const rows = toRows(timings);
    expect(rows[0]).toEqual({ workload: 'W1', impl: 'seqgrad', backend: 'wasm', median_ms: 30, min_ms: 10, max_ms: 50, runs: 5 });
    expect(rows[4]!.gflops).toBeCloseTo(1000);
    const ratios = toRatios(rows, (w) => (w === 'W5' ? '1024³ A·B' : undefined));
    expect(ratios).toEqual([
      { workload: 'W1', ratio_vs_tfjs_wasm: 2, ratio_vs_tfjs_cpu: 0.1, tfjs_wasm_variant: 'tfjs-layers', tfjs_cpu_variant: 'tfjs-ops' },
      { workload: 'W5', ratio_vs_tfjs_wasm: 2, ratio_vs_tfjs_cpu: null, tfjs_wasm_variant: 'tfjs', tfjs_cpu_variant: null },
    ]);
    expect(rowsTable(rows).split('\n')).toHaveLength(2 + rows.length);
    expect(ratiosTable(ratios)).toContain('2.00×');
    const file = path.join(dir, 'results', 'latest.json');
    writeResults(file, { rows, ratios, memory: { peak_bytes: 1 }, machine: { cores: 2 } });
    const back = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(back)).toEqual(['rows', 'ratios', 'memory', 'machine']);
    expect(back.rows).toHaveLength(rows.length);
    expect(back.ratios[0].ratio_vs_tfjs_wasm).toBe(2);
  });

  it('estimates W3 memory from the shapes', () => {
    const e = charLmEstimate(w3.FULL);
    const params = 4 * 256 * 65 + 4 * 256 * 256 + 2 * 1024 + 65 * 256 + 65; // 347,457
    expect(e.params_bytes).toBe(4 * params);
    expect(e.adam_bytes).toBe(8 * params);
    expect(e.activations_bytes).toBe(4 * (7 * 16 * 64 * 256 + 16 * 64 * 65));
    expect(e.estimate_bytes).toBe(e.params_bytes + e.adam_bytes + e.activations_bytes);
  });
});
