/**
 * The glue's view of the module's linear memory: an allocator for blocks that outlive
 * a call (resident packed weights) and a scratch region reused by every call for its
 * inputs and outputs. Memory only grows (WebAssembly cannot shrink it); freed blocks
 * go back on a free list and are reused. Growing memory detaches every view over the
 * old buffer, so views are taken through `f32()` and `i32()`, which re-create them
 * when the buffer has changed, never kept across an allocation.
 *
 * @module
 */
import type { WasmMemory } from './api.js';

const PAGE = 65536;
/** Blocks start on cache-line boundaries (vector loads need only 16). */
const ALIGN = 64;

const align = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;

/** A free block: its first byte and its length. */
interface Span {
  start: number;
  size: number;
}

/** Linear memory with a first-fit allocator and a growable scratch region. @internal */
export class Heap {
  private f32View: Float32Array;
  private i32View: Int32Array;
  private readonly free: Span[] = [];
  private top: number;
  private scratchAt = 0;
  private scratchSize = 0;

  constructor(private readonly memory: WasmMemory, base: number) {
    this.top = align(base);
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
  }

  /** A float32 view of the whole memory, current after any growth. */
  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.refresh();
    return this.f32View;
  }

  /** An int32 view of the whole memory, current after any growth. */
  i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.refresh();
    return this.i32View;
  }

  /** Bytes of linear memory in use or on the free list (the high-water mark). */
  get size(): number {
    return this.top;
  }

  /** A block of at least `bytes`, 64-byte aligned; its address. */
  alloc(bytes: number): number {
    const size = align(Math.max(bytes, 1));
    for (let i = 0; i < this.free.length; i++) {
      const span = this.free[i]!;
      if (span.size < size) continue;
      const start = span.start;
      span.start += size;
      span.size -= size;
      if (span.size === 0) this.free.splice(i, 1);
      return start;
    }
    const start = this.top;
    this.top += size;
    const short = this.top - this.memory.buffer.byteLength;
    if (short > 0) this.memory.grow(Math.ceil(short / PAGE));
    return start;
  }

  /** Returns the block at `start` of `bytes` (as passed to alloc) to the free list, merging neighbours. */
  release(start: number, bytes: number): void {
    const size = align(Math.max(bytes, 1));
    let i = 0;
    while (i < this.free.length && this.free[i]!.start < start) i++;
    this.free.splice(i, 0, { start, size });
    const next = this.free[i + 1];
    if (next !== undefined && start + size === next.start) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev !== undefined && prev.start + prev.size === start) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
    }
    const last = this.free[this.free.length - 1];
    if (last !== undefined && last.start + last.size === this.top) {
      this.top = last.start;
      this.free.pop();
    }
  }

  /**
   * The scratch region, at least `bytes` long: valid until the next call to `scratch`.
   * One region serves every call because kernels never run re-entrantly.
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchSize) {
      if (this.scratchSize > 0) this.release(this.scratchAt, this.scratchSize);
      // grow geometrically so a slowly rising size does not reallocate every call
      this.scratchSize = align(Math.max(bytes, this.scratchSize * 1.5));
      this.scratchAt = this.alloc(this.scratchSize);
    }
    return this.scratchAt;
  }

  private refresh(): void {
    this.f32View = new Float32Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
  }
}

/** Lays out consecutive float32 buffers of the given lengths in one region: their byte offsets and the total. @internal */
export const layout = (lengths: readonly number[]): { offsets: number[]; bytes: number } => {
  const offsets: number[] = [];
  let bytes = 0;
  for (const length of lengths) {
    offsets.push(bytes);
    bytes += align(length * 4);
  }
  return { offsets, bytes };
};
