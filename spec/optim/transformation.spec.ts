/**
 * The contract: chain composes in order and keeps one state per link, applyUpdates
 * adds leaf by leaf over any tree, identity changes nothing, and state is never
 * changed by an update.
 */
import { describe, expect, it } from 'vitest';
import { SeqgradError, tensor, type Tensor } from '../../lib/index.js';
import { applyUpdates, chain, identity, scale, scaleByAdam, scaleByLearningRate, type GradientTransformation } from '../../lib/optim/index.js';

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64' });
const values = (t: Tensor): number[] => Array.from(t.data);

describe('chain', () => {
  it('runs its links in order: scale(2) then learning rate 0.5 gives -1·g', () => {
    const opt = chain(scale(2), scaleByLearningRate(0.5));
    const [u] = opt.update({ w: f64([1, -3]) }, opt.init({ w: f64([0, 0]) }));
    expect(values(u.w)).toEqual([-1, 3]);
  });

  it('keeps one state per link and threads each one', () => {
    const opt = chain(scale(3), scaleByLearningRate(1), scaleByLearningRate(1));
    const s0 = opt.init(f64([0]));
    expect(s0).toEqual([{}, { count: 0 }, { count: 0 }]);
    const [u, s1] = opt.update(f64([2]), s0);
    expect(values(u)).toEqual([6]); // two sign flips cancel
    expect(s1).toEqual([{}, { count: 1 }, { count: 1 }]);
  });

  it('passes the parameters to every link', () => {
    const seen: unknown[] = [];
    const spy: GradientTransformation<null> = { init: () => null, update: (u, s, p) => { seen.push(p); return [u, s]; } };
    const params = f64([1]);
    const opt = chain(spy, scale(1), spy);
    opt.update(f64([1]), opt.init(params), params);
    expect(seen).toEqual([params, params]);
  });

  it('refuses something that is not a transformation, and a state of the wrong length', () => {
    expect(() => chain(scale(1), {} as never)).toThrow(/chain: argument 1 is not a GradientTransformation/);
    const opt = chain(scale(1), scale(2));
    expect(() => opt.update(f64([1]), [{}] as never)).toThrow(/chain: the state must hold 2 states/);
  });
});

describe('state is immutable', () => {
  it('update returns a new state and leaves the old one, and its tensors, unchanged', () => {
    const opt = chain(scaleByAdam(), scaleByLearningRate(0.1));
    const params = { w: f64([1, 2]) };
    const s0 = opt.init(params);
    const before = JSON.stringify(s0, (_, v) => (v instanceof Float64Array ? Array.from(v) : v));
    const [, s1] = opt.update({ w: f64([0.5, -1]) }, s0, params);
    expect(s1).not.toBe(s0);
    expect(JSON.stringify(s0, (_, v) => (v instanceof Float64Array ? Array.from(v) : v))).toBe(before);
    expect(s0[0].count).toBe(0);
    expect(s1[0].count).toBe(1);
    expect(Object.isFrozen(s1)).toBe(true);
    expect(Object.isFrozen(s1[0])).toBe(true);
  });
});

describe('applyUpdates and identity', () => {
  it('adds updates to parameters leaf by leaf over nested trees', () => {
    const params = { layers: [{ w: f64([1, 2]) }, { w: f64([3]) }], b: f64([0.5]) };
    const updates = { layers: [{ w: f64([0.25, -2]) }, { w: f64([-3]) }], b: f64([0.5]) };
    const next = applyUpdates(params, updates);
    expect(values(next.layers[0]!.w)).toEqual([1.25, 0]);
    expect(values(next.layers[1]!.w)).toEqual([0]);
    expect(values(next.b)).toEqual([1]);
    expect(values(params.layers[0]!.w)).toEqual([1, 2]);
  });

  it('refuses trees of different structure', () => {
    expect(() => applyUpdates({ a: f64([1]) }, { b: f64([1]) } as never)).toThrow(SeqgradError);
    expect(() => applyUpdates({ a: f64([1]) }, { b: f64([1]) } as never)).toThrow(/applyUpdates/);
  });

  it('identity returns the updates unchanged', () => {
    const id = identity();
    const g = { w: f64([1]) };
    const [u, s] = id.update(g, id.init(g));
    expect(u).toBe(g);
    expect(s).toEqual({});
  });
});
