/**
 * The three primitives the tape itself needs: `sumTo` (unbroadcasting a cotangent to
 * its input's shape), its adjoint `broadcastTo`, and `addSameShape` (accumulating two
 * cotangents). They live here rather than in lib/ops so that the tape depends on
 * nothing above it; lib/ops re-exports `broadcastTo` and `sumTo`.
 *
 * @module
 */
import { kernels } from '../kernels/index.js';
import { zeros } from '../tensor/create.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { broadcastsTo, checkShape, shapesEqual, type Shape } from '../tensor/shape.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { definePrimitive } from './primitive.js';

/** The axes of `to` along which a tensor of shape `from` is repeated (leading extra axes included). */
const broadcastAxes = (from: Shape, to: Shape): number[] => {
  const lead = to.length - from.length;
  return to.flatMap((d, i) => (i < lead || (from[i - lead] === 1 && d !== 1) ? [i] : []));
};

const sumToPrimitive = definePrimitive<Shape, 1>({
  name: 'sumTo',
  forward: ([x], shape) => {
    if (!broadcastsTo(shape, x.shape)) {
      throw new SeqgradError('sumTo', `shape ${showShape(shape)} does not broadcast to the input's shape ${showShape(x.shape)}`);
    }
    const out = zeros(shape, { dtype: x.dtype });
    kernels().reduce(x.data, x.shape, broadcastAxes(shape, x.shape), out.data, 'sum');
    return out;
  },
  vjp: (dy, [x]) => [broadcastTo(dy, x.shape)],
});

const broadcastToPrimitive = definePrimitive<Shape, 1>({
  name: 'broadcastTo',
  forward: ([x], shape) => {
    if (!broadcastsTo(x.shape, shape)) {
      throw new SeqgradError('broadcastTo', `input shape ${showShape(x.shape)} does not broadcast to ${showShape(shape)}`);
    }
    const out = zeros(shape, { dtype: x.dtype });
    kernels().broadcastInto(x.data, x.shape, out.data, shape);
    return out;
  },
  vjp: (dy, [x]) => [sumTo(dy, x.shape)],
});

/** Sums `x` over the axes along which `shape` was broadcast to x's shape. Identity when shapes match. */
export const sumTo = (x: Tensor, shape: Shape): Tensor =>
  shapesEqual(checked('sumTo', x, shape).shape, shape) ? x : sumToPrimitive([x], shape);

/** Repeats `x` along broadcast axes to `shape` (NumPy rules). Identity when shapes match. */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor =>
  shapesEqual(checked('broadcastTo', x, shape).shape, shape) ? x : broadcastToPrimitive([x], shape);

/** Refuses a non-tensor `x` or a malformed `shape` in the caller's terms, before the shape comparison reads them. */
const checked = (op: string, x: Tensor, shape: Shape): Tensor => {
  if (!isTensor(x)) throw new SeqgradError(op, `argument x must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  checkShape(op, shape);
  return x;
};

/** Adds two cotangents of the same shape and dtype. @internal */
export const addSameShape = definePrimitive<void, 2>({
  name: 'accumulate',
  forward: ([a, b]) => {
    const out = zeros(a.shape, { dtype: a.dtype });
    kernels().binary('add', a.data, a.shape, b.data, b.shape, out.data, out.shape);
    return out;
  },
  vjp: (dy) => [dy, dy],
});
