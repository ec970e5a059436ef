/**
 * `recurrent(cell)`: a cell lifted to a sequence layer by `scan`. The layer takes
 * `x [batch, time, input]` and returns every step's output `[batch, time, output]` and
 * the final carry; gradients through time come from the tape, not from a hand-written
 * backward pass. The sequence-layer contract defined here is what `bidirectional` and
 * `stacked` consume and produce, so combinators nest freely.
 *
 * @module
 */
import { passOwned } from '../autodiff/pass-owned.js';
import { concat, permute, reshape, slice } from '../ops/shape.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { toLengths, type Lengths } from '../tensor/lengths.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { flatten } from '../tree/index.js';
import type { Cell } from './cell.js';
import { scanLazily } from './scan.js';

/** Options of a sequence layer call. */
export interface SequenceOptions<C> {
  /** The carry at the first step (default: the cell's zero state). */
  readonly initialCarry?: C;
  /** Valid length of each batch row, in [1, time], as numbers or an int32 tensor (packed-sequence semantics; default: all full). */
  readonly lengths?: Lengths;
  /** Run from each row's last valid step back to the first (outputs stay in time order). */
  readonly reverse?: boolean;
}

/** What a sequence layer returns. */
export interface SequenceOutput<C> {
  /** Every step's output `[batch, time, output]`, zero past each row's length. */
  readonly outputs: Tensor;
  /** The final carry (taken at each row's last valid step). */
  readonly carry: C;
}

/**
 * A sequence layer: params, `x [batch, time, input]` and options to outputs and carry.
 * `recurrent`, `bidirectional` and `stacked` all make one.
 *
 * @example
 * ```ts
 * const params = gru().init(key(0), { inputSize: 3, hiddenSize: 4 });
 * const layer: SequenceLayer<RecurrentParams, Tensor> = recurrent(gru());
 * const { outputs, carry } = layer(params, x, { lengths: [3, 1], reverse: true });
 * ```
 */
export type SequenceLayer<P, C> = (params: P, x: Tensor, options?: SequenceOptions<C>) => SequenceOutput<C>;

/**
 * Lifts a cell to a sequence layer over `scan`.
 *
 * @example
 * ```ts
 * const cell = lstm();
 * const p = cell.init(key(0), { inputSize: 3, hiddenSize: 4, dtype: 'float64' });
 * const layer = recurrent(cell);
 * const { outputs, carry } = layer(p, x, { lengths: [5, 2] });   // x: [2, 5, 3]
 * // outputs: [2, 5, 4], zero past each length; carry.h: [2, 4] at each row's last step
 * ```
 */
export const recurrent = <P, C, S>(cell: Cell<P, C, S>): SequenceLayer<P, C> => {
  if (typeof cell?.step !== 'function' || typeof cell?.initialCarry !== 'function') {
    throw new SeqgradError('recurrent', `cell must be a recurrent cell { init, initialCarry, step }, e.g. lstm(), got ${showValue(cell)}`);
  }
  const op = `recurrent(${cell.name})`;
  return (params, x, options = {}) => {
    checkSequence(op, x, options.lengths);
    const batch = x.shape[0]!;
    const zero = cell.initialCarry(params, batch);
    const init = options.initialCarry === undefined ? zero : checkCarry(op, options.initialCarry, zero, x);
    const scanOptions = { reverse: options.reverse ?? false, lengths: options.lengths };
    const { projectInputs, projectedStep } = cell;
    if (projectInputs && projectedStep) {
      // the input projection does not depend on the carry: large products outside the
      // loop, time-major so each step's slice of them is a contiguous view, not a copy
      const step = (c: C, xpt: Tensor): readonly [C, Tensor] => projectedStep(params, c, xpt);
      if (!scanOptions.reverse && scanOptions.lengths === undefined) {
        // nothing to differentiate: the whole recurrence in one kernel call
        if (cell.projectedSequence && untraced([params, init, x])) {
          const oneCall = cell.projectedSequence(params, init, projectInputs(params, swapBatchTime(x)));
          if (oneCall) return { outputs: swapBatchTime(oneCall[1]), carry: oneCall[0] };
        }
        return inBlocks((xb) => projectInputs(params, xb), step, init, x);
      }
      const scanned = scanLazily(step, init, passOwned(projectInputs(params, swapBatchTime(x))), { ...scanOptions, axis: 0 });
      return lazyOutputs(scanned.carry, () => swapBatchTime(scanned.outputs()));
    }
    const scanned = scanLazily((c: C, xt: Tensor) => cell.step(params, c, xt), init, x, scanOptions);
    return lazyOutputs(scanned.carry, scanned.outputs);
  };
};

/**
 * Elements of a block of projected inputs: 150,000 floats, 600 KB (a dozen steps of W1-W3).
 * A block's projection is one product and one tape node for all its steps, and both it
 * and its cotangent go back to the pool after a gradient pass (the projection is the
 * layer's own, see passOwned), so a training loop reuses their memory instead of
 * faulting in fresh pages (arrays of 128 KB and more are mapped fresh on every
 * allocation, and each 4 KB page faults on first touch: 7-18 µs on the VM the benchmarks
 * run on). Blocks of a fixed size rather than the whole sequence keep the arrays the same
 * size whatever the sequence's length, so batches of other lengths reuse them too.
 */
const BLOCK_ELEMENTS = 150_000;

/**
 * Projects and scans `x` [batch, time, ...] a block of steps at a time, each block's
 * projection under BLOCK_ELEMENTS: the first block is one step, which gives the
 * projection's width, and sizes the rest. The products and the scan are the same as
 * over the whole sequence at once, in pieces.
 */
const inBlocks = <C>(
  project: (xb: Tensor) => Tensor, step: (c: C, xpt: Tensor) => readonly [C, Tensor], init: C, x: Tensor,
): { readonly outputs: Tensor; readonly carry: C } => {
  const steps = x.shape[1]!;
  const outputs: (() => Tensor)[] = [];
  let carry = init;
  let block = 1;
  for (let t = 0; t < steps;) {
    const count = Math.min(block, steps - t);
    // the layer owns each block's projection: no caller can hold it, so its memory goes
    // back to the pool when a gradient pass ends (autodiff/pass-owned.ts)
    const xp = passOwned(project(timeBlock(x, t, count)));
    const scanned = scanLazily(step, carry, xp, { axis: 0 }, t);
    carry = scanned.carry;
    outputs.push(scanned.outputs);
    t += count;
    block = Math.max(1, Math.floor(BLOCK_ELEMENTS / (xp.size / count)));
  }
  return lazyOutputs(carry, () => swapBatchTime(outputs.length === 1 ? outputs[0]!() : concat(outputs.map((o) => o()), 0)));
};

/**
 * Steps `first .. first + count - 1` of `x` [batch, time, ...], time-major. Cut from
 * the batch-major input a block at a time rather than transposing the whole input
 * first: a block of one step (W1-W3's sizes) is then one small copy and a reshape,
 * and no sequence-sized array is allocated on every call.
 */
const timeBlock = (x: Tensor, first: number, count: number): Tensor =>
  swapBatchTime(slice(x, x.shape.map((_, i) => (i === 1 ? first : 0)), x.shape.map((d, i) => (i === 1 ? count : d))));

/**
 * A layer's result whose `outputs` are stacked on first read and then kept: a caller
 * that reads only the final carry pays for no `[batch, time, hidden]` stack and no
 * transpose of it, forward or backward.
 */
const lazyOutputs = <C>(carry: C, stack: () => Tensor): { readonly outputs: Tensor; readonly carry: C } => {
  let outputs: Tensor | undefined;
  return {
    carry,
    get outputs(): Tensor {
      outputs ??= stack();
      return outputs;
    },
  };
};

/** True when no tensor of `tree` is being differentiated. */
const untraced = (tree: unknown): boolean => flatten(tree, 'recurrent').every(({ leaf }) => leaf.node === null);

/** [a, b, ...] to [b, a, ...]: a reshape when either extent is 1 (the layout is the same), else a permute. */
const swapBatchTime = (x: Tensor): Tensor => {
  const [a, b, ...rest] = x.shape as [number, number, ...number[]];
  return a === 1 || b === 1 ? reshape(x, [b, a, ...rest]) : permute(x, [1, 0, ...rest.map((_, i) => i + 2)]);
};

// ---------------------------------------------------------------------------
// checks shared by the combinators
// ---------------------------------------------------------------------------

/**
 * Checks `x` is `[batch, time, features]` and `lengths` one integer in [1, time] per row.
 *
 * @internal
 */
export const checkSequence = (op: string, x: Tensor, given: Lengths | undefined): void => {
  if (!isTensor(x) || x.rank !== 3 || x.size === 0) {
    throw new SeqgradError(op, `x must be a non-empty [batch, time, features] tensor, got ${isTensor(x) ? `shape ${showShape(x.shape)}` : typeof x}`);
  }
  const lengths = toLengths(op, given);
  if (lengths === undefined) return;
  const [batch, time] = x.shape as [number, number, number];
  if (!Array.isArray(lengths) || lengths.length !== batch) {
    throw new SeqgradError(op, `lengths has ${Array.isArray(lengths) ? lengths.length : typeof lengths} entries but x ${showShape(x.shape)} has ${batch} rows`);
  }
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > time) {
      throw new SeqgradError(op, `lengths[${b}] = ${n} is out of range: x ${showShape(x.shape)} has ${time} steps, so each length must be an integer in [1, ${time}]`);
    }
  });
};

/** Checks a given initial carry against the zero carry's structure and shapes. */
const checkCarry = <C>(op: string, given: C, zero: C, x: Tensor): C => {
  const want = flatten(zero, op);
  let got;
  try {
    got = flatten(given, op);
  } catch {
    got = null;
  }
  const describe = (leaves: { path: string; leaf: Tensor }[]): string =>
    leaves.map((l) => `${l.path === '(root)' ? 'h' : l.path} ${showShape(l.leaf.shape)}`).join(', ');
  const same = got !== null && got.length === want.length && got.every((g, i) =>
    g.path === want[i]!.path && g.leaf.rank === want[i]!.leaf.rank && g.leaf.shape.every((d, k) => d === want[i]!.leaf.shape[k]));
  if (!same) {
    throw new SeqgradError(op, `initialCarry is ${got ? describe(got) : 'not a tree of tensors'} but x ${showShape(x.shape)} needs ${describe(want)}`);
  }
  return given;
};
