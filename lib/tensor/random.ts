/**
 * Random numbers from explicit keys, never global state. A key is split into
 * independent keys; the same key gives the same numbers on every run and machine.
 * The generator is counter-based (Threefry-2x32, 20 rounds, as in Salmon et al. 2011
 * and JAX): element i of a draw hashes the key with counter i, so draws need no
 * sequential state and any slice of a draw can be recomputed.
 *
 * @module
 */
import { allocate, checkDType, type DType } from './dtype.js';
import { SeqgradError, showValue } from './errors.js';
import { checkShape, sizeOf, type Shape } from './shape.js';
import { Tensor } from './tensor.js';
import type { Tuple } from './tuple.js';

/** A PRNG key: two 32-bit words. Make one with `key(seed)`, derive more with `splitKey`. */
export type Key = readonly [number, number] & {
  /** Marks keys apart from other pairs of numbers. */
  readonly __brand: 'Key';
};

/** Options of the random constructors. */
export interface RandomOptions {
  /** Element type, float32 when omitted. */
  readonly dtype?: DType;
}

// ---------------------------------------------------------------------------
// keys
// ---------------------------------------------------------------------------

/**
 * A key from an integer seed.
 *
 * @example
 * ```ts
 * const [k1, k2] = splitKey(key(0));
 * const w = normal(k1, [3, 4]);
 * ```
 */
export const key = (seed: number): Key => {
  if (!Number.isSafeInteger(seed)) throw new SeqgradError('key', `seed must be a safe integer, got ${showValue(seed)}`);
  return [Math.floor(seed / 2 ** 32) >>> 0, seed >>> 0] as unknown as Key;
};

/**
 * `n` independent keys derived from `k` (two by default). A literal `n` types the
 * result as a tuple of that length, so it destructures without non-null assertions.
 *
 * @example
 * ```ts
 * const [kW, kB, kDrop] = splitKey(key(0), 3); // [Key, Key, Key]
 * ```
 */
export const splitKey = <N extends number = 2>(k: Key, n: N = 2 as N): Tuple<Key, N> => {
  checkKey('splitKey', k);
  if (!Number.isInteger(n) || n < 1) throw new SeqgradError('splitKey', `n must be a positive integer, got ${n}`);
  // the count was checked above, so the array has exactly the tuple's length
  return Array.from({ length: n }, (_, i) => mix(k, 0x5eed, i) as unknown as Key) as Tuple<Key, N>;
};

/** Checks that `value` is a key, with an error naming `op`. @internal */
export const checkKey = (op: string, value: unknown): Key => {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) {
    throw new SeqgradError(op, `expected a PRNG key (make one with key(seed)), got ${showValue(value)}`);
  }
  return value as unknown as Key;
};

// ---------------------------------------------------------------------------
// draws
// ---------------------------------------------------------------------------

/**
 * Uniform numbers in `[low, high)`. A draw that would round up to `high` in the tensor's
 * dtype (float32 cannot resolve every range) becomes the largest number below `high`.
 */
export const uniform = (k: Key, shape: Shape, options: RandomOptions & { readonly low?: number; readonly high?: number } = {}): Tensor => {
  const { low = 0, high = 1 } = options;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new SeqgradError('uniform', `needs finite bounds with low < high, got low ${low} and high ${high}`);
  }
  const below = largestBelow(high, options.dtype === 'float64' ? 'float64' : 'float32');
  return draw('uniform', k, shape, options.dtype, (i) => Math.min(low + (high - low) * unitInterval(k, i), below));
};

/** Standard normal numbers (Box–Muller on two uniforms per element), scaled by `std` and shifted by `mean`. */
export const normal = (k: Key, shape: Shape, options: RandomOptions & { readonly mean?: number; readonly std?: number } = {}): Tensor => {
  const { mean = 0, std = 1 } = options;
  // torch.normal refuses a negative std; NaN or Infinity would fill the tensor with NaN
  if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new SeqgradError('normal', `options.mean must be a finite number, got ${showValue(mean)}`);
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) throw new SeqgradError('normal', `options.std must be a finite number >= 0, got ${showValue(std)}`);
  return draw('normal', k, shape, options.dtype, (i) => {
    // two independent 53-bit uniforms from two counters, so no bits are shared
    const u1 = 1 - toUnit(...mix(k, 1, i)); // (0, 1]: log stays finite
    const u2 = toUnit(...mix(k, 2, i));
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  });
};

/** Bernoulli draws (1 with probability `p`, else 0) as a floating tensor. */
export const bernoulli = (k: Key, p: number, shape: Shape, options: RandomOptions = {}): Tensor => {
  if (!(p >= 0 && p <= 1)) throw new SeqgradError('bernoulli', `p must lie in [0, 1], got ${showValue(p)}`);
  return draw('bernoulli', k, shape, options.dtype, (i) => (unitInterval(k, i) < p ? 1 : 0));
};

/** A uniformly random permutation of `0 .. n-1` (Fisher–Yates driven by `k`). */
export const permutation = (k: Key, n: number): number[] => {
  checkKey('permutation', k);
  if (!Number.isInteger(n) || n < 0) throw new SeqgradError('permutation', `n must be a non-negative integer, got ${n}`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(unitInterval(k, i) * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const draw = (op: string, k: Key, shape: Shape, dtype: DType | undefined, at: (i: number) => number): Tensor => {
  checkKey(op, k);
  checkShape(op, shape);
  if (dtype !== undefined) checkDType(op, dtype, 'options.dtype');
  if (dtype === 'int32') throw new SeqgradError(op, 'random draws are floating; use float32 or float64');
  const data = allocate(dtype ?? 'float32', sizeOf(shape), op);
  for (let i = 0; i < data.length; i++) data[i] = at(i);
  return new Tensor(data, shape);
};

const unitInterval = (k: Key, i: number): number => {
  const [a, b] = mix(k, 0, i);
  return toUnit(a, b);
};

/** The largest float32 or float64 below the finite `x`: one step down through the bits' integer view. */
const largestBelow = (x: number, dtype: 'float32' | 'float64'): number => {
  if (dtype === 'float32') {
    const f = new Float32Array([x]);
    if (f[0]! < x) return f[0]!;
    const bits = new Int32Array(f.buffer);
    bits[0] = f[0] === 0 ? -0x7fffffff : f[0]! > 0 ? bits[0]! - 1 : bits[0]! + 1;
    return f[0]!;
  }
  const d = new Float64Array([x]);
  const bits = new BigInt64Array(d.buffer);
  bits[0] = x === 0 ? -0x7fffffffffffffffn : x > 0 ? bits[0]! - 1n : bits[0]! + 1n;
  return d[0]!;
};

/** 53 random bits from two words, as a double in [0, 1). */
const toUnit = (hi: number, lo: number): number => ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;

/**
 * Threefry-2x32 with 20 rounds: hashes counter (c0, c1) under key k into two words.
 * Exported for the known-answer tests of Random123 (spec/tensor/random.spec.ts).
 *
 * @internal
 */
export const threefry = (k: readonly [number, number], c0: number, c1: number): [number, number] => {
  const word = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
  if (!Array.isArray(k) || k.length !== 2 || !k.every(word)) throw new SeqgradError('threefry', `k must be two 32-bit unsigned words, got ${showValue(k)}`);
  if (!word(c0) || !word(c1)) throw new SeqgradError('threefry', `counters c0, c1 must be 32-bit unsigned words, got ${showValue(c0)}, ${showValue(c1)}`);
  return mix(k, c0, c1);
};

/** threefry without the checks, for the generators' inner loops. */
const mix = (k: readonly [number, number], c0: number, c1: number): [number, number] => {
  const ks = [k[0] >>> 0, k[1] >>> 0, (0x1bd11bda ^ k[0] ^ k[1]) >>> 0];
  let x0 = (c0 + ks[0]!) >>> 0;
  let x1 = (c1 + ks[1]!) >>> 0;
  for (let group = 0; group < 5; group++) {
    for (let r = 0; r < 4; r++) {
      const rot = ROTATIONS[(group % 2) * 4 + r]!;
      x0 = (x0 + x1) >>> 0;
      x1 = ((x1 << rot) | (x1 >>> (32 - rot))) >>> 0;
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(group + 1) % 3]!) >>> 0;
    x1 = (x1 + ks[(group + 2) % 3]! + group + 1) >>> 0;
  }
  return [x0, x1];
};
