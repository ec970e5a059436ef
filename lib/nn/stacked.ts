/**
 * `stacked(layers, { dropout })`: a deep recurrent network, each layer reading the
 * previous one's output sequence. Between layers (never after the last, as in
 * PyTorch) inverted dropout may be applied; it needs an explicit key and is on only
 * when the call says `train: true`, so evaluation is the plain composition. The
 * result is a sequence layer whose params and carries are arrays, one entry per layer.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';
import { splitKey, type Key } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout as dropoutLayer } from './layers/dropout.js';
import { checkSequence, type SequenceLayer, type SequenceOptions, type SequenceOutput } from './recurrent.js';

/** Options of `stacked`. */
export interface StackedOptions {
  /** Probability of dropping each element of a layer's output before the next layer, in [0, 1) (default 0). */
  readonly dropout?: number;
}

/**
 * Options of a stacked layer's call: a sequence layer's, plus training.
 *
 * @example
 * ```ts
 * const deep = stacked([recurrent(gru()), recurrent(gru())], { dropout: 0.2 });
 * const params = [gru().init(key(0), { inputSize: 3, hiddenSize: 4 }), gru().init(key(1), { inputSize: 4, hiddenSize: 4 })];
 * deep(params, x, { lengths, train: true, key: stepKey });   // training step
 * deep(params, x, { lengths });                              // evaluation
 * ```
 */
export interface StackedCallOptions<C> extends SequenceOptions<readonly C[]> {
  /** Apply dropout between layers (default false: evaluation). */
  readonly train?: boolean;
  /** The key the dropout masks are drawn from; required when `train` is true and the dropout rate is above 0. */
  readonly key?: Key;
}

/** A stacked layer: a sequence layer over arrays of params and carries, with training options. */
export type StackedLayer<P, C> = (params: readonly P[], x: Tensor, options?: StackedCallOptions<C>) => SequenceOutput<readonly C[]>;

/**
 * Stacks sequence layers into a deep network.
 *
 * @example
 * ```ts
 * const cell = lstm();
 * const deep = stacked([recurrent(cell), recurrent(cell)], { dropout: 0.2 });
 * const [k0, k1, kd] = splitKey(key(0), 3);
 * const p = [cell.init(k0, { inputSize: 3, hiddenSize: 8 }), cell.init(k1, { inputSize: 8, hiddenSize: 8 })];
 * const train = deep(p, x, { train: true, key: kd });   // dropout between the two layers
 * const evaluate = deep(p, x);                           // no dropout
 * ```
 */
export const stacked = <P, C>(layers: readonly SequenceLayer<P, C>[], options: StackedOptions = {}): StackedLayer<P, C> => {
  const rate = options.dropout ?? 0;
  if (!Array.isArray(layers) || layers.length === 0) throw new SeqgradError('stacked', 'needs a non-empty array of layers');
  if (!(rate >= 0 && rate < 1)) throw new SeqgradError('stacked', `dropout must lie in [0, 1), got ${rate}`);
  return (params, x, call = {}) => {
    checkCall(layers.length, rate, params, call);
    checkSequence('stacked', x, call.lengths);
    const training = call.train === true && rate > 0;
    const keys = training ? splitKey(call.key!, layers.length) : [];
    const carries: C[] = [];
    let h = x;
    layers.forEach((layer, l) => {
      if (training && l > 0) h = dropoutLayer(h, { rate, key: keys[l]!, train: true });
      const out = layer(params[l]!, h, { lengths: call.lengths, reverse: call.reverse, initialCarry: call.initialCarry?.[l] });
      carries.push(out.carry);
      h = out.outputs;
    });
    return { outputs: h, carry: carries };
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkCall = <P, C>(depth: number, rate: number, params: readonly P[], call: StackedCallOptions<C>): void => {
  if (!Array.isArray(params) || params.length !== depth) {
    throw new SeqgradError('stacked', `params must be an array of ${depth} layers' params, got ${Array.isArray(params) ? `${params.length} entries` : typeof params}`);
  }
  if (call.initialCarry !== undefined && (!Array.isArray(call.initialCarry) || call.initialCarry.length !== depth)) {
    throw new SeqgradError('stacked', `initialCarry must be an array of ${depth} carries, one per layer`);
  }
  if (call.train === true && rate > 0 && call.key === undefined) {
    throw new SeqgradError('stacked', 'train: true needs a key for the dropout masks ({ train: true, key })');
  }
};
