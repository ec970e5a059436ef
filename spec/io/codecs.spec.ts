/**
 * The checkpoint-metadata codec and the decode-error reporter: valid metadata passes
 * unchanged, and each kind of bad field yields one message naming its path, what was
 * expected and what was found.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import { SeqgradError } from '../../lib/index.js';
import { CheckpointMetaCodec, decodeOrThrow, formatDecodeErrors, Json, JsonObjectCodec } from '../../lib/io/index.js';

const good = {
  format: 'seqgrad-checkpoint',
  version: 1,
  step: 120,
  epoch: 3,
  config: { hidden: 64, layers: [{ kind: 'gru', bidirectional: true }], lr: 0.001, note: null },
  key: [0, 4294967295],
  optimizer: 'adam',
  created: '2024-05-01T12:30:00.000Z',
  tensors: { params: ['w', 'layers[0].b'], opt: ['[0].count'] },
  numbers: ['[0].count'],
  checksums: { 'params/w': '0badf00d' },
};

/** The message decodeOrThrow gives for `value`. */
const messageFor = (value: unknown): string => {
  try {
    decodeOrThrow(CheckpointMetaCodec, value, 'loadCheckpoint', 'run.safetensors: metadata');
  } catch (e) {
    expect(e).toBeInstanceOf(SeqgradError);
    return (e as Error).message;
  }
  throw new Error('expected the metadata to be refused');
};

describe('CheckpointMetaCodec', () => {
  it('accepts valid metadata unchanged', () => {
    expect(decodeOrThrow(CheckpointMetaCodec, good, 'op', 'x')).toEqual(good);
  });

  it('names each bad field, what it expected and what it got', () => {
    const prefix = 'loadCheckpoint: run.safetensors: metadata: ';
    expect(messageFor({ ...good, step: -1 })).toBe(`${prefix}step: expected a non-negative integer, got -1`);
    expect(messageFor({ ...good, epoch: 1.5 })).toBe(`${prefix}epoch: expected a non-negative integer, got 1.5`);
    expect(messageFor({ ...good, key: [1, 2 ** 32] })).toBe(`${prefix}key: expected a PRNG key [uint32, uint32], got [1,4294967296]`);
    expect(messageFor({ ...good, format: 'pt' })).toBe(`${prefix}format: expected "seqgrad-checkpoint", got "pt"`);
    expect(messageFor({ ...good, version: 2 })).toBe(`${prefix}version: expected 1, got 2`);
    expect(messageFor({ ...good, created: '1 May 2024' })).toBe(`${prefix}created: expected an ISO 8601 date-time, got "1 May 2024"`);
    expect(messageFor({ ...good, created: '2024-13-45T99:00:00Z' })).toMatch(/created: expected an ISO 8601 date-time/);
    expect(messageFor({ ...good, tensors: { params: ['w', 3], opt: [] } })).toBe(`${prefix}tensors.params[1]: expected string, got 3`);
    expect(messageFor({ ...good, checksums: { w: 'XYZ' } })).toBe(`${prefix}checksums.w: expected a CRC-32 as 8 hex digits, got "XYZ"`);
    const { optimizer: _, ...noOptimizer } = good;
    expect(messageFor(noOptimizer)).toBe(`${prefix}optimizer: expected string, got nothing (field missing)`);
    expect(messageFor('hello')).toBe(`${prefix}(root): expected checkpoint metadata (a JSON object), got "hello"`);
  });

  it('reports several bad fields in one message', () => {
    expect(messageFor({ ...good, step: 'x', epoch: null })).toBe(
      'loadCheckpoint: run.safetensors: metadata: step: expected a non-negative integer, got "x"; epoch: expected a non-negative integer, got null',
    );
  });

  it('points into the config at the first value that is not JSON', () => {
    expect(messageFor({ ...good, config: { model: { sizes: [1, Number.NaN] } } })).toMatch(/config\.model\.sizes\[1\]: expected JSON value, got NaN$/);
    expect(messageFor({ ...good, config: { when: new Date(0) } })).toMatch(/config\.when: expected JSON value, got "1970-01-01T00:00:00\.000Z"$/);
    expect(messageFor({ ...good, config: [1, 2] })).toMatch(/config: expected a JSON object, got \[1,2\]$/);
  });
});

describe('Json', () => {
  it('accepts whatever JSON.parse returns', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(isRight(Json.decode(JSON.parse(JSON.stringify(value))))).toBe(true);
      }),
    );
  });

  it('refuses undefined, functions, Infinity and class instances anywhere inside', () => {
    for (const bad of [undefined, () => 1, Infinity, new Map(), [1, [undefined]], { a: { b: -Infinity } }]) {
      expect(isRight(Json.decode(bad)), String(bad)).toBe(false);
    }
    expect(isRight(JsonObjectCodec.decode(Object.create(null)))).toBe(true);
  });
});

describe('formatDecodeErrors', () => {
  it('reads any io-ts codec failure as path: expected, got', () => {
    const codec = t.type({ a: t.array(t.type({ b: t.number })) });
    const result = codec.decode({ a: [{ b: 1 }, { b: 'two' }] });
    expect(isRight(result)).toBe(false);
    if (!isRight(result)) expect(formatDecodeErrors(result.left)).toBe('a[1].b: expected number, got "two"');
  });
});
