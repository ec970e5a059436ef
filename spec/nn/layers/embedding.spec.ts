/**
 * embedding: lookup by hand, the scatter-add gradient with repeated ids (by hand and
 * against finite differences), the padding row, the normal(0, 1) initialisation and
 * errors for ids out of the vocabulary.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, key, mul, sum, tensor, SeqgradError, type Tensor } from '../../../lib/index.js';
import { embedding, initEmbedding } from '../../../lib/nn/layers/embedding.js';
import { checkGrad, tensorArb } from '../../../lib/testing/index.js';
import { expectClose } from '../../support/close.js';

const ids = (values: number[][]): Tensor => tensor(values, { dtype: 'int32' });

describe('embedding', () => {
  const weight = tensor([[0, 1], [2, 3], [4, 5]], { dtype: 'float64' });

  it('looks up rows: [...ids.shape, dim]', () => {
    const y = embedding({ weight }, ids([[2, 0], [1, 2]]));
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.data)).toEqual([4, 5, 0, 1, 2, 3, 4, 5]);
  });

  it('accumulates the gradient of a repeated id into its row (hand-computed scatter-add)', () => {
    const cot = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], { dtype: 'float64' });
    const g = grad((p: { weight: Tensor }) => sum(mul(embedding(p, ids([[2, 0], [1, 2]])), cot)))({ weight });
    // id 2 appears at [0,0] and [1,1]: [1+7, 2+8]; id 0 at [0,1]; id 1 at [1,0]
    expect(Array.from(g.weight.data)).toEqual([3, 4, 5, 6, 8, 10]);
  });

  it('has gradients that agree with finite differences, ids repeating (property)', () => {
    const cases = fc.record({
      vocab: fc.integer({ min: 1, max: 4 }),
      dim: fc.integer({ min: 1, max: 3 }),
      rows: fc.integer({ min: 1, max: 3 }),
      cols: fc.integer({ min: 2, max: 4 }),
    }).chain((s) => fc.record({
      weight: tensorArb([s.vocab, s.dim]),
      // more positions than ids in most draws, so ids repeat
      ids: fc.array(fc.integer({ min: 0, max: s.vocab - 1 }), { minLength: s.rows * s.cols, maxLength: s.rows * s.cols })
        .map((v) => tensor(v, { shape: [s.rows, s.cols], dtype: 'int32' })),
    }));
    fc.assert(fc.property(cases, ({ weight: w, ids: i }) => {
      const report = checkGrad((p: { weight: Tensor }) => embedding(p, i), { weight: w });
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 60 });
  });

  it('gives the padding row no gradient and starts it at zero', () => {
    const cot = tensor([[[1, 1], [1, 1], [1, 1]]], { dtype: 'float64' });
    const f = (p: { weight: Tensor }) => sum(mul(embedding(p, ids([[1, 0, 1]]), { paddingIndex: 1 }), cot));
    expect(Array.from(grad(f)({ weight }).weight.data)).toEqual([1, 1, 0, 0, 0, 0]);
    // the forward value of the padding row is the table's, as in PyTorch
    expect(Array.from(embedding({ weight }, ids([[1]]), { paddingIndex: 1 }).data)).toEqual([2, 3]);
    const p = initEmbedding(key(2), { vocabSize: 5, dim: 3, paddingIndex: 4, dtype: 'float64' });
    expect(Array.from(p.weight.data.slice(12))).toEqual([0, 0, 0]);
    expect(p.weight.data.slice(0, 12).every((v) => v !== 0)).toBe(true);
  });

  it('initialises normal(0, 1) like PyTorch', () => {
    const p = initEmbedding(key(0), { vocabSize: 200, dim: 50, dtype: 'float64' });
    const v = Array.from(p.weight.data);
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
    // 10 000 draws: the mean's standard error is 0.01, the sd's about 0.007
    expect(Math.abs(m)).toBeLessThan(0.04);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    expectClose(initEmbedding(key(0), { vocabSize: 200, dim: 50, dtype: 'float64' }).weight, p.weight, 0);
  });

  it('refuses ids outside the vocabulary, float ids and bad padding ids', () => {
    expect(() => embedding({ weight }, ids([[0, 3]]))).toThrow(SeqgradError);
    expect(() => embedding({ weight }, ids([[0, 3]]))).toThrow(/embedding: ids \[1, 2\] hold 3 at flat position 1, outside the vocabulary \[0, 3\) of weight \[3, 2\]/);
    expect(() => embedding({ weight }, ids([[-1]]))).toThrow(/hold -1/);
    expect(() => embedding({ weight }, tensor([[0, 1]]))).toThrow(/embedding: ids must be an int32 tensor of token ids, got float32 \[1, 2\]/);
    expect(() => embedding({ weight }, ids([[0]]), { paddingIndex: 3 })).toThrow(/embedding: paddingIndex 3 is not a token id in \[0, 3\)/);
    expect(() => embedding({ weight: tensor([1, 2]) }, ids([[0]]))).toThrow(/embedding: params.weight must be a \[vocab, dim\] tensor, got \[2\]/);
  });
});
