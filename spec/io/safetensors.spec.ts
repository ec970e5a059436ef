/**
 * safetensors encoding against bytes written out by hand, round trips of random
 * tensors of every dtype (scalars and empty tensors included), I64 narrowing, and the
 * property that a file cut short anywhere is refused rather than read wrong.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scalar, SeqgradError, tensor, zeros, type DType, type Tensor } from '../../lib/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/index.js';

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** A file from a header given as text and raw data bytes, built without the encoder. */
const rawFile = (header: string, data: readonly number[]): Uint8Array => {
  const length = header.length;
  return Uint8Array.from([length & 0xff, (length >> 8) & 0xff, 0, 0, 0, 0, 0, 0, ...ascii(header), ...data]);
};

const dtypeArb = fc.constantFrom<DType>('float32', 'float64', 'int32');

/** A tensor of any dtype and rank 0..3 (axes may be 0), with values exactly representable in it. */
const anyTensorArb = (dtype: DType): fc.Arbitrary<Tensor> =>
  fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).chain((shape) => {
    const size = shape.reduce((n, d) => n * d, 1);
    const value = dtype === 'int32'
      ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
      : dtype === 'float32'
        ? fc.float({ noDefaultInfinity: false }).map((v) => Math.fround(v))
        : fc.double();
    return fc.array(value, { minLength: size, maxLength: size }).map((values) =>
      tensor(dtype === 'int32' ? Int32Array.from(values) : dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), { shape }));
  });

const namedTensorsArb = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== '__metadata__'), dtypeArb.chain(anyTensorArb)), {
  maxLength: 5,
  selector: ([name]) => name,
});

/** Bitwise equality (NaN payloads and -0 included). */
const sameBits = (a: Tensor, b: Tensor): boolean =>
  a.dtype === b.dtype
  && JSON.stringify(a.shape) === JSON.stringify(b.shape)
  && Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));

describe('encodeSafetensors', () => {
  it('writes a one-tensor file byte for byte as the format describes', () => {
    const bytes = encodeSafetensors({ a: tensor([1, -2]) });
    // header: 54 bytes of JSON padded with two spaces to 56, then 1.0f and -2.0f little-endian
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(54);
    const expected = [56, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), 0x20, 0x20, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('writes metadata first, int32 and float64 data little-endian, wider dtypes first', () => {
    const bytes = encodeSafetensors(new Map([['i', tensor([258], { dtype: 'int32' })], ['d', scalar(-0.5, { dtype: 'float64' })]]), { k: 'v' });
    const header = '{"__metadata__":{"k":"v"},"i":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},"d":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}';
    const padded = Math.ceil(header.length / 8) * 8;
    const expected = [
      padded, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), ...Array(padded - header.length).fill(0x20),
      0, 0, 0, 0, 0, 0, 0xe0, 0xbf, // -0.5 as an IEEE double: 0xBFE0000000000000
      0x02, 0x01, 0x00, 0x00, // 258 = 0x0102
    ];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('refuses the reserved name __metadata__ and keeps names that are Object.prototype keys', () => {
    expect(() => encodeSafetensors({ __metadata__: zeros([1]) })).toThrow(/reserved/);
    const odd = new Map([['__proto__', zeros([1])], ['constructor', zeros([2])]]);
    expect([...decodeSafetensors(encodeSafetensors(odd)).tensors.keys()]).toEqual(['__proto__', 'constructor']);
  });
});

describe('decodeSafetensors', () => {
  it('reads the hand-written file back', () => {
    const file = rawFile('{"x":{"dtype":"I32","shape":[2,1],"data_offsets":[0,8]}}', [1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    const x = decodeSafetensors(file).tensors.get('x')!;
    expect(x.dtype).toBe('int32');
    expect(x.shape).toEqual([2, 1]);
    expect(Array.from(x.data)).toEqual([1, -1]);
  });

  it('round-trips any tensors and metadata bit for bit', () => {
    fc.assert(
      fc.property(namedTensorsArb, fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (entries, metadata) => {
        const decoded = decodeSafetensors(encodeSafetensors(new Map(entries), metadata));
        expect([...decoded.tensors.keys()].sort()).toEqual(entries.map(([n]) => n).sort());
        for (const [name, t] of entries) expect(sameBits(decoded.tensors.get(name)!, t), name).toBe(true);
        expect(decoded.metadata).toEqual(metadata);
      }),
      { numRuns: 150 },
    );
  });

  it('aligns every tensor to its element size even when dtypes mix', () => {
    const bytes = encodeSafetensors({ a: zeros([3]), b: zeros([1], { dtype: 'float64' }), c: zeros([1], { dtype: 'int32' }), d: zeros([2], { dtype: 'float64' }) });
    const headerLength = bytes[0]! + 256 * bytes[1]!;
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; data_offsets: number[] }>;
    for (const entry of Object.values(header)) expect(entry.data_offsets[0]! % (entry.dtype === 'F64' ? 8 : 4)).toBe(0);
    expect((8 + headerLength) % 8).toBe(0);
  });

  it('narrows I64 to int32 when the values fit and refuses when one does not', () => {
    const i64 = (values: bigint[]): number[] => values.flatMap((v) => Array.from(new Uint8Array(new BigInt64Array([v]).buffer)));
    const ok = rawFile('{"ids":{"dtype":"I64","shape":[3],"data_offsets":[0,24]}}', i64([5n, -7n, 2147483647n]));
    expect(Array.from(decodeSafetensors(ok).tensors.get('ids')!.data)).toEqual([5, -7, 2147483647]);
    expect(decodeSafetensors(ok).tensors.get('ids')!.dtype).toBe('int32');
    const big = rawFile('{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}', i64([1n, 2147483648n]));
    expect(() => decodeSafetensors(big, 'ids.safetensors')).toThrow('ids.safetensors: tensor "ids" (I64 [2]): value 2147483648 at flat index 1 does not fit int32');
    const low = rawFile('{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', i64([-2147483649n]));
    expect(() => decodeSafetensors(low)).toThrow(/value -2147483649 at flat index 0 does not fit int32/);
  });

  it('never returns data from a file cut short at any byte: it always throws a SeqgradError naming the file', () => {
    fc.assert(
      fc.property(namedTensorsArb.filter((e) => e.length > 0), fc.nat(), (entries, cut) => {
        const bytes = encodeSafetensors(new Map(entries));
        const at = cut % bytes.length;
        let error: unknown;
        try {
          decodeSafetensors(bytes.slice(0, at), 'cut.safetensors');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SeqgradError);
        expect((error as Error).message).toMatch(/^safetensors: cut\.safetensors: (file is \d+ bytes, too short|header length \d+ runs past the end|tensor ".*" ends at byte \d+ of the data section, which holds only \d+ bytes \(file truncated\))/);
      }),
      { numRuns: 200 },
    );
  });
});
