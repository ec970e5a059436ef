import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bucketBatches, key, padBatch, parseLines, splitData } from '../../lib/index.js';

const seqArb = fc.array(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 8 });

describe('padBatch', () => {
  it('pads to the longest row with int32 ids and lengths', () => {
    const { ids, lengths } = padBatch([[1, 5, 2], [1, 2]]);
    expect([ids.dtype, ids.shape, Array.from(ids.data)]).toEqual(['int32', [2, 3], [1, 5, 2, 1, 2, 0]]);
    expect([lengths.dtype, Array.from(lengths.data)]).toEqual(['int32', [3, 2]]);
    expect(Array.from(padBatch([[7]], { pad: 9, length: 3 }).ids.data)).toEqual([7, 9, 9]);
  });

  it('keeps every row as its prefix and pads the rest (property)', () => {
    fc.assert(fc.property(seqArb, (seqs) => {
      const { ids, lengths } = padBatch(seqs, { pad: -1 });
      const time = Math.max(...seqs.map((s) => s.length));
      expect(ids.shape).toEqual([seqs.length, time]);
      seqs.forEach((s, b) => {
        const row = Array.from(ids.data.subarray(b * time, (b + 1) * time));
        expect(row).toEqual([...s, ...new Array(time - s.length).fill(-1)]);
        expect(lengths.data[b]).toBe(s.length);
      });
    }));
  });

  it('refuses empty rows and non-integers, naming the row', () => {
    expect(() => padBatch([[1], []])).toThrow(/^padBatch: sequences\[1\] is empty/);
    expect(() => padBatch([[1, 0.5]])).toThrow(/^padBatch: sequences\[0\]\[1\] = 0.5/);
    expect(() => padBatch([[1, 2]], { length: 1 })).toThrow(/^padBatch: length 1 is shorter/);
  });
});

describe('bucketBatches', () => {
  const lengths = Array.from({ length: 103 }, (_, i) => 1 + ((i * 37) % 20));

  it('uses every example once, in batches of similar length, reproducibly', () => {
    const batches = bucketBatches(key(3), lengths, 10);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(batches.filter((b) => b.length !== 10).length).toBe(1);
    // sorted by length before cutting: a batch spans at most the lengths of 10 consecutive sorted examples
    const spans = batches.map((b) => Math.max(...b.map((i) => lengths[i]!)) - Math.min(...b.map((i) => lengths[i]!)));
    expect(Math.max(...spans)).toBeLessThanOrEqual(2);
    expect(bucketBatches(key(3), lengths, 10)).toEqual(batches);
    expect(bucketBatches(key(4), lengths, 10)).not.toEqual(batches);
    expect(bucketBatches(key(3), lengths, 10, { keepLast: false }).every((b) => b.length === 10)).toBe(true);
  });

  it('refuses a bad batch size', () => {
    expect(() => bucketBatches(key(0), [1, 2], 0)).toThrow(/^bucketBatches: batchSize must be a positive integer, got 0/);
  });
});

describe('splitData', () => {
  it('splits disjointly and reproducibly with the sizes asked for (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
      const items = Array.from({ length: n }, (_, i) => `item${i}`);
      const s = splitData(key(seed), items, { validation: 0.1, test: 0.2 });
      expect(s.validation.length).toBe(Math.round(n * 0.1));
      expect(s.test.length).toBe(Math.round(n * 0.2));
      expect([...s.train, ...s.validation, ...s.test].sort()).toEqual([...items].sort());
      expect(splitData(key(seed), items, { validation: 0.1, test: 0.2 })).toEqual(s);
    }));
  });

  it('refuses fractions that leave nothing to train on', () => {
    expect(() => splitData(key(0), [1, 2], { validation: 0.5, test: 0.5 })).toThrow(/^splitData: validation \+ test must be below 1/);
    expect(() => splitData(key(0), [1], { validation: -0.1 })).toThrow(/^splitData: validation must be a fraction/);
  });
});

describe('parseLines', () => {
  it('parses good rows and reports every bad row with its line', () => {
    const text = 'name,count\nanna,3\n\nbob,x\n# note\ncid,4\ndan,\n';
    const parse = (line: string) => {
      const [name, count] = line.split(',');
      const n = Number(count);
      return count !== '' && Number.isInteger(n) ? { name, n } : { error: `count ${JSON.stringify(count)} is not an integer` };
    };
    expect(parseLines('a,1\nb,2', parse)).toEqual([{ name: 'a', n: 1 }, { name: 'b', n: 2 }]);
    expect(() => parseLines(text, parse, { source: 'names.csv', skip: 1, comment: '#' }))
      .toThrow('parseLines: 2 bad rows: names.csv:4: count "x" is not an integer; names.csv:7: count "" is not an integer');
  });
});
