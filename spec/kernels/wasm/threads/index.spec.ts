/**
 * The threaded WebAssembly backend: with every product split (no minimum size), its
 * matmul equals the single-threaded backend's bit for bit (each thread computes whole
 * rows with the same kernel and the same K blocking) and the reference within float32
 * tolerance, for every transpose combination, accumulation, and row counts on both
 * sides of the 4-row panels the split follows. Then its workers stop cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { referenceKernels as ref } from '../../../../lib/kernels/reference/index.js';
import type { MatrixOperand } from '../../../../lib/kernels/backend.js';
import { createThreadedWasmKernels, type ThreadedKernels } from '../../../../lib/kernels/wasm/threads/index.js';
import { expectAllClose, freshWasm, randomF32 } from '../../../support/kernels.js';

let threaded: ThreadedKernels;

beforeAll(async () => {
  threaded = createThreadedWasmKernels({ threads: 2, minProduct: 0, smallProduct: 0 });
  // the worker starts asynchronously: give it up to 20 s
  const since = Date.now();
  while (threaded.helpersReady() === 0 && Date.now() - since < 20_000) await new Promise((r) => setTimeout(r, 10));
});

afterAll(() => threaded.stop());

describe('threaded wasm matmul', () => {
  it('its helper thread starts', () => {
    expect(threaded.helpersReady()).toBe(1);
  });

  it('equals the single-threaded backend bit for bit and the reference within tolerance', () => {
    const single = freshWasm({ smallProduct: 0 });
    const extent = fc.integer({ min: 1, max: 300 });
    fc.assert(fc.property(
      fc.record({ m: fc.integer({ min: 8, max: 300 }), n: extent, k: extent, transA: fc.boolean(), transB: fc.boolean(), accumulate: fc.boolean(), seed: fc.integer({ min: 1, max: 1e6 }) }),
      ({ m, n, k, transA, transB, accumulate, seed }) => {
        const a: MatrixOperand = { data: randomF32(m * k, seed), offset: 0, transposed: transA };
        const b: MatrixOperand = { data: randomF32(k * n, seed + 1), offset: 0, transposed: transB };
        const start = randomF32(m * n, seed + 2);
        const [got, once, want] = [Float32Array.from(start), Float32Array.from(start), Float32Array.from(start)];
        threaded.kernels.matmul(a, b, got, 0, m, n, k, accumulate);
        single.matmul(a, b, once, 0, m, n, k, accumulate);
        ref.matmul(a, b, want, 0, m, n, k, accumulate);
        expect(got).toEqual(once);
        expectAllClose(got, want, 1e-4, 1e-5 * Math.max(1, Math.sqrt(k)), `${m}×${k}·${k}×${n}`);
      },
    ), { numRuns: 40 });
  });

  it('after stop, products run on the main thread alone and stay correct', () => {
    const other = createThreadedWasmKernels({ threads: 2, minProduct: 0, smallProduct: 0 });
    other.stop();
    expect(other.helpersReady()).toBe(0);
    const a: MatrixOperand = { data: randomF32(64 * 32, 5), offset: 0, transposed: false };
    const b: MatrixOperand = { data: randomF32(32 * 16, 6), offset: 0, transposed: false };
    const [got, want] = [new Float32Array(64 * 16), new Float32Array(64 * 16)];
    other.kernels.matmul(a, b, got, 0, 64, 16, 32, false);
    ref.matmul(a, b, want, 0, 64, 16, 32, false);
    expectAllClose(got, want, 1e-4, 1e-4, 'after stop');
  });
});
