/**
 * The split policy: a size class is first tried split, then alone; from then on the
 * faster way is taken, except every 32nd call, which tries the other; it follows a
 * change (the split way turning slower); size classes are powers of two of the work.
 */
import { describe, expect, it } from 'vitest';
import { SplitPolicy } from '../../../lib/kernels/wasm/split-policy.js';

/** Runs `calls` products of `work` through the policy, timing split ones `splitMs` and others `aloneMs`. */
const run = (policy: SplitPolicy, work: number, calls: number, splitMs: number, aloneMs: number): boolean[] =>
  Array.from({ length: calls }, () => {
    const split = policy.shouldSplit(work);
    policy.record(work, split, split ? splitMs : aloneMs);
    return split;
  });

describe('SplitPolicy', () => {
  it('tries split, then alone, then keeps the faster way, exploring every 32nd call', () => {
    const policy = new SplitPolicy();
    const choices = run(policy, 1 << 20, 64, 1, 2);
    expect(choices.slice(0, 2)).toEqual([true, false]);
    // calls 3..64 split (faster) except calls 32 and 64, which try alone
    expect(choices.slice(2).filter((s) => !s)).toHaveLength(2);
    expect(choices[31]).toBe(false);
    expect(choices[63]).toBe(false);
  });

  it('works alone where splitting measures slower, and follows a change', () => {
    const policy = new SplitPolicy();
    const first = run(policy, 1 << 20, 40, 3, 2);
    expect(first.slice(2).filter((s) => s)).toHaveLength(1);
    // the helpers get faster (the other process has finished): the explored calls see it
    const later = run(policy, 1 << 20, 200, 0.5, 2);
    // the last 20 calls split, but for the one exploration among them (call 224)
    expect(later.slice(-20).filter((s) => !s)).toHaveLength(1);
  });

  it('keeps separate classes for different sizes', () => {
    const policy = new SplitPolicy();
    run(policy, 1 << 20, 10, 1, 2);
    run(policy, 1 << 24, 10, 64, 32);
    expect(policy.shouldSplit(1 << 20)).toBe(true);
    expect(policy.shouldSplit(1 << 24)).toBe(false);
  });
});
