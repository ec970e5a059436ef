/**
 * The split policy: a size class alternates split and alone until each has three
 * timings; then the way with the faster best recent timing is taken, except every 16th
 * call, which tries the other; one slow run does not decide; it follows a lasting
 * change; size classes are powers of two of the work.
 */
import { describe, expect, it } from 'vitest';
import { SplitPolicy } from '../../../lib/kernels/wasm/split-policy.js';

/** Runs `calls` products of `work` through the policy, timing split ones `splitMs()` and others `aloneMs`. */
const run = (policy: SplitPolicy, work: number, calls: number, splitMs: number | (() => number), aloneMs: number): boolean[] =>
  Array.from({ length: calls }, () => {
    const split = policy.shouldSplit(work);
    policy.record(work, split, split ? (typeof splitMs === 'number' ? splitMs : splitMs()) : aloneMs);
    return split;
  });

describe('SplitPolicy', () => {
  it('alternates for the first six calls, then keeps the faster way, exploring every 16th call', () => {
    const policy = new SplitPolicy();
    const choices = run(policy, 1 << 20, 64, 1, 2);
    expect(choices.slice(0, 6)).toEqual([true, false, true, false, true, false]);
    const alone = choices.map((s, i) => (s ? -1 : i + 1)).filter((i) => i > 6);
    expect(alone).toEqual([16, 32, 48, 64]);
  });

  it('works alone where splitting measures slower', () => {
    const policy = new SplitPolicy();
    const choices = run(policy, 1 << 20, 40, 3, 2);
    expect(choices.slice(6).filter((s) => s)).toEqual([true, true]);
  });

  it('is not swayed by one slow run, and follows a lasting change', () => {
    const policy = new SplitPolicy();
    let n = 0;
    // the first split run is slow (a worker warming up), the rest fast
    const first = run(policy, 1 << 20, 20, () => (n++ === 0 ? 50 : 1), 2);
    expect(first.slice(6).filter((s) => !s)).toHaveLength(1);
    // then another process takes the second core: splitting turns slow for good
    const later = run(policy, 1 << 20, 100, 5, 2);
    expect(later.slice(-20).filter((s) => s)).toHaveLength(1);
  });

  it('keeps separate classes for different sizes', () => {
    const policy = new SplitPolicy();
    run(policy, 1 << 20, 10, 1, 2);
    run(policy, 1 << 24, 10, 64, 32);
    expect(policy.shouldSplit(1 << 20)).toBe(true);
    expect(policy.shouldSplit(1 << 24)).toBe(false);
  });
});
