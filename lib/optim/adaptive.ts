/**
 * Adaptive scalings: Adam's bias-corrected moment ratio, RMSprop's and Adagrad's
 * division by a running root-mean-square. Each matches its PyTorch optimizer's
 * arithmetic (where eps sits, how bias correction is applied, how the accumulators
 * start), so `chain(addL2(wd), scaleByAdam(), scaleByLearningRate(lr))` reproduces
 * `torch.optim.Adam` step for step. The learning rate is not part of these: chain
 * `scaleByLearningRate` after them.
 *
 * @module
 */
import { add, div, mul, square } from '../ops/arithmetic.js';
import { sqrt } from '../ops/unary.js';
import { full, zerosLike } from '../tensor/create.js';
import { mapTree, zipTrees, type Tree } from '../tree/index.js';
import { checkHyper, checkLike, checkNonNegative, type GradientTransformation } from './transformation.js';

/** Options of `scaleByAdam`. */
export interface AdamOptions {
  /** Decay of the first moment (default 0.9). */
  readonly b1?: number;
  /** Decay of the second moment (default 0.999). */
  readonly b2?: number;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  readonly eps?: number;
}

/** State of `scaleByAdam`. */
export interface AdamState {
  /** Updates made so far (the bias correction uses it). */
  readonly count: number;
  /** First moment, shaped like the parameters. */
  readonly mu: Tree;
  /** Second moment, shaped like the parameters. */
  readonly nu: Tree;
}

/** Options of `scaleByRms`. */
export interface RmsOptions {
  /** Decay of the running mean of squares (PyTorch's `alpha`, default 0.99). */
  readonly decay?: number;
  /** Added to the root, outside the square root as PyTorch does (default 1e-8). */
  readonly eps?: number;
}

/** State of `scaleByRms`. */
export interface RmsState {
  /** Running mean of squared gradients, shaped like the parameters. */
  readonly nu: Tree;
}

/** Options of `scaleByAdagrad`. */
export interface AdagradOptions {
  /** Added to the root of the accumulator (default 1e-10, as PyTorch). */
  readonly eps?: number;
  /** Starting value of the accumulator (default 0). */
  readonly initialAccumulatorValue?: number;
}

/** State of `scaleByAdagrad`. */
export interface AdagradState {
  /** Sum of squared gradients so far, shaped like the parameters. */
  readonly sum: Tree;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Adam's scaling: `m = b1·m + (1-b1)·g`, `v = b2·v + (1-b2)·g²`, update
 * `(m / (1 - b1^t)) / (sqrt(v) / sqrt(1 - b2^t) + eps)` at step t = 1, 2, ...
 *
 * @example
 * ```ts
 * const adam = chain(scaleByAdam({ b1: 0.9, b2: 0.98 }), scaleByLearningRate(3e-4));
 * ```
 */
export const scaleByAdam = (options: AdamOptions = {}): GradientTransformation<AdamState> => {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = options;
  const op = 'scaleByAdam';
  checkHyper(op, 'b1', b1, (v) => v >= 0 && v < 1, '[0, 1)');
  checkHyper(op, 'b2', b2, (v) => v >= 0 && v < 1, '[0, 1)');
  checkNonNegative(op, 'eps', eps);
  return {
    init: (params) => Object.freeze({ count: 0, mu: mapTree(params, zerosLike, op) as Tree, nu: mapTree(params, zerosLike, op) as Tree }),
    update: (updates, state) => {
      checkLike(op, 'update', updates, state.mu, 'first moment');
      const count = state.count + 1;
      const mu = zipTrees([updates, state.mu as typeof updates], ([g, m]) => add(mul(m, b1), mul(g, 1 - b1)), op);
      const nu = zipTrees([updates, state.nu as typeof updates], ([g, v]) => add(mul(v, b2), mul(square(g), 1 - b2)), op);
      const unbias1 = 1 / (1 - Math.pow(b1, count));
      const unbias2 = 1 / Math.sqrt(1 - Math.pow(b2, count));
      const out = zipTrees([mu, nu], ([m, v]) => mul(div(m, add(mul(sqrt(v), unbias2), eps)), unbias1), op);
      return [out, Object.freeze({ count, mu: mu as Tree, nu: nu as Tree })];
    },
  };
};

/**
 * RMSprop's scaling: `v = decay·v + (1-decay)·g²`, update `g / (sqrt(v) + eps)` (eps
 * outside the root, as PyTorch; optax puts it inside).
 *
 * @example
 * ```ts
 * const rms = chain(scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3));
 * ```
 */
export const scaleByRms = (options: RmsOptions = {}): GradientTransformation<RmsState> => {
  const { decay = 0.99, eps = 1e-8 } = options;
  const op = 'scaleByRms';
  checkHyper(op, 'decay', decay, (v) => v >= 0 && v <= 1, '[0, 1]');
  checkNonNegative(op, 'eps', eps);
  return {
    init: (params) => Object.freeze({ nu: mapTree(params, zerosLike, op) as Tree }),
    update: (updates, state) => {
      checkLike(op, 'update', updates, state.nu, 'mean of squares');
      const nu = zipTrees([updates, state.nu as typeof updates], ([g, v]) => add(mul(v, decay), mul(square(g), 1 - decay)), op);
      const out = zipTrees([updates, nu], ([g, v]) => div(g, add(sqrt(v), eps)), op);
      return [out, Object.freeze({ nu: nu as Tree })];
    },
  };
};

/**
 * Adagrad's scaling: `s = s + g²`, update `g / (sqrt(s) + eps)`, as PyTorch's Adagrad
 * (its `lr_decay` is a schedule: see `adagrad`).
 *
 * @example
 * ```ts
 * const adagradLike = chain(scaleByAdagrad(), scaleByLearningRate(0.1));
 * ```
 */
export const scaleByAdagrad = (options: AdagradOptions = {}): GradientTransformation<AdagradState> => {
  const { eps = 1e-10, initialAccumulatorValue = 0 } = options;
  const op = 'scaleByAdagrad';
  checkNonNegative(op, 'eps', eps);
  checkNonNegative(op, 'initialAccumulatorValue', initialAccumulatorValue);
  return {
    init: (params) => Object.freeze({ sum: mapTree(params, (p) => full(p.shape, initialAccumulatorValue, { dtype: p.dtype }), op) as Tree }),
    update: (updates, state) => {
      checkLike(op, 'update', updates, state.sum, 'accumulator');
      const sum = zipTrees([updates, state.sum as typeof updates], ([g, s]) => add(s, square(g)), op);
      const out = zipTrees([updates, sum], ([g, s]) => div(g, add(sqrt(s), eps)), op);
      return [out, Object.freeze({ sum: sum as Tree })];
    },
  };
};
