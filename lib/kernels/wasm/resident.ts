/**
 * Operands kept in linear memory between calls, keyed by the identity of the
 * Float32Array they came from. A recurrent layer multiplies by the same weights at
 * every time step; seqgrad never writes an array once a kernel has read it, so the
 * copy (packed for the blocked product, raw for the thin one) made at the first step
 * serves all the others, and batch-1 inference copies no weights at all after that.
 * A block is freed when its array is garbage-collected (FinalizationRegistry) or, to
 * bound the memory, when the blocks' total passes a byte budget (least recently used
 * first).
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
}

/** The resident operand cache of one backend instance. @internal */
export class Resident {
  private readonly byArray = new WeakMap<object, Map<string, Block>>();
  /** Operands seen once: a block is made on the second use, so per-step data (h_t, a gate cotangent) never takes one. */
  private readonly seen = new WeakMap<object, Set<string>>();
  /** Every live block, least recently used first (a Set keeps insertion order). */
  private readonly lru = new Set<Block>();
  private total = 0;
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
    let blocks = this.byArray.get(array);
    const hit = blocks?.get(key);
    if (hit !== undefined) {
      this.lru.delete(hit);
      this.lru.add(hit);
      return hit.at;
    }
    if (bytes > this.budget || this.firstSight(array, key)) return -1;
    for (const old of this.lru) {
      if (this.total + bytes <= this.budget) break;
      this.drop(old);
    }
    if (blocks === undefined) {
      blocks = new Map();
      this.byArray.set(array, blocks);
      this.registry?.register(array, blocks);
    }
    const block: Block = { at: this.heap.alloc(bytes), bytes, key, owner: blocks };
    fill(block.at);
    blocks.set(key, block);
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

  private drop(block: Block): void {
    if (!this.lru.delete(block)) return;
    block.owner.delete(block.key);
    this.total -= block.bytes;
    this.heap.release(block.at, block.bytes);
  }
}
