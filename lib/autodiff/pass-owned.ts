/**
 * An intermediate whose memory a one-shot gradient pass may reuse. The pool
 * (tensor/pool.ts) recycles what a backward pass allocates, but the forward's arrays
 * are the caller's: any of them may be returned or kept. A layer that makes an array
 * no caller can ever see (a recurrent layer's projected inputs, read only by its steps)
 * says so with `passOwned`, and the pass takes the array back once the last VJP that
 * reads it has run. Without that, a training step allocates those arrays afresh every
 * time, and on small steps allocation and the garbage collection it brings cost as much
 * as the arithmetic.
 *
 * @module
 * @internal
 */
import { adoptIntoPass } from '../tensor/pool.js';
import { Tensor } from '../tensor/tensor.js';
import { definePrimitive } from './primitive.js';

const passOwnedP = definePrimitive<boolean, 1>({
  name: 'passOwned',
  forward: ([x]) => new Tensor(x.data, x.shape),
  vjp: (dy, _, out, owned) => {
    // every consumer's VJP runs before this one (the tape runs in reverse topological
    // order), so nothing reads the array in this pass any more
    if (owned) adoptIntoPass(out.data);
    return [dy];
  },
});

/**
 * True when `x`'s memory was allocated by an op of the computation: not a leaf's (the
 * caller's tensor), found by following views (a reshape shares its input's memory) back
 * to the op whose output is not a view of any of its inputs.
 */
const madeBy = (x: Tensor): boolean => {
  const node = x.node;
  if (node === null || node.inputs.length === 0) return false;
  const viewed = node.inputs.find((input) => input.data.buffer === x.data.buffer);
  return viewed === undefined || madeBy(viewed);
};

/**
 * The same values, as an intermediate that only the caller's own ops read: once a
 * one-shot gradient pass (`grad`, `valueAndGrad`) has run every VJP that reads it, its
 * memory goes back to the pool. The caller promises that nothing outside the
 * computation it builds holds `x` or a view of it; untraced, it is `x` as it is.
 *
 * @internal
 */
export const passOwned = (x: Tensor): Tensor => (x.node === null ? x : passOwnedP([x], madeBy(x)));
