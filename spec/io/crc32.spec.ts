/**
 * CRC-32 against the published check values of the IEEE CRC (the "123456789" check
 * value 0xCBF43926 of the CRC catalogue) and values zlib gives for short strings.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32, crc32Hex } from '../../lib/io/index.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(bytes('a'))).toBe(0xe8b7be43);
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32Hex(bytes('a'))).toBe('e8b7be43');
    expect(crc32Hex(new Uint8Array([0, 0, 0, 0]))).toBe('2144df1c');
  });

  it('changes whenever one byte changes (CRC-32 detects every single-byte error)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, flip) => {
        const changed = data.slice();
        changed[at % data.length] = changed[at % data.length]! ^ flip;
        expect(crc32(changed)).not.toBe(crc32(data));
      }),
    );
  });
});
