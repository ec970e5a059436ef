/**
 * Helpers shared by the op definitions: operands that may be plain numbers, and the
 * forward skeletons of elementwise primitives (validate dtypes and shapes, allocate the
 * output, run a kernel).
 *
 * @module
 * @internal
 */
import { kernels, type BinaryOpcode, type UnaryOpcode } from '../kernels/index.js';
import { scalar, zeros } from '../tensor/create.js';
import { commonFloatDType, type DType } from '../tensor/dtype.js';
import { SeqgradError } from '../tensor/errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import { isTensor, Tensor } from '../tensor/tensor.js';

/** A tensor, or a number standing for a scalar of the other operand's dtype. */
export type Operand = Tensor | number;

/** Turns numbers into scalars of `like`'s dtype (float32 when both are numbers). @internal */
export const lift = (op: string, a: Operand, b: Operand): [Tensor, Tensor] => {
  check(op, a, 0);
  check(op, b, 1);
  const dtype: DType = isTensor(a) ? a.dtype : isTensor(b) ? b.dtype : 'float32';
  return [isTensor(a) ? a : scalar(a, { dtype }), isTensor(b) ? b : scalar(b, { dtype })];
};

const check = (op: string, v: unknown, i: number): void => {
  if (!isTensor(v) && typeof v !== 'number') {
    throw new SeqgradError(op, `argument ${i} must be a Tensor or a number, got ${v === null ? 'null' : typeof v}`);
  }
};

/** Checks that `x` is a tensor, naming the op and argument otherwise. @internal */
export const expectTensor = (op: string, x: unknown, name = 'x'): Tensor => {
  if (!isTensor(x)) throw new SeqgradError(op, `argument ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  return x;
};

/** Checks that `value` (shape, window, permutation, widths) is an array, naming the op and argument otherwise. @internal */
export const expectArray = <T>(op: string, value: readonly T[], name: string): readonly T[] => {
  if (!Array.isArray(value)) throw new SeqgradError(op, `argument ${name} must be an array, got ${JSON.stringify(value) ?? typeof value}`);
  return value;
};

/** Forward of a floating unary primitive: the kernel of the opcode that is also the op's name. @internal */
export const unaryForward = (op: UnaryOpcode) => ([x]: readonly [Tensor]): Tensor => {
  const dtype = commonFloatDType(op, [x.dtype]);
  const out = zeros(x.shape, { dtype });
  kernels().unary(op, x.data, out.data);
  return out;
};

/** Forward of a floating binary primitive with broadcasting: the kernel of the opcode that is also the op's name. @internal */
export const binaryForward = (op: BinaryOpcode) => ([a, b]: readonly [Tensor, Tensor]): Tensor => {
  const dtype = commonFloatDType(op, [a.dtype, b.dtype]);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = zeros(shape, { dtype });
  kernels().binary(op, a.data, a.shape, b.data, b.shape, out.data, shape);
  return out;
};
