/**
 * CRC-32 (the IEEE polynomial of zip, PNG and zlib) over bytes. safetensors itself
 * carries no checksum, so a flipped bit in the data section would load as a wrong
 * weight without complaint; checkpoints store each tensor's CRC-32 in their metadata
 * and refuse a tensor whose bytes no longer match.
 *
 * @module
 */
import { expectBytes } from './args.js';
import { LITTLE_ENDIAN } from './endian.js';

/**
 * Slicing-by-8 tables: TABLES[k][b] is the CRC of byte b followed by k zero bytes, so
 * eight bytes fold in with eight lookups and no per-bit loop (several times faster than
 * one table; checkpoints hash every byte they write and read). @internal
 */
const TABLES = ((): Uint32Array[] => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) tables[k]![n] = (tables[k - 1]![n]! >>> 8) ^ tables[0]![tables[k - 1]![n]! & 0xff]!;
  }
  return tables;
})();

/**
 * The CRC-32 of `bytes` as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export const crc32 = (bytes: Uint8Array): number => crc32Of(expectBytes('crc32', bytes));

const crc32Of = (bytes: Uint8Array): number => {
  const t0 = TABLES[0]!;
  let c = 0xffffffff;
  let i = 0;
  // byte by byte up to a 4-byte boundary, then two aligned words per step, then the tail
  const head = LITTLE_ENDIAN ? Math.min(bytes.length, (4 - (bytes.byteOffset % 4)) % 4) : bytes.length;
  for (; i < head; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  const pairs = (bytes.length - i) >>> 3;
  if (pairs > 0) {
    c = foldWords(new Uint32Array(bytes.buffer, bytes.byteOffset + i, pairs * 2), c);
    i += pairs * 8;
  }
  for (; i < bytes.length; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** Folds little-endian word pairs into the running CRC `c` with the slicing-by-8 tables. @internal */
const foldWords = (words: Uint32Array, c: number): number => {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  for (let w = 0; w < words.length; w += 2) {
    const lo = c ^ words[w]!;
    const hi = words[w + 1]!;
    c = t7[lo & 0xff]! ^ t6[(lo >>> 8) & 0xff]! ^ t5[(lo >>> 16) & 0xff]! ^ t4[lo >>> 24]!
      ^ t3[hi & 0xff]! ^ t2[(hi >>> 8) & 0xff]! ^ t1[(hi >>> 16) & 0xff]! ^ t0[hi >>> 24]!;
  }
  return c;
};

/** The CRC-32 as 8 lowercase hex digits, as checkpoint metadata stores it. */
export const crc32Hex = (bytes: Uint8Array): string => crc32Of(expectBytes('crc32Hex', bytes)).toString(16).padStart(8, '0');
