/**
 * Where the fit loop's batches come from. Training data is an array of batches, an
 * iterable or async iterable of batches, a function of the epoch returning one (for
 * streams that must be opened afresh each epoch), or an in-memory dataset — a tree of
 * tensors sharing their leading (example) axis — cut into batches in an order drawn
 * from an explicit key. Every source is read through one async iterator per epoch
 * that can skip its first batches, which is how a resumed run picks up mid-epoch at
 * exactly the batch where the checkpoint was taken: the dataset order is a pure
 * function of (key, epoch), and other sources are replayed and skipped.
 *
 * @module
 */
import { allocate } from '../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { permutation, splitKey, type Key } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { flatten, mapTree } from '../tree/index.js';

/** An in-memory dataset cut into batches of `batchSize` examples along axis 0. */
export interface DatasetSource<T> {
  /** A tree of tensors whose leaves all share their leading (example) axis, e.g. `{ x, y }`. */
  readonly dataset: T;
  /** Examples per batch; the last batch of an epoch may be smaller unless `dropLast`. */
  readonly batchSize: number;
  /** Shuffle with this key: epoch e uses a permutation drawn from a key derived from (key, e). Omit to keep the order. */
  readonly shuffle?: Key;
  /** Drop the last batch of an epoch when it is smaller than `batchSize`. */
  readonly dropLast?: boolean;
}

/**
 * Training or validation data: an array of batches, an iterable or async iterable of
 * batches, a function from the (0-based) epoch to one, or a dataset to batch.
 */
export type BatchSource<B> =
  | readonly B[]
  | Iterable<B>
  | AsyncIterable<B>
  | ((epoch: number) => Iterable<B> | AsyncIterable<B>)
  | DatasetSource<B>;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * The example order of `epoch` (0-based) for `n` examples: identity without a key,
 * otherwise a permutation from the epoch's own key, so the same key always replays
 * the same orders and any epoch's order can be recomputed without the ones before.
 *
 * @example
 * ```ts
 * epochOrder(key(7), 0, 5); // e.g. [3, 0, 4, 1, 2], the same on every run
 * ```
 */
export const epochOrder = (shuffle: Key | undefined, epoch: number, n: number): number[] => {
  if (!Number.isInteger(epoch) || epoch < 0) throw new SeqgradError('epochOrder', `epoch must be a non-negative integer, got ${showValue(epoch)}`);
  if (!Number.isInteger(n) || n < 0) throw new SeqgradError('epochOrder', `n must be a non-negative integer, got ${showValue(n)}`);
  return shuffle === undefined ? Array.from({ length: n }, (_, i) => i) : permutation(epochKey(shuffle, epoch), n);
};

/**
 * The rows `indices` of every leaf of `dataset`, as one batch of the same structure.
 *
 * @example
 * ```ts
 * const b = takeRows({ x, y }, [4, 0, 2]); // { x: x[[4,0,2]], y: y[[4,0,2]] }
 * ```
 */
export const takeRows = <T>(dataset: T, indices: readonly number[]): T => {
  if (!Array.isArray(indices)) throw new SeqgradError('takeRows', `indices must be an array of row numbers, got ${showValue(indices)}`);
  return mapTree(dataset, (t, path) => {
    indices.forEach((r, i) => {
      if (!Number.isInteger(r) || r < 0 || r >= t.shape[0]!) {
        throw new SeqgradError('takeRows', `indices[${i}] = ${showValue(r)} is outside the ${t.shape[0]} rows of dataset ${path || '(root)'} ${showShape(t.shape)}`);
      }
    });
    const row = t.size / t.shape[0]!;
    const data = allocate(t.dtype, row * indices.length);
    indices.forEach((r, i) => data.set(t.data.subarray(r * row, (r + 1) * row), i * row));
    return new Tensor(data, [indices.length, ...t.shape.slice(1)]);
  }, 'takeRows');
};

/**
 * Batches of `source` for `epoch` (0-based), skipping the first `skip` of them. The
 * iterator is async whatever the source, so the loop reads every kind the same way.
 *
 * @example
 * ```ts
 * for await (const batch of epochBatches({ dataset: { x, y }, batchSize: 32, shuffle: key(1) }, 0)) console.log(batch.x.shape);
 * ```
 */
export async function* epochBatches<B>(source: BatchSource<B>, epoch: number, skip = 0, op = 'fit'): AsyncGenerator<B> {
  if (!Number.isInteger(skip) || skip < 0) throw new SeqgradError(op === 'fit' ? 'epochBatches' : op, `skip must be a non-negative integer, got ${showValue(skip)}`);
  if (isDataset(source)) {
    const count = batchesPerEpoch(source)!;
    if (skip > count) throw beyond(op, skip, count, epoch);
    yield* datasetBatches(source, epoch, skip);
    return;
  }
  const iterable = typeof source === 'function' ? source(epoch) : source;
  let i = 0;
  if (Symbol.asyncIterator in Object(iterable)) {
    for await (const b of iterable as AsyncIterable<B>) if (i++ >= skip) yield b;
  } else if (Symbol.iterator in Object(iterable)) {
    for (const b of iterable as Iterable<B>) if (i++ >= skip) yield b;
  } else {
    throw new SeqgradError(op, `data for epoch ${epoch + 1} is neither iterable nor async iterable (got ${describeValue(iterable)})`);
  }
  // a resume position past the end would otherwise end the epoch having trained on nothing
  if (i < skip) throw beyond(op, skip, i, epoch);
}

/** The error of a resume position past the end of an epoch. */
const beyond = (op: string, skip: number, count: number, epoch: number): SeqgradError =>
  new SeqgradError(op, `${op === 'fit' ? 'resume.batch' : 'skip'} (${skip}) is beyond the ${count} batches of epoch ${epoch + 1}`);

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * Checks a source before training: a dataset's leaves share their leading axis and
 * its batch size is a positive integer, an array is not empty, and a one-shot
 * iterator (a generator object) is not asked for more than one epoch.
 *
 * @internal
 */
export const checkSource = (op: string, field: string, source: unknown, epochs: number): void => {
  if (source === null || source === undefined) throw new SeqgradError(op, `${field} is required (got ${source})`);
  if (Array.isArray(source)) {
    if (source.length === 0) throw new SeqgradError(op, `${field} is an empty array; there is nothing to train on`);
  } else if (isDataset(source)) {
    checkDataset(op, field, source);
  } else if (typeof source !== 'function' && !(Symbol.iterator in Object(source)) && !(Symbol.asyncIterator in Object(source))) {
    throw new SeqgradError(op, `${field} must be an array, an iterable, an async iterable, a function of the epoch or { dataset, batchSize } (got ${describeValue(source)})`);
  } else if (epochs > 1 && isOneShot(source)) {
    throw new SeqgradError(op, `${field} is a one-shot iterator (e.g. a generator object) but epochs is ${epochs}; pass an array or a function (epoch) => iterable`);
  }
};

/** Batches per epoch when known without reading the data (arrays and datasets). @internal */
export const batchesPerEpoch = (source: unknown): number | undefined => {
  if (Array.isArray(source)) return source.length;
  if (!isDataset(source)) return undefined;
  checkDataset('batchesPerEpoch', 'source', source);
  const n = exampleCount(source.dataset);
  return source.dropLast ? Math.floor(n / source.batchSize) : Math.ceil(n / source.batchSize);
};

const isDataset = <B>(source: unknown): source is DatasetSource<B> =>
  typeof source === 'object' && source !== null && !Array.isArray(source) && 'dataset' in source && 'batchSize' in source;

const isOneShot = (source: unknown): boolean => {
  if (typeof source === 'function') return false;
  const s = source as Partial<Iterable<unknown> & AsyncIterable<unknown>>;
  // A generator object is its own iterator: a second pass finds it exhausted.
  if (typeof s[Symbol.asyncIterator] === 'function') return s[Symbol.asyncIterator]!() === s;
  return typeof s[Symbol.iterator] === 'function' && s[Symbol.iterator]!() === s;
};

const checkDataset = (op: string, field: string, source: DatasetSource<unknown>): void => {
  const { batchSize } = source;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new SeqgradError(op, `${field}.batchSize must be a positive integer, got ${batchSize}`);
  }
  const leaves = flatten(source.dataset, op);
  if (leaves.length === 0) throw new SeqgradError(op, `${field}.dataset holds no tensors`);
  const n = leaves[0]!.leaf.shape[0];
  for (const { path, leaf } of leaves) {
    if (leaf.rank === 0 || leaf.shape[0] !== n) {
      throw new SeqgradError(op, `${field}.dataset leaves must share their leading (example) axis: ${leaves[0]!.path} is ${showShape(leaves[0]!.leaf.shape)} but ${path} is ${showShape(leaf.shape)}`);
    }
  }
  if (n === 0) throw new SeqgradError(op, `${field}.dataset has no examples (leading axis 0)`);
  if (source.dropLast && n! < batchSize) {
    throw new SeqgradError(op, `${field} has ${n} examples, fewer than batchSize ${batchSize} with dropLast: no batch would remain`);
  }
};

const exampleCount = (dataset: unknown): number => flatten(dataset)[0]?.leaf.shape[0] ?? 0;

async function* datasetBatches<B>(source: DatasetSource<B>, epoch: number, skip: number): AsyncGenerator<B> {
  const n = exampleCount(source.dataset);
  const order = epochOrder(source.shuffle, epoch, n);
  const count = batchesPerEpoch(source)!;
  for (let b = skip; b < count; b++) {
    yield takeRows(source.dataset, order.slice(b * source.batchSize, Math.min(n, (b + 1) * source.batchSize)));
  }
}

/** Epoch e's key: the e-th of e+1 keys split from the shuffle key (cheap: one hash each). */
const epochKey = (k: Key, epoch: number): Key => splitKey(k, epoch + 1)[epoch]!;

/** What a value is, for error messages: its class name, or `null` or its typeof. @internal */
export const describeValue = (value: unknown): string =>
  value === null ? 'null' : typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
