/**
 * Whether to split a product across threads, decided by measurement: per size class
 * (powers of two of m·n·k multiply-adds) the policy keeps the last WINDOW timings per
 * multiply-add with the helpers and without, alternates between the two ways until it
 * has three of each, then takes the way whose best recent timing is faster; every
 * EXPLORE-th call of a class tries the other way again, so it follows the machine
 * (another process holding a core makes splitting slower than working alone). The best
 * of recent timings, not their mean, because interference only ever adds time: one
 * slow run (a worker's first call, before its code is optimized) does not decide.
 * Products only run on other threads where that measures faster.
 *
 * @module
 * @internal
 */

/** Every this many calls of a size class, the way not currently chosen is timed again. */
const EXPLORE = 16;
/** Timings kept per way and size class. */
const WINDOW = 8;
/** Timings of each way taken before the policy chooses. */
const FIRST = 3;

interface SizeClass {
  /** Recent ms per multiply-add, split and alone, oldest first. */
  readonly split: number[];
  readonly alone: number[];
  calls: number;
}

/** The split-or-not choice per product size, from timings of both. @internal */
export class SplitPolicy {
  private readonly classes = new Map<number, SizeClass>();

  /** Whether a product of `work` multiply-adds should be split now. */
  shouldSplit(work: number): boolean {
    const c = this.classOf(work);
    c.calls++;
    if (c.split.length < FIRST || c.alone.length < FIRST) return c.split.length <= c.alone.length;
    const faster = Math.min(...c.split) <= Math.min(...c.alone);
    return c.calls % EXPLORE === 0 ? !faster : faster;
  }

  /** Records that a product of `work` multiply-adds took `ms`, split or not. */
  record(work: number, split: boolean, ms: number): void {
    const c = this.classOf(work);
    const timings = split ? c.split : c.alone;
    timings.push(ms / work);
    if (timings.length > WINDOW) timings.shift();
  }

  private classOf(work: number): SizeClass {
    const key = Math.round(Math.log2(Math.max(1, work)));
    let c = this.classes.get(key);
    if (c === undefined) {
      c = { split: [], alone: [], calls: 0 };
      this.classes.set(key, c);
    }
    return c;
  }
}
