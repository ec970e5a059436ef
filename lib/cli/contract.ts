/**
 * The contract between the `seqgrad` command line and the tasks it runs. Each example
 * folder (examples/names, examples/g2p, ...) has a `task.ts` whose default export is a
 * `Task`; the CLI parses and validates the options, then calls the task's functions.
 * A run folder always holds `run.json` (`RunInfo`), which names the task, so
 * `sample`, `eval` and `predict` find their way back from the folder alone.
 *
 * @module
 */

/** Options every `train` takes; the CLI fills the defaults of those the user left out. */
export interface TrainOptions {
  /** Epochs to train (the task's default when undefined). */
  readonly epochs?: number;
  /** Hidden size of the recurrent layers (the task's default when undefined). */
  readonly hidden?: number;
  /** Learning rate (the task's default when undefined). */
  readonly lr?: number;
  /** Seed of every key: data split, initialisation, shuffling, sampling. */
  readonly seed: number;
  /** The run folder; created when missing. */
  readonly out: string;
  /** Time budget for training in minutes (stops at an epoch boundary or mid-epoch via fit's maxSeconds). */
  readonly maxMinutes?: number;
  /** A small, fast configuration (seconds to a few minutes), e.g. for smoke tests. */
  readonly quick: boolean;
  /** Progress display: `bar` on a terminal, `json` lines, or `none` (tests). */
  readonly progress: 'bar' | 'json' | 'none';
}

/** What a run folder's `run.json` holds. */
export interface RunInfo {
  /** The task that wrote the folder (`names`, `g2p`, ...). */
  readonly task: string;
  /** The options it was trained with. */
  readonly options: TrainOptions;
  /** When training finished (ISO 8601). */
  readonly finished: string;
}

/** What `train` and `evaluate` report: numbers by name, and lines for a person to read. */
export interface TaskReport {
  /** The headline figures (e.g. `val.nll`, `baseline.nll`); also in the run's metrics.json. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Lines to print (samples, a confusion matrix, predictions). */
  readonly lines: readonly string[];
}

/** Options of `sample`. */
export interface SampleOptions {
  /** How many samples. */
  readonly count: number;
  /** Sampling temperature. */
  readonly temperature: number;
  /** Seed of the sampling key. */
  readonly seed: number;
}

/** A task the CLI can run: what each example's `task.ts` exports by default. */
export interface Task {
  /** The name used on the command line. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** npm packages holding its data (devDependencies), checked before training. */
  readonly datasets: readonly string[];
  /** Trains into `options.out` (metrics.json, model.safetensors, SVG plots, run.json). */
  readonly train: (options: TrainOptions) => Promise<TaskReport>;
  /** Re-evaluates a finished run's model on its held-out data. */
  readonly evaluate: (run: string) => Promise<TaskReport>;
  /** Applies a run's model to one input given on the command line. */
  readonly predict: (run: string, input: string) => Promise<string>;
  /** Draws samples from a generative run's model (language models only). */
  readonly sample?: (run: string, options: SampleOptions) => Promise<readonly string[]>;
}
