/**
 * binary16 and bfloat16 against bit patterns worked out by hand from IEEE 754's
 * definition (sign, biased exponent, fraction), every one of the 65,536 patterns of
 * each format against the definition written out here independently, and rounding to
 * nearest (ties to even) checked against the two neighbouring patterns of each result.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BFLOAT16, FLOAT16, halfBits, narrowHalf, widenHalf, type HalfFormat } from '../../lib/io/half-precision.js';

/** A pattern's value straight from the definition: (-1)^s · 2^(e - bias) · (1 + f / 2^fb), subnormals at e = 1. */
const definedValue = (exponentBits: number, fractionBits: number, bits: number): number => {
  const bias = 2 ** (exponentBits - 1) - 1;
  const s = bits >= 0x8000 ? -1 : 1;
  const e = Math.floor((bits % 0x8000) / 2 ** fractionBits);
  const f = bits % 2 ** fractionBits;
  if (e === 2 ** exponentBits - 1) return f === 0 ? s * Infinity : NaN;
  if (e === 0) return s * 2 ** (1 - bias) * (f / 2 ** fractionBits);
  return s * 2 ** (e - bias) * (1 + f / 2 ** fractionBits);
};

const valueOfF16 = (bits: number): number => definedValue(5, 10, bits);
const valueOfBF16 = (bits: number): number => definedValue(8, 7, bits);

/** Widens one pattern through the reader under test. */
const widenOne = (format: HalfFormat, bits: number): number => widenHalf(format, Uint8Array.from([bits & 0xff, bits >> 8]), 1)[0]!;

describe('binary16 (F16)', () => {
  it('encodes values to the patterns worked out by hand', () => {
    const cases: [number, number][] = [
      [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff], [2 ** -24, 0x0001], [1023 * 2 ** -24, 0x03ff],
      [2 ** -14, 0x0400], [0, 0x0000], [-0, 0x8000], [Infinity, 0x7c00], [-Infinity, 0xfc00], [NaN, 0x7e00],
      // 1/3 = 1.0101010101|0101...·2^-2: the dropped bits are below half, so down; 0.1 = 1.6·2^-4: 0.6·1024 = 614.4 → 614
      [1 / 3, 0x3555], [0.1, 0x2e66],
    ];
    for (const [x, bits] of cases) expect(halfBits(FLOAT16, x).toString(16), String(x)).toBe(bits.toString(16));
  });

  it('rounds ties to the even fraction, in normals and subnormals', () => {
    const cases: [number, number][] = [
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1 + 2^-10: the even one is 1
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between fractions 1 and 2: 2
      [2049, 0x6800], [2051, 0x6802], // the step is 2 in [2048, 4096)
      [2 ** -25, 0x0000], [3 * 2 ** -25, 0x0002], [2 ** -25 + 2 ** -35, 0x0001], [-(2 ** -26), 0x8000],
      [1023.5 * 2 ** -24, 0x0400], // the largest subnormal rounds up into the smallest normal
    ];
    for (const [x, bits] of cases) expect(halfBits(FLOAT16, x).toString(16), String(x)).toBe(bits.toString(16));
  });

  it('overflows to infinity only past the halfway point above 65504', () => {
    expect(halfBits(FLOAT16, 65519)).toBe(0x7bff);
    expect(halfBits(FLOAT16, 65520)).toBe(0x7c00); // halfway to 2^16, and 65504's fraction is odd
    expect(halfBits(FLOAT16, -1e6)).toBe(0xfc00);
    expect(halfBits(FLOAT16, 1e300)).toBe(0x7c00);
  });

  it('rounds a float64 once: 1 + 2^-11 + 2^-40 is above the tie, though as a float32 it would be on it', () => {
    expect(Math.fround(1 + 2 ** -11 + 2 ** -40)).toBe(1 + 2 ** -11);
    expect(halfBits(FLOAT16, 1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01);
  });

  it('widens every pattern to the value the definition gives (NaN patterns to NaN, -0 to -0)', () => {
    const all = new Uint8Array(2 * 65536);
    for (let bits = 0; bits < 65536; bits++) [all[2 * bits], all[2 * bits + 1]] = [bits & 0xff, bits >> 8];
    const widened = widenHalf(FLOAT16, all, 65536);
    for (let bits = 0; bits < 65536; bits++) {
      if (!Object.is(widened[bits], valueOfF16(bits))) expect(`${bits.toString(16)}: ${widened[bits]}`).toBe(`${bits.toString(16)}: ${valueOfF16(bits)}`);
    }
    expect([widenOne(FLOAT16, 0x0001), widenOne(FLOAT16, 0x7bff), widenOne(FLOAT16, 0xc000)]).toEqual([2 ** -24, 65504, -2]);
    expect(Object.is(widenOne(FLOAT16, 0x8000), -0)).toBe(true);
    expect(widenOne(FLOAT16, 0x7c01)).toBeNaN();
  });

  it('every finite pattern survives widening and narrowing again', () => {
    for (let bits = 0; bits < 65536; bits++) {
      const nan = (bits & 0x7c00) === 0x7c00 && (bits & 0x03ff) !== 0;
      if (!nan && halfBits(FLOAT16, valueOfF16(bits)) !== bits) expect(bits.toString(16)).toBe('a round trip');
    }
  });

  it('narrows any number to a nearest pattern, ties to the even one', () => {
    fc.assert(fc.property(fc.double({ min: -70000, max: 70000, noNaN: true }), (x) => nearest(valueOfF16, halfBits(FLOAT16, x), x, 0x7c00)));
  });
});

describe('bfloat16 (BF16)', () => {
  it('encodes values to the patterns worked out by hand', () => {
    const cases: [number, number][] = [
      [1, 0x3f80], [-2, 0xc000], [0.5, 0x3f00], [2 ** -133, 0x0001], [2 ** -126, 0x0080], [Infinity, 0x7f80], [-0, 0x8000], [NaN, 0x7fc0],
      // 0.1 = 1.6·2^-4: exponent field 123, fraction 0.6·128 = 76.8 → 77 = 0x4d
      [0.1, 0x3dcd],
      [1 + 2 ** -8, 0x3f80], [1 + 3 * 2 ** -8, 0x3f82], // ties to even
      [(2 - 2 ** -7) * 2 ** 127, 0x7f7f], // the largest finite bfloat16
      [3.4028234663852886e38, 0x7f80], // float32's largest lies past the halfway point (2 - 2^-8)·2^127: infinity
    ];
    for (const [x, bits] of cases) expect(halfBits(BFLOAT16, x).toString(16), String(x)).toBe(bits.toString(16));
  });

  it('widens every pattern to the float32 whose top half it is', () => {
    const all = new Uint8Array(2 * 65536);
    for (let bits = 0; bits < 65536; bits++) [all[2 * bits], all[2 * bits + 1]] = [bits & 0xff, bits >> 8];
    const widened = widenHalf(BFLOAT16, all, 65536);
    const asBits = new Uint32Array(widened.buffer);
    for (let bits = 0; bits < 65536; bits++) {
      if (asBits[bits] !== bits * 65536) expect(asBits[bits]!.toString(16)).toBe((bits * 65536).toString(16));
      if (!Object.is(widened[bits], valueOfBF16(bits)) && !Number.isNaN(valueOfBF16(bits))) expect(widened[bits]).toBe(valueOfBF16(bits));
    }
    expect(widenOne(BFLOAT16, 0x3f80)).toBe(1);
  });

  it('narrows any number to a nearest pattern, ties to the even one', () => {
    fc.assert(fc.property(fc.double({ min: -3.5e38, max: 3.5e38, noNaN: true }), (x) => nearest(valueOfBF16, halfBits(BFLOAT16, x), x, 0x7f80)));
    fc.assert(fc.property(fc.double({ min: -1e-35, max: 1e-35, noNaN: true }), (x) => nearest(valueOfBF16, halfBits(BFLOAT16, x), x, 0x7f80)));
  });
});

describe('narrowHalf', () => {
  it('writes little-endian patterns, two bytes an element', () => {
    expect(Array.from(narrowHalf(FLOAT16, [1, -2, 65504]))).toEqual([0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b]);
    expect(Array.from(narrowHalf(BFLOAT16, Float32Array.from([1, -2])))).toEqual([0x80, 0x3f, 0x00, 0xc0]);
  });
});

/**
 * `bits` is a correct rounding of `x`: no pattern next to it is closer, on a tie the
 * fraction is even, and infinity only when `x` is at least halfway past the largest finite.
 */
const nearest = (valueOf: (bits: number) => number, bits: number, x: number, infinity: number): boolean => {
  const sign = bits & 0x8000;
  const magnitude = bits & 0x7fff;
  if (magnitude === infinity) {
    const largest = valueOf(infinity - 1);
    const halfway = largest + (largest - valueOf(infinity - 2)) / 2;
    expect(Math.abs(x)).toBeGreaterThanOrEqual(halfway);
    return true;
  }
  const v = valueOf(magnitude);
  const a = Math.abs(x);
  expect(sign === 0x8000, `sign of ${x}`).toBe(x < 0 || Object.is(x, -0));
  for (const neighbour of [magnitude - 1, magnitude + 1]) {
    if (neighbour < 0 || neighbour >= infinity) continue;
    const d = Math.abs(a - valueOf(neighbour));
    expect(Math.abs(a - v), `${x} → ${bits.toString(16)} vs ${neighbour.toString(16)}`).toBeLessThanOrEqual(d);
    if (d === Math.abs(a - v)) expect(magnitude % 2, `tie at ${x}`).toBe(0);
  }
  return true;
};
