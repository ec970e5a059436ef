/**
 * Schedules against values computed by hand: constant, stepDecay (StepLR),
 * exponential (ExponentialLR) and cosineWarmup (linear warmup, half-cosine decay,
 * total length including the warmup), and their argument checks.
 */
import { describe, expect, it } from 'vitest';
import { constant, cosineWarmup, exponential, stepDecay } from '../../lib/optim/index.js';

describe('schedules', () => {
  it('constant', () => {
    expect([0, 1, 1e6].map(constant(0.3))).toEqual([0.3, 0.3, 0.3]);
  });

  it('stepDecay multiplies by gamma every stepSize steps', () => {
    const lr = stepDecay({ init: 1, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map(lr)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
    expect(stepDecay({ init: 2, stepSize: 1 })(2)).toBeCloseTo(0.02, 15);
  });

  it('exponential multiplies by gamma every step', () => {
    expect([0, 1, 3].map(exponential({ init: 2, gamma: 0.5 }))).toEqual([2, 1, 0.25]);
  });

  it('cosineWarmup rises linearly, then falls along a half cosine to final, then stays', () => {
    const lr = cosineWarmup({ peak: 1, warmupSteps: 4, totalSteps: 10, final: 0.1 });
    expect([0, 1, 2, 4].map(lr)).toEqual([0, 0.25, 0.5, 1]);
    // decay over 6 steps: at step 7 the cosine is halfway: 0.1 + 0.9 · (1 + cos(π/2)) / 2
    expect(lr(7)).toBeCloseTo(0.55, 15);
    expect(lr(5)).toBeCloseTo(0.1 + 0.9 * (1 + Math.cos(Math.PI / 6)) / 2, 15);
    expect([10, 11, 100].map(lr)).toEqual([0.1, 0.1, 0.1]);
    const fromInit = cosineWarmup({ init: 0.2, peak: 1, warmupSteps: 2, totalSteps: 2 });
    [0.2, 0.6, 0, 0].forEach((want, step) => expect(fromInit(step)).toBeCloseTo(want, 15));
    expect(cosineWarmup({ peak: 2, warmupSteps: 0, totalSteps: 2 })(0)).toBe(2);
  });

  it('refuses bad arguments and bad steps, naming the schedule', () => {
    expect(() => stepDecay({ init: 1, stepSize: 0 })).toThrow(/stepDecay: stepSize must be a number in the positive integers, got 0/);
    expect(() => exponential({ init: 1, gamma: -1 })).toThrow(/exponential: gamma/);
    expect(() => cosineWarmup({ peak: 1, warmupSteps: 5, totalSteps: 4 })).toThrow(/cosineWarmup: totalSteps/);
    expect(() => constant(NaN)).toThrow(/constant: value/);
    expect(() => stepDecay({ init: 1, stepSize: 2 })(-1)).toThrow(/stepDecay: step must be an integer >= 0, got -1/);
    expect(() => cosineWarmup({ peak: 1, warmupSteps: 1, totalSteps: 4 })(0.5)).toThrow(/cosineWarmup: step/);
  });
});
