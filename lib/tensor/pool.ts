/**
 * Reuse of the arrays a gradient pass allocates. A training step allocates the same
 * arrays step after step, and on many machines a freshly allocated typed array costs
 * far more than its bytes: beyond a few hundred KB the allocator maps new pages, and
 * each 4 KB page faults on first touch (measured on the 2-core VM the benchmarks run
 * on: 7-18 µs a page, so 4.3 ms for a 2.4 MB array written once).
 *
 * Tensors are immutable and never freed, so in general nothing knows when an array
 * is dead. One case is known exactly: a one-shot backward pass (`grad`,
 * `valueAndGrad`) that builds no graph of its own. Every array allocated while it runs
 * holds a cotangent, a VJP's buffer or a product's operand, and once the pass has
 * returned its gradients nothing refers to those arrays but the gradients themselves.
 * The pass records what it allocates; afterwards every recorded array not shared with
 * a returned gradient goes back to a pool, by dtype and length, and later allocations
 * of that size take it (zero-filled, as a fresh array) instead of new memory.
 *
 * The contract this relies on is the tape's: a VJP may read its cotangent and keep
 * none of the pass's arrays beyond the pass. A primitive may also hand over arrays of
 * its own that its VJP was the last to read (`adoptIntoPass`: the fused recurrent
 * steps' residuals), which is what lets a training loop's forward allocations come
 * from the pool too. The pool holds at most POOL_BYTES.
 *
 * @module
 * @internal
 */
import type { DType, TypedArray } from './elements.js';

/** The most bytes the pool keeps; arrays beyond it are left to the garbage collector. */
const POOL_BYTES = 128 * 1024 * 1024;
/** Arrays smaller than this are not worth pooling: the allocator reuses them cheaply. */
const MIN_ELEMENTS = 1024;

const free = new Map<string, TypedArray[]>();
let pooledBytes = 0;
/** Passes recorded so far, and the pass in which each size was last asked for. */
let passes = 0;
const lastAsked = new Map<string, number>();
/**
 * A size no allocation has asked for in this many passes is dropped from the pool: a
 * program that moves on to other shapes (another model, another benchmark) must not
 * keep the old ones' memory, which also makes the engine collect garbage more often.
 */
const STALE_PASSES = 8;
/** The recordings of the passes running now, innermost last. */
const recordings: TypedArray[][] = [];

const keyOf = (dtype: DType, size: number): string => `${dtype}:${size}`;

/**
 * A pooled array of `size` elements, zero-filled unless `zeroed` is false (its next
 * writer overwrites it whole), or undefined when the pool has none.
 * Each hand-out is a fresh view: code that keys caches by array identity never sees
 * an old array come back with new contents.
 *
 * @internal
 */
export const takePooled = (dtype: DType, size: number, zeroed = true): TypedArray | undefined => {
  if (size < MIN_ELEMENTS) return undefined;
  const key = keyOf(dtype, size);
  lastAsked.set(key, passes);
  const arrays = free.get(key);
  const found = arrays?.pop();
  if (found === undefined) return undefined;
  pooledBytes -= found.byteLength;
  const view = new (found.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => TypedArray)(found.buffer, 0, size);
  if (zeroed) view.fill(0);
  return view;
};

/** Notes a newly allocated array in the recording of the innermost pass running, if any. @internal */
export const noteAllocation = (array: TypedArray): void => {
  if (recordings.length > 0 && array.length >= MIN_ELEMENTS) recordings[recordings.length - 1]!.push(array);
};

/**
 * Hands `array`, allocated earlier and dead once the recording pass ends (a primitive's
 * residuals, read by its VJP for the last time), to that pass's recording. Returns
 * false, changing nothing, when no pass is recording (a pullback that may run again).
 *
 * @internal
 */
export const adoptIntoPass = (array: TypedArray): boolean => {
  if (recordings.length === 0) return false;
  recordings[recordings.length - 1]!.push(array);
  return true;
};

/**
 * Runs `pass` recording the arrays it allocates, then pools every one whose memory no
 * array of `kept(result)` shares. Arrays it keeps belong to the enclosing pass, if one
 * is recording.
 *
 * @internal
 */
export const recyclingAfter = <R>(pass: () => R, kept: (result: R) => readonly TypedArray[]): R => {
  const recorded: TypedArray[] = [];
  recordings.push(recorded);
  let result: R;
  try {
    result = pass();
  } finally {
    recordings.pop();
  }
  const keep = new Set<ArrayBufferLike>(kept(result).map((a) => a.buffer));
  const outer = recordings[recordings.length - 1];
  for (const array of recorded) {
    if (keep.has(array.buffer)) outer?.push(array);
    else release(array);
  }
  passes++;
  dropStale();
  return result;
};

/** Drops the pooled arrays of every size not asked for in the last STALE_PASSES passes. */
const dropStale = (): void => {
  for (const [key, asked] of lastAsked) {
    if (passes - asked <= STALE_PASSES) continue;
    lastAsked.delete(key);
    for (const array of free.get(key) ?? []) pooledBytes -= array.byteLength;
    free.delete(key);
  }
};

/** Puts a dead array's memory in the pool (whole buffers only: a view of part of one is not). */
const release = (array: TypedArray): void => {
  if (array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength || pooledBytes + array.byteLength > POOL_BYTES) return;
  const key = keyOf(dtypeOf(array), array.length);
  const arrays = free.get(key);
  if (arrays === undefined) free.set(key, [array]);
  else arrays.push(array);
  pooledBytes += array.byteLength;
};

const dtypeOf = (array: TypedArray): DType => (array instanceof Float32Array ? 'float32' : array instanceof Float64Array ? 'float64' : 'int32');

/** A new zero-filled typed array, outside the pool: for caches that outlive any gradient pass. @internal */
export const fresh = (dtype: DType, size: number): TypedArray => {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
  }
};

/**
 * A scratch array of `size` elements for `slot` (one per use and dtype), kept outside the
 * pool and grown as needed: for temporaries that die before their user returns (a VJP's
 * work space, a stacked operand) and would otherwise be allocated at every call. Each
 * call hands out a fresh view, so caches keyed by array identity (the kernels' resident
 * weights) never mistake one use for another; contents are undefined. Beyond
 * SCRATCH_LIMIT elements a new array is made each time rather than kept.
 *
 * @internal
 */
export const scratchArray = (slot: string, dtype: DType, size: number): TypedArray => {
  if (size > SCRATCH_LIMIT) return fresh(dtype, size);
  const key = `${slot}:${dtype}`;
  const kept = SCRATCH.get(key);
  if (kept !== undefined && kept.length >= size) return kept.subarray(0, size);
  const array = fresh(dtype, Math.max(size, Math.ceil((kept?.length ?? 0) * 1.5)));
  SCRATCH.set(key, array);
  return array.subarray(0, size);
};

const SCRATCH = new Map<string, TypedArray>();
const SCRATCH_LIMIT = 1 << 24;

/** Bytes the pool holds now (for specs and the memory benchmark). @internal */
export const pooledByteCount = (): number => pooledBytes;
