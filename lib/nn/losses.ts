/**
 * Loss functions with PyTorch's semantics, each derived from ops (no VJP of its own,
 * so its gradient is the tape's): cross-entropy from logits and negative
 * log-likelihood from log-probabilities over class ids (class axis last, with
 * `ignoreIndex` and label smoothing), mean squared error, binary cross-entropy from
 * logits, and the Huber loss. Every loss is written in a form that stays finite for
 * extreme inputs (|logit| around 1e4 and beyond): log-softmax subtracts the row
 * maximum and the binary loss goes through a stable softplus. Bad targets (wrong
 * dtype, wrong shape, class ids out of range) are refused naming the loss and shapes.
 *
 * @module
 */
import { add, div, minimum, mul, neg, square, sub } from '../ops/arithmetic.js';
import { where } from '../ops/compare.js';
import { gather } from '../ops/indexing.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { logSoftmax } from '../ops/softmax.js';
import { abs, softplus } from '../ops/unary.js';
import { tensor } from '../tensor/create.js';
import { isFloat } from '../tensor/dtype.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

/** How per-element losses are combined: averaged, summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss takes. */
export interface ReductionOptions {
  /** `mean` (default), `sum`, or `none` (one loss per element, or per target for class losses). */
  readonly reduction?: Reduction;
}

/** Options of `crossEntropy` and `nll`. */
export interface ClassLossOptions extends ReductionOptions {
  /** Targets equal to this id contribute nothing and are not counted by `mean` (default -100, as PyTorch). */
  readonly ignoreIndex?: number;
  /** ε in [0, 1]: the loss becomes (1-ε)·nll + ε·(mean over classes of -log p), as PyTorch (default 0). */
  readonly labelSmoothing?: number;
}

/** Options of `huber`. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  readonly delta?: number;
}

// ---------------------------------------------------------------------------
// class losses
// ---------------------------------------------------------------------------

/**
 * Cross-entropy of `logits` `[..., C]` against int32 class ids `targets` `[...]`, as
 * PyTorch's `cross_entropy` with the class axis last: `mean` averages over the targets
 * that are not `ignoreIndex`. Stable for logits of any magnitude.
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 0, -1], [0.5, 0.5, 3]]);
 * const loss = crossEntropy(logits, tensor([0, 2], { dtype: 'int32' }));
 * const smoothed = crossEntropy(logits, targets, { labelSmoothing: 0.1, ignoreIndex: 0 });
 * ```
 */
export const crossEntropy = (logits: Tensor, targets: Tensor, options: ClassLossOptions = {}): Tensor => {
  expectFloat('crossEntropy', logits, 'logits');
  return classLoss('crossEntropy', logits, (z) => logSoftmax(z, -1), targets, options);
};

/**
 * Negative log-likelihood of log-probabilities `logProbs` `[..., C]` (from
 * `logSoftmax`, say) against int32 class ids `targets` `[...]`, as PyTorch's
 * `nll_loss` with the class axis last. Takes the same options as `crossEntropy`.
 *
 * @example
 * ```ts
 * const loss = nll(logSoftmax(logits), targets, { reduction: 'sum' });
 * ```
 */
export const nll = (logProbs: Tensor, targets: Tensor, options: ClassLossOptions = {}): Tensor => {
  expectFloat('nll', logProbs, 'logProbs');
  return classLoss('nll', logProbs, (x) => x, targets, options);
};

/** The class loss of `scores`, which `toLogProbs` turns into log-probabilities once the targets are checked. */
const classLoss = (op: string, scores: Tensor, toLogProbs: (x: Tensor) => Tensor, targets: Tensor, options: ClassLossOptions): Tensor => {
  const { ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean' } = options;
  checkReduction(op, reduction);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new SeqgradError(op, `labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  }
  const { picks, kept, count } = classPicks(op, scores, targets, ignoreIndex);
  const logProbs = toLogProbs(scores);
  let perTarget = neg(gather(reshape(logProbs, [-1]), picks, 0));
  if (labelSmoothing > 0) {
    const uniform = neg(mean(logProbs, -1));
    perTarget = add(mul(perTarget, 1 - labelSmoothing), mul(uniform, labelSmoothing));
  }
  // `where`, not a multiply by the mask: an ignored row may hold -∞ log-probabilities.
  if (count < targets.size) perTarget = where(kept, perTarget, 0);
  if (reduction === 'none') return perTarget;
  const total = sum(perTarget);
  return reduction === 'sum' ? total : div(total, count);
};

/**
 * Validates class targets and returns the flat index of each target's log-probability
 * (0 for ignored targets, which are masked out), the mask of kept targets, and their count.
 */
const classPicks = (op: string, logProbs: Tensor, targets: Tensor, ignoreIndex: number): { picks: Tensor; kept: Tensor; count: number } => {
  if (!isTensor(targets)) throw new SeqgradError(op, `targets must be a Tensor of int32 class ids, got ${targets === null ? 'null' : typeof targets}`);
  if (logProbs.rank < 1) throw new SeqgradError(op, `${op === 'nll' ? 'logProbs' : 'logits'} must have a class axis (last), got a scalar`);
  const classes = logProbs.shape[logProbs.rank - 1]!;
  const want = logProbs.shape.slice(0, -1);
  if (targets.dtype !== 'int32') {
    throw new SeqgradError(op, `targets must be int32 class ids, got ${targets.dtype} ${showShape(targets.shape)} (make them with tensor(ids, { dtype: 'int32' }))`);
  }
  if (targets.rank !== want.length || targets.shape.some((d, i) => d !== want[i])) {
    throw new SeqgradError(op, `targets have shape ${showShape(targets.shape)} but scores of shape ${showShape(logProbs.shape)} need targets of shape ${showShape(want)} (class axis last)`);
  }
  const picks = new Int32Array(targets.size);
  const kept = new Float64Array(targets.size);
  let count = 0;
  targets.data.forEach((t, i) => {
    if (t === ignoreIndex) return;
    if (!(t >= 0 && t < classes)) {
      throw new SeqgradError(op, `target ${t} at position ${i} is out of range [0, ${classes}) and is not ignoreIndex ${ignoreIndex}; scores have shape ${showShape(logProbs.shape)}`);
    }
    picks[i] = i * classes + t;
    kept[i] = 1;
    count++;
  });
  return {
    picks: tensor(picks, { shape: targets.shape }),
    kept: tensor(kept, { shape: targets.shape, dtype: logProbs.dtype }),
    count,
  };
};

// ---------------------------------------------------------------------------
// elementwise losses
// ---------------------------------------------------------------------------

/**
 * Mean squared error `(input - target)²`, reduced. Shapes must match exactly (no
 * silent broadcasting, which hides bugs in targets).
 *
 * @example
 * ```ts
 * const loss = mse(y, target);                     // y: the prediction; a scalar
 * ```
 */
export const mse = (input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor => {
  checkPair('mse', input, target);
  return reduce('mse', square(sub(input, target)), options.reduction);
};

/**
 * Binary cross-entropy of `logits` against probabilities `targets` (usually 0 or 1),
 * as PyTorch's `binary_cross_entropy_with_logits`, in the stable form
 * `max(z, 0) - z·y + log(1 + e^-|z|)`: finite for any finite logit.
 *
 * @example
 * ```ts
 * const scores = tensor([2.1, -0.3, 0.8]);         // logits
 * const loss = bceWithLogits(scores, tensor([1, 0, 1]));
 * ```
 */
export const bceWithLogits = (logits: Tensor, targets: Tensor, options: ReductionOptions = {}): Tensor => {
  checkPair('bceWithLogits', logits, targets);
  return reduce('bceWithLogits', sub(softplus(logits), mul(logits, targets)), options.reduction);
};

/**
 * The Huber loss of `input - target` = d, as PyTorch's `huber_loss`: `d²/2` where
 * |d| < δ, else `δ·(|d| - δ/2)`.
 *
 * @example
 * ```ts
 * const loss = huber(y, target, { delta: 0.5 });   // y: the prediction
 * ```
 */
export const huber = (input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor => {
  const { delta = 1 } = options;
  checkPair('huber', input, target);
  if (!(delta > 0 && Number.isFinite(delta))) throw new SeqgradError('huber', `delta must be positive and finite, got ${delta}`);
  // With q = min(|d|, δ): q²/2 + δ(|d| - q) is both branches at once, continuous at |d| = δ.
  const a = abs(sub(input, target));
  const q = minimum(a, delta);
  return reduce('huber', add(mul(square(q), 0.5), mul(sub(a, q), delta)), options.reduction);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const reduce = (op: string, perElement: Tensor, reduction: Reduction = 'mean'): Tensor => {
  checkReduction(op, reduction);
  if (reduction === 'none') return perElement;
  return reduction === 'sum' ? sum(perElement) : mean(perElement);
};

const checkReduction = (op: string, reduction: unknown): void => {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new SeqgradError(op, `reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
};

const expectFloat = (op: string, x: unknown, name: string): Tensor => {
  if (!isTensor(x)) throw new SeqgradError(op, `${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloat(x.dtype)) throw new SeqgradError(op, `${name} must be float32 or float64, got ${x.dtype} ${showShape(x.shape)}`);
  return x;
};

const checkPair = (op: string, input: Tensor, target: Tensor): void => {
  expectFloat(op, input, 'input');
  expectFloat(op, target, 'target');
  if (input.rank !== target.rank || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new SeqgradError(op, `input has shape ${showShape(input.shape)} but target has shape ${showShape(target.shape)}; they must match`);
  }
  if (input.dtype !== target.dtype) {
    throw new SeqgradError(op, `input is ${input.dtype} but target is ${target.dtype}; cast one with astype()`);
  }
};
