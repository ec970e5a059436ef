/**
 * The optimizer contract, after optax: a `GradientTransformation` is a pair of pure
 * functions, `init` (parameters to a fresh state) and `update` (updates, state and
 * optionally parameters to transformed updates and a new state). State is readonly
 * plain data — trees of tensors and numbers such as a step count — so it can be
 * checkpointed, and an update never changes the state it was given. Optimizers are
 * built by `chain`ing small transformations, and `applyUpdates` adds the result to
 * the parameters. Everything works on any parameter tree (see lib/tree).
 *
 * @module
 */
import { add } from '../ops/arithmetic.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { shapesEqual } from '../tensor/shape.js';
import { zipTrees } from '../tree/index.js';

/**
 * A composable gradient transformation with state `S`. (Declared with method syntax so
 * that any transformation is also a `GradientTransformation<unknown>`.)
 *
 * @example
 * ```ts
 * let params = { w: zeros([2, 3]) };
 * declare const grads: typeof params;
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state, params);
 * params = applyUpdates(params, updates);
 * state = next;
 * ```
 */
export interface GradientTransformation<S> {
  /** A fresh state for parameters shaped like `params`. */
  init<T>(params: T): S;
  /**
   * Transforms `updates` (gradients, or the output of the previous transformation)
   * and returns them with the next state; `state` is left unchanged. `params` is
   * needed only by transformations that read the parameters (weight decay).
   */
  update<T>(updates: T, state: S, params?: T): readonly [T, S];
}

/** The state of a transformation that keeps none. */
export type EmptyState = Readonly<Record<string, never>>;

/** The state of a chain: one state per transformation, in order. */
export type ChainState<S extends readonly unknown[]> = { readonly [K in keyof S]: S[K] };

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Runs transformations one after another: each one's output updates are the next
 * one's input. The state is the tuple of their states.
 *
 * @example
 * ```ts
 * const adamw = chain(scaleByAdam({ b1: 0.9 }), addDecayedWeights(0.01), scaleByLearningRate(1e-3));
 * ```
 */
export const chain = <S extends readonly unknown[]>(
  ...transforms: { readonly [K in keyof S]: GradientTransformation<S[K]> }
): GradientTransformation<ChainState<S>> => {
  const list = transforms as readonly GradientTransformation<unknown>[];
  list.forEach((t, i) => {
    if (typeof t?.init !== 'function' || typeof t?.update !== 'function') {
      throw new SeqgradError('chain', `argument ${i} is not a GradientTransformation ({ init, update })`);
    }
  });
  return {
    init: (params) => Object.freeze(list.map((t) => t.init(params))) as unknown as ChainState<S>,
    update: (updates, state, params) => {
      const states = state as readonly unknown[];
      if (!Array.isArray(states) || states.length !== list.length) {
        throw new SeqgradError('chain', `the state must hold ${list.length} states (one per transformation), got ${Array.isArray(states) ? states.length : typeof states}`);
      }
      let u = updates;
      const next = list.map((t, i) => {
        const [out, s] = t.update(u, states[i], params);
        u = out;
        return s;
      });
      return [u, Object.freeze(next) as unknown as ChainState<S>];
    },
  };
};

/**
 * A transformation that changes nothing and keeps no state; useful as a placeholder
 * (no clipping, say) in a chain.
 */
export const identity = (): GradientTransformation<EmptyState> => ({
  init: () => EMPTY_STATE,
  update: (updates, state) => [updates, state],
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * `params + updates`, leaf by leaf; the trees must have the same structure. Updates
 * already carry their sign (the learning-rate step multiplies by `-lr`).
 *
 * @example
 * ```ts
 * declare const params: { w: Tensor }, updates: { w: Tensor };
 * const next = applyUpdates(params, updates);
 * ```
 */
export const applyUpdates = <T>(params: T, updates: T): T => {
  // an update that merely broadcasts ([2, 2, 2] onto [2, 2]) would silently change the parameter's shape
  checkLike('applyUpdates', 'update', updates, params, 'parameter');
  return zipTrees([params, updates], ([p, u]) => add(p, u), 'applyUpdates');
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * Checks that `tree` has exactly the leaves of `like`, matched by path, each of the same
 * shape and dtype; the message names `op`, the leaf and both shapes. Gradients and
 * updates must never broadcast onto a parameter.
 *
 * @internal
 */
export const checkLike = (op: string, what: string, tree: unknown, like: unknown, likeName: string): void => {
  zipTrees([like, tree], ([l, t], path) => {
    if (!shapesEqual(t.shape, l.shape) || t.dtype !== l.dtype) {
      throw new SeqgradError(op, `the ${what} at ${path} is ${t.dtype} ${showShape(t.shape)} but the ${likeName} there is ${l.dtype} ${showShape(l.shape)}; it must match exactly`);
    }
    return l;
  }, op);
};

/** The one empty state, shared by every stateless transformation. @internal */
export const EMPTY_STATE: EmptyState = Object.freeze({});

/** The parameters, or an error naming the transformation that needs them. @internal */
export const requireParams = <T>(op: string, params: T | undefined): T => {
  if (params === undefined || params === null) {
    throw new SeqgradError(op, 'needs the parameters: call update(updates, state, params)');
  }
  return params;
};

/**
 * Checks a hyperparameter with `valid` and names it, its value and `range` otherwise.
 *
 * @internal
 */
export const checkHyper = (op: string, name: string, value: unknown, valid: (v: number) => boolean, range: string): number => {
  if (typeof value !== 'number' || !valid(value)) {
    throw new SeqgradError(op, `${name} must be a number in ${range}, got ${showValue(value)}`);
  }
  return value;
};

/** Checks a finite hyperparameter >= 0 (decays, eps, weight decay, ...). @internal */
export const checkNonNegative = (op: string, name: string, value: unknown): number =>
  checkHyper(op, name, value, (v) => Number.isFinite(v) && v >= 0, '[0, ∞)');

/** Checks a finite hyperparameter of any sign. @internal */
export const checkFinite = (op: string, name: string, value: unknown): number =>
  checkHyper(op, name, value, Number.isFinite, 'the finite numbers');
