import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { arange, key, reshape, tensor, SeqgradError, type Tensor } from '../../lib/index.js';
import { batchesPerEpoch, checkSource, epochBatches, epochOrder, takeRows, type BatchSource } from '../../lib/train/batches.js';

const collect = async <B>(source: BatchSource<B>, epoch = 0, skip = 0): Promise<B[]> => {
  const out: B[] = [];
  for await (const b of epochBatches(source, epoch, skip)) out.push(b);
  return out;
};

/** A dataset whose example i has x = [2i, 2i+1] and y = i, so rows name themselves. */
const numbered = (n: number) => ({
  x: reshape(arange(0, 2 * n, 1, { dtype: 'float64' }), [n, 2]),
  y: arange(0, n, 1, { dtype: 'int32' }),
});

const ids = (batches: readonly { y: Tensor }[]): number[] => batches.flatMap((b) => Array.from(b.y.data));

describe('epochOrder', () => {
  it('keeps the order without a key', () => {
    expect(epochOrder(undefined, 3, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives the same order for the same key and epoch, and a permutation', () => {
    fc.assert(fc.property(fc.nat(1000), fc.nat(20), fc.integer({ min: 2, max: 60 }), (seed, epoch, n) => {
      const a = epochOrder(key(seed), epoch, n);
      expect(epochOrder(key(seed), epoch, n)).toEqual(a);
      expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
    }), { numRuns: 50 });
  });

  it('gives another order for another key, and another for another epoch', () => {
    const n = 40; // 40! orders: a collision by chance is out of the question
    expect(epochOrder(key(1), 0, n)).not.toEqual(epochOrder(key(2), 0, n));
    expect(epochOrder(key(1), 0, n)).not.toEqual(epochOrder(key(1), 1, n));
  });
});

describe('takeRows', () => {
  it('gathers the rows of every leaf', () => {
    const rows = takeRows(numbered(5), [4, 0, 2]);
    expect(rows.x.toArray()).toEqual([[8, 9], [0, 1], [4, 5]]);
    expect(rows.y.toArray()).toEqual([4, 0, 2]);
    expect(rows.y.dtype).toBe('int32');
  });
});

describe('epochBatches', () => {
  it('cuts a dataset into batches that cover every example once per epoch', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.nat(99), async (n, batchSize, seed) => {
      const batches = await collect({ dataset: numbered(n), batchSize, shuffle: key(seed) }, 2);
      expect(batches.length).toBe(Math.ceil(n / batchSize));
      expect(batches.slice(0, -1).every((b) => b.y.shape[0] === batchSize)).toBe(true);
      expect(ids(batches)).toEqual(epochOrder(key(seed), 2, n));
      batches.forEach((b) => expect(Array.from(b.x.data)).toEqual(Array.from(b.y.data).flatMap((i) => [2 * i, 2 * i + 1])));
    }), { numRuns: 40 });
  });

  it('drops a short last batch with dropLast', async () => {
    const source = { dataset: numbered(10), batchSize: 4, dropLast: true };
    const batches = await collect(source);
    expect(batches.map((b) => b.y.shape[0])).toEqual([4, 4]);
    expect(batchesPerEpoch(source)).toBe(2);
    expect(batchesPerEpoch({ dataset: numbered(10), batchSize: 4 })).toBe(3);
  });

  it('skips the first batches of an epoch (how a resumed run picks up)', async () => {
    const source = { dataset: numbered(12), batchSize: 3, shuffle: key(5) };
    const all = ids(await collect(source, 1));
    expect(ids(await collect(source, 1, 2))).toEqual(all.slice(6));
    expect(await collect([10, 11, 12, 13], 0, 3)).toEqual([13]);
  });

  it('reads arrays, iterables, async iterables and functions of the epoch alike', async () => {
    async function* stream(): AsyncGenerator<number> {
      yield 1;
      yield 2;
      yield 3;
    }
    expect(await collect([1, 2, 3])).toEqual([1, 2, 3]);
    expect(await collect(new Set([1, 2, 3]))).toEqual([1, 2, 3]);
    expect(await collect(stream())).toEqual([1, 2, 3]);
    expect(await collect((epoch: number) => [epoch, epoch * 10], 4)).toEqual([4, 40]);
    expect(await collect(() => stream(), 0, 1)).toEqual([2, 3]);
  });
});

describe('checkSource', () => {
  const refuses = (source: unknown, epochs: number, pattern: RegExp): void => {
    let error: unknown;
    try {
      checkSource('fit', 'data', source, epochs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeqgradError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('accepts every kind of source', () => {
    for (const source of [[1], new Set([1]), () => [1], { dataset: numbered(3), batchSize: 2 }]) {
      expect(() => checkSource('fit', 'data', source, 3)).not.toThrow();
    }
  });

  it('refuses empty, malformed and one-shot sources, naming fit and the field', () => {
    function* once(): Generator<number> {
      yield 1;
    }
    refuses([], 1, /^fit: data is an empty array/);
    refuses(undefined, 1, /^fit: data is required/);
    refuses(42, 1, /^fit: data must be an array, an iterable/);
    refuses(once(), 2, /^fit: data is a one-shot iterator .* epochs is 2/);
    refuses({ dataset: numbered(3), batchSize: 0 }, 1, /^fit: data\.batchSize must be a positive integer, got 0/);
    refuses({ dataset: { x: numbered(3).x, y: tensor([1, 2]) }, batchSize: 2 }, 1, /leading \(example\) axis: x is \[3, 2\] but y is \[2\]/);
    refuses({ dataset: numbered(3), batchSize: 4, dropLast: true }, 1, /fewer than batchSize 4 with dropLast/);
    expect(() => checkSource('fit', 'data', once(), 1)).not.toThrow();
  });
});
