/**
 * The cell contract. A recurrent cell is a plain readonly record of parameters plus
 * three pure functions: `init` makes parameters from a key, `initialCarry` makes the
 * zero state for a batch, and `step` advances one time step. A step never loops: the
 * loop over time is `scan`'s, and its gradient is the tape's.
 *
 * Parameters use PyTorch's names and shapes (`weight_ih` is `[gates·hidden, input]`,
 * applied as `x · weight_ihᵀ`), so a cell's params are a slice of a PyTorch state_dict.
 *
 * @module
 */
import type { Key } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A recurrent cell: `P` its parameter record, `C` its carry (a tensor or a record such
 * as `{ h, c }`), `S` the sizes `init` takes.
 */
export interface Cell<P, C, S> {
  /** A short name used in error messages, e.g. `lstm`. */
  readonly name: string;
  /** Fresh parameters drawn from `key`. */
  readonly init: (key: Key, sizes: S) => P;
  /** The zero carry for `batch` rows, in the parameters' dtype. */
  readonly initialCarry: (params: P, batch: number) => C;
  /** One time step: `x` is `[batch, inputSize]`; returns the next carry and the output `[batch, outputSize]`. */
  readonly step: (params: P, carry: C, x: Tensor) => readonly [C, Tensor];
  /**
   * Optional, for speed: the part of every step that does not depend on the carry (the
   * input projection x·W_ihᵀ + b), applied to a whole time-major sequence
   * `[time, batch, input]` at once — one large matmul instead of one per step — giving
   * `[time, batch, ...]`. `recurrent` then scans `projectedStep` over its result, whose
   * time steps are contiguous blocks. `step(p, c, x)` must equal
   * `projectedStep(p, c, projection of x)`. The layer owns the result: it must be a new
   * array (not `x` or a view of it), and `projectedStep` must not put it, or a view of
   * it, in its carry or output, because after a gradient pass its memory is reused.
   */
  readonly projectInputs?: (params: P, x: Tensor) => Tensor;
  /** The rest of `step`, given one time step `[batch, ...]` of `projectInputs`' result. */
  readonly projectedStep?: (params: P, carry: C, projected: Tensor) => readonly [C, Tensor];
  /**
   * Optional, for inference speed: `projectedStep` over every step of `projectInputs`'
   * result in one kernel call, returning the final carry and the outputs
   * `[time, batch, ...]`, or null where it does not apply. `recurrent` uses it only when
   * nothing is differentiated and no lengths or reverse are asked for; it must equal
   * scanning `projectedStep`.
   */
  readonly projectedSequence?: (params: P, carry: C, projected: Tensor) => readonly [C, Tensor] | null;
}
