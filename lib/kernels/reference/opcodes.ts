/**
 * What each elementwise opcode computes, as plain JavaScript functions. The reference
 * backend maps them over arrays; the WebAssembly backend is checked against them.
 *
 * @module
 */
import type { BinaryOpcode, UnaryOpcode } from '../backend.js';

/** The logistic function, exp only ever taken of a non-positive number so it cannot overflow. */
export const stableSigmoid = (v: number): number => {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
};

/** Each unary opcode's function. */
export const UNARY: Readonly<Record<UnaryOpcode, (v: number) => number>> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: stableSigmoid,
  // relu keeps NaN (v === v is false only for NaN)
  relu: (v) => (v > 0 ? v : v === v ? 0 : v),
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/** Each binary opcode's function; comparisons give 1 or 0. */
export const BINARY: Readonly<Record<BinaryOpcode, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // NaN wins, as in PyTorch's maximum and minimum
  maximum: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
};
