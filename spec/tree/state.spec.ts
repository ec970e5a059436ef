/**
 * Optimizer-state trees: paths identical to lib/tree's on tensor-only trees, numbers
 * as leaves, rebuilding from a template, and refusal of any other leaf by path.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { flatten, scalar, SeqgradError, zeros, type Tensor } from '../../lib/index.js';
import { flattenState, unflattenState } from '../../lib/tree/state.js';

/** Random nested records/arrays/nulls over tensor leaves. */
const { tree: tensorTreeArb } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.nat(3).map((n) => zeros([n])),
    fc.constant(null),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }).filter((k) => k !== '__proto__'), tie('tree'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));

describe('flattenState', () => {
  it('names tensor leaves exactly as lib/tree does', () => {
    fc.assert(
      fc.property(tensorTreeArb, (tree) => {
        const ours = flattenState(tree);
        const theirs = flatten(tree);
        expect(ours.map((p) => p.path)).toEqual(theirs.map((p) => p.path));
        ours.forEach((p, i) => expect(p.leaf).toBe(theirs[i]!.leaf));
      }),
    );
  });

  it('keeps numbers as leaves with their paths', () => {
    const mu = zeros([2]);
    const state = [{ count: 3, mu: { w: mu, b: null } }, {}, { count: 0 }];
    expect(flattenState(state)).toEqual([
      { path: '[0].count', leaf: 3 },
      { path: '[0].mu.w', leaf: mu },
      { path: '[2].count', leaf: 0 },
    ]);
    expect(flattenState(7)).toEqual([{ path: '(root)', leaf: 7 }]);
  });

  it('refuses strings, booleans and class instances, naming the path', () => {
    expect(() => flattenState({ a: [zeros([1]), 'adam'] }, 'saveCheckpoint')).toThrow(
      new SeqgradError('saveCheckpoint', 'leaf at a[1] is a string; optimizer state holds only tensors, numbers, arrays, plain records and null'),
    );
    expect(() => flattenState({ flag: true })).toThrow(/leaf at flag is a boolean/);
    expect(() => flattenState({ when: new Date(0) })).toThrow(/leaf at when is a Date/);
  });
});

describe('unflattenState', () => {
  it('rebuilds the template with new leaves, numbers included', () => {
    const template = { count: 0, mu: [zeros([1]), null], nu: undefined };
    const w: Tensor = scalar(5);
    const rebuilt = unflattenState(template, [4, w]);
    expect(rebuilt).toEqual({ count: 4, mu: [w, null], nu: undefined });
    expect(rebuilt.mu[0]).toBe(w);
    expect(template.count).toBe(0);
  });

  it('refuses too few or too many values', () => {
    expect(() => unflattenState({ a: 1, b: 2 }, [1])).toThrow(/more leaves in the template than the 1 values given/);
    expect(() => unflattenState({ a: 1 }, [1, 2])).toThrow(/the template has 1 leaves, got 2 values/);
  });
});
