/**
 * Sequence metrics: edit distance on known cases and its metric properties, error
 * rates against hand-counted corpora (closest of several references), exact match and
 * the sequence error rate, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestReference, editDistance, errorRate, exactMatch, sequenceErrorRate } from '../../lib/train/index.js';

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 8 });

describe('editDistance', () => {
  it('matches known cases', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('intention', 'execution')).toBe(5);
    expect(editDistance(['K', 'AE', 'T'], ['K', 'AA', 'T'])).toBe(1);
    expect(editDistance(['HH', 'AH', 'L', 'OW'], ['HH', 'L', 'OW', 'Z'])).toBe(2);
  });

  it('is a metric bounded by the lengths (symmetry, identity, triangle inequality)', () => {
    fc.assert(fc.property(word, word, word, (a, b, c) => {
      const d = editDistance(a, b);
      expect(d).toBe(editDistance(b, a));
      expect(editDistance(a, a)).toBe(0);
      expect(d === 0).toBe(a === b);
      expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      expect(editDistance(a, c)).toBeLessThanOrEqual(d + editDistance(b, c));
    }));
  });

  it('counts one per appended, removed or substituted token', () => {
    fc.assert(fc.property(word, fc.constantFrom('a', 'b', 'c'), (a, t) => {
      expect(editDistance(a, a + 'x')).toBe(1);
      expect(editDistance(t + a, a)).toBe(1);
      if (a.length > 0) expect(editDistance(a, 'x' + a.slice(1))).toBe(1);
    }));
  });

  it('refuses what is not a sequence, naming the argument', () => {
    expect(() => editDistance(3 as never, 'a')).toThrow(/editDistance: a must be a string or an array of tokens, got number/);
  });
});

describe('corpus rates', () => {
  const refs = [[['K', 'AE', 'T']], [['T', 'AH', 'M', 'EY', 'T', 'OW'], ['T', 'AH', 'M', 'AA', 'T', 'OW']], [['AH']]];
  const preds = [['K', 'AE', 'T'], ['T', 'AH', 'M', 'AA', 'T', 'OW', 'Z'], ['AA', 'B']];

  it('errorRate sums distances to the closest reference over its length (counted by hand)', () => {
    // 0 + 1 (one insertion against the second pronunciation) + 2 (substitute, insert) = 3 errors over 3 + 6 + 1 tokens
    expect(errorRate(preds, refs)).toEqual({ rate: 3 / 10, errors: 3, length: 10 });
    expect(errorRate([], []).rate).toBe(0);
  });

  it('exactMatch and sequenceErrorRate accept any listed reference', () => {
    expect(exactMatch(preds, refs)).toBeCloseTo(1 / 3, 12);
    expect(sequenceErrorRate(preds, refs)).toBeCloseTo(2 / 3, 12);
    expect(exactMatch([['T', 'AH', 'M', 'AA', 'T', 'OW']], [refs[1]!])).toBe(1);
    expect(sequenceErrorRate(['ab', 'cd'], [['ab'], ['cd']])).toBe(0);
  });

  it('closestReference prefers the shorter reference on ties', () => {
    expect(closestReference('ab', ['abcd', 'a', 'b'])).toEqual({ index: 1, distance: 1 });
  });

  it('refuses corpora whose lengths differ or items without references', () => {
    expect(() => errorRate(['a'], [])).toThrow(/errorRate: predictions has 1 items but references has 0/);
    expect(() => exactMatch(['a'], [[]])).toThrow(/exactMatch: references\[0\] must be a non-empty array of alternatives/);
    expect(() => closestReference('a', [])).toThrow(/closestReference: references must be a non-empty array/);
  });
});
