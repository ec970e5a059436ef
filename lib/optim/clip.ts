/**
 * Gradient clipping as transformations, with PyTorch's arithmetic: clipping by the
 * global L2 norm over every leaf of the tree (`clip_grad_norm_`, including its 1e-6
 * in the denominator) and clipping each element to a range (`clip_grad_value_`).
 * `globalNorm` is also exported on its own for logging gradient norms.
 *
 * @module
 */
import { clip, mul } from '../ops/arithmetic.js';
import { leaves, mapTree } from '../tree/index.js';
import { checkHyper, EMPTY_STATE, type EmptyState, type GradientTransformation } from './transformation.js';

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * The L2 norm of all the tree's elements taken together, `sqrt(Σ_leaves Σ x²)`, as a
 * plain number (accumulated in float64; not differentiable — it is for clipping and
 * logging).
 *
 * @example
 * ```ts
 * globalNorm({ a: tensor([3]), b: tensor([4]) });   // 5
 * ```
 */
export const globalNorm = (tree: unknown): number => {
  let squares = 0;
  for (const leaf of leaves(tree, 'globalNorm')) {
    const data = leaf.data;
    for (let i = 0; i < data.length; i++) squares += data[i]! * data[i]!;
  }
  return Math.sqrt(squares);
};

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Scales all updates by `maxNorm / (norm + 1e-6)` when that factor is below 1, where
 * `norm` is their global norm — PyTorch's `clip_grad_norm_`. Updates whose norm is
 * not finite pass through unchanged (they already hold the non-finite values).
 *
 * @example
 * ```ts
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * ```
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> => {
  checkHyper('clipByGlobalNorm', 'maxNorm', maxNorm, (v) => v > 0, '(0, ∞]');
  return {
    init: () => EMPTY_STATE,
    update: (updates, state) => {
      const factor = maxNorm / (globalNorm(updates) + 1e-6);
      return [factor < 1 ? mapTree(updates, (u) => mul(u, factor), 'clipByGlobalNorm') : updates, state];
    },
  };
};

/**
 * Limits every element of the updates to `[-maxValue, maxValue]` — PyTorch's
 * `clip_grad_value_`.
 *
 * @example
 * ```ts
 * const opt = chain(clipByValue(0.5), scaleByLearningRate(0.1));
 * ```
 */
export const clipByValue = (maxValue: number): GradientTransformation<EmptyState> => {
  checkHyper('clipByValue', 'maxValue', maxValue, (v) => v >= 0, '[0, ∞]');
  return {
    init: () => EMPTY_STATE,
    update: (updates, state) => [mapTree(updates, (u) => clip(u, -maxValue, maxValue), 'clipByValue'), state],
  };
};
