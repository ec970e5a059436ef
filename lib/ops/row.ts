/**
 * `row(x, i)`: entry i along axis 0 without that axis — a time step of a time-major
 * sequence, one half of a stacked pair. It is what `squeeze(slice(x, ...), 0)` computes,
 * as one primitive: a view of x's data (the entry is one contiguous block), and a
 * window cotangent the tape adds in place. Recurrent loops take one at every step, so
 * it saves a tensor and a tape node per step over the two-op form.
 *
 * @module
 * @internal
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { pad, reshape } from './shape.js';

const rowP = definePrimitive<number, 1>({
  name: 'row',
  forward: ([x], i) => {
    const shape = x.shape.slice(1);
    const size = x.size / x.shape[0]!;
    return new Tensor(x.data.subarray(i * size, (i + 1) * size), shape);
  },
  vjp: (dy, [x], _, i) => {
    const value = reshape(dy, [1, ...dy.shape]);
    const begin = x.shape.map((_d, axis) => (axis === 0 ? i : 0));
    return [{ window: true, value, begin, materialize: () => pad(value, x.shape.map((d, axis) => (axis === 0 ? [i, d - i - 1] as const : [0, 0] as const))) }];
  },
});

/** Entry `i` along axis 0 of `x`, without that axis (a view). @internal */
export const row = (x: Tensor, i: number): Tensor => {
  if (x.rank === 0 || !Number.isInteger(i) || i < 0 || i >= x.shape[0]!) {
    throw new SeqgradError('row', `index ${i} is outside axis 0 of x ${showShape(x.shape)}`);
  }
  return rowP([x], i);
};
