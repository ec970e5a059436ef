/**
 * The named optimizers, each a `chain` of the transformations in this folder (as
 * optax's aliases are), with PyTorch's defaults and PyTorch's meaning of every
 * option: `weightDecay` is coupled L2 (added to the gradient) in sgd, adam, rmsprop
 * and adagrad, and decoupled in adamw. `lr` may be a number or a schedule. Only the
 * links an option needs are chained (no momentum link without momentum), so the
 * state holds exactly what the configuration uses.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';
import { recyclingAfter } from '../tensor/pool.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { flattenState } from '../tree/state.js';
import { scaleByAdagrad, scaleByAdam, scaleByRms } from './adaptive.js';
import type { Schedule } from './schedules.js';
import { chain, checkLike, checkNonNegative, type GradientTransformation } from './transformation.js';
import { addDecayedWeights, addL2, scaleByLearningRate, trace } from './transforms.js';

/** The state of a named optimizer: the states of its chain's links, in order. */
export type OptimizerState = readonly unknown[];

/** A learning rate: a number, or a schedule of the step count. */
export type LearningRate = number | Schedule;

/** Options of `sgd`. */
export interface SgdOptions {
  /** Learning rate or schedule (default 1e-3, as PyTorch). */
  readonly lr?: LearningRate;
  /** Momentum μ (default 0: none). */
  readonly momentum?: number;
  /** Nesterov momentum (needs momentum > 0). */
  readonly nesterov?: boolean;
  /** Coupled L2 weight decay (default 0). */
  readonly weightDecay?: number;
}

/** Options of `adam` and `adamw`. */
export interface AdamOptimizerOptions {
  /** Learning rate or schedule (default 1e-3). */
  readonly lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  readonly b1?: number;
  /** Second-moment decay (default 0.999). */
  readonly b2?: number;
  /** Denominator term (default 1e-8). */
  readonly eps?: number;
  /** Weight decay: coupled L2 in `adam` (default 0), decoupled in `adamw` (default 0.01, as PyTorch). */
  readonly weightDecay?: number;
}

/** Options of `rmsprop`. */
export interface RmspropOptions {
  /** Learning rate or schedule (default 1e-2, as PyTorch). */
  readonly lr?: LearningRate;
  /** Decay of the mean of squares (default 0.99). */
  readonly alpha?: number;
  /** Added outside the square root (default 1e-8). */
  readonly eps?: number;
  /** Momentum applied to the scaled gradient (default 0: none). */
  readonly momentum?: number;
  /** Coupled L2 weight decay (default 0). */
  readonly weightDecay?: number;
}

/** Options of `adagrad`. */
export interface AdagradOptimizerOptions {
  /** Learning rate or schedule (default 1e-2, as PyTorch). */
  readonly lr?: LearningRate;
  /** Added to the root of the accumulator (default 1e-10). */
  readonly eps?: number;
  /** The rate at step t is `lr / (1 + t·lrDecay)` (default 0). */
  readonly lrDecay?: number;
  /** Coupled L2 weight decay (default 0). */
  readonly weightDecay?: number;
  /** Starting value of the accumulator (default 0). */
  readonly initialAccumulatorValue?: number;
}

type Link = GradientTransformation<unknown>;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Stochastic gradient descent as `torch.optim.SGD`: L2 decay, then momentum (PyTorch's
 * buffer, or its Nesterov form), then `-lr`.
 *
 * @example
 * ```ts
 * const opt = sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
 * ```
 */
export const sgd = (options: SgdOptions = {}): GradientTransformation<OptimizerState> => {
  const { lr = 1e-3, momentum = 0, nesterov = false, weightDecay = 0 } = options;
  checkNonNegative('sgd', 'momentum', momentum);
  if (nesterov && momentum <= 0) throw new SeqgradError('sgd', 'nesterov needs momentum > 0');
  return links('sgd', decay(weightDecay), momentum > 0 ? trace({ decay: momentum, nesterov }) : null, scaleByLearningRate(lr));
};

/**
 * Adam as `torch.optim.Adam`, whose `weightDecay` is L2 added to the gradient.
 *
 * @example
 * ```ts
 * const opt = adam({ lr: 1e-3 });
 * ```
 */
export const adam = (options: AdamOptimizerOptions = {}): GradientTransformation<OptimizerState> => {
  const { lr = 1e-3, b1, b2, eps, weightDecay = 0 } = options;
  return links('adam', decay(weightDecay), scaleByAdam({ b1, b2, eps }), scaleByLearningRate(lr));
};

/**
 * AdamW as `torch.optim.AdamW`: decoupled weight decay, `p -= lr·wd·p`, beside the
 * Adam step.
 *
 * @example
 * ```ts
 * const opt = adamw({ lr: cosineWarmup({ peak: 1e-3, warmupSteps: 100, totalSteps: 5000 }), weightDecay: 0.1 });
 * ```
 */
export const adamw = (options: AdamOptimizerOptions = {}): GradientTransformation<OptimizerState> => {
  const { lr = 1e-3, b1, b2, eps, weightDecay = 0.01 } = options;
  const decoupled = weightDecay === 0 ? null : addDecayedWeights(weightDecay);
  return links('adamw', scaleByAdam({ b1, b2, eps }), decoupled, scaleByLearningRate(lr));
};

/**
 * RMSprop as `torch.optim.RMSprop` (not centered): L2 decay, `g / (sqrt(v) + eps)`,
 * optional momentum, then `-lr`.
 *
 * @example
 * ```ts
 * const opt = rmsprop({ lr: 1e-3, alpha: 0.9, momentum: 0.9 });
 * ```
 */
export const rmsprop = (options: RmspropOptions = {}): GradientTransformation<OptimizerState> => {
  const { lr = 1e-2, alpha, eps, momentum = 0, weightDecay = 0 } = options;
  checkNonNegative('rmsprop', 'momentum', momentum);
  const withMomentum = momentum > 0 ? trace({ decay: momentum }) : null;
  return links('rmsprop', decay(weightDecay), scaleByRms({ decay: alpha, eps }), withMomentum, scaleByLearningRate(lr));
};

/**
 * Adagrad as `torch.optim.Adagrad`: L2 decay, `g / (sqrt(Σg²) + eps)`, then
 * `-lr / (1 + t·lrDecay)` at step t = 0, 1, ...
 *
 * @example
 * ```ts
 * const opt = adagrad({ lr: 0.1, lrDecay: 1e-4 });
 * ```
 */
export const adagrad = (options: AdagradOptimizerOptions = {}): GradientTransformation<OptimizerState> => {
  const { lr = 1e-2, eps, lrDecay = 0, weightDecay = 0, initialAccumulatorValue } = options;
  checkNonNegative('adagrad', 'lrDecay', lrDecay);
  const rate = (step: number): number => (typeof lr === 'number' ? lr : lr(step)) / (1 + step * lrDecay);
  const scheduled = lrDecay === 0 ? lr : rate;
  return links('adagrad', decay(weightDecay), scaleByAdagrad({ eps, initialAccumulatorValue }), scaleByLearningRate(scheduled));
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * Chains the links that are present. Gradients are checked against the parameters
 * (when given) before any link runs, so a misshapen gradient is named by the
 * optimizer and leaf instead of surfacing as a broadcast error deep inside a link.
 */
const links = (name: string, ...parts: readonly (Link | null)[]): GradientTransformation<OptimizerState> => {
  const chained = chain(...parts.filter((p): p is Link => p !== null)) as GradientTransformation<OptimizerState>;
  return {
    init: (params) => chained.init(params),
    update: (updates, state, params) => {
      if (params !== undefined && params !== null) checkLike(name, 'gradient', updates, params, 'parameter');
      // seqgrad's own transformations are pure: nothing they allocate outlives the update
      // but its result, so the rest (m̂, v̂, √v̂ + ε, ... parameter-sized) goes back to the
      // pool for the next step's allocations (tensor/pool.ts)
      return recyclingAfter(() => chained.update(updates, state, params), (result) => tensorsOf(result).map((t) => t.data));
    },
  };
};

/** Every tensor in a tree that may also hold numbers (an optimizer's state). */
const tensorsOf = (tree: unknown): Tensor[] =>
  flattenState(tree, 'optimizer').map((p) => p.leaf).filter((leaf): leaf is Tensor => isTensor(leaf));

const decay = (weightDecay: number): Link | null => (weightDecay === 0 ? null : addL2(weightDecay));
