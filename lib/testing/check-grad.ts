/**
 * Gradient checking: compares the tape's gradient of a function with central finite
 * differences in float64, element by element, and reports the worst disagreement in
 * words a person can act on (which leaf, which element, both values).
 *
 * @module
 */
import { vjp } from '../autodiff/transforms.js';
import { astype, ones, tensor } from '../tensor/create.js';
import { SeqgradError } from '../tensor/errors.js';
import { key as makeKey, normal, type Key } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { flatten, leaves, mapTree, unflatten } from '../tree/index.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';

/** Options of `checkGrad`. */
export interface CheckGradOptions {
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-6). */
  readonly atol?: number;
  /** Key for the random cotangent that contracts non-scalar outputs (default key(0)). */
  readonly key?: Key;
}

/** The element where analytic and numeric gradients disagree most. */
export interface GradMismatch {
  /** The leaf's path in the argument tree. */
  readonly path: string;
  /** The flat index of the element within the leaf. */
  readonly index: number;
  /** The tape's gradient. */
  readonly analytic: number;
  /** The central finite difference. */
  readonly numeric: number;
  /** |analytic - numeric| / (atol + rtol·|numeric|): above 1 fails. */
  readonly ratio: number;
}

/** The outcome of `checkGrad`. */
export interface GradReport {
  /** True when every element is within tolerance. */
  readonly ok: boolean;
  /** Number of elements compared. */
  readonly checked: number;
  /** The worst element (null when there was nothing to compare). */
  readonly worst: GradMismatch | null;
  /** One line describing the worst element. */
  readonly message: string;
}

/**
 * Checks the gradient of `f` at `x` (a tree of tensors) against central finite
 * differences in float64. A non-scalar output is contracted with a fixed random
 * cotangent, so every output element takes part; a one-element output is checked as is.
 *
 * @example
 * ```ts
 * const w = tensor([[0.5], [-1]]);
 * const report = checkGrad((p) => tanh(matmul(p.x, p.w)), { x: tensor([[1, 2]]), w });
 * if (!report.ok) throw new Error(report.message);
 * ```
 */
export const checkGrad = <T>(f: (x: T) => Tensor, x: T, options: CheckGradOptions = {}): GradReport => {
  if (typeof f !== 'function') throw new SeqgradError('checkGrad', `f must be a function of the tree x, got ${typeof f === 'string' ? JSON.stringify(f) : typeof f}`);
  const { eps = 1e-6, rtol = 1e-5, atol = 1e-6 } = options;
  const x64 = mapTree(x, (t) => astype(t, 'float64'), 'checkGrad');
  const [y, pullback] = vjp(f, x64);
  if (!(y instanceof Tensor)) throw new SeqgradError('checkGrad', `the function must return a tensor, got ${y === null ? 'null' : typeof y}`);
  // A scalar output is checked as it is: a random multiplier would scale the gradient and
  // with it the weight of atol (a draw of 0.02 loosens the check fifty-fold).
  const cot = y.size === 1 ? ones(y.shape, { dtype: 'float64' }) : normal(options.key ?? makeKey(0), y.shape, { dtype: 'float64' });
  const analytic = flatten(pullback(cot));
  const objective = (p: T): number => sum(mul(f(p), cot)).item();
  const base = leaves(x64);
  let worst: GradMismatch | null = null;
  let checked = 0;
  base.forEach((leaf, li) => {
    for (let i = 0; i < leaf.size; i++) {
      const numeric = (objective(perturb(x64, base, li, i, eps)) - objective(perturb(x64, base, li, i, -eps))) / (2 * eps);
      const a = analytic[li]!.leaf.data[i]!;
      const ratio = Math.abs(a - numeric) / (atol + rtol * Math.abs(numeric));
      checked++;
      if (worst === null || !(ratio <= worst.ratio)) worst = { path: analytic[li]!.path, index: i, analytic: a, numeric, ratio };
    }
  });
  const w = worst as GradMismatch | null;
  const ok = w === null || w.ratio <= 1;
  const message = w === null
    ? 'no elements to check'
    : `${ok ? 'ok' : 'gradient mismatch'}: worst at ${w.path}[${w.index}]: analytic ${w.analytic}, numeric ${w.numeric} (error ${(w.ratio).toPrecision(3)}× the tolerance, rtol ${rtol}, atol ${atol}; ${checked} elements)`;
  return { ok, checked, worst: w, message };
};

/** `x` with element `i` of leaf `li` moved by `delta`. */
const perturb = <T>(x: T, base: readonly Tensor[], li: number, i: number, delta: number): T => {
  const moved = base.map((leaf, k) => {
    if (k !== li) return leaf;
    const data = Float64Array.from(leaf.data);
    data[i]! += delta;
    return tensor(data, { shape: leaf.shape });
  });
  return unflatten(x, moved);
};
