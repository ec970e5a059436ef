/**
 * scale, scaleByLearningRate (numbers and schedules), addL2 and addDecayedWeights, and
 * trace (PyTorch's momentum buffer and its Nesterov form), each against steps
 * computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { SeqgradError, tensor, type Tensor } from '../../lib/index.js';
import { addDecayedWeights, addL2, scale, scaleByLearningRate, trace } from '../../lib/optim/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64' });

describe('scale and scaleByLearningRate', () => {
  it('scale multiplies every leaf', () => {
    const t = scale(-0.5);
    const [u] = t.update({ a: f64([2, 4]), b: [f64([-1])] }, t.init(null));
    expectClose(u.a, f64([-1, -2]), 0);
    expectClose(u.b[0]!, f64([0.5]), 0);
  });

  it('multiplies by -lr for a number', () => {
    const t = scaleByLearningRate(0.1);
    const [u, s] = t.update(f64([1, -2]), t.init(null));
    expectClose(u, f64([-0.1, 0.2]), 0);
    expect(s.count).toBe(1);
  });

  it('calls a schedule with the number of updates already made (0 first)', () => {
    const steps: number[] = [];
    const t = scaleByLearningRate((step) => { steps.push(step); return 1 / (step + 1); });
    let s = t.init(null);
    const out: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [u, next] = t.update(f64([6]), s);
      out.push(u.item());
      s = next;
    }
    expect(steps).toEqual([0, 1, 2]);
    expect(out).toEqual([-6, -3, -2]);
  });

  it('refuses a negative rate and a schedule that returns NaN', () => {
    expect(() => scaleByLearningRate(-1)).toThrow(/scaleByLearningRate: lr must be a number in \[0, ∞\), got -1/);
    const t = scaleByLearningRate(() => NaN);
    expect(() => t.update(f64([1]), t.init(null))).toThrow(/the schedule gave NaN at step 0/);
    expect(() => scale(Infinity)).toThrow(SeqgradError);
  });
});

describe('weight decay', () => {
  const g = { w: f64([1, -1]) };
  const p = { w: f64([2, 10]) };

  it('addL2 and addDecayedWeights add wd·p to the update', () => {
    for (const t of [addL2(0.1), addDecayedWeights(0.1)]) {
      const [u] = t.update(g, t.init(p), p);
      expectClose(u.w, f64([1.2, 0]), 1e-15);
    }
  });

  it('needs the parameters, and refuses a negative decay', () => {
    const t = addL2(0.1);
    expect(() => t.update(g, t.init(p))).toThrow(/addL2: needs the parameters/);
    expect(() => addDecayedWeights(-1)).toThrow(/addDecayedWeights: weightDecay must be/);
  });

  it('with weightDecay 0 passes updates through without reading parameters', () => {
    const t = addL2(0);
    expect(t.update(g, t.init(p))[0]).toBe(g);
  });
});

describe('trace (momentum)', () => {
  const grads = [f64([1, 2]), f64([3, -1]), f64([0, 0.5])];
  const run = (nesterov: boolean): Tensor[] => {
    const t = trace({ decay: 0.5, nesterov });
    let s = t.init(f64([0, 0]));
    return grads.map((g) => {
      const [u, next] = t.update(g, s);
      s = next;
      return u;
    });
  };

  it('accumulates buf = μ·buf + g, starting with buf = g (PyTorch SGD)', () => {
    // buf1 = [1, 2]; buf2 = [0.5 + 3, 1 - 1] = [3.5, 0]; buf3 = [1.75, 0.5]
    const u = run(false);
    expectClose(u[0]!, f64([1, 2]), 0);
    expectClose(u[1]!, f64([3.5, 0]), 0);
    expectClose(u[2]!, f64([1.75, 0.5]), 0);
  });

  it('uses g + μ·buf with nesterov', () => {
    // [1 + 0.5, 2 + 1], [3 + 1.75, -1 + 0], [0 + 0.875, 0.5 + 0.25]
    const u = run(true);
    expectClose(u[0]!, f64([1.5, 3]), 0);
    expectClose(u[1]!, f64([4.75, -1]), 0);
    expectClose(u[2]!, f64([0.875, 0.75]), 0);
  });

  it('keeps the buffer in its state, shaped like the parameters', () => {
    const t = trace();
    const s = t.init({ a: f64([5, 5, 5]) });
    expectClose((s.trace as { a: Tensor }).a, f64([0, 0, 0]), 0);
    expect(() => t.update({ b: f64([1]) }, s)).toThrow(/trace/);
    expect(() => trace({ decay: -0.1 })).toThrow(/trace: decay must be/);
  });
});
