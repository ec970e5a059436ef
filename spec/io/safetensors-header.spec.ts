/**
 * Every way a safetensors header can be wrong, each refused with a message naming the
 * file and (where there is one) the tensor. Files are assembled by hand here, so the
 * encoder under test never produces its own bad input.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeqgradError } from '../../lib/index.js';
import { checkLayout, decodeSafetensors, parseHeader, type HeaderEntry } from '../../lib/io/index.js';

/** A file: an explicit header length (default: the header's byte length), the header text and `dataBytes` zero bytes. */
const file = (header: string, dataBytes: number, length?: number): Uint8Array => {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(length ?? json.length), true);
  out.set(json, 8);
  return out;
};

const refuses = (bytes: Uint8Array, message: string | RegExp): void => {
  let error: unknown;
  try {
    decodeSafetensors(bytes, 'bad.safetensors');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SeqgradError);
  if (typeof message === 'string') expect((error as Error).message).toBe(`safetensors: bad.safetensors: ${message}`);
  else expect((error as Error).message).toMatch(message);
};

const entry = (dtype: string, shape: number[], begin: number, end: number): string =>
  JSON.stringify({ dtype, shape, data_offsets: [begin, end] });

describe('parseHeader refuses', () => {
  it('a file shorter than the length field', () => {
    refuses(new Uint8Array(5), 'file is 5 bytes, too short to hold the 8-byte header length');
  });

  it('a header length past the end of the file', () => {
    refuses(file('{}', 0, 3), 'header length 3 runs past the end of the file (10 bytes; file truncated or not safetensors)');
    refuses(file('{}', 0, 2 ** 40), /header length 1099511627776 runs past the end/);
  });

  it('a header that is not JSON, not UTF-8, or not an object', () => {
    refuses(file('{"a":', 0), /^safetensors: bad\.safetensors: header is not valid UTF-8 JSON \(/);
    const notUtf8 = file('{"a":1}', 0);
    notUtf8[10] = 0xff;
    refuses(notUtf8, /header is not valid UTF-8 JSON/);
    refuses(file('[1,2]', 0), 'header must be a JSON object');
    refuses(file('null', 0), 'header must be a JSON object');
  });

  it('metadata that is not a map of strings', () => {
    refuses(file('{"__metadata__":{"step":3}}', 0), '__metadata__ "step" must be a string, got 3');
    refuses(file('{"__metadata__":[]}', 0), '__metadata__ must be a JSON object of strings');
  });

  it('a dtype seqgrad does not read (8-bit floats) or none at all, naming the tensor and what is read', () => {
    const read = 'F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL';
    refuses(file(`{"w":${entry('F8_E4M3', [4], 0, 4)}}`, 4), `tensor "w": dtype "F8_E4M3" is not one seqgrad reads (it reads ${read})`);
    refuses(file('{"w":{"shape":[1],"data_offsets":[0,4]}}', 4), `tensor "w": dtype undefined is not one seqgrad reads (it reads ${read})`);
  });

  it('a malformed shape or offsets', () => {
    refuses(file(`{"w":${entry('F32', [-1], 0, 4)}}`, 4), 'tensor "w": shape must be an array of non-negative integers, got [-1]');
    refuses(file(`{"w":${entry('F32', [1.5], 0, 4)}}`, 4), /tensor "w": shape must be an array of non-negative integers, got \[1\.5\]/);
    refuses(file(`{"w":${entry('F32', [1], 4, 0)}}`, 4), 'tensor "w": data_offsets must be [begin, end] with 0 <= begin <= end, got [4,0]');
    refuses(file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', 4), /tensor "w": data_offsets must be \[begin, end\]/);
    refuses(file('{"w":7}', 0), 'tensor "w": header entry must be an object');
  });

  it('a shape whose size disagrees with the offsets', () => {
    refuses(file(`{"w":${entry('F32', [2, 3], 0, 20)}}`, 20), 'tensor "w": shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20');
    refuses(file(`{"w":${entry('F64', [2], 0, 8)}}`, 8), 'tensor "w": shape [2] of F64 needs 16 bytes but data_offsets [0, 8] span 8');
  });

  it('overlapping tensors, naming both', () => {
    refuses(file(`{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 4, 12)}}`, 12),
      'tensor "b" with data_offsets [4, 12] overlaps tensor "a" (bytes [0, 8))');
  });

  it('a gap, trailing bytes, and offsets past the end of the data (truncation)', () => {
    refuses(file(`{"a":${entry('F32', [1], 4, 8)}}`, 8), 'tensor "a" with data_offsets [4, 8] leaves a gap of 4 bytes after the start of the data section');
    refuses(file(`{"a":${entry('F32', [1], 0, 4)}}`, 6), '2 trailing bytes after the last tensor\'s data');
    refuses(file(`{"a":${entry('F32', [4], 0, 16)}}`, 10), 'tensor "a" ends at byte 16 of the data section, which holds only 10 bytes (file truncated)');
  });

  it('reads a header from its first bytes alone when given the file size', () => {
    const full = file(`{"a":${entry('F32', [4], 0, 16)}}`, 16);
    const headerOnly = full.subarray(0, full.length - 16);
    const header = parseHeader(headerOnly, 'x', full.length);
    expect(header.entries).toEqual([{ name: 'a', dtype: 'F32', shape: [4], begin: 0, end: 16 }]);
    expect(header.dataStart).toBe(full.length - 16);
    expect(() => parseHeader(headerOnly, 'x', full.length - 17)).toThrow(/runs past the end/);
  });
});

describe('checkLayout', () => {
  it('accepts exactly the layouts that tile the data section (random entries against a brute-force byte count)', () => {
    const entriesArb = fc.array(fc.tuple(fc.nat(12), fc.nat(6)), { maxLength: 5 }).map((pairs) =>
      pairs.map(([begin, size], i): HeaderEntry => ({ name: `t${i}`, dtype: 'F32', shape: [size], begin: begin * 4, end: (begin + size) * 4 })));
    fc.assert(
      fc.property(entriesArb, fc.nat(20), (entries, words) => {
        const length = words * 4;
        // tiles: every byte of [0, length) covered exactly once, nothing outside, and no
        // empty tensor sitting strictly inside another's range
        const cover = new Array<number>(Math.max(length, ...entries.map((e) => e.end))).fill(0);
        entries.forEach((e) => { for (let b = e.begin; b < e.end; b++) cover[b]!++; });
        const inside = entries.some((z) => z.begin === z.end && entries.some((e) => e.begin < z.begin && z.begin < e.end));
        const tiles = cover.length === length && cover.every((c) => c === 1) && !inside && entries.every((e) => e.end <= length);
        let accepted = true;
        try {
          checkLayout(entries, length, 'f');
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(tiles);
      }),
      { numRuns: 400 },
    );
  });
});
