/**
 * Every safetensors dtype seqgrad reads, from files written out by hand as the format
 * describes them (8-byte little-endian header length, JSON header, little-endian data),
 * with the values each must give; the values that cannot be held are refused naming
 * the file, the tensor, the dtype and the index; and F16/BF16 writing byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '../../lib/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/index.js';

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** A one-tensor file: header `{"t":{dtype, shape, data_offsets:[0, data.length]}}` and the raw data bytes. */
const oneTensor = (dtype: string, shape: number[], data: readonly number[]): Uint8Array => {
  const header = JSON.stringify({ t: { dtype, shape, data_offsets: [0, data.length] } });
  return Uint8Array.from([header.length, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), ...data]);
};

const read = (dtype: string, shape: number[], data: readonly number[]) => {
  const file = decodeSafetensors(oneTensor(dtype, shape, data), 'w.safetensors');
  return { t: file.tensors.get('t')!, stored: file.dtypes.get('t') };
};

describe('reading each dtype', () => {
  it('F16: little-endian binary16 patterns to float32, subnormals, -0 and infinities exactly', () => {
    // 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504, 0x0001 = 2^-24, 0x8000 = -0, 0xFC00 = -inf
    const { t, stored } = read('F16', [2, 3], [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x80, 0x00, 0xfc]);
    expect([t.dtype, t.shape, stored]).toEqual(['float32', [2, 3], 'F16']);
    expect(Array.from(t.data)).toEqual([1, -2, 65504, 2 ** -24, -0, -Infinity]);
    expect(Object.is(t.data[4], -0)).toBe(true);
    expect(read('F16', [1], [0x00, 0x7e]).t.data[0]).toBeNaN();
  });

  it('BF16: the top half of a float32', () => {
    // 0x3F80 = 1, 0xC000 = -2, 0x7F80 = inf, 0x3DCD = 0.10009765625 (the float32 0x3DCD0000)
    const { t, stored } = read('BF16', [4], [0x80, 0x3f, 0x00, 0xc0, 0x80, 0x7f, 0xcd, 0x3d]);
    expect([t.dtype, stored]).toEqual(['float32', 'BF16']);
    expect(Array.from(t.data)).toEqual([1, -2, Infinity, 0.10009765625]);
  });

  it('BOOL, U8, I8, U16, I16 to int32, exactly', () => {
    expect(Array.from(read('BOOL', [3], [1, 0, 1]).t.data)).toEqual([1, 0, 1]);
    expect(Array.from(read('U8', [2], [0, 255]).t.data)).toEqual([0, 255]);
    expect(Array.from(read('I8', [2], [0x7f, 0x80]).t.data)).toEqual([127, -128]);
    expect(Array.from(read('U16', [2], [0x01, 0x02, 0xff, 0xff]).t.data)).toEqual([0x0201, 65535]);
    const i16 = read('I16', [2], [0xff, 0x7f, 0x00, 0x80]);
    expect([i16.t.dtype, i16.stored, Array.from(i16.t.data)]).toEqual(['int32', 'I16', [32767, -32768]]);
  });

  it('U32, I64 and U64 to int32 when every value fits', () => {
    expect(Array.from(read('U32', [1], [0xff, 0xff, 0xff, 0x7f]).t.data)).toEqual([2 ** 31 - 1]);
    expect(Array.from(read('I64', [1], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).t.data)).toEqual([-2]);
    expect(Array.from(read('U64', [1], [7, 0, 0, 0, 0, 0, 0, 0]).t.data)).toEqual([7]);
  });

  it('refuses a value int32 cannot hold, or a BOOL byte other than 0 and 1, naming file, tensor, dtype, value and index', () => {
    expect(() => read('U32', [2], [0, 0, 0, 0, 0, 0, 0, 0x80])).toThrow('safetensors: w.safetensors: tensor "t" (U32 [2]): value 2147483648 at flat index 1 does not fit int32');
    expect(() => read('U64', [1], [0, 0, 0, 0, 1, 0, 0, 0])).toThrow('safetensors: w.safetensors: tensor "t" (U64 [1]): value 4294967296 at flat index 0 does not fit int32');
    expect(() => read('BOOL', [2], [1, 2])).toThrow('safetensors: w.safetensors: tensor "t" (BOOL [2]): value 2 at flat index 1 is not a boolean (0 or 1)');
  });

  it('checks the byte count against the dtype\'s width', () => {
    expect(() => read('F16', [3], [0, 0, 0, 0])).toThrow('tensor "t": shape [3] of F16 needs 6 bytes but data_offsets [0, 4] span 4');
    expect(() => read('BOOL', [2, 2], [1, 0, 1])).toThrow('tensor "t": shape [2, 2] of BOOL needs 4 bytes but data_offsets [0, 3] span 3');
  });
});

describe('writing float16 and bfloat16 on request', () => {
  it('writes a one-tensor F16 file byte for byte', () => {
    const bytes = encodeSafetensors({ a: tensor([1, -2]) }, undefined, { dtype: 'float16' });
    const header = '{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}';
    expect(header.length).toBe(54);
    expect(Array.from(bytes)).toEqual([56, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), 0x20, 0x20, 0x00, 0x3c, 0x00, 0xc0]);
  });

  it('narrows float32 and float64 tensors, keeps int32 as I32, and lays the 4-byte tensor first', () => {
    const bytes = encodeSafetensors({ h: tensor([1, 0.1], { dtype: 'float64' }), i: tensor([258], { dtype: 'int32' }) }, undefined, { dtype: 'bfloat16' });
    const header = '{"h":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"i":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}';
    const padded = Math.ceil(header.length / 8) * 8;
    expect(Array.from(bytes)).toEqual([
      padded, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), ...Array(padded - header.length).fill(0x20),
      0x02, 0x01, 0x00, 0x00, // 258
      0x80, 0x3f, 0xcd, 0x3d, // 1 = 0x3F80; 0.1 = 0x3DCD (rounded up from 0x3DCCCCCD...)
    ]);
  });

  it('reads back what it wrote, rounded: 0.1 as float16 is 1638/16384, 1e5 overflows to infinity', () => {
    const { tensors, dtypes } = decodeSafetensors(encodeSafetensors({ w: tensor([0.1, 1e5, -0]) }, undefined, { dtype: 'float16' }));
    expect(dtypes.get('w')).toBe('F16');
    expect(Array.from(tensors.get('w')!.data)).toEqual([1638 / 16384, Infinity, -0]);
  });

  it('refuses a dtype it cannot write', () => {
    expect(() => encodeSafetensors({ w: tensor([1]) }, undefined, { dtype: 'float8' as never })).toThrow(
      "encodeSafetensors: options.dtype must be 'float16' or 'bfloat16' (or absent to keep float32 and float64), got \"float8\"");
  });
});
