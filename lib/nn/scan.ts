/**
 * `scan`: runs a step function over the time axis of a sequence, threading a carry.
 * Every recurrent model is a pure cell plus this loop, and because each step is made
 * of recorded primitives, the tape derives backpropagation through time by itself.
 *
 * Contract: `f(carry, x_t) => [carry, y_t]`; carries, inputs and outputs may be trees.
 * Sequences are batch-first (`[batch, time, ...]`, time on axis 1) unless `axis` says
 * otherwise, and carries have batch on axis 0. `reverse` runs from the last step to the
 * first (flip, scan, flip). With `lengths`, row b stops at its own length: its carry
 * freezes there, its outputs past the end are zero, and a reverse pass starts at its
 * last valid step — PyTorch's packed-sequence semantics. Time-major inputs
 * (`[time, batch, ...]`, `axis: 0`) take lengths too: a time step of them is one
 * contiguous block, which slice hands over without a copy.
 *
 * @module
 */
import { where } from '../ops/compare.js';
import { gather } from '../ops/indexing.js';
import { row } from '../ops/row.js';
import { reshape, slice, squeeze, stack } from '../ops/shape.js';
import { tensor } from '../tensor/create.js';
import { recordingStep } from '../autodiff/nan-check.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { toLengths, type Lengths } from '../tensor/lengths.js';
import { normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { flatten, mapTree, zipTrees } from '../tree/index.js';

/** Options of `scan`. */
export interface ScanOptions {
  /** Run from the last step to the first (outputs stay in input order). */
  readonly reverse?: boolean;
  /**
   * Valid length of each batch row: numbers or an int32 tensor. Batch is axis 0 of every
   * carry and output leaf, and of the inputs unless they are time-major (`axis: 0`,
   * batch on axis 1).
   */
  readonly lengths?: Lengths;
  /** The time axis of the inputs and outputs (default 1: `[batch, time, ...]`). */
  readonly axis?: number;
}

/**
 * Scans `f` over the time axis of `xs`, returning the final carry and the stacked
 * outputs.
 *
 * @example
 * ```ts
 * declare const Wx: Tensor, Wh: Tensor;   // [features, hidden], [hidden, hidden]
 * // an Elman RNN over x: [batch, time, features]
 * const [hT, hs] = scan((h, xt) => {
 *   const hNext = tanh(add(matmul(xt, Wx), matmul(h, Wh)));
 *   return [hNext, hNext];
 * }, h0, x);
 * ```
 */
export const scan = <C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X,
  options: ScanOptions = {},
): [C, Y] => {
  const { carry, outputs } = scanLazily(f, init, xs, options);
  return [carry, outputs()];
};

/**
 * `scan` with the outputs stacked only when asked for: a layer whose caller reads just
 * the final carry (a classifier) then builds no `[time, batch, ...]` stack at all.
 * `firstStep` numbers the steps in errors and NaN reports when `xs` is a block of a
 * longer sequence.
 *
 * @internal
 */
export const scanLazily = <C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X,
  options: ScanOptions = {},
  firstStep = 0,
): { readonly carry: C; readonly outputs: () => Y } => {
  if (typeof f !== 'function') throw new SeqgradError('scan', `argument f must be a step function (carry, x) => [carry, y], got ${showValue(f)}`);
  const inputs = flatten(xs, 'scan');
  if (inputs.length === 0) throw new SeqgradError('scan', 'xs holds no tensors');
  const axis = normalizeAxis('scan', options.axis ?? 1, inputs[0]!.leaf.rank);
  const steps = timeSteps(inputs.map((p) => p.leaf), axis);
  const given = toLengths('scan', options.lengths);
  const lengths = given ? checkLengths(given, inputs[0]!.leaf.shape[axis === 0 ? 1 : 0]!, steps, axis) : null;
  const ordered = options.reverse && lengths ? mapTree(xs, (x) => reverseValid(x, lengths, axis)) : xs;
  const order = Array.from({ length: steps }, (_, t) => (options.reverse && !lengths ? steps - 1 - t : t));
  const minLength = lengths ? Math.min(...lengths) : steps;
  let carry = init;
  const ys = new Array<Y>(steps);
  for (const t of order) {
    const xt = isTensor(ordered) ? stepOf(ordered, axis, t) as X : mapTree(ordered, (x) => stepOf(x, axis, t));
    const [next, y] = stepped<C, Y>(recordingStep(`scan step ${firstStep + t}`, () => f(carry, xt)), carry, firstStep + t);
    // rows past their length keep their carry and emit zeros; skip the masking while every row is live
    const live = lengths && t >= minLength ? rowMask(lengths, t) : null;
    carry = live ? zipTrees([next, carry], ([n, c]) => where(broadcastRows(live, n), n, c), 'scan') : next;
    ys[t] = live ? mapTree(y, (v) => where(broadcastRows(live, v), v, 0)) : y;
  }
  let stacked: Y | undefined;
  const outputs = (): Y => {
    if (stacked === undefined) {
      const all = zipTrees(ys, (parts) => stack(parts, axis), 'scan');
      stacked = options.reverse && lengths ? mapTree(all, (y) => reverseValid(y, lengths, axis)) : all;
    }
    return stacked;
  };
  return { carry, outputs };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * The step's [carry, y] pair, after checking it is one and that the carry kept every
 * leaf's shape and dtype: a carry that grows ([2, 3] → [2, 18]) would otherwise run on
 * and give a result of no recurrent model.
 */
const stepped = <C, Y>(out: unknown, carry: C, t: number): readonly [C, Y] => {
  if (!Array.isArray(out) || out.length !== 2) {
    throw new SeqgradError('scan', `step ${t}: f must return a [carry, y] pair, got ${showValue(out)}`);
  }
  if (sameLeaves(carry, out[0])) return out as unknown as readonly [C, Y];
  // something differs: the path-matching zip finds it and names it
  zipTrees([carry, out[0] as C], ([before, after], path) => {
    if (!shapesEqual(before.shape, after.shape) || before.dtype !== after.dtype) {
      throw new SeqgradError('scan', `step ${t}: the carry at ${path} changed from ${before.dtype} ${showShape(before.shape)} to ${after.dtype} ${showShape(after.shape)}; a carry keeps its shape and dtype`);
    }
    return before;
  }, 'scan');
  return out as unknown as readonly [C, Y];
};

/**
 * Same structure (keys in the same order), each leaf of the same shape and dtype: the
 * common case, checked at every step without walking paths or building a tree.
 */
const sameLeaves = (a: unknown, b: unknown): boolean => {
  if (isTensor(a) || isTensor(b)) return isTensor(a) && isTensor(b) && a.dtype === b.dtype && shapesEqual(a.shape, b.shape);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameLeaves(v, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return a === b;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  return keys.length === other.length
    && keys.every((k, i) => k === other[i] && sameLeaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

/** Time step t of x along `axis`, without that axis. */
const stepOf = (x: Tensor, axis: number, t: number): Tensor =>
  axis === 0 ? row(x, t) : squeeze(slice(x, begin(x, axis, t), size(x, axis)), axis);

const begin = (x: Tensor, axis: number, t: number): number[] => x.shape.map((_, i) => (i === axis ? t : 0));
const size = (x: Tensor, axis: number): number[] => x.shape.map((d, i) => (i === axis ? 1 : d));

const timeSteps = (xs: readonly Tensor[], axis: number): number => {
  const steps = xs[0]!.shape[axis]!;
  xs.forEach((x, i) => {
    if (x.rank <= axis || x.shape[axis] !== steps) {
      throw new SeqgradError('scan', `input ${i} has shape ${showShape(x.shape)} but input 0 has ${steps} steps on axis ${axis}`);
    }
  });
  if (steps === 0) throw new SeqgradError('scan', `the inputs have no time steps (axis ${axis} has extent 0)`);
  return steps;
};

const checkLengths = (lengths: readonly number[], batch: number, steps: number, axis: number): readonly number[] => {
  if (axis > 1) throw new SeqgradError('scan', `lengths need the inputs as [batch, time, ...] or [time, batch, ...], but time is axis ${axis}`);
  if (lengths.length !== batch) {
    throw new SeqgradError('scan', `lengths has ${lengths.length} entries but the batch has ${batch} rows`);
  }
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > steps) {
      throw new SeqgradError('scan', `lengths[${b}] = ${n} must be an integer in [1, ${steps}]`);
    }
  });
  return lengths;
};

/** 1 for rows still inside their length at step t, else 0 (float, shape [batch]). */
const rowMask = (lengths: readonly number[], t: number): Tensor =>
  tensor(lengths.map((n) => (t < n ? 1 : 0)), { dtype: 'float32' });

/** The row mask reshaped to broadcast against `like` (batch on axis 0). */
const broadcastRows = (mask: Tensor, like: Tensor): Tensor => {
  if (like.rank === 0 || like.shape[0] !== mask.size) {
    throw new SeqgradError('scan', `with lengths, every carry and output needs batch (${mask.size}) on axis 0, got shape ${showShape(like.shape)}`);
  }
  return reshape(mask, [mask.size, ...like.shape.slice(1).map(() => 1)]);
};

/**
 * Reverses each row's first lengths[b] steps along `axis` (time: 1 for [batch, time, ...],
 * 0 for [time, batch, ...]), leaving the padding in place (an involution).
 */
const reverseValid = (x: Tensor, lengths: readonly number[], axis: number): Tensor => {
  const timeMajor = axis === 0;
  const rows = x.shape[timeMajor ? 1 : 0]!;
  const steps = x.shape[axis]!;
  const at = (b: number, t: number): number => (timeMajor ? t * rows + b : b * steps + t);
  const index = new Int32Array(rows * steps);
  for (let b = 0; b < rows; b++) {
    for (let t = 0; t < steps; t++) index[at(b, t)] = at(b, t < lengths[b]! ? lengths[b]! - 1 - t : t);
  }
  const flat = reshape(x, [rows * steps, ...x.shape.slice(2)]);
  return reshape(gather(flat, tensor(index, { dtype: 'int32' }), 0), x.shape);
};
