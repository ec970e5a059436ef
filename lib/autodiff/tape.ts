/**
 * The backward pass. Walks the recorded graph from the outputs in reverse topological
 * order, calls each node's VJP, sums every cotangent down to its input's shape (the
 * one place unbroadcasting happens), checks it, and accumulates it in a Map that lives
 * only for this pass. Traversal is iterative, so a scan over thousands of steps does
 * not overflow the stack.
 *
 * @module
 */
import { SeqgradError, showShape } from '../tensor/errors.js';
import { broadcastsTo, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { addSameShape, sumTo } from './broadcast.js';
import { checkBackwardNaN, checkForwardNaN } from './nan-check.js';
import { detach } from './primitive.js';

/**
 * Propagates `seeds` (one cotangent per output) back to every traced tensor reachable
 * from `outputs`, stopping at the leaves of `trace`. Returns the cotangents of those
 * leaves.
 *
 * When the graph also reaches leaves of another (enclosing) trace, the pass keeps its
 * cotangents traced, so the enclosing `grad` can differentiate them; otherwise VJPs see
 * detached tensors and record nothing.
 *
 * @internal
 */
export const backward = (outputs: readonly Tensor[], seeds: readonly Tensor[], trace: object, checkNaN = false): Map<Tensor, Tensor> => {
  const order = topologicalOrder(outputs, trace);
  if (checkNaN) checkForwardNaN(order);
  const createGraph = touchesEnclosingTrace(order, trace);
  const grads = new Map<Tensor, Tensor>();
  outputs.forEach((y, i) => accumulate(grads, y, seeds[i]!));
  for (let n = order.length - 1; n >= 0; n--) {
    const t = order[n]!;
    const node = t.node!;
    const dy = grads.get(t);
    if (dy === undefined || node.trace === trace) continue;
    grads.delete(t); // interior cotangents are done with once pushed back
    const inputs = createGraph ? node.inputs : node.inputs.map(detach);
    const parts = node.vjp(dy, inputs, createGraph ? t : detach(t));
    node.inputs.forEach((input, i) => {
      const part = parts[i];
      if (input.node === null || part === null || part === undefined) return;
      if (checkNaN) checkBackwardNaN(node.name, i, part, dy, node.inputs);
      accumulate(grads, input, fitToInput(node.name, i, part, input));
    });
  }
  return grads;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * Whether the graph below `outputs` reaches an enclosing trace (a `grad` inside a
 * `grad`), so its results must stay traced for the enclosing one.
 *
 * @internal
 */
export const reachesEnclosingTrace = (outputs: readonly Tensor[], trace: object): boolean =>
  touchesEnclosingTrace(topologicalOrder(outputs, trace), trace);

/** Some node is a leaf of another trace, or one of ours that wraps a tensor an enclosing trace is following. */
const touchesEnclosingTrace = (order: readonly Tensor[], trace: object): boolean =>
  order.some(({ node }) => node!.trace !== undefined && (node!.trace !== trace || node!.inputs.length > 0));

const accumulate = (grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void => {
  const prev = grads.get(t);
  grads.set(t, prev === undefined ? g : addSameShape([prev, g], undefined));
};

/** Unbroadcasts a VJP's result to its input's shape, refusing anything that cannot be. */
const fitToInput = (name: string, index: number, part: Tensor, input: Tensor): Tensor => {
  if (part.dtype !== input.dtype) {
    throw new SeqgradError(name, `VJP returned dtype ${part.dtype} for argument ${index}, whose dtype is ${input.dtype}`);
  }
  if (shapesEqual(part.shape, input.shape)) return part;
  if (!broadcastsTo(input.shape, part.shape)) {
    throw new SeqgradError(name, `VJP returned shape ${showShape(part.shape)} for argument ${index} of shape ${showShape(input.shape)}`);
  }
  return sumTo(part, input.shape);
};

/** Traced tensors reachable from `outputs`, each after all of its inputs; the leaves of `trace` are not expanded. */
const topologicalOrder = (outputs: readonly Tensor[], trace: object): Tensor[] => {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: { t: Tensor; next: number }[] = [];
  for (const root of outputs) {
    if (root.node === null || seen.has(root)) continue;
    seen.add(root);
    stack.push({ t: root, next: 0 });
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const node = frame.t.node!;
      const inputs = node.trace === trace ? [] : node.inputs;
      if (frame.next < inputs.length) {
        const child = inputs[frame.next++]!;
        if (child.node !== null && !seen.has(child)) {
          seen.add(child);
          stack.push({ t: child, next: 0 });
        }
      } else {
        order.push(frame.t);
        stack.pop();
      }
    }
  }
  return order;
};
