/**
 * How each safetensors dtype maps to seqgrad's three (float32, float64, int32), in
 * both directions. Reading widens wherever that is exact: F16 and BF16 to float32;
 * BOOL, U8, I8, U16 and I16 to int32; I64, U64 and U32 to int32 when every value fits
 * (a value that does not is refused, never wrapped). Writing stores float32 as F32,
 * float64 as F64 and int32 as I32, or, on request, every floating-point tensor as F16
 * or BF16 (rounded to nearest, ties to even; see half-precision.ts).
 *
 * @module
 * @internal
 */
import { allocate, type DType, type TypedArray } from '../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { LITTLE_ENDIAN } from './endian.js';
import { BFLOAT16, FLOAT16, narrowHalf, widenHalf } from './half-precision.js';
import type { HeaderEntry, SafetensorsDType } from './safetensors-header.js';

/** A 16-bit floating-point format to store floating-point tensors in: torch.float16 or torch.bfloat16. */
export type HalfDType = 'float16' | 'bfloat16';

/** The half dtypes by name, in the order messages list them. */
const HALF_DTYPES: readonly HalfDType[] = ['float16', 'bfloat16'];

const NATIVE: Readonly<Record<DType, 'F32' | 'F64' | 'I32'>> = { float32: 'F32', float64: 'F64', int32: 'I32' };

/** Integer dtypes read with a DataView getter, and the range int32 can hold of each. */
const INTEGERS = {
  BOOL: { get: (v: DataView, i: number) => v.getUint8(i), width: 1 },
  U8: { get: (v: DataView, i: number) => v.getUint8(i), width: 1 },
  I8: { get: (v: DataView, i: number) => v.getInt8(i), width: 1 },
  U16: { get: (v: DataView, i: number) => v.getUint16(i * 2, true), width: 2 },
  I16: { get: (v: DataView, i: number) => v.getInt16(i * 2, true), width: 2 },
  U32: { get: (v: DataView, i: number) => v.getUint32(i * 4, true), width: 4 },
  I64: { get: (v: DataView, i: number) => v.getBigInt64(i * 8, true), width: 8 },
  U64: { get: (v: DataView, i: number) => v.getBigUint64(i * 8, true), width: 8 },
} as const;

// ---------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------

/**
 * The elements of one checked entry as a fresh array of the seqgrad dtype it maps to.
 * `data` holds exactly the entry's bytes. @internal
 */
export const readElements = (data: Uint8Array, entry: HeaderEntry, source: string): TypedArray => {
  const count = data.length / widthOf(entry.dtype);
  switch (entry.dtype) {
    case 'F32': case 'F64': case 'I32':
      return readNative(data, entry.dtype === 'F32' ? 'float32' : entry.dtype === 'F64' ? 'float64' : 'int32', count);
    case 'F16': return widenHalf(FLOAT16, data, count);
    case 'BF16': return widenHalf(BFLOAT16, data, count);
    default: return readInteger(data, entry, count, source);
  }
};

const widthOf = (code: SafetensorsDType): number =>
  code === 'F64' ? 8 : code === 'F32' || code === 'I32' ? 4 : code === 'F16' || code === 'BF16' ? 2 : INTEGERS[code].width;

const readNative = (data: Uint8Array, dtype: DType, count: number): TypedArray => {
  const out = allocate(dtype, count);
  if (LITTLE_ENDIAN) {
    // a byte copy: the source offset need not be aligned for the element type
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(data);
    return out;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < count; i++) {
    out[i] = dtype === 'float32' ? view.getFloat32(i * 4, true) : dtype === 'float64' ? view.getFloat64(i * 8, true) : view.getInt32(i * 4, true);
  }
  return out;
};

/** Integers to int32, refusing a value outside int32 (or a BOOL byte other than 0 and 1) rather than changing it. */
const readInteger = (data: Uint8Array, entry: HeaderEntry, count: number, source: string): Int32Array => {
  const code = entry.dtype as keyof typeof INTEGERS;
  const { get } = INTEGERS[code];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Int32Array(count);
  const [low, high] = code === 'BOOL' ? [0, 1] : [-(2 ** 31), 2 ** 31 - 1];
  for (let i = 0; i < count; i++) {
    const value = get(view, i);
    if (value < low || value > high) {
      const why = code === 'BOOL' ? 'is not a boolean (0 or 1)' : 'does not fit int32';
      throw new SeqgradError('safetensors', `${source}: tensor "${entry.name}" (${code} ${showShape(entry.shape)}): value ${value} at flat index ${i} ${why}`);
    }
    out[i] = Number(value);
  }
  return out;
};

// ---------------------------------------------------------------------------
// writing
// ---------------------------------------------------------------------------

/** Checks an encoder's `{ dtype? }` options in `op`'s name, returning the half dtype asked for. @internal */
export const checkEncodeOptions = (op: string, options: unknown): HalfDType | undefined => {
  if (typeof options !== 'object' || options === null) throw new SeqgradError(op, `options must be { dtype? }, got ${showValue(options)}`);
  const { dtype } = options as { dtype?: unknown };
  if (dtype !== undefined && !HALF_DTYPES.includes(dtype as HalfDType)) {
    throw new SeqgradError(op, `options.dtype must be ${HALF_DTYPES.map((d) => `'${d}'`).join(' or ')} (or absent to keep float32 and float64), got ${showValue(dtype)}`);
  }
  return dtype as HalfDType | undefined;
};

/** A tensor as the file stores it: its dtype code and little-endian bytes. @internal */
export interface StoredTensor {
  /** The safetensors dtype written. */
  readonly code: SafetensorsDType;
  /** The element bytes, little-endian (a view of the tensor's data when no conversion is needed). */
  readonly bytes: Uint8Array;
  /** Bytes per element, which the layout aligns to. */
  readonly width: number;
}

/**
 * How `t` is stored: as its own dtype, or narrowed to `half` when it is floating-point
 * and `half` is given (int32 stays I32, as `model.half()` leaves integer tensors). @internal
 */
export const storedTensor = (t: Tensor, half?: HalfDType): StoredTensor => {
  if (half !== undefined && t.dtype !== 'int32') {
    const format = half === 'float16' ? FLOAT16 : BFLOAT16;
    return { code: format.code, bytes: narrowHalf(format, t.data), width: 2 };
  }
  return { code: NATIVE[t.dtype], bytes: nativeBytes(t), width: t.data.BYTES_PER_ELEMENT };
};

/** A tensor's elements as little-endian bytes: a view of its data on little-endian hosts, a copy elsewhere. @internal */
export const nativeBytes = (t: Tensor): Uint8Array => {
  if (LITTLE_ENDIAN) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(t.data.byteLength);
  const view = new DataView(out.buffer);
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    if (t.dtype === 'float32') view.setFloat32(i * 4, data[i]!, true);
    else if (t.dtype === 'float64') view.setFloat64(i * 8, data[i]!, true);
    else view.setInt32(i * 4, data[i]!, true);
  }
  return out;
};
