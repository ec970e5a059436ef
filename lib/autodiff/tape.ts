/**
 * The backward pass. Walks the recorded graph from the outputs in reverse topological
 * order, calls each node's VJP, sums every cotangent down to its input's shape (the
 * one place unbroadcasting happens), checks it, and accumulates it in a Map that lives
 * only for this pass. Traversal is iterative, so a scan over thousands of steps does
 * not overflow the stack.
 *
 * Accumulation: the first cotangent of a tensor is kept as it is; from the second on,
 * the pass sums into a buffer it owns and adds in place, and a slice's cotangent
 * (a window) is added into that buffer at its offset. Owned buffers never escape while
 * the pass can still write them; a pass that must stay differentiable (nested `grad`)
 * adds with recorded ops instead.
 *
 * @module
 */
import { SeqgradError, showShape } from '../tensor/errors.js';
import { broadcastsTo, shapesEqual } from '../tensor/shape.js';
import { kernels } from '../kernels/index.js';
import { zerosLike } from '../tensor/create.js';
import { Tensor, type Cotangent, type DeferredCotangent, type WindowCotangent } from '../tensor/tensor.js';
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
  const acc: Accumulator = { grads: new Map(), owned: new Set(), pending: new Map(), createGraph };
  outputs.forEach((y, i) => accumulate(acc, y, seeds[i]!));
  const { grads } = acc;
  for (let n = order.length - 1; n >= 0; n--) {
    const t = order[n]!;
    const node = t.node!;
    flushPending(acc, t);
    const dy = grads.get(t);
    if (dy === undefined || node.trace === trace) continue;
    grads.delete(t); // interior cotangents are done with once pushed back
    acc.owned.delete(dy); // a VJP may hand dy on as is: from here it is not ours to write
    const inputs = createGraph ? node.inputs : node.inputs.map(detach);
    const needs = node.inputs.map((input) => input.node !== null);
    const parts = node.vjp(dy, inputs, createGraph ? t : detach(t), needs);
    node.inputs.forEach((input, i) => {
      const given = parts[i];
      if (input.node === null || given === null || given === undefined) return;
      // the NaN check reads values, so a deferred product is computed for it
      const part = checkNaN && isDeferred(given) ? given.materialize() : given;
      if (checkNaN) checkBackwardNaN(node.name, i, isWindow(part) ? part.value : (part as Tensor), dy, node.inputs, node.at);
      accumulate(acc, input, isWindow(part) ? checkWindow(node.name, i, part, input)
        : isDeferred(part) ? checkDeferred(node.name, i, part, input) : fitToInput(node.name, i, part, input));
    });
  }
  for (const t of [...acc.pending.keys()]) flushPending(acc, t);
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

/**
 * The cotangents of one pass, which of them are buffers the pass may write, and the
 * deferred products waiting to be added (all at once, when the input's cotangent is
 * first read).
 */
interface Accumulator {
  readonly grads: Map<Tensor, Tensor>;
  readonly owned: Set<Tensor>;
  readonly pending: Map<Tensor, DeferredCotangent[]>;
  readonly createGraph: boolean;
}

const isWindow = (part: Cotangent): part is WindowCotangent => (part as WindowCotangent).window === true;
const isDeferred = (part: Cotangent): part is DeferredCotangent => (part as DeferredCotangent).deferred === true;

const accumulate = (acc: Accumulator, t: Tensor, g: Cotangent): void => {
  const { grads, createGraph } = acc;
  const prev = grads.get(t);
  if (createGraph) {
    const part = isWindow(g) || isDeferred(g) ? g.materialize() : g;
    grads.set(t, prev === undefined ? part : addSameShape([prev, part], undefined));
  } else if (isDeferred(g)) {
    const waiting = acc.pending.get(t);
    if (waiting) waiting.push(g);
    else acc.pending.set(t, [g]);
  } else if (isWindow(g) && prev === undefined && g.value.size === t.size) {
    // a window over all of t (a one-step block's row) is t's whole cotangent: no buffer, no copy
    grads.set(t, new Tensor(g.value.data, t.shape));
  } else if (isWindow(g)) {
    const buffer = ownedBuffer(acc, t, prev);
    kernels().copyWindow(buffer.data, buffer.shape, g.value.data, g.value.shape, g.begin, 'add');
  } else if (prev === undefined) {
    grads.set(t, g);
  } else {
    kernels().addInto(ownedBuffer(acc, t, prev).data, g.data);
  }
};

/** Adds t's deferred products into its buffer: one call for all of them, which the producer may batch. */
const flushPending = (acc: Accumulator, t: Tensor): void => {
  const waiting = acc.pending.get(t);
  if (waiting === undefined) return;
  acc.pending.delete(t);
  const buffer = ownedBuffer(acc, t, acc.grads.get(t)).data;
  const [first, ...others] = waiting;
  if (others.length === 0) first!.addInto(buffer);
  else first!.addAllInto(buffer, others);
};

/** The pass's own buffer for t's cotangent: `prev` itself when already ours, else a fresh copy of it (or zeros). */
const ownedBuffer = (acc: Accumulator, t: Tensor, prev: Tensor | undefined): Tensor => {
  if (prev !== undefined && acc.owned.has(prev)) return prev;
  const buffer = prev === undefined ? zerosLike(t) : new Tensor(prev.data.slice(), prev.shape);
  acc.owned.add(buffer);
  acc.grads.set(t, buffer);
  return buffer;
};

/** A window cotangent must match its input's dtype and rank and lie inside it. */
const checkWindow = (name: string, index: number, part: WindowCotangent, input: Tensor): WindowCotangent => {
  const { value, begin } = part;
  const fits = value.rank === input.rank && begin.length === input.rank && begin.every((b, i) => b >= 0 && b + value.shape[i]! <= input.shape[i]!);
  if (value.dtype !== input.dtype || !fits) {
    throw new SeqgradError(name, `VJP returned a ${value.dtype} window ${showShape(value.shape)} at [${begin.join(', ')}] for argument ${index}, a ${input.dtype} ${showShape(input.shape)}`);
  }
  return part;
};

/** A deferred cotangent must have exactly its input's shape and dtype (it is added in place, never unbroadcast). */
const checkDeferred = (name: string, index: number, part: DeferredCotangent, input: Tensor): DeferredCotangent => {
  if (part.dtype !== input.dtype || !shapesEqual(part.shape, input.shape)) {
    throw new SeqgradError(name, `VJP returned a deferred ${part.dtype} ${showShape(part.shape)} for argument ${index}, a ${input.dtype} ${showShape(input.shape)}`);
  }
  return part;
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
