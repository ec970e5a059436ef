/**
 * Comparisons and selection. Comparisons return 1 or 0 in the inputs' dtype and pass
 * no gradient; `where` selects between two branches and routes the cotangent to the
 * branch that was taken.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { kernels, type BinaryOpcode } from '../kernels/index.js';
import { zeros } from '../tensor/create.js';
import { commonFloatDType } from '../tensor/dtype.js';
import { SeqgradError } from '../tensor/errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectTensor, lift, type Operand } from './support.js';

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

const comparison = (name: BinaryOpcode) =>
  definePrimitive<void, 2>({
    name,
    forward: ([a, b]) => {
      if (a.dtype !== b.dtype) throw new SeqgradError(name, `dtypes differ: ${a.dtype} and ${b.dtype}`);
      const shape = broadcastShapes(name, a.shape, b.shape);
      const out = zeros(shape, { dtype: a.dtype });
      kernels().binary(name, a.data, a.shape, b.data, b.shape, out.data, shape);
      return out;
    },
    vjp: () => [null, null],
  });

const equalP = comparison('equal');
const notEqualP = comparison('notEqual');
const lessP = comparison('less');
const lessEqualP = comparison('lessEqual');
const greaterP = comparison('greater');
const greaterEqualP = comparison('greaterEqual');

const whereP = definePrimitive<void, 3>({
  name: 'where',
  forward: ([cond, x, y]) => {
    const dtype = commonFloatDType('where', [x.dtype, y.dtype]);
    const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
    const out = zeros(shape, { dtype });
    kernels().select(cond.data, cond.shape, x.data, x.shape, y.data, y.shape, out.data, shape);
    return out;
  },
  vjp: (dy, [cond]) => [null, where(cond, dy, 0), where(cond, 0, dy)],
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** 1 where `a == b`, else 0 (broadcasting; no gradient). */
export const equal = (a: Operand, b: Operand): Tensor => equalP(lift('equal', a, b), undefined);
/** 1 where `a != b`, else 0. */
export const notEqual = (a: Operand, b: Operand): Tensor => notEqualP(lift('notEqual', a, b), undefined);
/** 1 where `a < b`, else 0. */
export const less = (a: Operand, b: Operand): Tensor => lessP(lift('less', a, b), undefined);
/** 1 where `a <= b`, else 0. */
export const lessEqual = (a: Operand, b: Operand): Tensor => lessEqualP(lift('lessEqual', a, b), undefined);
/** 1 where `a > b`, else 0. */
export const greater = (a: Operand, b: Operand): Tensor => greaterP(lift('greater', a, b), undefined);
/** 1 where `a >= b`, else 0. */
export const greaterEqual = (a: Operand, b: Operand): Tensor => greaterEqualP(lift('greaterEqual', a, b), undefined);

/**
 * `x` where `cond` is non-zero, else `y` (all three broadcast). The gradient flows only
 * into the branch that was selected.
 *
 * @example
 * ```ts
 * const safe = where(greater(x, 0), x, 0); // relu, written out
 * ```
 */
export const where = (cond: Tensor, x: Operand, y: Operand): Tensor => {
  expectTensor('where', cond, 'cond');
  const [a, b] = lift('where', x, y);
  return whereP([cond, a, b], undefined);
};
