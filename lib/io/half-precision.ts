/**
 * The two 16-bit floating-point formats PyTorch saves models in: IEEE 754 binary16
 * (`F16`, torch.float16: 5 exponent bits, 10 fraction bits) and bfloat16 (`BF16`,
 * torch.bfloat16: the top half of a float32, 8 exponent bits, 7 fraction bits). Both
 * widen to float32 exactly, so loading loses nothing; narrowing rounds to the nearest
 * representable value, ties to the even fraction, and a value beyond the largest
 * finite one becomes ±infinity, as IEEE 754 prescribes. The rounding works on the JS
 * number's own bits, so a float64 tensor is rounded once, never through float32 first
 * (rounding twice can land on the wrong neighbour).
 *
 * @module
 * @internal
 */
import { LITTLE_ENDIAN } from './endian.js';

/** A 16-bit binary floating-point format: 1 sign bit, then exponent and fraction bits. @internal */
export interface HalfFormat {
  /** Its safetensors dtype code. */
  readonly code: 'F16' | 'BF16';
  /** Width of the biased exponent field. */
  readonly exponentBits: number;
  /** Width of the fraction field. */
  readonly fractionBits: number;
}

/** IEEE 754 binary16. @internal */
export const FLOAT16: HalfFormat = { code: 'F16', exponentBits: 5, fractionBits: 10 };

/** bfloat16: float32 with its low 16 fraction bits dropped. @internal */
export const BFLOAT16: HalfFormat = { code: 'BF16', exponentBits: 8, fractionBits: 7 };

const SIGN = 0x8000;

// ---------------------------------------------------------------------------
// bits to values
// ---------------------------------------------------------------------------

/** The value a 16-bit pattern stands for (NaN for every NaN pattern). @internal */
export const halfValue = (format: HalfFormat, bits: number): number => {
  const { exponentBits: eb, fractionBits: fb } = format;
  const bias = 2 ** (eb - 1) - 1;
  const sign = bits & SIGN ? -1 : 1;
  const exponent = (bits >> fb) & (2 ** eb - 1);
  const fraction = bits & (2 ** fb - 1);
  if (exponent === 2 ** eb - 1) return fraction === 0 ? sign * Infinity : NaN;
  // subnormals have no implicit leading 1 and the smallest normal exponent
  if (exponent === 0) return sign * fraction * 2 ** (1 - bias - fb);
  return sign * (2 ** fb + fraction) * 2 ** (exponent - bias - fb);
};

let float16Table: Uint32Array | undefined;

/** float32 bit patterns of all 65,536 binary16 patterns, built on first use; NaN payloads are kept. */
const float16ToFloat32Bits = (): Uint32Array => {
  if (float16Table !== undefined) return float16Table;
  const table = new Uint32Array(65536);
  const asFloat = new Float32Array(table.buffer);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = (bits & SIGN) << 16;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x03ff;
    // normals and the top exponent (infinities, NaNs with their payload) move field by field;
    // subnormals of binary16 are normal float32s, so they are computed by value
    if (exponent === 0x1f) table[bits] = sign | 0x7f800000 | (fraction << 13);
    else if (exponent > 0) table[bits] = sign | ((exponent - 15 + 127) << 23) | (fraction << 13);
    else asFloat[bits] = halfValue(FLOAT16, bits);
  }
  float16Table = table;
  return table;
};

/**
 * Widens `count` little-endian 16-bit patterns starting at `bytes[0]` into a new
 * Float32Array: exactly, subnormals, ±0, ±infinity and NaN included. @internal
 */
export const widenHalf = (format: HalfFormat, bytes: Uint8Array, count: number): Float32Array => {
  const out = new Float32Array(count);
  const outBits = new Uint32Array(out.buffer);
  // bfloat16 is the high half of a float32, so a shift widens it; binary16 needs the table
  const table = format.code === 'F16' ? float16ToFloat32Bits() : undefined;
  for (let i = 0; i < count; i++) {
    const bits = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    outBits[i] = table === undefined ? (bits << 16) >>> 0 : table[bits]!;
  }
  return out;
};

// ---------------------------------------------------------------------------
// values to bits
// ---------------------------------------------------------------------------

/** Nearest integer, ties to even. */
const roundHalfEven = (n: number): number => {
  const floor = Math.floor(n);
  const rest = n - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
};

/**
 * The 16-bit pattern nearest to `x` (ties to the even fraction); beyond the largest
 * finite value, ±infinity; NaN becomes the positive quiet NaN. @internal
 */
export const halfBits = (format: HalfFormat, x: number): number => {
  const { exponentBits: eb, fractionBits: fb } = format;
  const bias = 2 ** (eb - 1) - 1;
  const infinity = (2 ** eb - 1) * 2 ** fb;
  // a NaN's sign and payload do not survive JS numbers reliably: every NaN becomes the positive quiet NaN
  if (Number.isNaN(x)) return infinity | 2 ** (fb - 1);
  const sign = x < 0 || Object.is(x, -0) ? SIGN : 0;
  doubleView[0] = x;
  const high = doubleWords[HIGH]!;
  const e = ((high >>> 20) & 0x7ff) - 1023;
  if (e > bias) return sign | infinity; // infinities too
  // below the smallest normal exponent (subnormal results, zero) the rare general path rounds
  if (e < 1 - bias) return sign | roundedBits(fb, bias, Math.abs(x));
  // a normal result: keep the top fb of the double's 52 fraction bits, round on the rest
  const shift = 20 - fb;
  const kept = (high & 0xfffff) >>> shift;
  const rest = high & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const up = rest > half || (rest === half && (doubleWords[LOW] !== 0 || (kept & 1) === 1));
  // a carry out of the fraction raises the exponent, and past the largest gives exactly infinity
  return sign | (((e + bias) << fb) + kept + (up ? 1 : 0));
};

const doubleView = new Float64Array(1);
const doubleWords = new Uint32Array(doubleView.buffer);
const [LOW, HIGH] = LITTLE_ENDIAN ? [0, 1] : [1, 0];

/** Bits of a subnormal-range magnitude `a` (below 2^(1 - bias)): its multiple of the subnormal step, rounded. */
const roundedBits = (fb: number, bias: number, a: number): number => {
  // a / step is exact (a power-of-two scaling), so the rounding is the only one; a result
  // of 2^fb steps is the smallest normal, whose pattern is that same number
  return roundHalfEven(a / 2 ** (1 - bias - fb));
};

/** `values` narrowed to 16-bit patterns, as little-endian bytes. @internal */
export const narrowHalf = (format: HalfFormat, values: ArrayLike<number>): Uint8Array => {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const bits = halfBits(format, values[i]!);
    out[2 * i] = bits & 0xff;
    out[2 * i + 1] = bits >> 8;
  }
  return out;
};
