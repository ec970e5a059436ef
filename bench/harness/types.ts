/**
 * The shapes the benchmark harness passes between its parts: an implementation of a
 * workload (one library on one backend, ready to run one step), and the figures timing
 * one produces. Workload builders return implementations; the timer runs them
 * interleaved; the report turns the figures into rows, ratios and a JSON file. Keeping
 * these plain records lets the smoke spec drive each part on its own.
 */

/** The TensorFlow.js backends the peers run on. */
export type PeerBackend = 'wasm' | 'cpu';

/**
 * One implementation of one workload, built and ready: `step` runs one timed unit
 * (a training step, an inference, a product) and ends by reading a number of its
 * result back into JS, so lazy or asynchronous backends cannot stop the clock early.
 */
export interface Impl {
  /** Workload id, `W1` .. `W5`. */
  readonly workload: string;
  /** What runs: `seqgrad`, `seqgrad reset-after`, `tfjs-ops` or `tfjs-layers`. */
  readonly impl: string;
  /** The backend it runs on: seqgrad's (`wasm`, `js`) or the peer's (`wasm`, `cpu`). */
  readonly backend: string;
  /** W5 only: which product, e.g. `1024³ A·B`. */
  readonly case?: string;
  /** W5 only: floating-point operations of one step, for GFLOP/s. */
  readonly flops?: number;
  /** Fewest timed runs (the slow tfjs-cpu peer gets fewer than the rest). */
  readonly reps: number;
  /** Untimed preparation before every run (the peers switch tfjs to their backend). */
  readonly activate?: () => Promise<void>;
  /** One step; returns a number read back from its output (the loss, an output element). */
  readonly step: () => number | Promise<number>;
}

/** What timing one implementation gives: its identity and its run times in ms. */
export interface Timing {
  readonly workload: string;
  readonly impl: string;
  readonly backend: string;
  readonly case?: string;
  readonly flops?: number;
  /** Wall time of each timed run, in order, ms. */
  readonly times: readonly number[];
  /** The number the last run read back (a loss, an output), to show it is finite. */
  readonly last: number;
}
