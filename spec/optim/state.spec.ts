/**
 * Optimizer state as named tensors: the names, numbers as float64 scalars, an exact
 * round trip, a resumed run equal to an uninterrupted one, and refusals naming the
 * tensor when a saved state does not fit the template.
 */
import { describe, expect, it } from 'vitest';
import { scalar, tensor, type Tensor } from '../../lib/index.js';
import { adam, applyUpdates, chain, clipByGlobalNorm, scaleByLearningRate, sgd, stateFromTensors, stateToTensors, trace } from '../../lib/optim/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64' });
const params = { layers: [{ w: f64([1, 2]) }], b: f64([0.5]) };
const gradAt = (k: number) => ({ layers: [{ w: f64([Math.sin(k), Math.cos(k)]) }], b: f64([0.1 * k - 0.3]) });

describe('stateToTensors', () => {
  it('names every tensor and number by its dotted path; numbers become float64 scalars', () => {
    const opt = adam({ lr: 1e-3, weightDecay: 0.1 });
    const named = stateToTensors(opt.update(gradAt(1), opt.init(params), params)[1]);
    expect(Object.keys(named).sort()).toEqual(['1.count', '1.mu.b', '1.mu.layers.0.w', '1.nu.b', '1.nu.layers.0.w', '2.count']);
    expect(named['1.count']!.dtype).toBe('float64');
    expect(named['1.count']!.shape).toEqual([]);
    expect(named['1.count']!.item()).toBe(1);
    expect(named['1.mu.layers.0.w']!.shape).toEqual([2]);
  });

  it('refuses values that are not state', () => {
    expect(() => stateToTensors({ when: new Date() })).toThrow(/stateToTensors: the state holds a object at when/);
    expect(() => stateToTensors({ 'a.b': f64([1]), a: { b: f64([2]) } })).toThrow(/both named "a.b"/);
  });
});

describe('stateFromTensors', () => {
  const opt = chain(clipByGlobalNorm(1), trace({ decay: 0.9 }), decayingRate());

  it('round-trips exactly', () => {
    const [, state] = opt.update(gradAt(2), opt.init(params), params);
    const back = stateFromTensors(opt.init(params), stateToTensors(state));
    expect(back[2].count).toBe(1);
    expectClose((back[1].trace as typeof params).layers[0]!.w, (state[1].trace as typeof params).layers[0]!.w, 0);
  });

  it('resumes: 3 steps, save, restore, 2 more equals 5 uninterrupted steps exactly', () => {
    const o = adam({ lr: 0.05, weightDecay: 0.01 });
    const steps = (p: typeof params, s: ReturnType<typeof o.init>, from: number, to: number): [typeof params, ReturnType<typeof o.init>] => {
      for (let k = from; k < to; k++) {
        const [u, next] = o.update(gradAt(k), s, p);
        p = applyUpdates(p, u);
        s = next;
      }
      return [p, s];
    };
    const [straight] = steps(params, o.init(params), 0, 5);
    const [mid, saved] = steps(params, o.init(params), 0, 3);
    const restored = stateFromTensors(o.init(params), stateToTensors(saved));
    const [resumed] = steps(mid, restored, 3, 5);
    expectClose(resumed.layers[0]!.w, straight.layers[0]!.w, 0);
    expectClose(resumed.b, straight.b, 0);
  });

  it('refuses a missing, misshapen, mistyped or unknown tensor, naming it', () => {
    const template = sgd({ lr: 0.1, momentum: 0.9 }).init(params);
    const good = stateToTensors(template);
    const without = Object.fromEntries(Object.entries(good).filter(([k]) => k !== '0.trace.b'));
    expect(() => stateFromTensors(template, without)).toThrow(/stateFromTensors: missing tensor "0.trace.b" \(the template has float64 \[1\]\)/);
    expect(() => stateFromTensors(template, { ...good, '0.trace.b': f64([1, 2]) })).toThrow(/tensor "0.trace.b" is float64 \[2\] but the template has float64 \[1\]/);
    expect(() => stateFromTensors(template, { ...good, '0.trace.b': tensor([1]) })).toThrow(/is float32 \[1\]/);
    expect(() => stateFromTensors(template, { ...good, '1.count': f64([1, 2]) })).toThrow(/"1.count" holds a number and must have one element/);
    expect(() => stateFromTensors(template, { ...good, extra: scalar(1) })).toThrow(/tensors not in the template's state: "extra"/);
  });
});

/** A stateful link with a count, to cover numbers inside chained state. */
function decayingRate() {
  return scaleByLearningRate((step) => 1 / (step + 1));
}
