/**
 * Whether to split a product across threads, decided by measurement: per size class
 * (powers of two of m·n·k multiply-adds) the policy keeps a moving average of the time
 * per multiply-add with the helpers and without, tries each way until it has both, then
 * takes the faster, and every EXPLORE-th call of a class tries the other way again, so
 * it follows the machine (another process taking a core makes splitting slower than
 * working alone). Products only run on other threads where that measures faster.
 *
 * @module
 * @internal
 */

/** Every this many calls of a size class, the way not currently chosen is timed again. */
const EXPLORE = 32;
/** Weight of the newest measurement in the moving averages. */
const ALPHA = 0.25;

interface SizeClass {
  /** Moving average of ms per multiply-add, split and alone (NaN: not measured yet). */
  split: number;
  alone: number;
  calls: number;
}

/** The split-or-not choice per product size, from timings of both. @internal */
export class SplitPolicy {
  private readonly classes = new Map<number, SizeClass>();

  /** Whether a product of `work` multiply-adds should be split now. */
  shouldSplit(work: number): boolean {
    const c = this.classOf(work);
    c.calls++;
    if (Number.isNaN(c.split)) return true;
    if (Number.isNaN(c.alone)) return false;
    const faster = c.split <= c.alone;
    return c.calls % EXPLORE === 0 ? !faster : faster;
  }

  /** Records that a product of `work` multiply-adds took `ms`, split or not. */
  record(work: number, split: boolean, ms: number): void {
    const c = this.classOf(work);
    const perMac = ms / work;
    const before = split ? c.split : c.alone;
    const next = Number.isNaN(before) ? perMac : before + ALPHA * (perMac - before);
    if (split) c.split = next;
    else c.alone = next;
  }

  private classOf(work: number): SizeClass {
    const key = Math.round(Math.log2(Math.max(1, work)));
    let c = this.classes.get(key);
    if (c === undefined) {
      c = { split: Number.NaN, alone: Number.NaN, calls: 0 };
      this.classes.set(key, c);
    }
    return c;
  }
}
