/**
 * Tracing a NaN to the op that made it, when the user asks (`{ checkNaN: true }` on
 * `grad`, `valueAndGrad` or `vjp`). A NaN — or a ±Infinity, such as a float64 overflow
 * — that appears in the forward pass is blamed on the first recorded op whose output
 * holds one while its inputs are finite; in the backward pass, on the first VJP that
 * turns finite cotangents and inputs into one. Inside `scan` the report also names
 * the time step the op was recorded at.
 * Off by default: the scan over every tensor costs a pass over the data.
 *
 * @module
 */
import { SeqgradError, showShape } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Where ops are being recorded right now (`scan step 3`; nested scans join with ` > `),
 * kept while a scan runs its step so that a NaN report can name the step. Diagnostic
 * context only: no value or gradient depends on it.
 */
let recordingAt: string | undefined;

/**
 * Runs `fn` with `label` added to the recording context, restored afterwards even when
 * `fn` throws. Nodes recorded meanwhile carry the context.
 *
 * @internal
 */
export const recordingStep = <R>(label: string, fn: () => R): R => {
  const outer = recordingAt;
  recordingAt = outer === undefined ? label : `${outer} > ${label}`;
  try {
    return fn();
  } finally {
    recordingAt = outer;
  }
};

/** The current recording context, or undefined outside any scan. @internal */
export const currentStep = (): string | undefined => recordingAt;

/** NaN or ±Infinity: what checkNaN looks for (an overflow is as wrong as a 0/0). */
const nonFinite = (t: Tensor): 'NaN' | 'Infinity' | null => {
  const d = t.data;
  let infinite = false;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v !== v) return 'NaN';
    if (v === Infinity || v === -Infinity) infinite = true;
  }
  return infinite ? 'Infinity' : null;
};

const hasNonFinite = (t: Tensor): boolean => nonFinite(t) !== null;

const describeInputs = (inputs: readonly Tensor[]): string => inputs.map((x) => `${x.dtype} ${showShape(x.shape)}`).join(', ');

const where = (at: string | undefined): string => (at === undefined ? '' : ` at ${at}`);

/**
 * Throws naming the op that first produced a NaN or ±Infinity from finite inputs in
 * the forward graph below `outputs`, given the graph's tensors in topological order,
 * and the scan step it was recorded at.
 *
 * @internal
 */
export const checkForwardNaN = (order: readonly Tensor[]): void => {
  for (const t of order) {
    const node = t.node!;
    const bad = node.trace === undefined ? nonFinite(t) : null;
    if (bad !== null && !node.inputs.some(hasNonFinite)) {
      throw new SeqgradError(node.name, `produced ${bad} in the forward pass${where(node.at)} from finite inputs (${describeInputs(node.inputs)})`);
    }
  }
};

/**
 * Throws when a VJP returned NaN or ±Infinity for argument `index` although its
 * cotangent and inputs are finite; `at` is the scan step its node was recorded at.
 *
 * @internal
 */
export const checkBackwardNaN = (name: string, index: number, part: Tensor, dy: Tensor, inputs: readonly Tensor[], at?: string): void => {
  const bad = nonFinite(part);
  if (bad !== null && !hasNonFinite(dy) && !inputs.some(hasNonFinite)) {
    throw new SeqgradError(name, `its VJP produced ${bad} for argument ${index} (${part.dtype} ${showShape(part.shape)})${where(at)} from a finite cotangent and inputs (${describeInputs(inputs)})`);
  }
};
