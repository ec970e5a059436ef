/**
 * Keyed random numbers: the Threefry-2x32-20 hash against the published known-answer
 * vectors of Random123 (so the streams are the same on every machine), uniform values
 * derived from those words by hand, determinism, independent split streams, and loose
 * statistical bounds (five or more standard errors) on 100k draws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bernoulli, key, normal, permutation, SeqgradError, splitKey, uniform, type Key,
} from '../../lib/index.js';
import { threefry } from '../../lib/tensor/random.js';

const N = 100_000;
const asKey = (hi: number, lo: number): Key => [hi, lo] as unknown as Key;

const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  return Array.from(xs).reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** The 53-bit double the generator makes of two words: 27 high bits of one, 26 of the other. */
const unitFromWords = (hi: number, lo: number): number => ((hi >>> 5) * 2 ** 26 + (lo >>> 6)) / 2 ** 53;

describe('Threefry-2x32 (20 rounds)', () => {
  // Random123's kat_vectors, "threefry2x32 20 ctr0 ctr1 key0 key1 out0 out1"
  const KAT: readonly [readonly [number, number], readonly [number, number], readonly [number, number]][] = [
    [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
    [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], [0xc4923a9c, 0x483df7a0]],
  ];

  it('reproduces the Random123 known-answer vectors', () => {
    for (const [ctr, k, want] of KAT) expect(threefry(k, ctr[0], ctr[1])).toEqual(want);
  });

  it('feeds uniform: key (0, 0), element 0 is the known answer turned into a 53-bit double', () => {
    const u = uniform(asKey(0, 0), [1], { dtype: 'float64' });
    expect(u.data[0]).toBe(unitFromWords(0x6b200159, 0x99ba4efe));
    // float32 stores the same draw rounded
    expect(uniform(asKey(0, 0), [1]).data[0]).toBe(Math.fround(unitFromWords(0x6b200159, 0x99ba4efe)));
  });
});

describe('keys', () => {
  it('key(seed) splits a safe integer into its high and low 32-bit words', () => {
    expect([...key(0)]).toEqual([0, 0]);
    expect([...key(7)]).toEqual([0, 7]);
    expect([...key(2 ** 32 + 5)]).toEqual([1, 5]);
    expect([...key(Number.MAX_SAFE_INTEGER)]).toEqual([0x1fffff, 0xffffffff]);
  });

  it('refuses seeds that are not safe integers, naming key and the seed', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => key(bad)).toThrow(SeqgradError);
      expect(() => key(bad)).toThrow(/^key: .*seed must be a safe integer, got/);
    }
  });

  it('splitKey gives n distinct keys, none equal to the parent, the same every time', () => {
    const k = key(42);
    const keys = splitKey(k, 5);
    expect(keys).toHaveLength(5);
    const words = new Set([k, ...keys].map((w) => `${w[0]},${w[1]}`));
    expect(words.size).toBe(6);
    expect(splitKey(k, 5)).toEqual(keys);
    expect(splitKey(k)).toHaveLength(2);
  });

  it('split keys give uncorrelated streams', () => {
    const [k1, k2] = splitKey(key(1));
    const a = normal(k1, [N], { dtype: 'float64' }).data;
    const b = normal(k2, [N], { dtype: 'float64' }).data;
    let dot = 0;
    for (let i = 0; i < N; i++) dot += a[i]! * b[i]!;
    // the sample correlation of independent normals has standard error 1/sqrt(N) ≈ 0.003
    expect(Math.abs(dot / N)).toBeLessThan(0.02);
    expect(Array.from(a.slice(0, 10))).not.toEqual(Array.from(b.slice(0, 10)));
  });

  it('refuses a bad count or a malformed key, naming the op', () => {
    expect(() => splitKey(key(0), 0)).toThrow(/^splitKey: n must be a positive integer, got 0/);
    expect(() => splitKey(key(0), 1.5)).toThrow(SeqgradError);
    expect(() => splitKey([1, 2, 3] as unknown as Key)).toThrow(/^splitKey: expected a PRNG key/);
    expect(() => normal([1.5, 2] as unknown as Key, [2])).toThrow(/^normal: expected a PRNG key .*got \[1.5, 2\]/);
    expect(() => uniform('seed' as unknown as Key, [2])).toThrow(/^uniform: expected a PRNG key/);
  });
});

describe('determinism', () => {
  it('the same key gives identical numbers; the shape only arranges them', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (seed, r, c) => {
        const k = key(seed);
        const a = normal(k, [r, c], { dtype: 'float64' });
        expect(Array.from(normal(k, [r, c], { dtype: 'float64' }).data)).toEqual(Array.from(a.data));
        expect(Array.from(normal(k, [r * c], { dtype: 'float64' }).data)).toEqual(Array.from(a.data));
        // element i depends on i alone: a longer draw starts with the shorter one
        expect(Array.from(uniform(k, [r * c + 3]).data.slice(0, r * c))).toEqual(Array.from(uniform(k, [r * c]).data));
        expect(permutation(k, r * c)).toEqual(permutation(k, r * c));
      }),
      { numRuns: 50 },
    );
  });

  it('a float32 draw is the float64 draw rounded', () => {
    const k = key(3);
    const d64 = normal(k, [1000], { dtype: 'float64' }).data;
    const d32 = normal(k, [1000]).data;
    expect(d32).toBeInstanceOf(Float32Array);
    for (let i = 0; i < 1000; i++) expect(d32[i]).toBe(Math.fround(d64[i]!));
  });

  it('normal is Box-Muller on two uniforms from counters (1, i) and (2, i), sharing no bits', () => {
    const k = key(9);
    const z = normal(k, [5], { dtype: 'float64' }).data;
    for (let i = 0; i < 5; i++) {
      const r = Math.sqrt(-2 * Math.log(1 - unitFromWords(...threefry(k, 1, i))));
      expect(z[i]).toBeCloseTo(r * Math.cos(2 * Math.PI * unitFromWords(...threefry(k, 2, i))), 14);
    }
  });
});

describe('distributions', () => {
  it('normal: mean 0 and variance 1 on 100k draws; about 68.3% within one standard deviation', () => {
    const z = normal(key(11), [N], { dtype: 'float64' }).data;
    expect(Math.abs(mean(z))).toBeLessThan(0.02); // standard error 0.003
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.03); // standard error 0.0045
    const inside = Array.from(z).filter((x) => Math.abs(x) < 1).length / N;
    expect(Math.abs(inside - 0.6827)).toBeLessThan(0.01); // standard error 0.0015
  });

  it('normal: mean and std options shift and scale', () => {
    const z = normal(key(12), [N], { mean: 3, std: 2, dtype: 'float64' }).data;
    expect(Math.abs(mean(z) - 3)).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt(variance(z)) - 2)).toBeLessThan(0.04);
  });

  it('uniform: inside [low, high), mean and deciles as expected', () => {
    const u = uniform(key(13), [N], { low: -2, high: 3, dtype: 'float64' }).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.03); // standard error 0.0046
    const bins = new Array<number>(10).fill(0);
    for (const x of u) bins[Math.floor((x + 2) * 2)]!++;
    for (const count of bins) expect(Math.abs(count - N / 10)).toBeLessThan(500); // standard error 95
  });

  it('uniform: the upper bound stays excluded even where float32 cannot resolve the range', () => {
    // float32 steps by 1 just below 2^24: low + 2u rounds up to 2^24 for a quarter of the draws
    const u = uniform(key(14), [1000], { low: 2 ** 24 - 2, high: 2 ** 24 });
    for (const x of u.data) {
      expect(x).toBeGreaterThanOrEqual(2 ** 24 - 2);
      expect(x).toBeLessThan(2 ** 24);
    }
    // the default [0, 1) in float32 never reaches 1 either
    expect(Math.max(...uniform(key(15), [N]).data)).toBeLessThan(1);
  });

  it('uniform refuses an empty or reversed range, naming the bounds', () => {
    expect(() => uniform(key(0), [2], { low: 1, high: 0 })).toThrow(/^uniform: .*low 1.*high 0/);
    expect(() => uniform(key(0), [2], { low: 0, high: Infinity })).toThrow(SeqgradError);
  });

  it('bernoulli: the fraction of ones is p; p = 0 and p = 1 are exact', () => {
    const b = bernoulli(key(16), 0.3, [N]).data;
    expect(b.every((x) => x === 0 || x === 1)).toBe(true);
    expect(Math.abs(mean(b) - 0.3)).toBeLessThan(0.01); // standard error 0.0015
    expect(bernoulli(key(16), 0, [100]).data.every((x) => x === 0)).toBe(true);
    expect(bernoulli(key(16), 1, [100]).data.every((x) => x === 1)).toBe(true);
  });

  it('permutation: a permutation of 0..n-1, every order of 3 equally likely across keys', () => {
    fc.assert(fc.property(fc.nat(), fc.nat(40), (seed, n) => {
      expect([...permutation(key(seed), n)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }), { numRuns: 100 });
    const counts = new Map<string, number>();
    for (const k of splitKey(key(17), 3000)) {
      const order = permutation(k, 3).join('');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 500)).toBeLessThan(100); // standard error 20
  });
});

describe('bad input', () => {
  it('names the op and the offending value', () => {
    expect(() => bernoulli(key(0), 1.5, [2])).toThrow(/^bernoulli: p must lie in \[0, 1\], got 1.5/);
    expect(() => normal(key(0), [2], { dtype: 'int32' })).toThrow(/^normal: random draws are floating/);
    expect(() => uniform(key(0), [2, -1])).toThrow(/^uniform: invalid shape \[2, -1\]/);
    expect(() => normal(key(0), [2], { std: -1 })).toThrow(/^normal: options.std must be a finite number >= 0, got -1/);
    expect(() => normal(key(0), [2], { std: NaN })).toThrow(/^normal: options.std must be a finite number >= 0, got NaN/);
    expect(() => normal(key(0), [2], { mean: NaN })).toThrow(/^normal: options.mean must be a finite number, got NaN/);
    expect(() => key('7' as unknown as number)).toThrow(/^key: seed must be a safe integer, got "7"/);
    expect(() => permutation(key(0), -1)).toThrow(/^permutation: n must be a non-negative integer, got -1/);
    expect(() => permutation(key(0), 2.5)).toThrow(SeqgradError);
    expect(() => permutation([0] as unknown as Key, 3)).toThrow(/^permutation: expected a PRNG key/);
  });
});
