/**
 * The simple transformations optimizers are chained from: constant scaling, the
 * learning-rate step (which also flips the sign, so updates are added to parameters),
 * momentum (`trace`, PyTorch's SGD buffer and its Nesterov form), and the two kinds of
 * weight decay — coupled L2 added to the gradient (PyTorch's `weight_decay` in SGD,
 * Adam, RMSprop, Adagrad) and decoupled decay added after the adaptive scaling
 * (AdamW). Each update is a handful of whole-tensor ops per leaf.
 *
 * @module
 */
import { add, mul } from '../ops/arithmetic.js';
import { zerosLike } from '../tensor/create.js';
import { SeqgradError } from '../tensor/errors.js';
import { mapTree, zipTrees, type Tree } from '../tree/index.js';
import type { Schedule } from './schedules.js';
import { checkFinite, checkLike, checkNonNegative, EMPTY_STATE, type EmptyState, type GradientTransformation, requireParams } from './transformation.js';

/** State of transformations that only count steps. */
export interface CountState {
  /** Updates made so far. */
  readonly count: number;
}

/** State of `trace`. */
export interface TraceState {
  /** The momentum buffer, shaped like the parameters. */
  readonly trace: Tree;
}

/** Options of `trace`. */
export interface TraceOptions {
  /** The momentum μ: `buf = μ·buf + g` (default 0.9). */
  readonly decay?: number;
  /** Use the Nesterov form `g + μ·buf` as the update (default false). */
  readonly nesterov?: boolean;
}

// ---------------------------------------------------------------------------
// stateless transformations
// ---------------------------------------------------------------------------

/**
 * Multiplies every update by `factor`.
 *
 * @example
 * ```ts
 * const halve = scale(0.5);
 * ```
 */
export const scale = (factor: number): GradientTransformation<EmptyState> => {
  checkFinite('scale', 'factor', factor);
  return { init: () => EMPTY_STATE, update: (updates, state) => [mapTree(updates, (u) => mul(u, factor), 'scale'), state] };
};

/**
 * Adds `weightDecay · p` to each update, where `p` is the parameter (decoupled weight
 * decay, placed after the adaptive scaling as in AdamW; the learning-rate step then
 * multiplies it by `-lr`, so `p -= lr·wd·p` as PyTorch). Needs the parameters.
 *
 * @example
 * ```ts
 * const adamw = chain(scaleByAdam(), addDecayedWeights(0.01), scaleByLearningRate(1e-3));
 * ```
 */
export const addDecayedWeights = (weightDecay: number): GradientTransformation<EmptyState> =>
  weightTerm('addDecayedWeights', weightDecay);

/**
 * Adds `weightDecay · p` to the gradient before anything else: L2 regularization, as the
 * `weight_decay` of PyTorch's SGD, Adam, RMSprop and Adagrad. Needs the parameters.
 *
 * @example
 * ```ts
 * const adamL2 = chain(addL2(1e-4), scaleByAdam(), scaleByLearningRate(1e-3));
 * ```
 */
export const addL2 = (weightDecay: number): GradientTransformation<EmptyState> => weightTerm('addL2', weightDecay);

const weightTerm = (op: string, weightDecay: number): GradientTransformation<EmptyState> => {
  checkNonNegative(op, 'weightDecay', weightDecay);
  return {
    init: () => EMPTY_STATE,
    update: (updates, state, params) => {
      if (weightDecay === 0) return [updates, state];
      const p = requireParams(op, params);
      checkLike(op, 'update', updates, p, 'parameter');
      return [zipTrees([updates, p], ([u, w]) => add(u, mul(w, weightDecay)), op), state];
    },
  };
};

// ---------------------------------------------------------------------------
// stateful transformations
// ---------------------------------------------------------------------------

/**
 * Multiplies updates by `-lr` (a number) or `-lr(step)` (a schedule, called with the
 * number of updates made before this one). The usual last link of a chain.
 *
 * @example
 * ```ts
 * const sgd = chain(scaleByLearningRate(cosineWarmup({ peak: 0.1, warmupSteps: 10, totalSteps: 100 })));
 * ```
 */
export const scaleByLearningRate = (lr: number | Schedule): GradientTransformation<CountState> => {
  if (typeof lr !== 'function') checkNonNegative('scaleByLearningRate', 'lr', lr);
  return {
    init: () => Object.freeze({ count: 0 }),
    update: (updates, state) => {
      const rate = typeof lr === 'number' ? lr : lr(state.count);
      if (!Number.isFinite(rate)) throw new SeqgradError('scaleByLearningRate', `the schedule gave ${rate} at step ${state.count}`);
      return [mapTree(updates, (u) => mul(u, -rate), 'scaleByLearningRate'), Object.freeze({ count: state.count + 1 })];
    },
  };
};

/**
 * Momentum as PyTorch's SGD: `buf = μ·buf + g` (starting from zeros, so the first
 * buffer is `g`), and the update is `buf`, or `g + μ·buf` with `nesterov`.
 *
 * @example
 * ```ts
 * const momentum = chain(trace({ decay: 0.9, nesterov: true }), scaleByLearningRate(0.1));
 * ```
 */
export const trace = (options: TraceOptions = {}): GradientTransformation<TraceState> => {
  const { decay = 0.9, nesterov = false } = options;
  checkNonNegative('trace', 'decay', decay);
  return {
    init: (params) => Object.freeze({ trace: mapTree(params, zerosLike, 'trace') as Tree }),
    update: (updates, state) => {
      checkLike('trace', 'update', updates, state.trace, 'momentum buffer');
      const buf = zipTrees([updates, state.trace as typeof updates], ([g, b]) => add(mul(b, decay), g), 'trace');
      const out = nesterov ? zipTrees([updates, buf], ([g, b]) => add(g, mul(b, decay)), 'trace') : buf;
      return [out, Object.freeze({ trace: buf as Tree })];
    },
  };
};
