/**
 * The two 16-bit floating-point formats PyTorch saves models in: IEEE 754 binary16
 * (`F16`, torch.float16: 5 exponent bits, 10 fraction bits) and bfloat16 (`BF16`,
 * torch.bfloat16: the top half of a float32, 8 exponent bits, 7 fraction bits). Both
 * widen to float32 exactly, so loading loses nothing; narrowing rounds to the nearest
 * representable value, ties to the even fraction, and a value beyond the largest
 * finite one becomes ±infinity, as IEEE 754 prescribes. The rounding works on the JS
 * number itself, so a float64 tensor is rounded once, never through float32 first
 * (rounding twice can land on the wrong neighbour).
 *
 * @module
 * @internal
 */

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
    const nan = (bits & 0x7c00) === 0x7c00 && (bits & 0x03ff) !== 0;
    if (nan) table[bits] = ((bits & SIGN) << 16) | 0x7f800000 | ((bits & 0x03ff) << 13);
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

/** The exponent e with 2^e <= a < 2^(e+1), for finite a > 0. */
const binaryExponent = (a: number): number => {
  const e = Math.floor(Math.log2(a));
  // log2 may round across a power of two: settle it by comparison, which is exact
  if (2 ** e > a) return e - 1;
  return 2 ** (e + 1) <= a ? e + 1 : e;
};

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
  const a = Math.abs(x);
  if (a === 0) return sign;
  if (a === Infinity) return sign | infinity;
  // below the smallest normal exponent the step stays that of the subnormals
  const e = Math.max(binaryExponent(a), 1 - bias);
  if (e > bias) return sign | infinity;
  // a / step is exact (a power-of-two scaling), so the rounding is the only one
  const significand = roundHalfEven(a / 2 ** (e - fb));
  if (significand < 2 ** fb) return sign | significand; // a subnormal (or zero)
  // rounding up may carry into the next binade: 2^(fb+1) is 1.0 of exponent e + 1
  const [exponent, fraction] = significand === 2 ** (fb + 1) ? [e + 1, 0] : [e, significand - 2 ** fb];
  if (exponent > bias) return sign | infinity;
  return sign | ((exponent + bias) << fb) | fraction;
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
