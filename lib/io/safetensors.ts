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
import { allocate, type DType } from '../tensor/dtype.js';
import { LITTLE_ENDIAN } from './endian.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expectBytes } from './args.js';
import { checkLayout, parseHeader, type HeaderEntry } from './safetensors-header.js';

/** A decoded safetensors file: tensors in header order and the string metadata. */
export interface SafetensorsFile {
  /** The tensors by name, in the order the header lists them. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** The `__metadata__` map (empty when the file has none). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Tensors to encode: a Map (keeps any order) or a plain record. */
export type NamedTensors = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

const CODES: Readonly<Record<DType, 'F32' | 'F64' | 'I32'>> = { float32: 'F32', float64: 'F64', int32: 'I32' };

// ---------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------

/**
 * Encodes tensors (float32 as F32, float64 as F64, int32 as I32) and optional string
 * metadata as safetensors bytes. Wider dtypes are laid out first so every tensor
 * starts at a multiple of its element size (the data section starts 8-aligned), which
 * lets readers that map the file view tensors in place.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ w: tensor([[1, 2], [3, 4]]) }, { note: 'demo' });
 * const { tensors } = decodeSafetensors(bytes, 'demo.safetensors');
 * ```
 */
export const encodeSafetensors = (tensors: NamedTensors, metadata?: Readonly<Record<string, string>>): Uint8Array => {
  if (typeof tensors !== 'object' || tensors === null) throw new SeqgradError('encodeSafetensors', `tensors must be a record or Map of name to Tensor, got ${showValue(tensors)}`);
  const entries: [string, Tensor][] = tensors instanceof Map ? [...(tensors as ReadonlyMap<string, Tensor>)] : Object.entries(tensors as Record<string, Tensor>);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new SeqgradError('encodeSafetensors', `tensors.${name} must be a Tensor, got ${showValue(t)}`);
  }
  const layout = entries
    .map(([name, t], i) => ({ name, t, i }))
    .sort((a, b) => b.t.data.BYTES_PER_ELEMENT - a.t.data.BYTES_PER_ELEMENT || a.i - b.i);
  // no prototype, so a tensor named __proto__ is an ordinary key rather than a setter
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) header['__metadata__'] = checkMetadata(metadata);
  const offsets = new Map<string, [number, number]>();
  let end = 0;
  for (const { name, t } of layout) {
    offsets.set(name, [end, end + t.data.byteLength]);
    end += t.data.byteLength;
  }
  for (const [name, t] of entries) {
    if (name === '__metadata__' || Object.prototype.hasOwnProperty.call(header, name)) {
      throw new SeqgradError('encodeSafetensors', `tensor name "${name}" is reserved or repeated`);
    }
    header[name] = { dtype: CODES[t.dtype], shape: [...t.shape], data_offsets: offsets.get(name) };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + end);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  for (const { name, t } of layout) writeData(out, 8 + padded + offsets.get(name)![0], t);
  return out;
};

// ---------------------------------------------------------------------------
// decoding
// ---------------------------------------------------------------------------

/**
 * Decodes safetensors bytes, checking the header length, the JSON, every dtype, shape
 * and offset, and that tensors tile the data section exactly. I64 tensors become
 * int32 when every value fits. `source` (usually the file path) starts every error.
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
  for (const entry of header.entries) tensors.set(entry.name, readTensor(bytes, header.dataStart, entry, source));
  return { tensors, metadata: header.metadata };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkMetadata = (metadata: Readonly<Record<string, string>>): Record<string, string> => {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SeqgradError('encodeSafetensors', `metadata "${k}" must be a string, got ${typeof v}`);
  }
  return { ...metadata };
};

/** A tensor's elements as little-endian bytes: a view of its data on little-endian hosts, a copy elsewhere. @internal */
export const littleEndianBytes = (t: Tensor): Uint8Array => {
  if (!(t instanceof Tensor)) throw new SeqgradError('littleEndianBytes', `argument t must be a Tensor, got ${showValue(t)}`);
  if (LITTLE_ENDIAN) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(t.data.byteLength);
  writeData(out, 0, t);
  return out;
};

/** Copies a tensor's elements into `out` at `offset`, little-endian. @internal */
const writeData = (out: Uint8Array, offset: number, t: Tensor): void => {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, t.data.byteLength);
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    if (t.dtype === 'float32') view.setFloat32(i * 4, data[i]!, true);
    else if (t.dtype === 'float64') view.setFloat64(i * 8, data[i]!, true);
    else view.setInt32(i * 4, data[i]!, true);
  }
};

/** Reads one checked entry into a fresh tensor that owns its data. @internal */
const readTensor = (bytes: Uint8Array, dataStart: number, entry: HeaderEntry, source: string): Tensor => {
  const begin = bytes.byteOffset + dataStart + entry.begin;
  const size = sizeOf(entry.shape);
  if (entry.dtype === 'I64') return new Tensor(readI64(bytes, begin, size, entry, source), entry.shape);
  const data = allocate(entry.dtype === 'F32' ? 'float32' : entry.dtype === 'F64' ? 'float64' : 'int32', size);
  if (LITTLE_ENDIAN) {
    // a byte copy: the source offset need not be aligned for the element type
    new Uint8Array(data.buffer).set(new Uint8Array(bytes.buffer, begin, data.byteLength));
  } else {
    const view = new DataView(bytes.buffer, begin, data.byteLength);
    for (let i = 0; i < size; i++) {
      data[i] = entry.dtype === 'F32' ? view.getFloat32(i * 4, true) : entry.dtype === 'F64' ? view.getFloat64(i * 8, true) : view.getInt32(i * 4, true);
    }
  }
  return new Tensor(data, entry.shape);
};

/** I64 to int32, refusing values outside int32 rather than wrapping them. @internal */
const readI64 = (bytes: Uint8Array, begin: number, size: number, entry: HeaderEntry, source: string): Int32Array => {
  const view = new DataView(bytes.buffer, begin, size * 8);
  const data = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const lo = view.getInt32(i * 8, true);
    const hi = view.getInt32(i * 8 + 4, true);
    // in range exactly when the high word is the sign extension of the low word
    if (hi !== lo >> 31) {
      const value = view.getBigInt64(i * 8, true);
      throw new SeqgradError('safetensors', `${source}: tensor "${entry.name}" (I64 ${showShape(entry.shape)}): value ${value} at flat index ${i} does not fit int32`);
    }
    data[i] = lo;
  }
  return data;
};
