/**
 * The safetensors header, parsed and checked on its own: the 8-byte length, the JSON,
 * each entry's dtype, shape and offsets, and the layout of the data section. Kept apart
 * from the data reader so a file can be vetted from its first few kilobytes and its
 * size alone (the checkpoint finder does this to skip truncated files without reading
 * megabytes of weights).
 *
 * @module
 */
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { expectBytes } from './args.js';
import { sizeOf } from '../tensor/shape.js';

/**
 * The safetensors dtypes seqgrad reads. Floats become float32 (F32, F16, BF16) or
 * float64 (F64); integers and BOOL become int32 (I64, U64 and U32 only when every
 * value fits). The 8-bit and smaller float formats are not read.
 */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** One checked header entry; offsets are relative to the data section. */
export interface HeaderEntry {
  /** The tensor's name. */
  readonly name: string;
  /** Its stored dtype. */
  readonly dtype: SafetensorsDType;
  /** Its shape. */
  readonly shape: readonly number[];
  /** First byte, relative to the data section. */
  readonly begin: number;
  /** One past the last byte, relative to the data section. */
  readonly end: number;
}

/** A checked header: entries in file order, metadata, and where the data section starts. */
export interface SafetensorsHeader {
  /** The tensor entries in the order the JSON lists them. */
  readonly entries: readonly HeaderEntry[];
  /** The `__metadata__` strings (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Byte offset of the data section in the file: 8 + the header length. */
  readonly dataStart: number;
}

/** Bytes per element of each dtype read, in the order messages list them. */
const WIDTH: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** The largest header accepted (the reference implementation's limit), so a garbage length cannot ask for gigabytes. */
const MAX_HEADER = 100_000_000;

// ---------------------------------------------------------------------------
// parsing
// ---------------------------------------------------------------------------

/**
 * Parses and checks the header of a safetensors file. `bytes` must hold at least the
 * header; `fileSize` is the whole file's size (defaults to `bytes.length`).
 *
 * @example
 * ```ts
 * const { entries, metadata } = parseHeader(bytes, 'model.safetensors');
 * ```
 */
export const parseHeader = (bytes: Uint8Array, source: string, fileSize = bytes.length): SafetensorsHeader => {
  const fail = (message: string): never => {
    throw new SeqgradError('safetensors', `${source}: ${message}`);
  };
  expectBytes('parseHeader', bytes);
  if (fileSize < 8) fail(`file is ${fileSize} bytes, too short to hold the 8-byte header length`);
  const length = headerLength(bytes);
  // a u64 above 2^53 loses digits as a double: print the exact value
  if (length > fileSize - 8) fail(`header length ${exactHeaderLength(bytes)} runs past the end of the file (${fileSize} bytes; file truncated or not safetensors)`);
  if (length > MAX_HEADER) fail(`header length ${length} exceeds the ${MAX_HEADER}-byte limit`);
  if (bytes.length < 8 + length) fail(`only ${bytes.length} bytes given, the header needs ${8 + length}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('header must be a JSON object');
  const record = json as Record<string, unknown>;
  const metadata = checkMetadata(record['__metadata__'], fail);
  const entries = Object.keys(record)
    .filter((name) => name !== '__metadata__')
    .map((name) => checkEntry(name, record[name], source));
  return { entries, metadata, dataStart: 8 + length };
};

/** The header length in the first 8 bytes (a little-endian u64), which the caller ensures are there. @internal */
export const headerLength = (bytes: Uint8Array): number => {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) throw new SeqgradError('headerLength', `bytes must be a Uint8Array of at least 8 bytes, got ${showValue(bytes)}${bytes instanceof Uint8Array ? ` of ${bytes.length}` : ''}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
};

/** The header length as the exact u64 the file holds. */
const exactHeaderLength = (bytes: Uint8Array): bigint => new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);

/**
 * Checks that the entries tile `[0, dataLength)` exactly: no gap, no overlap, nothing
 * past the end (a truncated file) and no trailing bytes.
 */
export const checkLayout = (entries: readonly HeaderEntry[], dataLength: number, source: string): void => {
  if (!Array.isArray(entries)) throw new SeqgradError('checkLayout', `entries must be an array of header entries, got ${showValue(entries)}`);
  if (!Number.isInteger(dataLength) || dataLength < 0) throw new SeqgradError('checkLayout', `dataLength must be a non-negative integer, got ${showValue(dataLength)}`);
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let end = 0;
  let previous: HeaderEntry | undefined;
  for (const entry of sorted) {
    if (entry.begin !== end) {
      const what = entry.begin < end
        ? `overlaps tensor "${previous!.name}" (bytes [${previous!.begin}, ${previous!.end}))`
        : `leaves a gap of ${entry.begin - end} bytes after ${previous ? `tensor "${previous.name}"` : 'the start of the data section'}`;
      throw new SeqgradError('safetensors', `${source}: tensor "${entry.name}" with data_offsets [${entry.begin}, ${entry.end}] ${what}`);
    }
    end = entry.end;
    previous = entry;
  }
  if (end > dataLength) {
    throw new SeqgradError('safetensors', `${source}: tensor "${previous!.name}" ends at byte ${end} of the data section, which holds only ${dataLength} bytes (file truncated)`);
  }
  if (end < dataLength) {
    throw new SeqgradError('safetensors', `${source}: ${dataLength - end} trailing bytes after the last tensor's data`);
  }
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkMetadata = (value: unknown, fail: (message: string) => never): Record<string, string> => {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('__metadata__ must be a JSON object of strings');
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(`__metadata__ "${k}" must be a string, got ${JSON.stringify(v)}`);
  }
  return value as Record<string, string>;
};

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Checks one entry's fields and that its byte range matches its shape and dtype. @internal */
const checkEntry = (name: string, value: unknown, source: string): HeaderEntry => {
  const fail = (message: string): never => {
    throw new SeqgradError('safetensors', `${source}: tensor "${name}": ${message}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('header entry must be an object');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(WIDTH, dtype)) {
    return fail(`dtype ${JSON.stringify(dtype)} is not one seqgrad reads (it reads ${Object.keys(WIDTH).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) return fail(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || (offsets[0] as number) > (offsets[1] as number)) {
    return fail(`data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const bytes = sizeOf(shape) * WIDTH[dtype as SafetensorsDType];
  if (bytes !== end - begin) {
    fail(`shape ${showShape(shape)} of ${dtype} needs ${bytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: dtype as SafetensorsDType, shape, begin, end };
};
