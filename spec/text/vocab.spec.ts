import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildVocab, vocabFromJson, SPECIALS } from '../../lib/index.js';

describe('buildVocab', () => {
  it('puts the specials at 0-3 and the characters after them in code-point order', () => {
    const v = buildVocab(['bob', 'anna']);
    // a < b < n < o by code point, so ids 4..7
    expect(v.tokens).toEqual([...SPECIALS, 'a', 'b', 'n', 'o']);
    expect([v.pad, v.bos, v.eos, v.unk, v.size]).toEqual([0, 1, 2, 3, 8]);
    expect(v.encode('bob', { bos: true, eos: true })).toEqual([1, 5, 7, 5, 2]);
    expect(v.encode('bz')).toEqual([5, 3]);
    expect(v.decode([5, 7, 5, 2, 4])).toBe('bob');
    expect(v.decode([1, 5, 0], { skipSpecials: false })).toBe('<bos>b<pad>');
    expect(v.decode([5, 2, 4], { stopAtEos: false })).toBe('ba');
  });

  it('gives the same ids whatever order the corpus comes in', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 12 }), (texts) => {
      expect(buildVocab([...texts].reverse()).tokens).toEqual(buildVocab(texts).tokens);
    }));
  });

  it('round-trips any text made of its characters, and through JSON', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1, maxLength: 10, unit: 'grapheme' }), { minLength: 1, maxLength: 10 }), (texts) => {
      const v = vocabFromJson(JSON.parse(JSON.stringify(buildVocab(texts).toJSON())));
      for (const text of texts) expect(v.decode(v.encode(text, { bos: true, eos: true }))).toBe(text);
    }));
  });

  it('handles token vocabularies and minCount', () => {
    const v = buildVocab(['the cat', 'the dog', ['the', 'cat']], { kind: 'token', minCount: 2 });
    expect(v.tokens.slice(4)).toEqual(['cat', 'the']);
    expect(v.encode('the dog')).toEqual([5, 3]);
    expect(v.decode([5, 4])).toBe('the cat');
  });

  it('refuses bad input naming the function and argument', () => {
    expect(() => buildVocab(['a', 3 as unknown as string])).toThrow(/^buildVocab: texts\[1\] must be a string/);
    expect(() => buildVocab(['a'], { minCount: 0 })).toThrow(/^buildVocab: minCount/);
    expect(() => buildVocab(['ab']).decode([9])).toThrow(/^decode: id 9 is outside the vocabulary \[0, 6\)/);
    expect(() => vocabFromJson({ kind: 'char', tokens: ['a'] })).toThrow(/^vocabFromJson: tokens\[0\] must be the special <pad>/);
    expect(() => vocabFromJson({ kind: 'word', tokens: [] })).toThrow(/^vocabFromJson: kind/);
  });
});
