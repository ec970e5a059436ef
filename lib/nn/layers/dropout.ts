/**
 * Inverted dropout from an explicit key: while training, each element is kept with
 * probability 1 - rate and the kept ones are scaled by 1/(1 - rate), so the expected
 * value is unchanged and evaluation is simply the identity. The mask comes from
 * `bernoulli(key, ...)`, so the same key drops the same elements on every run.
 *
 * @module
 */
import { mul } from '../../ops/arithmetic.js';
import { isFloat } from '../../tensor/dtype.js';
import { SeqgradError, showShape } from '../../tensor/errors.js';
import { bernoulli, checkKey, type Key } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Probability of dropping each element, in [0, 1]. */
  readonly rate: number;
  /** The key the mask is drawn from (required while training). */
  readonly key?: Key;
  /** Drop only while training; when false (the default) dropout is the identity. */
  readonly train?: boolean;
}

/**
 * Inverted dropout: `x · mask / (1 - rate)` while training, `x` otherwise.
 *
 * @example
 * ```ts
 * const [k] = splitKey(key(7));
 * const h2 = dropout(h, { rate: 0.3, key: k, train: true });
 * const same = dropout(h, { rate: 0.3 });   // evaluation: h itself
 * ```
 */
export const dropout = (x: Tensor, options: DropoutOptions): Tensor => {
  const { rate, train = false } = options ?? ({} as DropoutOptions);
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new SeqgradError('dropout', `rate must be a probability in [0, 1], got ${rate}`);
  }
  if (!isTensor(x) || !isFloat(x.dtype)) {
    throw new SeqgradError('dropout', `x must be a floating tensor, got ${isTensor(x) ? `${x.dtype} ${showShape(x.shape)}` : String(x)}`);
  }
  if (!train || rate === 0) return x;
  const k = checkKey('dropout', options.key);
  if (rate === 1) return mul(x, 0);
  const keep = bernoulli(k, 1 - rate, x.shape, { dtype: x.dtype });
  return mul(x, mul(keep, 1 / (1 - rate)));
};
