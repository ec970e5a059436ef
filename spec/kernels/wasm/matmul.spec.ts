/**
 * The WebAssembly matmul against the reference kernel: extents on both sides of every
 * block edge (the 4×8 tile, KC = 256, MC = 128, NC = 1024, the thin path below 4 rows),
 * all four transpose combinations, operands and output at offsets inside larger
 * buffers, and accumulation; then the resident cache of B: a weight reused hits it, a
 * different array of the same shape does not, and the byte budget bounds it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { referenceKernels as ref } from '../../../lib/kernels/reference/index.js';
import type { MatrixOperand } from '../../../lib/kernels/backend.js';
import type { WasmKernels } from '../../../lib/kernels/wasm/index.js';
import { expectAllClose, freshWasm, randomF32 } from '../../support/kernels.js';

const EXTENTS = [1, 3, 4, 5, 7, 8, 9, 33, 129] as const;

interface Case {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly accumulate: boolean;
  readonly pad: number;
  readonly seed: number;
}

/** Runs one product on both backends (B may be given, to reuse a weight) and compares. */
const check = (wasm: WasmKernels, c: Case, bData?: Float32Array): Float32Array => {
  const aData = randomF32(c.pad + c.m * c.k, c.seed);
  const bArray = bData ?? randomF32(c.pad + c.k * c.n, c.seed + 1);
  const a: MatrixOperand = { data: aData, offset: c.pad, transposed: c.transA };
  const b: MatrixOperand = { data: bArray, offset: bData === undefined ? c.pad : 0, transposed: c.transB };
  const got = randomF32(c.pad + c.m * c.n + 3, c.seed + 2);
  const want = Float32Array.from(got);
  wasm.matmul(a, b, got, c.pad, c.m, c.n, c.k, c.accumulate);
  ref.matmul(a, b, want, c.pad, c.m, c.n, c.k, c.accumulate);
  // float32 sums of k products: the error grows like √k
  expectAllClose(got, want, 1e-4, 1e-5 * Math.max(1, Math.sqrt(c.k)), `${c.m}×${c.k}·${c.k}×${c.n} ${c.transA ? 'Aᵀ' : 'A'}${c.transB ? 'Bᵀ' : 'B'}`);
  return got;
};

const caseArb = (extents: fc.Arbitrary<number>): fc.Arbitrary<Case> =>
  fc.record({
    m: extents, n: extents, k: extents,
    transA: fc.boolean(), transB: fc.boolean(), accumulate: fc.boolean(),
    pad: fc.integer({ min: 0, max: 5 }), seed: fc.integer({ min: 1, max: 1e6 }),
  });

describe('wasm matmul', () => {
  // every product in the module, even those small enough to go to the reference by default
  const wasm = freshWasm({ smallProduct: 0 });

  it('matches the reference for extents around every tile and panel edge', () => {
    fc.assert(fc.property(caseArb(fc.constantFrom(...EXTENTS)), (c) => void check(wasm, c)), { numRuns: 250 });
  });

  it('matches the reference across the K block (257), the M block (129+) and the N block (1025)', () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const base = { transA, transB, accumulate, pad: 2, seed: 7 };
          check(wasm, { ...base, m: 9, n: 17, k: 257 });
          check(wasm, { ...base, m: 133, n: 9, k: 5 });
          check(wasm, { ...base, m: 5, n: 1025, k: 3 });
          check(wasm, { ...base, m: 2, n: 1025, k: 257 });
        }
      }
    }
  });

  it('writes nothing outside the output window, and zeros it when K = 0', () => {
    const out = new Float32Array(10).fill(7);
    const a = { data: new Float32Array(0), offset: 0, transposed: false };
    wasm.matmul(a, a, out, 2, 2, 3, 0);
    expect(Array.from(out)).toEqual([7, 7, 0, 0, 0, 0, 0, 0, 7, 7]);
    wasm.matmul(a, a, out, 2, 0, 3, 0);
    expect(out[0]).toBe(7);
  });

  it('small products go to the reference by default, and give its results', () => {
    check(freshWasm(), { m: 3, n: 5, k: 7, transA: true, transB: false, accumulate: true, pad: 1, seed: 9 });
  });

  it('matches hand computation on a 2×2 product (thin path) and a 4×8 one (packed path)', () => {
    const out = new Float32Array(4);
    const op = (data: number[], transposed = false): MatrixOperand => ({ data: Float32Array.from(data), offset: 0, transposed });
    wasm.matmul(op([1, 2, 3, 4]), op([5, 6, 7, 8]), out, 0, 2, 2, 2);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
    const big = new Float32Array(32);
    // A = I (4×4) padded to K = 4; B[k][j] = 10k + j
    const eye = op([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    wasm.matmul(eye, op(Array.from({ length: 32 }, (_, i) => 10 * Math.floor(i / 8) + (i % 8))), big, 0, 4, 8, 4);
    expect(big[8 * 3 + 5]).toBe(35);
  });
});

describe('wasm matmul: resident operands', () => {
  it('keeps a weight resident from its second use on, and a different array of the same shape gives its own results', () => {
    const wasm = freshWasm({ smallProduct: 0 });
    for (const m of [1, 32]) {
      const w1 = randomF32(64 * 48, 11);
      const w2 = randomF32(64 * 48, 12);
      const c: Case = { m, n: 48, k: 64, transA: false, transB: true, accumulate: false, pad: 0, seed: 3 };
      const before = wasm.stats().residentBlocks;
      const first = check(wasm, c, w1);
      // seen once: worked in scratch, so data used a single time never takes a block
      expect(wasm.stats().residentBlocks).toBe(before);
      expect(Array.from(check(wasm, c, w1))).toEqual(Array.from(first));
      const blocks = wasm.stats().residentBlocks;
      expect(blocks).toBe(before + 1);
      expect(Array.from(check(wasm, c, w1))).toEqual(Array.from(first));
      expect(wasm.stats().residentBlocks).toBe(blocks);
      check(wasm, c, w2);
      const other = check(wasm, c, w2);
      expect(wasm.stats().residentBlocks).toBe(blocks + 1);
      expect(Array.from(other)).not.toEqual(Array.from(first));
    }
  });

  it('frees a replaced weight\'s block: a training loop\'s new weight each step takes the old one\'s place', () => {
    const wasm = freshWasm({ smallProduct: 0 });
    const c: Case = { m: 8, n: 48, k: 64, transA: false, transB: true, accumulate: false, pad: 0, seed: 7 };
    const kept = randomF32(64 * 48, 40);
    const heapBefore: number[] = [];
    for (let step = 0; step < 12; step++) {
      // a weight replaced at every step (used twice, so it is made resident), and one
      // used at every step and never replaced
      const replaced = randomF32(64 * 48, 41 + step);
      const want = check(wasm, c, replaced);
      expect(Array.from(check(wasm, c, replaced))).toEqual(Array.from(want));
      check(wasm, c, kept);
      heapBefore.push(wasm.stats().heapBytes);
    }
    // no registry callback can have run inside this synchronous loop: only staleness freed them
    expect(wasm.stats().residentBlocks).toBeLessThanOrEqual(3);
    expect(heapBefore[11]).toBe(heapBefore[3]);
    // the weight used at every step kept its block: a hit adds none
    const blocks = wasm.stats().residentBlocks;
    check(wasm, c, kept);
    expect(wasm.stats().residentBlocks).toBe(blocks);
  });

  it('keys the cache by offset, layout and extents as well as the array', () => {
    const wasm = freshWasm({ smallProduct: 0 });
    const w = randomF32(40 * 40, 5);
    for (const transB of [false, true]) {
      for (const [n, k] of [[40, 40], [20, 40], [40, 20]] as const) {
        // twice each: the second use makes the block
        for (let use = 0; use < 2; use++) check(wasm, { m: 6, n, k, transA: false, transB, accumulate: false, pad: 0, seed: 1 }, w);
      }
    }
    expect(wasm.stats().residentBlocks).toBe(6);
  });

  it('stays within its byte budget, evicting the least recently used, and still computes correctly', () => {
    const budget = 64 * 1024;
    const wasm = freshWasm({ residentBytes: budget, smallProduct: 0 });
    const kept = randomF32(64 * 64, 99);
    for (let i = 0; i < 30; i++) {
      check(wasm, { m: 8, n: 64, k: 64, transA: false, transB: false, accumulate: false, pad: 0, seed: 1 }, kept);
      check(wasm, { m: 8, n: 64, k: 64, transA: false, transB: i % 2 === 1, accumulate: false, pad: 0, seed: i + 2 });
      expect(wasm.stats().residentBytes).toBeLessThanOrEqual(budget);
    }
    // an operand larger than the whole budget is packed in scratch instead
    check(wasm, { m: 8, n: 200, k: 200, transA: true, transB: false, accumulate: true, pad: 1, seed: 4 });
    expect(wasm.stats().residentBytes).toBeLessThanOrEqual(budget);
  });
});
