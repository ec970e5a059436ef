/**
 * What W3's training step cannot do without, in bytes, computed from the shapes alone:
 * the yardstick the measured peak is divided by. It counts what any implementation
 * that stores the usual activations for backpropagation through time must hold at
 * the peak of the backward pass; bench/README.md explains each term.
 */
import type { CharLmSizes } from '../workloads/w3.js';

/** The estimate, term by term (bytes, float32 and int32 at 4 bytes each). */
export interface MemoryEstimate {
  /** LSTM (W_ih, W_hh, b_ih, b_hh) and dense head (weight, bias). */
  readonly params_bytes: number;
  /** Adam's first and second moments: twice the parameters. */
  readonly adam_bytes: number;
  /** Kept from the forward pass for the backward one: 7·B·T·H for the LSTM, B·T·V softmax probabilities. */
  readonly activations_bytes: number;
  /** The gradient: once more the parameters (exists before the update). */
  readonly grads_bytes: number;
  /** The batch: one-hot inputs B·T·V and targets B·T. */
  readonly inputs_bytes: number;
  /** params + Adam + activations: the figure the measured peak is compared with. */
  readonly estimate_bytes: number;
  /** Everything above, gradient and inputs included. */
  readonly estimate_all_bytes: number;
}

const BYTES = 4;

/** The estimate for W3 at `sizes`. */
export const charLmEstimate = ({ batch: b, seq: t, vocab: v, hidden: h }: CharLmSizes): MemoryEstimate => {
  const params = 4 * h * v + 4 * h * h + 2 * 4 * h + v * h + v;
  // per step: c_{t-1}, the four gate activations, tanh(c_t); plus every h_t (as the
  // outputs, which also serve as h_{t-1} of the next step); then the softmax output.
  const activations = 7 * b * t * h + b * t * v;
  const est = { params_bytes: params * BYTES, adam_bytes: 2 * params * BYTES, activations_bytes: activations * BYTES };
  const grads = params * BYTES;
  const inputs = (b * t * v + b * t) * BYTES;
  const estimate = est.params_bytes + est.adam_bytes + est.activations_bytes;
  return { ...est, grads_bytes: grads, inputs_bytes: inputs, estimate_bytes: estimate, estimate_all_bytes: estimate + grads + inputs };
};
