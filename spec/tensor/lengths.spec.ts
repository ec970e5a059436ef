import { describe, it, expect } from 'vitest';
import { additiveAttention, dotAttention, gru, key, mean, normal, recurrent, scan, splitKey, square, tensor, toLengths, type Tensor } from '../../lib/index.js';
import { sgd } from '../../lib/optim/index.js';
import { fit } from '../../lib/train/index.js';

const ints = (xs: number[]): Tensor => tensor(xs, { dtype: 'int32' });

describe('lengths as an int32 tensor', () => {
  it('normalises to numbers and refuses other dtypes and ranks', () => {
    expect(toLengths('f', ints([3, 1]))).toEqual([3, 1]);
    expect(toLengths('f', [2])).toEqual([2]);
    expect(toLengths('f', undefined)).toBeUndefined();
    expect(() => toLengths('scan', tensor([3, 1]))).toThrow('scan: lengths as a tensor must be int32 of shape [batch], got float32 [2]');
  });

  it('gives scan, recurrent layers and attention the same results as the array', () => {
    const [kx, kp, kq] = splitKey(key(1), 3);
    const x = normal(kx, [2, 4, 3], { dtype: 'float64' });
    const step = (h: Tensor, xt: Tensor): [Tensor, Tensor] => [xt, xt];
    const [, a] = scan(step, x.shape.length ? normal(kq, [2, 3], { dtype: 'float64' }) : x, x, { lengths: [4, 2], reverse: true });
    const [, b] = scan(step, normal(kq, [2, 3], { dtype: 'float64' }), x, { lengths: ints([4, 2]), reverse: true });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    const cell = gru();
    const p = cell.init(kp, { inputSize: 3, hiddenSize: 2, dtype: 'float64' });
    const layer = recurrent(cell);
    expect(Array.from(layer(p, x, { lengths: ints([1, 3]) }).outputs.data)).toEqual(Array.from(layer(p, x, { lengths: [1, 3] }).outputs.data));
    const q = normal(kq, [2, 3], { dtype: 'float64' });
    expect(Array.from(dotAttention(q, x, { lengths: ints([2, 4]) }).weights.data)).toEqual(Array.from(dotAttention(q, x, { lengths: [2, 4] }).weights.data));
    expect(typeof additiveAttention).toBe('function');
    expect(() => layer(p, x, { lengths: ints([5, 1]) })).toThrow(/lengths\[0\] = 5 is out of range/);
  });

  it('rides in a fit dataset beside the inputs, batched like any leaf', async () => {
    const cell = gru();
    const layer = recurrent(cell);
    const x = normal(key(5), [4, 3, 2]);
    const lengths = tensor([3, 1, 2, 3], { dtype: 'int32' });
    const seen: number[][] = [];
    const result = await fit({
      params: cell.init(key(6), { inputSize: 2, hiddenSize: 2 }), optimizer: sgd({ lr: 0.1 }), epochs: 1, progress: 'none',
      data: { dataset: { x, lengths }, batchSize: 2 },
      loss: (p, b: { x: Tensor; lengths: Tensor }) => {
        seen.push(Array.from(b.lengths.data));
        return mean(square(layer(p, b.x, { lengths: b.lengths }).outputs));
      },
    });
    expect(seen).toEqual([[3, 1], [2, 3]]);
    expect(result.history.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
  });
});
