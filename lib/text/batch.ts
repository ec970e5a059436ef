/**
 * From ragged id sequences to what a recurrent model eats: `padBatch` packs them into
 * `ids` int32 `[batch, time]` with `lengths` int32 `[batch]` (both tensors, so a `fit`
 * dataset can carry them and every layer accepts the lengths as they are), and
 * `bucketBatches` groups examples of similar length so little compute is spent on
 * padding, in an order drawn from an explicit key. `splitData` makes a seeded
 * train/validation/test split.
 *
 * @module
 */
import { SeqgradError, showValue } from '../tensor/errors.js';
import { permutation, splitKey, type Key } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** A padded batch: ids `[batch, time]` and each row's length `[batch]`, both int32. */
export interface PaddedBatch {
  /** Token ids, `pad` past each row's length. */
  readonly ids: Tensor;
  /** Each row's length (at least 1). */
  readonly lengths: Tensor;
}

/** Options of `padBatch`. */
export interface PadOptions {
  /** The padding id (default 0, the vocabulary's pad). */
  readonly pad?: number;
  /** Pad to this many steps instead of the longest row (rows longer than it are refused). */
  readonly length?: number;
}

/** Options of `bucketBatches`. */
export interface BucketOptions {
  /** Keep a last batch smaller than `batchSize` (default true). */
  readonly keepLast?: boolean;
}

/** Fractions of `splitData`. */
export interface SplitFractions {
  /** Share of the items for validation (default 0.1). */
  readonly validation?: number;
  /** Share of the items for test (default 0). */
  readonly test?: number;
}

/** A three-way split; every item lands in exactly one part. */
export interface DataSplit<T> {
  /** The training items. */
  readonly train: T[];
  /** The validation items. */
  readonly validation: T[];
  /** The test items. */
  readonly test: T[];
}

// ---------------------------------------------------------------------------
// padding
// ---------------------------------------------------------------------------

/**
 * Pads id sequences to one length.
 *
 * @example
 * ```ts
 * const { ids, lengths } = padBatch([[1, 5, 2], [1, 2]]);
 * // ids [[1, 5, 2], [1, 2, 0]], lengths [3, 2]
 * ```
 */
export const padBatch = (sequences: readonly (readonly number[])[], options: PadOptions = {}): PaddedBatch => {
  const pad = options.pad ?? 0;
  if (!Array.isArray(sequences) || sequences.length === 0) throw new SeqgradError('padBatch', 'sequences must be a non-empty array of id arrays');
  if (!Number.isInteger(pad)) throw new SeqgradError('padBatch', `pad must be an integer id, got ${pad}`);
  sequences.forEach((s, b) => {
    if (!Array.isArray(s) || s.length === 0) throw new SeqgradError('padBatch', `sequences[${b}] is empty or not an array; every row needs at least one id (lengths are >= 1)`);
    s.forEach((id, t) => {
      if (!Number.isInteger(id)) throw new SeqgradError('padBatch', `sequences[${b}][${t}] = ${id} is not an integer id`);
    });
  });
  const longest = Math.max(...sequences.map((s) => s.length));
  const time = options.length ?? longest;
  if (!Number.isInteger(time) || time < longest) throw new SeqgradError('padBatch', `length ${time} is shorter than the longest row (${longest})`);
  const ids = new Int32Array(sequences.length * time).fill(pad);
  sequences.forEach((s, b) => ids.set(s, b * time));
  return { ids: new Tensor(ids, [sequences.length, time]), lengths: new Tensor(Int32Array.from(sequences, (s) => s.length), [sequences.length]) };
};

// ---------------------------------------------------------------------------
// batching and splitting
// ---------------------------------------------------------------------------

/**
 * Example indices grouped into batches of similar length: the examples are shuffled
 * with `key`, stably sorted by length (so equal lengths stay in random order), cut
 * into batches of `batchSize`, and the batches shuffled. Each batch pads to nearly
 * its own rows' length. A different key (e.g. one per epoch) gives a different order.
 *
 * @example
 * ```ts
 * declare const names: string[], encoded: number[][], train: (batch: PaddedBatch) => void;
 * const batches = bucketBatches(key(0), names.map((n) => n.length), 64);
 * for (const rows of batches) train(padBatch(rows.map((i) => encoded[i] ?? [])));
 * ```
 */
export const bucketBatches = (key: Key, lengths: readonly number[], batchSize: number, options: BucketOptions = {}): number[][] => {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new SeqgradError('bucketBatches', `batchSize must be a positive integer, got ${batchSize}`);
  lengths.forEach((n, i) => {
    if (!Number.isFinite(n)) throw new SeqgradError('bucketBatches', `lengths[${i}] = ${n} is not a finite number`);
  });
  const [orderKey, batchKey] = splitKey(key, 2);
  const order = permutation(orderKey, lengths.length).sort((a, b) => lengths[a]! - lengths[b]!);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  const last = batches[batches.length - 1];
  if (options.keepLast === false && last !== undefined && last.length < batchSize) batches.pop();
  return permutation(batchKey, batches.length).map((i) => batches[i]!);
};

/**
 * A seeded split of `items` into train, validation and test parts: a permutation drawn
 * from `key`, then `round(n · validation)` items for validation, `round(n · test)` for
 * test and the rest for training. The same key and items give the same split.
 *
 * @example
 * ```ts
 * declare const names: string[];
 * const { train, validation, test } = splitData(key(0), names, { validation: 0.1, test: 0.1 });
 * ```
 */
export const splitData = <T>(key: Key, items: readonly T[], fractions: SplitFractions = {}): DataSplit<T> => {
  if (!Array.isArray(items)) throw new SeqgradError('splitData', `items must be an array, got ${showValue(items)}`);
  const unknown = Object.keys(fractions ?? {}).filter((k) => k !== 'validation' && k !== 'test');
  if (unknown.length > 0) throw new SeqgradError('splitData', `fractions takes validation and test (training gets the rest), got ${unknown.join(', ')}`);
  if (!Array.isArray(items)) throw new SeqgradError('splitData', `items must be an array, got ${typeof items}`);
  const { validation = 0.1, test = 0 } = fractions;
  for (const [name, f] of [['validation', validation], ['test', test]] as const) {
    if (!(f >= 0 && f < 1)) throw new SeqgradError('splitData', `${name} must be a fraction in [0, 1), got ${f}`);
  }
  if (validation + test >= 1) throw new SeqgradError('splitData', `validation + test must be below 1 (some items must train), got ${validation + test}`);
  const order = permutation(key, items.length).map((i) => items[i]!);
  const nVal = Math.round(items.length * validation);
  const nTest = Math.round(items.length * test);
  return { validation: order.slice(0, nVal), test: order.slice(nVal, nVal + nTest), train: order.slice(nVal + nTest) };
};
