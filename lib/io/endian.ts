/**
 * The host's byte order. safetensors stores little-endian data; on a little-endian host
 * (every current JS engine in practice) typed-array bytes copy straight, and the CRC
 * may read whole words.
 *
 * @module
 * @internal
 */

/** True on little-endian hosts. @internal */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
