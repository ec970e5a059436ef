/**
 * The blocked matmul kernel against a textbook triple loop: random M, N, K (0, 1, odd
 * sizes, sizes past every block size), all four transpose combinations, operands and
 * output at offsets inside larger buffers, the accumulate flag, float32 and float64.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MATMUL_BLOCKS, matmul } from '../../../lib/kernels/reference/matmul.js';
import type { NumArray } from '../../../lib/kernels/types.js';

type Float = 'float32' | 'float64';

interface Case {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly dtype: Float;
  readonly accumulate: boolean;
  /** Padding before each operand and the output, and after the output. */
  readonly pads: readonly [number, number, number, number];
  readonly seed: number;
}

/** A small deterministic generator (so failures replay from the fast-check seed alone). */
const lcg = (seed: number): (() => number) => {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
};

const alloc = (dtype: Float, size: number): Float32Array | Float64Array =>
  dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);

/** op(A)[i][p] of an operand stored row-major (transposed: stored as its transpose). */
const at = (data: NumArray, offset: number, rows: number, cols: number, transposed: boolean, i: number, j: number): number =>
  transposed ? data[offset + j * rows + i]! : data[offset + i * cols + j]!;

/**
 * Runs the kernel on one case and checks every output element against a float64
 * triple loop, within a bound scaled by Σ|a||b| (the rounding budget of a sum of
 * products, which is what a reordered summation may differ by), and that the padding
 * around the output is untouched.
 */
const checkCase = (c: Case): void => {
  const { m, n, k, transA, transB, dtype, accumulate, pads, seed } = c;
  const rand = lcg(seed);
  const a = alloc(dtype, pads[0] + m * k).map(rand);
  const b = alloc(dtype, pads[1] + k * n).map(rand);
  const out = alloc(dtype, pads[2] + m * n + pads[3]).map(rand);
  const before = out.slice();
  matmul({ data: a, offset: pads[0], transposed: transA }, { data: b, offset: pads[1], transposed: transB }, out, pads[2], m, n, k, accumulate);
  const unit = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let want = accumulate ? before[pads[2] + i * n + j]! : 0;
      let scale = Math.abs(want);
      for (let p = 0; p < k; p++) {
        const x = at(a, pads[0], m, k, transA, i, p) * at(b, pads[1], k, n, transB, p, j);
        want += x;
        scale += Math.abs(x);
      }
      const got = out[pads[2] + i * n + j]!;
      const bound = 4 * (k + 2) * unit * scale + 1e-30;
      if (!(Math.abs(got - want) <= bound)) {
        expect.fail(`C[${i}][${j}] = ${got}, naive ${want} (|diff| ${Math.abs(got - want)} > ${bound}) for ${JSON.stringify(c)}`);
      }
    }
  }
  for (let i = 0; i < pads[2]; i++) expect(out[i], 'padding before the output').toBe(before[i]);
  for (let i = pads[2] + m * n; i < out.length; i++) expect(out[i], 'padding after the output').toBe(before[i]);
};

const { mc, kc, nc, thin } = MATMUL_BLOCKS;

/**
 * Extents that stress the edges: 0, 1, odd, either side of the unpacked path for thin
 * products, around the micro-tile, and past each block size.
 */
const extent = (block: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 2, 3, 5, 7, thin - 1, thin) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: block - 2, max: block + 5 }) },
  );

const caseArb = (dtype: Float): fc.Arbitrary<Case> =>
  fc.record({
    // N past nc is costly for the naive loop, so it is covered by the fixed cases below
    m: extent(mc), n: extent(Math.min(nc, 70)), k: extent(kc),
    transA: fc.boolean(), transB: fc.boolean(), dtype: fc.constant(dtype), accumulate: fc.boolean(),
    pads: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5)),
    seed: fc.nat(),
  });

const fixed = (m: number, n: number, k: number, dtype: Float, transA = false, transB = false, accumulate = false): Case =>
  ({ m, n, k, transA, transB, dtype, accumulate, pads: [3, 1, 2, 4], seed: m * 31 + n * 7 + k });

describe('matmul kernel', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`agrees with the triple loop on random ${dtype} cases (any transposes, offsets, accumulate)`, () => {
      fc.assert(fc.property(caseArb(dtype), (c) => checkCase(c)), { numRuns: 150 });
    });

    it(`handles every transpose combination past all block sizes in ${dtype}`, () => {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) checkCase(fixed(mc + 3, nc + 5, kc + 1, dtype, transA, transB, transA));
      }
    });
  }

  it('computes a hand-worked 2×3 · 3×2 product, and its transposed readings', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [[1,2,3],[4,5,6]]
    const b = new Float64Array([7, 8, 9, 10, 11, 12]); // [[7,8],[9,10],[11,12]]
    const out = new Float64Array(4);
    matmul({ data: a, offset: 0, transposed: false }, { data: b, offset: 0, transposed: false }, out, 0, 2, 2, 3);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
    // Aᵀ·A with A read transposed: [[1,4],[2,5],[3,6]]·[[1,2,3],[4,5,6]]
    const ata = new Float64Array(9);
    matmul({ data: a, offset: 0, transposed: true }, { data: a, offset: 0, transposed: false }, ata, 0, 3, 3, 2);
    expect(Array.from(ata)).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    // A·Aᵀ with B read transposed: [[14, 32], [32, 77]]
    const aat = new Float64Array(4);
    matmul({ data: a, offset: 0, transposed: false }, { data: a, offset: 0, transposed: true }, aat, 0, 2, 2, 3);
    expect(Array.from(aat)).toEqual([14, 32, 32, 77]);
  });

  it('with K = 0 writes zeros, or leaves the output alone when accumulating', () => {
    const empty = { data: new Float64Array(0), offset: 0, transposed: false };
    const out = new Float64Array([1, 2, 3, 4]);
    matmul(empty, empty, out, 0, 2, 2, 0, true);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    matmul(empty, empty, out, 0, 2, 2, 0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('gives the same float32 and float64 results when every product is exact', () => {
    // small integers: all partial sums are exact in float32, so summation order cannot matter
    const rand = lcg(7);
    const ints = (size: number): number[] => Array.from({ length: size }, () => Math.round(rand() * 16));
    const [m, n, k] = [9, 13, 300];
    const av = ints(m * k);
    const bv = ints(k * n);
    const run = (dtype: Float): number[] => {
      const out = alloc(dtype, m * n);
      matmul({ data: alloc(dtype, m * k).map((_, i) => av[i]!), offset: 0, transposed: false },
        { data: alloc(dtype, k * n).map((_, i) => bv[i]!), offset: 0, transposed: false }, out, 0, m, n, k);
      return Array.from(out);
    };
    const f64 = run('float64');
    expect(run('float32')).toEqual(f64);
    let c00 = 0;
    for (let p = 0; p < k; p++) c00 += av[p]! * bv[p * n]!;
    expect(f64[0]).toBe(c00);
  });
});
