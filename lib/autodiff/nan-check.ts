/**
 * Tracing a NaN to the op that made it, when the user asks (`{ checkNaN: true }` on
 * `grad`, `valueAndGrad` or `vjp`). A NaN that appears in the forward pass is blamed
 * on the first recorded op whose output holds one while its inputs hold none; in the
 * backward pass, on the first VJP that turns finite cotangents and inputs into NaN.
 * Off by default: the scan over every tensor costs a pass over the data.
 *
 * @module
 */
import { SeqgradError, showShape } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

const hasNaN = (t: Tensor): boolean => {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) return true;
  return false;
};

const describeInputs = (inputs: readonly Tensor[]): string => inputs.map((x) => `${x.dtype} ${showShape(x.shape)}`).join(', ');

/**
 * Throws naming the op that first produced a NaN in the forward graph below `outputs`,
 * given the graph's tensors in topological order.
 *
 * @internal
 */
export const checkForwardNaN = (order: readonly Tensor[]): void => {
  for (const t of order) {
    const node = t.node!;
    if (node.trace === undefined && hasNaN(t) && !node.inputs.some(hasNaN)) {
      throw new SeqgradError(node.name, `produced NaN in the forward pass from inputs without NaN (${describeInputs(node.inputs)})`);
    }
  }
};

/**
 * Throws when a VJP returned NaN for argument `index` although its cotangent and
 * inputs hold none.
 *
 * @internal
 */
export const checkBackwardNaN = (name: string, index: number, part: Tensor, dy: Tensor, inputs: readonly Tensor[]): void => {
  if (hasNaN(part) && !hasNaN(dy) && !inputs.some(hasNaN)) {
    throw new SeqgradError(name, `its VJP produced NaN for argument ${index} (${part.dtype} ${showShape(part.shape)}) from a finite cotangent and inputs (${describeInputs(inputs)})`);
  }
};
