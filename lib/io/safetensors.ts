/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N
 * bytes of UTF-8 JSON naming each tensor's dtype, shape and byte range, padded with
 * spaces to 8-byte alignment, then the raw little-endian data. Written here from the
 * format's description, with no dependency and no `node:` import, so it runs in a
 * browser too. Decoding trusts nothing: every length, offset and dtype is checked
 * before a byte is read, and every refusal names the file and the tensor, because a
 * checkpoint that loads wrong numbers silently is worse than one that does not load.
 *
 * @module
 */
import { SeqgradError, showValue } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { expectBytes } from './args.js';
import { checkLayout, parseHeader, type SafetensorsDType } from './safetensors-header.js';
import { checkEncodeOptions, nativeBytes, readElements, storedTensor, type HalfDType } from './safetensors-dtypes.js';
import { writeSafetensors } from './safetensors-write.js';

export type { HalfDType } from './safetensors-dtypes.js';

/** A decoded safetensors file: tensors in header order and the string metadata. */
export interface SafetensorsFile {
  /** The tensors by name, in the order the header lists them. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** The `__metadata__` map (empty when the file has none). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Each tensor's dtype as stored, e.g. `F16` for a tensor that `tensors` holds as float32. */
  readonly dtypes: ReadonlyMap<string, SafetensorsDType>;
}

/** Options of `encodeSafetensors` and `encodeModel`. */
export interface EncodeTensorsOptions {
  /**
   * Store every floating-point tensor (float32 and float64) as F16 (`'float16'`) or
   * BF16 (`'bfloat16'`), rounded to the nearest value, ties to even; a value beyond
   * the format's largest (65504 for float16) becomes ±infinity, and NaN stays NaN.
   * int32 tensors stay I32. Default: float32 as F32, float64 as F64.
   */
  readonly dtype?: HalfDType;
}

/** Tensors to encode: a Map (keeps any order) or a plain record. */
export type NamedTensors = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

// ---------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------

/**
 * Encodes tensors (float32 as F32, float64 as F64, int32 as I32; floating-point ones
 * as F16 or BF16 with `options.dtype`) and optional string metadata as safetensors
 * bytes. Wider dtypes are laid out first so every tensor starts at a multiple of its
 * element size (the data section starts 8-aligned), which lets readers that map the
 * file view tensors in place.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ w: tensor([[1, 2], [3, 4]]) }, { note: 'demo' });
 * const { tensors } = decodeSafetensors(bytes, 'demo.safetensors');
 * const half = encodeSafetensors({ w: tensor([0.1, 65504]) }, undefined, { dtype: 'float16' });   // 2 bytes an element
 * ```
 */
export const encodeSafetensors = (tensors: NamedTensors, metadata?: Readonly<Record<string, string>>, options: EncodeTensorsOptions = {}): Uint8Array => {
  if (typeof tensors !== 'object' || tensors === null) throw new SeqgradError('encodeSafetensors', `tensors must be a record or Map of name to Tensor, got ${showValue(tensors)}`);
  const half = checkEncodeOptions('encodeSafetensors', options);
  const entries: [string, Tensor][] = tensors instanceof Map ? [...(tensors as ReadonlyMap<string, Tensor>)] : Object.entries(tensors as Record<string, Tensor>);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new SeqgradError('encodeSafetensors', `tensors.${name} must be a Tensor, got ${showValue(t)}`);
  }
  return writeSafetensors(entries.map(([name, t]) => ({ name, shape: t.shape, ...storedTensor(t, half) })), metadata);
};

// ---------------------------------------------------------------------------
// decoding
// ---------------------------------------------------------------------------

/**
 * Decodes safetensors bytes, checking the header length, the JSON, every dtype, shape
 * and offset, and that tensors tile the data section exactly. F16 and BF16 tensors
 * become float32 (exactly: every value they hold is a float32); BOOL, U8, I8, U16 and
 * I16 become int32, and I64, U64 and U32 too when every value fits (otherwise the
 * error names the tensor, the value and its index). `dtypes` tells what was stored.
 * `source` (usually the file path) starts every error.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 *
 * const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
 * ```
 */
export const decodeSafetensors = (bytes: Uint8Array, source = '(bytes)'): SafetensorsFile => {
  expectBytes('decodeSafetensors', bytes);
  const header = parseHeader(bytes, source);
  checkLayout(header.entries, bytes.length - header.dataStart, source);
  const tensors = new Map<string, Tensor>();
  const dtypes = new Map<string, SafetensorsDType>();
  for (const entry of header.entries) {
    const start = header.dataStart + entry.begin;
    tensors.set(entry.name, new Tensor(readElements(bytes.subarray(start, header.dataStart + entry.end), entry, source), entry.shape));
    dtypes.set(entry.name, entry.dtype);
  }
  return { tensors, metadata: header.metadata, dtypes };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** A tensor's elements as little-endian bytes: a view of its data on little-endian hosts, a copy elsewhere. @internal */
export const littleEndianBytes = (t: Tensor): Uint8Array => {
  if (!(t instanceof Tensor)) throw new SeqgradError('littleEndianBytes', `argument t must be a Tensor, got ${showValue(t)}`);
  return nativeBytes(t);
};
