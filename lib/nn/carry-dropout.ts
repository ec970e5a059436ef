/**
 * Recurrent (variational) dropout on the carry, after Gal & Ghahramani (2016): one
 * dropout mask per sequence, drawn from an explicit key and reused at every time step,
 * multiplies the hidden state a cell reads before its recurrent product. Drawing a new
 * mask at each step would inject noise the recurrence compounds over long sequences;
 * a fixed mask drops the same units throughout, which regularises without washing out
 * memory. Only the carry the step *reads* is masked: the carry it returns (and so
 * what `scan` freezes past a row's length) is the cell's own. The LSTM's cell state is
 * left alone by default, as in Gal's formulation, so the memory path stays intact.
 *
 * Because the mask is a function of the key and the carry's shape, the wrapped cell is
 * still pure: same key, same masks, same result.
 *
 * @module
 */
import { mul } from '../ops/arithmetic.js';
import { SeqgradError } from '../tensor/errors.js';
import { bernoulli, checkKey, splitKey, type Key } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { flatten, mapTree } from '../tree/index.js';
import type { Cell } from './cell.js';

/** Options of `carryDropout`. */
export interface CarryDropoutOptions {
  /** Probability of dropping each hidden unit, in [0, 1). */
  readonly rate: number;
  /** The key the masks are drawn from (required while training with a rate above 0). */
  readonly key?: Key;
  /** Drop only while training; when false (the default) the cell is returned unchanged. */
  readonly train?: boolean;
  /** Carry leaves to mask, by path (default: a tensor carry itself, or the leaf `h` of a record). */
  readonly leaves?: readonly string[];
}

/**
 * The cell with variational dropout on the carry it reads: inverted dropout (kept
 * units scaled by 1/(1 - rate)) with one mask per sequence, the same at every step.
 *
 * @example
 * ```ts
 * const cell = lstm();
 * const params = cell.init(key(0), { inputSize: 3, hiddenSize: 4 });
 * const layer = recurrent(carryDropout(cell, { rate: 0.25, key: stepKey, train: true }));
 * const { outputs } = layer(params, x);          // training
 * const plain = recurrent(carryDropout(cell, { rate: 0.25 }));   // evaluation: the cell itself
 * ```
 */
export const carryDropout = <P, C, S>(cell: Cell<P, C, S>, options: CarryDropoutOptions): Cell<P, C, S> => {
  const { rate, train = false } = options ?? ({} as CarryDropoutOptions);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new SeqgradError('carryDropout', `rate must be a probability in [0, 1), got ${rate}`);
  }
  if (!train || rate === 0) return cell;
  const masked = maskReader(checkKey('carryDropout', options.key), rate, options.leaves ?? ['(root)', 'h']);
  const { projectedStep } = cell;
  return {
    ...cell,
    // the one-call recurrence has no place for the masks
    projectedSequence: undefined,
    name: `carryDropout(${cell.name})`,
    step: (p, carry, x) => cell.step(p, masked(carry), x),
    ...(projectedStep ? { projectedStep: (p: P, carry: C, xp: Tensor) => projectedStep(p, masked(carry), xp) } : {}),
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** A function masking the chosen leaves of a carry; masks are drawn once per leaf and shape, then reused. */
const maskReader = (k: Key, rate: number, chosen: readonly string[]) => {
  const masks = new Map<string, Tensor>();
  return <C>(carry: C): C => {
    const paths = flatten(carry, 'carryDropout').map((l) => l.path);
    if (!paths.some((p) => chosen.includes(p))) {
      throw new SeqgradError('carryDropout', `the carry has no leaf named ${chosen.join(' or ')} (its leaves: ${paths.join(', ')}); pass leaves`);
    }
    return mapTree(carry, (leaf, path) => {
      if (!chosen.includes(path)) return leaf;
      const id = `${path} ${leaf.shape.join('x')} ${leaf.dtype}`;
      let mask = masks.get(id);
      if (mask === undefined) {
        const leafKey = splitKey(k, paths.length)[paths.indexOf(path)]!;
        mask = mul(bernoulli(leafKey, 1 - rate, leaf.shape, { dtype: leaf.dtype }), 1 / (1 - rate));
        masks.set(id, mask);
      }
      return mul(leaf, mask);
    }, 'carryDropout');
  };
};
