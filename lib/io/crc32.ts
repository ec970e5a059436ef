/**
 * CRC-32 (the IEEE polynomial of zip, PNG and zlib) over bytes. safetensors itself
 * carries no checksum, so a flipped bit in the data section would load as a wrong
 * weight without complaint; checkpoints store each tensor's CRC-32 in their metadata
 * and refuse a tensor whose bytes no longer match.
 *
 * @module
 */

/** The byte-at-a-time table of the reflected polynomial 0xEDB88320. @internal */
const TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes` as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** The CRC-32 as 8 lowercase hex digits, as checkpoint metadata stores it. */
export const crc32Hex = (bytes: Uint8Array): string => crc32(bytes).toString(16).padStart(8, '0');
