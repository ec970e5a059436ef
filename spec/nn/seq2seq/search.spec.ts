/**
 * Greedy decoding and beam search over hand-built decoders whose logits come from
 * tables: a case where the best beam differs from greedy (scores by hand), beam search
 * with width 1 equal to greedy, exhaustive beam search equal to brute-force
 * enumeration (which also checks that beam states follow their parents), the shape of
 * the results, and errors for bad options.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, SeqgradError, type Tensor } from '../../../lib/index.js';
import { beamSearch, greedySearch, type DecoderStep, type Hypothesis } from '../../../lib/nn/seq2seq/search.js';

const START = 0;
const END = 1;

/** A first-order decoder: the next token's probabilities depend on the token fed. */
const markov = (probs: number[][]): DecoderStep<Tensor> => (state, tokens) => [
  state,
  tensor(Array.from(tokens.data, (t) => probs[t]!.map(Math.log)), { dtype: 'float64' }),
];

/**
 * A second-order decoder: the state holds the token fed one step earlier, and the
 * logits depend on it and on the token fed now, so a beam that carried another
 * beam's state would score differently.
 */
const secondOrder = (logits: number[][][]): DecoderStep<Tensor> => (state, tokens) => [
  tensor(Array.from(tokens.data), { shape: [tokens.size, 1], dtype: 'float64' }),
  tensor(Array.from(tokens.data, (t, i) => logits[state.data[i]!]![t]!), { dtype: 'float64' }),
];

/** Every sequence a search may return: ending in END, or maxLength tokens without END. */
const enumerate = (vocab: number, maxLength: number): number[][] => {
  const out: number[][] = [];
  const grow = (prefix: number[]): void => {
    for (let v = 0; v < vocab; v++) {
      const seq = [...prefix, v];
      if (v === END || seq.length === maxLength) out.push(seq);
      else grow(seq);
    }
  };
  grow([]);
  return out;
};

/** log p(seq) under a second-order table, starting from START fed after START. */
const logProbOf = (logits: number[][][], seq: readonly number[]): number => {
  let total = 0;
  let prev = START;
  let fed = START;
  for (const token of seq) {
    const row = logits[prev]![fed]!;
    const lse = Math.log(row.reduce((s, z) => s + Math.exp(z - Math.max(...row)), 0)) + Math.max(...row);
    total += row[token]! - lse;
    [prev, fed] = [fed, token];
  }
  return total;
};

const tableArb = (vocab: number) =>
  fc.array(fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: vocab, maxLength: vocab }), { minLength: vocab, maxLength: vocab }), { minLength: vocab, maxLength: vocab });

const problemArb = fc.record({ vocab: fc.integer({ min: 2, max: 4 }), maxLength: fc.integer({ min: 1, max: 4 }), alpha: fc.constantFrom(0, 0.6, 1) })
  .chain((s) => fc.record({ s: fc.constant(s), logits: tableArb(s.vocab) }));

const initial = tensor([[START]], { dtype: 'float64' });

describe('search', () => {
  // ids: 0 = START (never produced), 1 = END, 2 = a, 3 = b. Rows are the token fed:
  // after START: END .1, a .5, b .4; after a: END .3, a .35, b .35; after b: END .9, a .05, b .05
  const table = [[0, 0.1, 0.5, 0.4], [0, 1, 0, 0], [0, 0.3, 0.35, 0.35], [0, 0.9, 0.05, 0.05]];

  it('finds a better sequence than greedy when the greedy first step leads nowhere (by hand)', () => {
    const step = markov(table);
    const [greedy] = greedySearch(step, initial, { start: START, end: END, maxLength: 3, alpha: 0 });
    // greedy: a (.5), then a (.35, the lower id of a tie), then a again; never ends
    expect(greedy!.tokens).toEqual([2, 2, 2]);
    expect(greedy!.finished).toBe(false);
    expect(greedy!.logProb).toBeCloseTo(Math.log(0.5 * 0.35 * 0.35), 12);
    const beams = beamSearch(step, initial, { start: START, end: END, maxLength: 3, alpha: 0, width: 2 });
    // step 2 ranks b·END (.36) first; step 3 ranks a·b·END (.1575) first: two finished
    expect(beams.map((h) => h.tokens)).toEqual([[3, 1], [2, 3, 1]]);
    expect(beams[0]!.logProb).toBeCloseTo(Math.log(0.4 * 0.9), 12);
    expect(beams[1]!.logProb).toBeCloseTo(Math.log(0.5 * 0.35 * 0.9), 12);
    expect(beams.every((h) => h.finished)).toBe(true);
  });

  it('ranks by logProb / length^alpha', () => {
    const beams = beamSearch(markov(table), initial, { start: START, end: END, maxLength: 3, alpha: 1, width: 2 });
    expect(beams[0]!.score).toBeCloseTo(Math.log(0.36) / 2, 12);
    expect(beams[1]!.score).toBeCloseTo(Math.log(0.1575) / 3, 12);
  });

  it('beam search with width 1 equals greedy decoding (property)', () => {
    fc.assert(fc.property(problemArb, ({ s, logits }) => {
      const options = { start: START, end: END, maxLength: s.maxLength, alpha: s.alpha };
      const [greedy] = greedySearch(secondOrder(logits), initial, options);
      const [beam] = beamSearch(secondOrder(logits), initial, { ...options, width: 1 });
      expect(beam).toEqual(greedy);
    }), { numRuns: 100 });
  });

  it('exhaustive beam search returns the brute-force best sequence, scored exactly (property)', () => {
    fc.assert(fc.property(problemArb, ({ s, logits }) => {
      const all = enumerate(s.vocab, s.maxLength);
      const width = all.length;
      const hyps = beamSearch(secondOrder(logits), initial, { start: START, end: END, maxLength: s.maxLength, alpha: s.alpha, width });
      const scored = all.map((seq) => ({ seq, score: logProbOf(logits, seq) / seq.length ** s.alpha })).sort((a, b) => b.score - a.score);
      expect(hyps.length).toBe(all.length);
      expect(hyps[0]!.score).toBeCloseTo(scored[0]!.score, 10);
      hyps.forEach((h) => expect(h.logProb).toBeCloseTo(logProbOf(logits, h.tokens), 10));
    }), { numRuns: 100 });
  });

  it('returns at most width hypotheses, sorted, each ending in END or at maxLength (property)', () => {
    fc.assert(fc.property(problemArb, fc.integer({ min: 1, max: 4 }), ({ s, logits }, width) => {
      const hyps: Hypothesis[] = beamSearch(secondOrder(logits), initial, { start: START, end: END, maxLength: s.maxLength, alpha: s.alpha, width });
      expect(hyps.length).toBeGreaterThanOrEqual(1);
      expect(hyps.length).toBeLessThanOrEqual(width);
      hyps.forEach((h, i) => {
        if (i > 0) expect(h.score).toBeLessThanOrEqual(hyps[i - 1]!.score);
        expect(h.finished).toBe(h.tokens[h.tokens.length - 1] === END);
        if (!h.finished) expect(h.tokens.length).toBe(s.maxLength);
        expect(h.tokens.slice(0, -1)).not.toContain(END);
        expect(h.score).toBeCloseTo(h.logProb / h.tokens.length ** s.alpha, 12);
      });
    }), { numRuns: 100 });
  });

  it('decodes a batch greedily, each row on its own', () => {
    const step = markov(table);
    const rows = greedySearch(step, tensor([[0], [0]], { dtype: 'float64' }), { start: START, end: END, maxLength: 2, alpha: 0 });
    expect(rows.map((h) => h.tokens)).toEqual([[2, 2], [2, 2]]);
    const fromB = greedySearch(markov(table), tensor([[0]], { dtype: 'float64' }), { start: 3, end: END, maxLength: 5 });
    expect(fromB[0]!.tokens).toEqual([1]);
    expect(fromB[0]!.finished).toBe(true);
  });

  it('refuses bad options, states and logits, naming the search', () => {
    const step = markov(table);
    const base = { start: START, end: END, maxLength: 3 };
    expect(() => beamSearch(step, initial, { ...base, width: 0 })).toThrow(SeqgradError);
    expect(() => beamSearch(step, initial, { ...base, width: 0 })).toThrow(/beamSearch: width must be a positive integer, got 0/);
    expect(() => greedySearch(step, initial, { ...base, maxLength: 0 })).toThrow(/greedySearch: maxLength must be a positive integer, got 0/);
    expect(() => greedySearch(step, initial, { ...base, start: -1 })).toThrow(/start must be a token id/);
    expect(() => greedySearch(step, initial, { ...base, alpha: -1 })).toThrow(/alpha must be a finite number >= 0/);
    expect(() => beamSearch(step, tensor([[0], [0]]), { ...base, width: 2 })).toThrow(/beamSearch: state must hold one sequence \(one row on axis 0\), got 2/);
    expect(() => greedySearch(step as DecoderStep<unknown>, { a: tensor([[0]]), b: tensor([[0], [1]]) }, base)).toThrow(/greedySearch: every tensor of the state needs the same rows on axis 0; b has shape \[2, 1\]/);
    const flat: DecoderStep<Tensor> = (s) => [s, tensor([0, 0, 0])];
    expect(() => greedySearch(flat, initial, base)).toThrow(/greedySearch: the decoder step must return logits \[1, vocab\], got \[3\]/);
  });
});
