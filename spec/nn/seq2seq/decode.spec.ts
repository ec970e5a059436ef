/**
 * Generation with random encoder-decoders (GRU and LSTM, every attention form, random
 * source lengths): greedy decoding of a batch equals beam search of width 1 row by
 * row, and every beam hypothesis is sorted, well-formed and carries exactly the
 * log-probability teacher forcing gives its tokens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gather, logSoftmax, reshape, slice, sum, tensor } from '../../../lib/index.js';
import { beamDecode, greedyDecode } from '../../../lib/nn/seq2seq/decode.js';
import { modelCaseArb, type ModelCase } from './models.js';

const START = 0;
const END = 1;

/** log p(tokens | row b of src) under teacher forcing on that row alone. */
const forcedLogProb = (c: ModelCase, b: number, tokens: readonly number[]): number => {
  const src = slice(c.src, [b, 0], [1, -1]);
  const tgtIn = tensor([[START, ...tokens.slice(0, -1)]], { dtype: 'int32' });
  const logp = logSoftmax(c.model.forward(c.params, { src, tgtIn, srcLengths: [c.srcLengths[b]!] }).logits, -1);
  const vocab = logp.shape[2]!;
  const picks = tensor(tokens.map((v, t) => t * vocab + v), { dtype: 'int32' });
  return sum(gather(reshape(logp, [-1]), picks, 0)).item();
};

const cases = modelCaseArb({ maxVocab: 6, maxDim: 3, maxLen: 4, maxBatch: 3 });

describe('greedyDecode and beamDecode', () => {
  it('greedy decoding equals beam search of width 1 (property)', () => {
    fc.assert(fc.property(cases, fc.integer({ min: 1, max: 6 }), (c, maxLength) => {
      const options = { start: START, end: END, maxLength, srcLengths: c.srcLengths };
      const greedy = greedyDecode(c.model, c.params, c.src, options);
      const beams = beamDecode(c.model, c.params, c.src, { ...options, width: 1 });
      greedy.forEach((g, b) => {
        expect(beams[b]!.length).toBe(1);
        expect(beams[b]![0]!.tokens, c.label).toEqual(g.tokens);
        expect(beams[b]![0]!.finished).toBe(g.finished);
        expect(beams[b]![0]!.logProb).toBeCloseTo(g.logProb, 10);
      });
    }), { numRuns: 50 });
  });

  it('returns sorted, well-formed hypotheses scored as teacher forcing scores them (property)', () => {
    fc.assert(fc.property(cases, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0.7, 1), (c, maxLength, width, alpha) => {
      const perRow = beamDecode(c.model, c.params, c.src, { start: START, end: END, maxLength, width, alpha, srcLengths: c.srcLengths });
      expect(perRow.length).toBe(c.src.shape[0]);
      perRow.forEach((hyps, b) => {
        expect(hyps.length).toBeGreaterThanOrEqual(1);
        expect(hyps.length).toBeLessThanOrEqual(width);
        hyps.forEach((h, i) => {
          if (i > 0) expect(h.score).toBeLessThanOrEqual(hyps[i - 1]!.score);
          expect(h.finished).toBe(h.tokens[h.tokens.length - 1] === END);
          if (!h.finished) expect(h.tokens.length).toBe(maxLength);
          expect(h.logProb).toBeCloseTo(forcedLogProb(c, b, h.tokens), 9);
          expect(h.score).toBeCloseTo(h.logProb / h.tokens.length ** alpha, 12);
        });
      });
    }), { numRuns: 50 });
  });

  it('refuses missing or bad options with an error naming the decoding function, not a crash', () => {
    const [c] = fc.sample(cases, { numRuns: 1, seed: 7 });
    expect(() => greedyDecode(c!.model, c!.params, c!.src, undefined as never)).toThrow(/^greedyDecode: start must be a token id/);
    expect(() => beamDecode(c!.model, c!.params, c!.src, undefined as never)).toThrow(/^beamDecode: start must be a token id/);
    expect(() => beamDecode(c!.model, c!.params, c!.src, { start: START, end: END, maxLength: 3, width: 0 })).toThrow(/^beamDecode: width must be a positive integer, got 0/);
  });
});
