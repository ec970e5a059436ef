/**
 * passOwned: an intermediate made by the computation goes back to the pool when a
 * one-shot gradient pass ends; the caller's tensors (leaves, views of them) never do; the
 * gradient flows through it unchanged; and through a recurrent layer, which marks its
 * projected inputs so, what a pass returns keeps its values through later passes.
 */
import { describe, expect, it } from 'vitest';
import { passOwned } from '../../lib/autodiff/pass-owned.js';
import { allocate } from '../../lib/tensor/dtype.js';
import {
  grad, key, lstm, matmul, mul, normal, recurrent, reshape, splitKey, sum, tanh, valueAndGrad, type Tensor,
} from '../../lib/index.js';

const [ka, kb, kx] = splitKey(key(11), 3);
const a = normal(ka!, [37, 41]);
const b = normal(kb!, [41, 43]);

describe('passOwned', () => {
  it('hands an intermediate made by an op back to the pool after grad', () => {
    let made: Tensor | undefined;
    grad((p: Tensor) => {
      made = passOwned(matmul(p, b));
      return sum(tanh(made));
    })(a);
    // the next allocation of that size takes the product's memory
    expect(allocate('float32', 37 * 43).buffer).toBe(made!.data.buffer);
  });

  it('follows views back to the op that allocated', () => {
    let made: Tensor | undefined;
    grad((p: Tensor) => {
      made = passOwned(reshape(matmul(p, b), [43, 37]));
      return sum(tanh(made));
    })(a);
    expect(allocate('float32', 37 * 43).buffer).toBe(made!.data.buffer);
  });

  it("never takes the caller's tensor or a view of it", () => {
    const before = Float32Array.from(a.data);
    grad((p: Tensor) => sum(mul(passOwned(reshape(p, [41, 37])), 2)))(a);
    const next = allocate('float32', a.size);
    next.fill(5);
    expect(next.buffer).not.toBe(a.data.buffer);
    expect(Array.from(a.data)).toEqual(Array.from(before));
  });

  it('is the identity for values and gradients, and untraced returns its argument', () => {
    expect(passOwned(a)).toBe(a);
    const f = (p: Tensor) => sum(tanh(matmul(p, b)));
    const g = (p: Tensor) => sum(tanh(passOwned(matmul(p, b))));
    expect(Array.from(grad(g)(a).data)).toEqual(Array.from(grad(f)(a).data));
  });
});

describe('a recurrent layer whose projections are pass-owned', () => {
  it('returns outputs and gradients that later passes do not overwrite', () => {
    const cell = lstm();
    const params = cell.init(kx!, { inputSize: 6, hiddenSize: 16 });
    const x = normal(splitKey(kx!, 2)[1]!, [8, 30, 6]);
    const layer = recurrent(cell);
    const f = valueAndGrad((p: typeof params) => {
      const { outputs } = layer(p, x);
      return [sum(mul(outputs, outputs)), outputs] as const;
    }, { hasAux: true });
    const [[, firstOutputs], firstGrads] = f(params);
    const outputsCopy = Float32Array.from(firstOutputs.data);
    const gradCopy = Float32Array.from(firstGrads.weight_ih.data);
    for (let i = 0; i < 3; i++) f(params);
    const [[, againOutputs], againGrads] = f(params);
    expect(Array.from(firstOutputs.data)).toEqual(Array.from(outputsCopy));
    expect(Array.from(firstGrads.weight_ih.data)).toEqual(Array.from(gradCopy));
    expect(Array.from(againOutputs.data)).toEqual(Array.from(outputsCopy));
    expect(Array.from(againGrads.weight_ih.data)).toEqual(Array.from(gradCopy));
  });
});
