/**
 * `bidirectional(layer, merge)`: runs a sequence layer forward and, with its own
 * parameters, backward over the same input, then merges the two output sequences
 * step by step. It is length-aware: with `lengths`, the backward direction starts at
 * each row's last valid step, and both directions emit zeros past the end, so every
 * merge keeps the padding zero. The result is itself a sequence layer.
 *
 * @module
 */
import { add, mul } from '../ops/arithmetic.js';
import { concat } from '../ops/shape.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkSequence, type SequenceLayer } from './recurrent.js';

/**
 * How the two directions' outputs combine: concatenated features, or elementwise sum, mean or product.
 *
 * @example
 * ```ts
 * const summed = bidirectional(recurrent(lstm()), 'sum');   // outputs keep the hidden width
 * ```
 */
export type Merge = 'concat' | 'sum' | 'mean' | 'mul';

/** One value per direction: parameters or carries of a bidirectional layer. */
export interface Directions<T> {
  /** The forward direction (first step to last). */
  readonly forward: T;
  /** The backward direction (last valid step to first). */
  readonly backward: T;
}

/**
 * A bidirectional layer. Params and carries are `{ forward, backward }`; the final
 * backward carry is the one after step 0, as in PyTorch.
 *
 * @example
 * ```ts
 * const cell = gru();
 * const layer = bidirectional(recurrent(cell), 'concat');
 * const [kf, kb] = splitKey(key(0));
 * const sizes = { inputSize: 3, hiddenSize: 4 };
 * const p = { forward: cell.init(kf, sizes), backward: cell.init(kb, sizes) };
 * const { outputs, carry } = layer(p, x, { lengths });   // outputs: [batch, time, 8]
 * ```
 */
export const bidirectional = <P, C>(layer: SequenceLayer<P, C>, merge: Merge = 'concat'): SequenceLayer<Directions<P>, Directions<C>> => {
  if (typeof layer !== 'function') throw new SeqgradError('bidirectional', `layer must be a sequence layer (a function), e.g. recurrent(gru()), got ${showValue(layer)}`);
  if (!MERGES.includes(merge)) {
    throw new SeqgradError('bidirectional', `merge must be one of ${MERGES.join(', ')}, got ${JSON.stringify(merge)}`);
  }
  return (params, x, options = {}) => {
    if (options.reverse) throw new SeqgradError('bidirectional', 'reverse has no meaning for a layer that already runs both ways');
    if (!isDirections(params)) throw new SeqgradError('bidirectional', 'params must be a record { forward, backward }');
    const { lengths, initialCarry } = options;
    checkSequence('bidirectional', x, lengths);
    // without this, a carry that is not per direction would silently start both from zero
    if (initialCarry !== undefined && !isDirections(initialCarry)) {
      throw new SeqgradError('bidirectional', 'initialCarry must be a record { forward, backward }, one carry per direction');
    }
    const fwd = layer(params.forward, x, { lengths, initialCarry: initialCarry?.forward });
    const bwd = layer(params.backward, x, { lengths, initialCarry: initialCarry?.backward, reverse: true });
    return { outputs: combine(merge, fwd.outputs, bwd.outputs), carry: { forward: fwd.carry, backward: bwd.carry } };
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const MERGES: readonly Merge[] = ['concat', 'sum', 'mean', 'mul'];

const isDirections = (v: unknown): v is Directions<unknown> =>
  typeof v === 'object' && v !== null && 'forward' in v && 'backward' in v;

const combine = (merge: Merge, f: Tensor, b: Tensor): Tensor => {
  switch (merge) {
    case 'concat': return concat([f, b], -1);
    case 'sum': return add(f, b);
    case 'mean': return mul(add(f, b), 0.5);
    case 'mul': return mul(f, b);
  }
};
