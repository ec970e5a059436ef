/**
 * Operands kept in linear memory between calls, keyed by the identity of the
 * Float32Array they came from. A recurrent layer multiplies by the same weights at
 * every time step; seqgrad never writes an array once a kernel has read it, so the
 * copy (packed for the blocked product, raw for the thin one) made at the first step
 * serves all the others, and batch-1 inference copies no weights at all after that.
 * A block is freed when its array is garbage-collected (FinalizationRegistry), when it
 * has gone stale (below), or, to bound the memory, when the blocks' total passes a byte
 * budget (least recently used first).
 *
 * Stale blocks: a training loop replaces every weight at every step (tensors are
 * immutable, so an update is a new array), and the old array's block is not freed until
 * the garbage collector has collected the array and a later task has run the registry's
 * callback, which a synchronous loop never lets happen. Until the budget was reached,
 * every step then took fresh linear memory for its weights' blocks and faulted its pages
 * in (about 1.8 ms of a 33 ms GRU step). So when a block is made under a key (an
 * operand's offset, layout and extents), every other block of that key that has not
 * been used since the key's previous block was made is freed: the weight it held has
 * been replaced. A weight still in use is used between two such moments and stays.
 *
 * @module
 */
import type { Heap } from './heap.js';

/** A resident block: where it is, how big, and how to unlink it from its array's map. */
interface Block {
  readonly at: number;
  readonly bytes: number;
  readonly key: string;
  readonly owner: Map<string, Block>;
  /** When it was last asked for, in calls to `get`. */
  lastUse: number;
}

/** The live blocks made under one key, and when the latest of them was made. */
interface KeyBlocks {
  readonly blocks: Set<Block>;
  madeAt: number;
}

/** The resident operand cache of one backend instance. @internal */
export class Resident {
  private readonly byArray = new WeakMap<object, Map<string, Block>>();
  /** Operands seen once: a block is made on the second use, so per-step data (h_t, a gate cotangent) never takes one. */
  private readonly seen = new WeakMap<object, Set<string>>();
  /** Every live block, least recently used first (a Set keeps insertion order). */
  private readonly lru = new Set<Block>();
  private total = 0;
  /** Calls to `get` so far: the clock of `lastUse` and `madeAt`. */
  private clock = 0;
  private readonly byKey = new Map<string, KeyBlocks>();
  // the held value is the array's block map, never the array, so it does not keep the array alive
  private readonly registry: FinalizationRegistry<Map<string, Block>> | null =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((blocks) => {
        for (const block of [...blocks.values()]) this.drop(block);
      })
      : null;

  /** `budget`: the most bytes resident blocks may hold together. */
  constructor(private readonly heap: Heap, readonly budget: number) {}

  /** Bytes held by resident blocks now. */
  get bytes(): number {
    return this.total;
  }

  /** Number of resident blocks now. */
  get count(): number {
    return this.lru.size;
  }

  /**
   * The address of the block derived from `array` under `key`, made by `fill` (given
   * the new block's address) on a miss; -1 when the block would exceed the budget on
   * its own (the caller then works in scratch).
   */
  get(array: Float32Array, key: string, bytes: number, fill: (at: number) => void): number {
    const now = ++this.clock;
    let blocks = this.byArray.get(array);
    const hit = blocks?.get(key);
    if (hit !== undefined) {
      hit.lastUse = now;
      this.lru.delete(hit);
      this.lru.add(hit);
      return hit.at;
    }
    if (bytes > this.budget || this.firstSight(array, key)) return -1;
    const sameKey = this.dropStale(key, now);
    for (const old of this.lru) {
      if (this.total + bytes <= this.budget) break;
      this.drop(old);
    }
    if (blocks === undefined) {
      blocks = new Map();
      this.byArray.set(array, blocks);
      this.registry?.register(array, blocks);
    }
    const block: Block = { at: this.heap.alloc(bytes), bytes, key, owner: blocks, lastUse: now };
    fill(block.at);
    blocks.set(key, block);
    sameKey.blocks.add(block);
    this.lru.add(block);
    this.total += bytes;
    return block.at;
  }

  /** Records `array` under `key` and says whether this is the first time it was asked for. */
  private firstSight(array: Float32Array, key: string): boolean {
    let keys = this.seen.get(array);
    if (keys === undefined) {
      keys = new Set();
      this.seen.set(array, keys);
    }
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }

  /** Frees the blocks of `key` unused since the key's previous block was made; the key's entry, marked as making one now. */
  private dropStale(key: string, now: number): KeyBlocks {
    let entry = this.byKey.get(key);
    if (entry === undefined) {
      entry = { blocks: new Set(), madeAt: now };
      this.byKey.set(key, entry);
      return entry;
    }
    for (const block of entry.blocks) if (block.lastUse < entry.madeAt) this.drop(block);
    entry.madeAt = now;
    return entry;
  }

  private drop(block: Block): void {
    if (!this.lru.delete(block)) return;
    // an emptied key keeps its entry (and its clock): one small entry per operand shape
    this.byKey.get(block.key)?.blocks.delete(block);
    block.owner.delete(block.key);
    this.total -= block.bytes;
    this.heap.release(block.at, block.bytes);
  }
}
