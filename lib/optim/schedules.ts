/**
 * Learning-rate schedules: plain functions from the step count (0 for the first
 * update) to a value, so any function of the step is a schedule too. The built-in
 * ones follow PyTorch's schedulers where one exists (StepLR, ExponentialLR) and optax's
 * warmup-cosine, whose total length includes the warmup.
 *
 * @module
 */
import { SeqgradError, showValue } from '../tensor/errors.js';
import { checkFinite, checkHyper, checkNonNegative } from './transformation.js';

/** A function from the number of updates already made (0, 1, 2, ...) to a value such as the learning rate. */
export type Schedule = (step: number) => number;

/** Options of `stepDecay`. */
export interface StepDecayOptions {
  /** The value at step 0. */
  readonly init: number;
  /** Steps between decays (PyTorch's `step_size`). */
  readonly stepSize: number;
  /** The factor applied at each decay (default 0.1, as PyTorch). */
  readonly gamma?: number;
}

/** Options of `exponential`. */
export interface ExponentialOptions {
  /** The value at step 0. */
  readonly init: number;
  /** The factor applied at every step. */
  readonly gamma: number;
}

/** Options of `cosineWarmup`. */
export interface CosineWarmupOptions {
  /** The value at step 0, where the linear warmup starts (default 0). */
  readonly init?: number;
  /** The value reached at the end of the warmup. */
  readonly peak: number;
  /** Length of the linear warmup (0 for none). */
  readonly warmupSteps: number;
  /** Length of the whole schedule, warmup included; from then on the value stays `final`. */
  readonly totalSteps: number;
  /** The value at the end of the cosine decay (default 0). */
  readonly final?: number;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * The same value at every step.
 *
 * @example
 * ```ts
 * constant(1e-3)(1000);   // 1e-3
 * ```
 */
export const constant = (value: number): Schedule => {
  checkFinite('constant', 'value', value);
  return () => value;
};

/**
 * `init · gamma^floor(step / stepSize)`, as PyTorch's StepLR.
 *
 * @example
 * ```ts
 * const lr = stepDecay({ init: 0.1, stepSize: 30, gamma: 0.1 });
 * lr(29); // 0.1
 * lr(30); // 0.01
 * ```
 */
export const stepDecay = ({ init, stepSize, gamma = 0.1 }: StepDecayOptions): Schedule => {
  checkFinite('stepDecay', 'init', init);
  checkHyper('stepDecay', 'stepSize', stepSize, (v) => Number.isInteger(v) && v > 0, 'the positive integers');
  checkNonNegative('stepDecay', 'gamma', gamma);
  return (step) => init * Math.pow(gamma, Math.floor(checkStep('stepDecay', step) / stepSize));
};

/**
 * `init · gamma^step`, as PyTorch's ExponentialLR.
 *
 * @example
 * ```ts
 * exponential({ init: 1, gamma: 0.5 })(3);   // 0.125
 * ```
 */
export const exponential = ({ init, gamma }: ExponentialOptions): Schedule => {
  checkFinite('exponential', 'init', init);
  checkNonNegative('exponential', 'gamma', gamma);
  return (step) => init * Math.pow(gamma, checkStep('exponential', step));
};

/**
 * A linear warmup from `init` to `peak` over `warmupSteps`, then a half-cosine from
 * `peak` down to `final` at `totalSteps` (which counts the warmup), then `final`.
 *
 * @example
 * ```ts
 * const lr = cosineWarmup({ peak: 1e-3, warmupSteps: 100, totalSteps: 1000 });
 * lr(50);    // 5e-4, halfway up
 * lr(550);   // 5e-4, halfway down
 * lr(1000);  // 0
 * ```
 */
export const cosineWarmup = (options: CosineWarmupOptions): Schedule => {
  const op = 'cosineWarmup';
  if (typeof options !== 'object' || options === null) throw new SeqgradError(op, `options must be { peak, warmupSteps, totalSteps }, got ${showValue(options)}`);
  const { init = 0, peak, warmupSteps, totalSteps, final = 0 } = options;
  for (const [name, v] of [['init', init], ['peak', peak], ['final', final]] as const) checkFinite(op, name, v);
  checkHyper(op, 'warmupSteps', warmupSteps, (v) => Number.isInteger(v) && v >= 0, 'the integers >= 0');
  // totalSteps 0 would give `final` (0 by default) from the first step: a run that never learns
  checkHyper(op, 'totalSteps', totalSteps, (v) => Number.isInteger(v) && v >= Math.max(1, warmupSteps), `the integers >= max(1, warmupSteps) (${Math.max(1, warmupSteps)})`);
  const decaySteps = totalSteps - warmupSteps;
  return (step) => {
    const s = checkStep(op, step);
    if (s < warmupSteps) return init + ((peak - init) * s) / warmupSteps;
    if (s >= totalSteps) return final;
    const progress = (s - warmupSteps) / decaySteps;
    return final + ((peak - final) * (1 + Math.cos(Math.PI * progress))) / 2;
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkStep = (op: string, step: number): number => {
  if (!Number.isInteger(step) || step < 0) throw new SeqgradError(op, `step must be an integer >= 0, got ${step}`);
  return step;
};
