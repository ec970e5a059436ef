/**
 * Elementwise arithmetic with NumPy broadcasting: add, sub, mul, div, neg, maximum,
 * minimum (pow, whose gradient needs log, is in power.ts). Each primitive's forward and
 * VJP sit together; a VJP returns cotangents of the broadcast shape and the tape sums
 * them down to each input's shape.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { commonFloatDType } from '../tensor/dtype.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { equal, greater } from './compare.js';
import { binaryForward, expectTensor, lift, unaryForward, type Operand } from './support.js';

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

const addP = definePrimitive<void, 2>({
  name: 'add',
  forward: binaryForward('add'),
  vjp: (dy) => [dy, dy],
});

const subP = definePrimitive<void, 2>({
  name: 'sub',
  forward: binaryForward('sub'),
  vjp: (dy) => [dy, neg(dy)],
});

const mulP = definePrimitive<void, 2>({
  name: 'mul',
  forward: binaryForward('mul'),
  vjp: (dy, [a, b]) => [mul(dy, b), mul(dy, a)],
});

const divP = definePrimitive<void, 2>({
  name: 'div',
  forward: binaryForward('div'),
  vjp: (dy, [, b], out) => [div(dy, b), neg(div(mul(dy, out), b))],
});

const negP = definePrimitive<void, 1>({
  name: 'neg',
  forward: unaryForward('neg'),
  vjp: (dy) => [neg(dy)],
});

// On ties the cotangent is split evenly between both inputs, as PyTorch does.
const tieSplit = (a: Tensor, b: Tensor): Tensor => add(greater(a, b), mul(equal(a, b), 0.5));

const maximumP = definePrimitive<void, 2>({
  name: 'maximum',
  forward: binaryForward('maximum'),
  vjp: (dy, [a, b]) => [mul(dy, tieSplit(a, b)), mul(dy, tieSplit(b, a))],
});

const minimumP = definePrimitive<void, 2>({
  name: 'minimum',
  forward: binaryForward('minimum'),
  vjp: (dy, [a, b]) => [mul(dy, tieSplit(b, a)), mul(dy, tieSplit(a, b))],
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** `a + b`, broadcasting. Numbers act as scalars. @example `add(x, 1)` */
export const add = (a: Operand, b: Operand): Tensor => addP(lift('add', a, b), undefined);

/** `a - b`, broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor => subP(lift('sub', a, b), undefined);

/** `a * b`, broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor => mulP(lift('mul', a, b), undefined);

/** `a / b`, broadcasting. */
export const div = (a: Operand, b: Operand): Tensor => divP(lift('div', a, b), undefined);

/** `-x`. */
export const neg = (x: Tensor): Tensor => negP([expectTensor('neg', x)], undefined);

/** Elementwise maximum; on ties each input gets half the gradient. */
export const maximum = (a: Operand, b: Operand): Tensor => maximumP(lift('maximum', a, b), undefined);

/** Elementwise minimum; on ties each input gets half the gradient. */
export const minimum = (a: Operand, b: Operand): Tensor => minimumP(lift('minimum', a, b), undefined);

/** `x * x`. */
export const square = (x: Tensor): Tensor => mul(expectTensor('square', x), x);

/** `x` limited to `[low, high]`; the gradient is zero outside. */
export const clip = (x: Tensor, low: number, high: number): Tensor => {
  commonFloatDType('clip', [expectTensor('clip', x).dtype]);
  // NaN bounds or low > high would give a tensor of one bound, silently
  if (typeof low !== 'number' || Number.isNaN(low)) throw new SeqgradError('clip', `low must be a number, got ${showValue(low)}`);
  if (typeof high !== 'number' || Number.isNaN(high)) throw new SeqgradError('clip', `high must be a number, got ${showValue(high)}`);
  if (low > high) throw new SeqgradError('clip', `low (${low}) must not exceed high (${high})`);
  return minimum(maximum(x, low), high);
};

/** The sign of `x`: 1, -1, or 0 at zero. No gradient flows through it. */
export const sign = (x: Tensor): Tensor => sub(greater(expectTensor('sign', x), 0), greater(neg(x), 0));
