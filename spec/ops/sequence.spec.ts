/**
 * lstmSequence, the one-call LSTM recurrence for inference: the same numbers as scanning
 * addmm and lstmGates step by step, in float64 on the reference and in float32 on both
 * backends, at the thin batches the WebAssembly loop takes and the larger ones it hands
 * back to step-by-step kernels; refusal of traced inputs and of shapes that do not fit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addmm, backendName, grad, key, lstmGates, normal, recurrent, lstm, scan, splitKey, sum, useBackend, type Tensor } from '../../lib/index.js';
import { lstmSequence } from '../../lib/ops/sequence.js';
import { expectClose } from '../support/close.js';

const initial = backendName() as 'js' | 'wasm';
afterAll(() => useBackend(initial));

const draw = (seed: number, steps: number, batch: number, hidden: number, dtype: 'float32' | 'float64') => {
  const [a, b, c, d] = splitKey(key(seed), 4);
  return {
    xp: normal(a, [steps, batch, 4 * hidden], { dtype }),
    h0: normal(b, [batch, hidden], { dtype }),
    c0: normal(c, [batch, hidden], { dtype }),
    w: normal(d, [4 * hidden, hidden], { dtype }),
  };
};

/** The recurrence as scan over addmm and lstmGates: the independent reference. */
const stepwise = ({ xp, h0, c0, w }: ReturnType<typeof draw>) =>
  scan((carry: { h: Tensor; c: Tensor }, xt: Tensor) => {
    const [h, c] = lstmGates(addmm(xt, carry.h, w, { transposeB: true }), carry.c);
    return [{ h, c }, h];
  }, { h: h0, c: c0 }, xp, { axis: 0 });

describe('lstmSequence', () => {
  for (const [backend, dtype, tolerance] of [['js', 'float64', 1e-12], ['js', 'float32', 1e-5], ['wasm', 'float32', 1e-4]] as const) {
    it(`equals scanning addmm and lstmGates (${backend}, ${dtype}; batch 1 to 5, hidden 3 to 33)`, () => {
      useBackend(backend);
      for (const [batch, hidden, steps] of [[1, 3, 7], [1, 32, 20], [2, 33, 9], [3, 8, 5], [4, 16, 6], [5, 9, 4]] as const) {
        const inputs = draw(batch * 100 + hidden, steps, batch, hidden, dtype);
        const { hs, h, c } = lstmSequence(inputs.xp, inputs.h0, inputs.c0, inputs.w);
        const [carry, ys] = stepwise(inputs);
        expectClose(hs, ys, tolerance, `hs ${batch}×${hidden}`);
        expectClose(h, carry.h, tolerance, 'final h');
        expectClose(c, carry.c, tolerance, 'final c');
      }
    });
  }

  it('is what recurrent(lstm()) runs when nothing is differentiated, with the same outputs as under grad', () => {
    useBackend(initial);
    const cell = lstm();
    const p = cell.init(key(3), { inputSize: 5, hiddenSize: 6, dtype: 'float64' });
    const x = normal(key(4), [1, 12, 5], { dtype: 'float64' });
    const layer = recurrent(cell);
    const plain = layer(p, x);
    let traced: Tensor | null = null;
    grad((q: typeof p) => {
      traced = layer(q, x).outputs;
      return sum(traced);
    })(p);
    expectClose(plain.outputs, traced!, 1e-12, 'outputs');
  });

  it('refuses traced inputs and shapes that do not fit, naming lstmSequence', () => {
    const inputs = draw(1, 3, 2, 4, 'float64');
    expect(() => lstmSequence(inputs.xp, inputs.h0, inputs.c0, normal(key(9), [16, 5], { dtype: 'float64' }))).toThrow(/lstmSequence: xp \[3, 2, 16\]/);
    expect(() => grad((w: Tensor) => sum(lstmSequence(inputs.xp, inputs.h0, inputs.c0, w).hs))(inputs.w)).toThrow(/lstmSequence: an input is being differentiated/);
  });
});
