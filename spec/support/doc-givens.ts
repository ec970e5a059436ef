/**
 * The names the documentation's code takes as given: a block may use these without
 * declaring them, as a reader reads `x` as "your input". Anything else a block uses
 * it imports or declares itself. Keep this list short and the types exact, so a block
 * that misuses a given still fails to compile. These globals exist only in the docs'
 * program (spec/docs.spec.ts): tsconfig.json leaves this file out, so the project's own
 * code cannot lean on them.
 */
import type { Key, Tensor, Vocab } from '../../lib/index.js';
import type { History } from '../../lib/train/index.js';

declare global {
  /** Tensors: inputs, targets, states and the like. */
  const x: Tensor, x0: Tensor, y: Tensor, h: Tensor, c: Tensor, h0: Tensor, c0: Tensor, v: Tensor;
  const target: Tensor, targets: Tensor, logits: Tensor, scores: Tensor, lengths: Tensor, cotangent: Tensor;
  const xVal: Tensor, yVal: Tensor, src: Tensor, tgtIn: Tensor, tgtOut: Tensor;
  /** Attention's queries and keys (a decoder's and an encoder's outputs), an LSTM's gate pre-activations. */
  const decOut: Tensor, encOut: Tensor, gates: Tensor;
  /** Sequence lengths as numbers. */
  const srcLengths: readonly number[];
  /** Random keys. */
  const k: Key, stepKey: Key;
  /** A training run's history, as `fit` returns it. */
  const history: History;
  /** A vocabulary. */
  const vocab: Vocab;
  /** A file path and a file's bytes. */
  const path: string, bytes: Uint8Array;
}
