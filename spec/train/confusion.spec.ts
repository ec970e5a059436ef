import { describe, it, expect } from 'vitest';
import { tensor } from '../../lib/index.js';
import { confusionMatrix } from '../../lib/train/index.js';

describe('confusionMatrix', () => {
  it('counts true class against predicted class, and accumulates over batches', () => {
    // predictions by hand: row 0 -> 0, row 1 -> 1, row 2 -> 0, row 3 -> 2
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 0], [0, 0, 5]]);
    const c = confusionMatrix(logits, tensor([0, 0, 1, 2], { dtype: 'int32' }));
    expect(c.matrix).toEqual([[1, 1, 0], [1, 0, 0], [0, 0, 1]]);
    expect(c.accuracy).toBeCloseTo(2 / 4, 12);
    const both = confusionMatrix(tensor([[0, 0, 9]]), tensor([2], { dtype: 'int32' }), c);
    expect(both.matrix[2]).toEqual([0, 0, 2]);
    expect([both.total, both.accuracy]).toEqual([5, 3 / 5]);
  });

  it('refuses mismatched shapes and labels outside the classes', () => {
    expect(() => confusionMatrix(tensor([[1, 0]]), tensor([0, 1], { dtype: 'int32' }))).toThrow(/^confusionMatrix: expects logits \[n, classes\] and int32 labels \[n\], got float32 \[1, 2\] and int32 \[2\]/);
    expect(() => confusionMatrix(tensor([[1, 0]]), tensor([2], { dtype: 'int32' }))).toThrow(/^confusionMatrix: labels\[0\] = 2 is not a class id in \[0, 2\)/);
  });
});
