/**
 * The shape of a bad-call case, shared by bad-inputs.ts and the case lists it gathers
 * (bad-inputs-nn.ts, bad-inputs-io-train.ts); on its own so that those lists need not
 * import bad-inputs.ts, which imports them.
 */
import type { Tensor } from '../../lib/index.js';

/** A namespace holding every export of every package entry. */
export type Exports = Record<string, (...args: never[]) => unknown> & Record<string, unknown>;

/** A bad call: the argument its error must name, and the call. */
export interface BadCall {
  /** Text the message must contain after the function's name: the argument (or field) at fault. */
  readonly arg: string | RegExp;
  /** Makes the call (it may return a promise that rejects). */
  readonly call: (m: Exports, fx: Fixtures) => unknown;
  /** Op name the message starts with when it is not the function's own (documented per case). */
  readonly op?: string;
}

/** Inputs the cases share, built once. */
export interface Fixtures {
  readonly x: Tensor;
  readonly x64: Tensor;
  readonly seq: Tensor;
  readonly ids: Tensor;
  readonly k: unknown;
  readonly dir: string;
}
