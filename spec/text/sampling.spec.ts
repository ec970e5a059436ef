import { describe, it, expect } from 'vitest';
import { categorical, generate, key, tensor, type Tensor } from '../../lib/index.js';

const N = 20000;
const P = [0.5, 0.3, 0.2];

/** Counts of each class among N draws from one row of logits repeated N times. */
const counts = (logits: readonly number[], options = {}, seed = 11): number[] => {
  const rows = tensor(Array.from({ length: N }, () => logits), { dtype: 'float64' });
  const ids = categorical(key(seed), rows, options);
  expect([ids.dtype, ids.shape]).toEqual(['int32', [N]]);
  const c = logits.map(() => 0);
  ids.data.forEach((i) => c[i]!++);
  return c;
};

/** Each frequency within 4.5 binomial standard deviations sqrt(p(1-p)/N) of p (false alarm < 1e-5 per class). */
const expectFrequencies = (c: readonly number[], p: readonly number[]): void => {
  c.forEach((n, i) => {
    const sd = Math.sqrt((p[i]! * (1 - p[i]!)) / N);
    expect(Math.abs(n / N - p[i]!)).toBeLessThanOrEqual(4.5 * sd + 1e-12);
  });
};

describe('categorical', () => {
  const logits = P.map(Math.log);

  it('draws classes with their softmax probabilities', () => {
    expectFrequencies(counts(logits), P);
    // and is not trivially right: the same test refuses the wrong distribution
    const c = counts(logits);
    expect(Math.abs(c[0]! / N - 0.45)).toBeGreaterThan(4.5 * Math.sqrt((0.45 * 0.55) / N));
  });

  it('applies temperature as p^(1/T), renormalised', () => {
    const w = P.map((p) => Math.sqrt(p));
    const total = w.reduce((a, b) => a + b);
    expectFrequencies(counts(logits, { temperature: 2 }), w.map((x) => x / total));
    expect(counts(logits, { temperature: 0 })).toEqual([N, 0, 0]);
  });

  it('restricts to the top k and to the nucleus top p', () => {
    expectFrequencies(counts(logits, { topK: 2 }), [0.5 / 0.8, 0.3 / 0.8, 0]);
    // 0.5 alone is below 0.6, so the nucleus is {0, 1}
    expectFrequencies(counts(logits, { topP: 0.6 }), [0.5 / 0.8, 0.3 / 0.8, 0]);
    expect(counts(logits, { topP: 0.4 })).toEqual([N, 0, 0]);
  });

  it('is reproducible from the key, and refuses bad options', () => {
    expect(counts(logits, {}, 5)).toEqual(counts(logits, {}, 5));
    const z = tensor([[0, 1]]);
    expect(() => categorical(key(0), z, { temperature: -1 })).toThrow(/^categorical: temperature/);
    expect(() => categorical(key(0), z, { topK: 0 })).toThrow(/^categorical: topK/);
    expect(() => categorical(key(0), z, { topP: 0 })).toThrow(/^categorical: topP/);
    expect(() => categorical(key(0), tensor([1], { dtype: 'int32' }))).toThrow(/^categorical: logits must be a floating tensor/);
    expect(() => categorical(key(0), tensor([[0, 1], [NaN, 1]]))).toThrow('categorical: row 1 of logits has no finite maximum');
    // -Infinity masks a token out: it is never drawn
    expect(counts([0, -Infinity, 0]).at(1)).toBe(0);
  });
});

describe('generate', () => {
  /** A model whose next token is certainly id + 1 (a logit of 50 against 0). */
  const counter = {
    init: (batch: number) => batch,
    step: (carry: number, ids: Tensor): readonly [number, Tensor] =>
      [carry, tensor(Array.from(ids.data, (id) => Array.from({ length: 8 }, (_, v) => (v === id + 1 ? 50 : 0))))],
  };

  it('feeds the prompt, samples until the end token, and leaves both out', () => {
    expect(generate(counter, { prompt: [0, 1], endToken: 5, maxLength: 10, key: key(0), samples: 2 })).toEqual([[2, 3, 4], [2, 3, 4]]);
    expect(generate(counter, { prompt: [1], endToken: 5, maxLength: 2, key: key(0) })).toEqual([[2, 3]]);
  });

  it('refuses bad options naming them', () => {
    expect(() => generate(counter, { prompt: [], maxLength: 3, key: key(0) })).toThrow(/^generate: prompt/);
    expect(() => generate(counter, { prompt: [1], maxLength: 0, key: key(0) })).toThrow(/^generate: maxLength/);
  });
});
