/**
 * The two kernel backends agree on whole models: the recurrent layers (LSTM, GRU in
 * both conventions, tanh and relu RNN, bidirectional, with per-row lengths and in
 * reverse), their outputs, final carries and every parameter's and input's gradient;
 * and a training step (the losses, clipping by global norm and two Adam steps). Each
 * runs in float32 under `useBackend('js')` and `useBackend('wasm')` on the same
 * random inputs. Sizes put the fused gates, the packed and thin products and the
 * elementwise maps on their WebAssembly paths.
 *
 * Tolerance: the rtol 1e-4, atol 1e-5 for gradients too. A layer's gradient is
 * a sum over time steps of Jacobian products whose float32 roundings differ between the
 * backends (blocked vs. running sums, polynomial vs. libm tanh and exp), so a looser atol
 * could be argued for deep compositions; at these sizes (time ≤ 6, hidden ≤ 32) none is
 * needed: 150 runs of every case below passed at 1e-5 when this was written. The one
 * discontinuity, relu's kink in the relu RNN, could flip only for a pre-activation
 * within about 1e-7 of zero, which random inputs essentially never produce.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  adam, applyUpdates, backendName, bceWithLogits, bidirectional, chain, clipByGlobalNorm, crossEntropy, gru, huber, key,
  logSoftmax, lstm, matmul, mse, nll, recurrent, rnn, splitKey, tensor, useBackend, add, valueAndGrad,
  type BackendName, type Cell, type CellSizes, type Tensor,
} from '../../lib/index.js';
import { kernels } from '../../lib/kernels/index.js';
import { AGREE_RUNS, expectBackendsAgree, seedArb, seeded, withGrads } from '../support/agreement.js';

const initial = backendName() as BackendName;

const CELLS: readonly [string, Cell<any, any, CellSizes>][] = [
  ['lstm', lstm()], ['gru reset-after', gru()], ['gru reset-before', gru({ convention: 'reset-before' })],
  ['rnn tanh', rnn()], ['rnn relu', rnn({ nonlinearity: 'relu' })],
];

const layerArb = fc.record({
  batch: fc.integer({ min: 1, max: 5 }),
  time: fc.integer({ min: 2, max: 6 }),
  input: fc.integer({ min: 8, max: 20 }),
  hidden: fc.integer({ min: 8, max: 32 }),
  withLengths: fc.boolean(),
  reverse: fc.boolean(),
  seed: seedArb,
});
type LayerCase = typeof layerArb extends fc.Arbitrary<infer T> ? T : never;

const lengthsOf = (c: LayerCase): number[] | undefined =>
  c.withLengths ? Array.from({ length: c.batch }, (_, i) => 1 + ((c.seed >> i) % c.time)) : undefined;

describe('backends agree on recurrent layers, losses and an optimizer step (float32)', () => {
  afterAll(() => useBackend(initial));

  for (const [label, cell] of CELLS) {
    it(`recurrent(${label}), with lengths and reverse`, () => {
      fc.assert(fc.property(layerArb, (c) => {
        const params = cell.init(key(c.seed), { inputSize: c.input, hiddenSize: c.hidden, dtype: 'float32' });
        const x = seeded([c.batch, c.time, c.input], c.seed + 1, -2, 2);
        const options = { lengths: lengthsOf(c), reverse: c.reverse };
        const layer = recurrent(cell);
        expectBackendsAgree(() => withGrads((t) => layer(t.params, t.x, options), { params, x }, c.seed), `recurrent(${label}) ${JSON.stringify(c)}`);
      }), AGREE_RUNS);
    });
  }

  for (const [label, cell] of CELLS.filter(([name]) => name !== 'rnn relu')) {
    it(`bidirectional(recurrent(${label})), concat and sum, with lengths`, () => {
      fc.assert(fc.property(layerArb, (c) => {
        const [kf, kb] = splitKey(key(c.seed), 2);
        const sizes = { inputSize: c.input, hiddenSize: c.hidden, dtype: 'float32' } as const;
        const params = { forward: cell.init(kf, sizes), backward: cell.init(kb, sizes) };
        const x = seeded([c.batch, c.time, c.input], c.seed + 1, -2, 2);
        const layer = bidirectional(recurrent(cell), c.reverse ? 'sum' : 'concat');
        expectBackendsAgree(() => withGrads((t) => layer(t.params, t.x, { lengths: lengthsOf(c) }), { params, x }, c.seed),
          `bidirectional(${label}) ${JSON.stringify(c)}`);
      }), AGREE_RUNS);
    });
  }

  it('the losses, clipByGlobalNorm and two Adam steps on a linear classifier', () => {
    const stepArb = fc.record({ rows: fc.integer({ min: 4, max: 24 }), features: fc.integer({ min: 8, max: 24 }), classes: fc.integer({ min: 8, max: 16 }), seed: seedArb });
    fc.assert(fc.property(stepArb, ({ rows, features, classes, seed }) => {
      const x = seeded([rows, features], seed, -2, 2);
      const targets = tensor(Int32Array.from({ length: rows }, (_, i) => (seed + 7 * i) % classes), { dtype: 'int32' });
      const soft = seeded([rows, classes], seed + 1, 0, 1);
      const regression = seeded([rows, classes], seed + 2, -2, 2);
      const loss = (p: { w: Tensor; b: Tensor }): Tensor => {
        const logits = add(matmul(x, p.w), p.b);
        return [
          crossEntropy(logits, targets), crossEntropy(logits, targets, { labelSmoothing: 0.1, reduction: 'sum' }),
          nll(logSoftmax(logits), targets), mse(logits, regression), bceWithLogits(logits, soft), huber(logits, regression, { delta: 0.5 }),
        ].reduce((a, b) => add(a, b));
      };
      const params = { w: seeded([features, classes], seed + 3), b: seeded([classes], seed + 4) };
      // Adam divides by |g| + eps: with the default eps 1e-8 a clipped gradient element near
      // 1e-8 turns a float32 rounding of the gradient (well inside atol) into a percent of
      // its update, which is Adam's conditioning, not a backend's; eps 1e-3 bounds the
      // update's sensitivity to g by lr / eps = 10 and is still a real Adam step
      const optimizer = chain(clipByGlobalNorm(1), adam({ lr: 1e-2, eps: 1e-3 }));
      const train = () => {
        let p = params;
        let state = optimizer.init(p);
        const trace: unknown[] = [];
        for (let step = 0; step < 2; step++) {
          const [value, grads] = valueAndGrad(loss)(p);
          const [updates, next] = optimizer.update(grads, state, p);
          p = applyUpdates(p, updates);
          state = next;
          trace.push({ value, grads, p });
        }
        return trace;
      };
      expectBackendsAgree(train, `training step ${rows}×${features}→${classes}`);
    }), AGREE_RUNS);
  });

  it('the comparison can fail: a WebAssembly matmul off by 1e-3 relative is caught', () => {
    const a = seeded([8, 32], 1);
    const b = seeded([32, 16], 2);
    useBackend('wasm');
    const backend = kernels();
    const honest = backend.matmul.bind(backend);
    const spy = vi.spyOn(backend, 'matmul').mockImplementation((...args: Parameters<typeof honest>) => {
      honest(...args);
      const [, , out, offset] = args;
      out[offset] = out[offset]! * 1.001;
    });
    try {
      expect(() => expectBackendsAgree(() => matmul(a, b), 'sabotaged matmul')).toThrow(/sabotaged matmul/);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expectBackendsAgree(() => matmul(a, b), 'honest matmul');
  });
});
