/**
 * `pow`, on its own because its gradient in the exponent needs `log`: arithmetic.ts
 * sits below unary.ts (whose VJPs use its products and quotients), and `pow` sits
 * above both.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './arithmetic.js';
import { greater, where } from './compare.js';
import { log } from './unary.js';
import { binaryForward, lift, type Operand } from './support.js';

const powP = definePrimitive<void, 2>({
  name: 'pow',
  forward: binaryForward('pow'),
  // d/db a^b = a^b log a, taken as 0 where a <= 0 (there the function is only defined for integer b)
  vjp: (dy, [a, b], out) => [
    mul(dy, mul(b, pow(a, sub(b, 1)))),
    mul(dy, where(greater(a, 0), mul(out, log(where(greater(a, 0), a, 1))), 0)),
  ],
});

/** `a ** b`, broadcasting. The gradient in `b` is taken as 0 where `a <= 0`. @example `pow(x, 2)` */
export const pow = (a: Operand, b: Operand): Tensor => powP(lift('pow', a, b), undefined);
