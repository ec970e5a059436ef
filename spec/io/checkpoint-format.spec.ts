/**
 * Checkpoint bytes: random nested parameter and optimizer-state trees (numbers, scalars,
 * empty tensors, every dtype) round-trip exactly; the tensor names and metadata are as
 * documented; any template mismatch, flipped data byte or bad metadata is refused with
 * the file, the tensor and the problem named.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { flattenState, key, scalar, SeqgradError, tensor, zeros, type DType, type Tensor } from '../../lib/index.js';
import { crc32Hex, decodeCheckpoint, decodeSafetensors, encodeCheckpoint, encodeSafetensors, META_CHECKSUM_KEY, META_KEY } from '../../lib/io/index.js';

/** Metadata entries for `json` with its checksum, so a rewritten header reaches the codec checks. */
const signed = (json: string): Record<string, string> => ({ [META_KEY]: json, [META_CHECKSUM_KEY]: crc32Hex(new TextEncoder().encode(json)) });

const meta = { step: 7, epoch: 1, key: key(42), optimizer: 'adam', config: { hidden: 4 }, created: '2024-01-02T03:04:05.000Z' };

const leafArb = fc.tuple(fc.constantFrom<DType>('float32', 'float64', 'int32'), fc.array(fc.nat(3), { maxLength: 3 }), fc.integer()).map(([dtype, shape, seed]) => {
  const size = shape.reduce((n, d) => n * d, 1);
  const values = Array.from({ length: size }, (_, i) => (dtype === 'int32' ? (seed + i * 7919) | 0 : Math.sin(seed + i) * 1e3));
  return tensor(dtype === 'int32' ? Int32Array.from(values) : dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), { shape });
});

const nameArb = fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('a', 'b', 'w', '_', '0') });

/** Nested trees of tensors (and numbers, when `numbers`), records with simple keys. */
const treeArb = (numbers: boolean): fc.Arbitrary<unknown> =>
  fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      numbers ? fc.double() : leafArb,
      fc.constant(null),
      fc.array(tie('tree'), { maxLength: 3 }),
      fc.dictionary(nameArb, tie('tree'), { maxKeys: 3, noNullPrototype: true }),
    ),
  })).tree;

/** Leaves equal in dtype, shape and bits (NaN and -0 included), numbers by Object.is. */
const expectSameTree = (actual: unknown, expected: unknown): void => {
  const a = flattenState(actual);
  const e = flattenState(expected);
  expect(a.map((p) => p.path)).toEqual(e.map((p) => p.path));
  a.forEach(({ path, leaf }, i) => {
    const want = e[i]!.leaf;
    if (typeof want === 'number') expect(Object.is(leaf, want), path).toBe(true);
    else {
      const got = leaf as Tensor;
      expect([got.dtype, got.shape], path).toEqual([want.dtype, want.shape]);
      expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength)), path).toBe(true);
    }
  });
};

/** The message a decode attempt fails with. */
const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(SeqgradError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

const params = { embed: tensor([[1, 2], [3, 4]]), layers: [{ w: tensor([0.5, -0.5]), b: null }], ids: tensor([3, 1], { dtype: 'int32' }) };
const optState = [{ count: 12, mu: { embed: zeros([2, 2]), layers: [{ w: zeros([2]), b: null }], ids: null } }, {}];

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips any nested trees exactly, with the structure of the templates', () => {
    fc.assert(
      fc.property(treeArb(false), treeArb(true), (p, s) => {
        const bytes = encodeCheckpoint({ params: p, optState: s, meta });
        const loaded = decodeCheckpoint(bytes, { params: p, optState: s }, 'x.safetensors');
        expectSameTree(loaded.params, p);
        expectSameTree(loaded.optState, s);
        expect(loaded.meta.step).toBe(7);
      }),
      { numRuns: 120 },
    );
  });

  it('keeps -0 in a numeric state leaf (a case the property once found)', () => {
    const p = scalar(0);
    const s = { a: -0 };
    const loaded = decodeCheckpoint(encodeCheckpoint({ params: p, optState: s, meta }), { params: p, optState: s }, 'x.safetensors');
    expectSameTree(loaded.optState, s);
  });

  it('names tensors by group and tree path and writes the documented metadata', () => {
    const file = decodeSafetensors(encodeCheckpoint({ params, optState, meta }));
    expect([...file.tensors.keys()].sort()).toEqual(['opt/[0].count', 'opt/[0].mu.embed', 'opt/[0].mu.layers[0].w', 'params/embed', 'params/ids', 'params/layers[0].w']);
    const count = file.tensors.get('opt/[0].count')!;
    expect([count.dtype, count.shape, count.item()]).toEqual(['float64', [], 12]);
    const stored = JSON.parse(file.metadata[META_KEY]!);
    expect(stored).toMatchObject({
      format: 'seqgrad-checkpoint', version: 1, step: 7, epoch: 1, key: [0, 42], optimizer: 'adam', config: { hidden: 4 },
      created: '2024-01-02T03:04:05.000Z', numbers: ['[0].count'],
      tensors: { params: ['embed', 'layers[0].w', 'ids'], opt: ['[0].count', '[0].mu.embed', '[0].mu.layers[0].w'] },
    });
    // CRC-32 of float32 [0.5, -0.5], bytes 00 00 00 3f 00 00 00 bf, as Python's zlib.crc32 computes it
    expect(stored.checksums['params/layers[0].w']).toBe('1d8d5e23');
  });

  it('stamps the creation time when none is given', () => {
    const before = Date.now();
    const { meta: loaded } = decodeCheckpoint(encodeCheckpoint({ params, optState, meta: { step: 0, epoch: 0, key: key(1), optimizer: 'sgd' } }), { params, optState });
    expect(Date.parse(loaded.created)).toBeGreaterThanOrEqual(before - 1000);
    expect(loaded.config).toEqual({});
  });

  it('refuses bad metadata at save time, before any bytes exist', () => {
    expect(failure(() => encodeCheckpoint({ params, optState, meta: { ...meta, step: -3 } }, 'run.safetensors'))).toBe(
      'saveCheckpoint: run.safetensors: metadata: step: expected a non-negative integer, got -3');
    expect(failure(() => encodeCheckpoint({ params, optState, meta: { ...meta, config: { f: Infinity } } }))).toMatch(/config\.f: expected JSON value, got Infinity/);
    expect(failure(() => encodeCheckpoint({ params: { 'a.b': zeros([1]), a: { b: zeros([1]) } }, optState: null, meta }))).toMatch(/two leaves share the path "params\/a\.b"/);
  });
});

describe('decodeCheckpoint refuses a template mismatch, naming the file, the tensor and the problem', () => {
  const bytes = encodeCheckpoint({ params, optState, meta });
  const prefix = 'loadCheckpoint: run.safetensors: does not match the template';

  it('a wrong shape or dtype', () => {
    expect(failure(() => decodeCheckpoint(bytes, { params: { ...params, embed: zeros([2, 3]) }, optState }, 'run.safetensors'))).toBe(
      `${prefix} (1 problem): params/embed: the file has float32 [2, 2], the template wants float32 [2, 3]`);
    expect(failure(() => decodeCheckpoint(bytes, { params: { ...params, ids: zeros([2]) }, optState }, 'run.safetensors'))).toBe(
      `${prefix} (1 problem): params/ids: the file has int32 [2], the template wants float32 [2]`);
  });

  it('missing and extra tensors, all reported at once', () => {
    const template = { embed: params.embed, layers: [{ w: params.layers[0]!.w, b: zeros([2]) }] };
    expect(failure(() => decodeCheckpoint(bytes, { params: template, optState }, 'run.safetensors'))).toBe(
      `${prefix} (2 problems): params/layers[0].b: missing from the file (the template wants float32 [2]); params/ids: in the file but not in the template`);
  });

  it('a number where a tensor is expected and the other way round', () => {
    const wantsTensor = [{ count: zeros([]), mu: optState[0]!.mu }, {}];
    expect(failure(() => decodeCheckpoint(bytes, { params, optState: wantsTensor }, 'run.safetensors'))).toBe(
      `${prefix} (1 problem): opt/[0].count: the file has a number, the template wants float32 []`);
    const other = encodeCheckpoint({ params, optState: [{ count: scalar(3, { dtype: 'float64' }), mu: optState[0]!.mu }, {}], meta });
    expect(failure(() => decodeCheckpoint(other, { params, optState }, 'run.safetensors'))).toBe(
      `${prefix} (1 problem): opt/[0].count: the file has float64 [], the template wants a number`);
  });

  it('lists at most eight problems and counts the rest', () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}`, zeros([1])]));
    expect(failure(() => decodeCheckpoint(bytes, { params: { ...params, ...many }, optState }, 'run.safetensors'))).toMatch(/\(11 problems\): .*params\/m7: missing[^;]*; and 3 more$/);
  });

  it('leaves the templates untouched', () => {
    const template = { embed: zeros([2, 2]), layers: [{ w: zeros([2]), b: null }], ids: zeros([2], { dtype: 'int32' }) };
    const loaded = decodeCheckpoint(bytes, { params: template, optState }, 'run.safetensors');
    expect(Array.from(template.embed.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(loaded.params.embed.data)).toEqual([1, 2, 3, 4]);
  });
});

describe('decodeCheckpoint refuses corrupted files', () => {
  const bytes = encodeCheckpoint({ params, optState, meta });
  const dataStart = 8 + new DataView(bytes.buffer).getUint32(0, true);

  it('any flipped byte in the data section, naming the tensor it hit', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bad = bytes.slice();
        const i = dataStart + (at % (bytes.length - dataStart));
        bad[i] = bad[i]! ^ flip;
        expect(failure(() => decodeCheckpoint(bad, { params, optState }, 'run.safetensors'))).toMatch(
          /^loadCheckpoint: run\.safetensors: tensor "(params|opt)\/[^"]+" \([a-z0-9]+ \[[0-9, ]*\]\) is corrupted: its CRC-32 is [0-9a-f]{8}, the metadata says [0-9a-f]{8}$/);
      }),
    );
  });

  it('a file cut short anywhere', () => {
    fc.assert(
      fc.property(fc.nat(), (cut) => {
        expect(failure(() => decodeCheckpoint(bytes.slice(0, cut % bytes.length), { params, optState }, 'run.safetensors'))).toMatch(/^safetensors: run\.safetensors: /);
      }),
    );
  });

  it('metadata without its checksum, or whose checksum does not match, is refused', () => {
    const stored = decodeSafetensors(bytes).metadata[META_KEY]!;
    const tensors = Object.fromEntries(decodeSafetensors(bytes).tensors);
    expect(failure(() => decodeCheckpoint(encodeSafetensors(tensors, { [META_KEY]: stored }), { params, optState }, 'f'))).toBe(
      `loadCheckpoint: f: its __metadata__ has no "${META_CHECKSUM_KEY}" entry, so the metadata cannot be verified (damaged, or written by another tool)`);
    // step 7 → 9 in the JSON, the checksum left as it was: a change the codec alone would accept
    const edited = stored.replace('"step":7', '"step":9');
    expect(edited).not.toBe(stored);
    const wrong = { [META_KEY]: edited, [META_CHECKSUM_KEY]: decodeSafetensors(bytes).metadata[META_CHECKSUM_KEY]! };
    expect(failure(() => decodeCheckpoint(encodeSafetensors(tensors, wrong), { params, optState }, 'f'))).toMatch(/^loadCheckpoint: f: metadata "seqgrad.checkpoint" is corrupted: its CRC-32 is [0-9a-f]{8}, the file says "[0-9a-f]{8}"/);
  });

  it('every single-bit flip in the header is refused or changes nothing (metadata bit flips)', () => {
    const headerEnd = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const original = decodeCheckpoint(bytes, { params, optState }, 'f').meta;
    let refused = 0;
    for (let bit = 0; bit < headerEnd * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3] = flipped[bit >> 3]! ^ (1 << (bit & 7));
      try {
        // a flip in JSON whitespace or an unread part may load: then nothing it returns may differ
        expect(decodeCheckpoint(flipped, { params, optState }, 'f').meta).toEqual(original);
      } catch (e) {
        if (!(e instanceof SeqgradError)) throw e;
        refused++;
      }
    }
    // almost every flip lands in JSON text that matters; all of them must have been refused or harmless
    expect(refused).toBeGreaterThan(headerEnd * 8 * 0.9);
  });

  it('a safetensors file that is not a checkpoint, or whose metadata is not JSON or fails its codec', () => {
    const template = { params: { w: zeros([1]) }, optState: null };
    expect(failure(() => decodeCheckpoint(encodeSafetensors({ 'params/w': zeros([1]) }), template, 'hf.safetensors'))).toBe(
      `loadCheckpoint: hf.safetensors: not a seqgrad checkpoint (its __metadata__ has no "${META_KEY}" entry)`);
    expect(failure(() => decodeCheckpoint(encodeSafetensors({}, signed('{step')), template, 'f'))).toMatch(/^loadCheckpoint: f: metadata "seqgrad.checkpoint" is not valid JSON/);
    const stored = JSON.parse(decodeSafetensors(bytes).metadata[META_KEY]!);
    const rewrite = (changes: object, tensors: Record<string, Tensor> = Object.fromEntries(decodeSafetensors(bytes).tensors)): Uint8Array =>
      encodeSafetensors(tensors, signed(JSON.stringify({ ...stored, ...changes })));
    expect(failure(() => decodeCheckpoint(rewrite({ key: [1] }), { params, optState }, 'f'))).toBe('loadCheckpoint: f: metadata: key: expected a PRNG key [uint32, uint32], got [1]');
    expect(failure(() => decodeCheckpoint(rewrite({ tensors: { ...stored.tensors, params: ['embed', 'ids'] } }), { params, optState }, 'f'))).toBe(
      'loadCheckpoint: f: tensor "params/layers[0].w" is in the file but not listed in its metadata');
    expect(failure(() => decodeCheckpoint(rewrite({ tensors: { ...stored.tensors, params: [...stored.tensors.params, 'extra'] } }), { params, optState }, 'f'))).toBe(
      'loadCheckpoint: f: tensor "params/extra" is listed in the metadata but missing from the file');
    expect(failure(() => decodeCheckpoint(rewrite({ numbers: ['[0].mu.embed'] }), { params, optState }, 'f'))).toBe(
      'loadCheckpoint: f: metadata lists opt/[0].mu.embed as a number, but the file holds float32 [2, 2]');
    expect(failure(() => decodeCheckpoint(rewrite({ checksums: {} }), { params, optState }, 'f'))).toMatch(/^loadCheckpoint: f: tensor "params\/embed" has no checksum in the metadata$/);
  });
});
