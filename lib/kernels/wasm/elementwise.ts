/**
 * The glue of the elementwise kernels, reductions and argmax: float32 operands of the
 * shapes the module handles (equal, scalar, or a block repeating along leading axes
 * as a bias does; reductions over contiguous axes) are copied into scratch memory,
 * mapped there four lanes at a time and copied out. Everything else, other dtypes,
 * `pow` (no vector form) and arrays too small to repay crossing into WebAssembly, goes
 * to the reference kernels.
 *
 * @module
 */
import type { BinaryOpcode, Kernels, Reducer, UnaryOpcode } from '../backend.js';
import { referenceKernels as ref } from '../reference/index.js';
import { product, type Dims, type NumArray } from '../types.js';
import type { WasmExports } from './exports.js';
import { layout, type Heap } from './heap.js';

/**
 * Below this many elements the reference's loop beats copying in and out of linear
 * memory: crossing into the module costs about 0.5 µs, which the reference's add, mul,
 * exp or tanh take at 32-64 elements (measured on this 2-core machine).
 */
const SMALL = 64;
/** The same for addInto, whose reference loop is the fastest there is: about 512 elements. */
const SMALL_ADD = 512;

// the module's opcode numbers (assembly/elementwise.ts)
const UNARY_CODE: Readonly<Record<UnaryOpcode, number>> = {
  neg: 0, exp: 1, log: 2, tanh: 3, sigmoid: 4, relu: 5, sqrt: 6, abs: 7,
};
const BINARY_CODE: Readonly<Record<BinaryOpcode, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  equal: 7, notEqual: 8, less: 9, lessEqual: 10, greater: 11, greaterEqual: 12,
};

const f32 = (x: NumArray): x is Float32Array => x instanceof Float32Array;

/** True when `dims`, past its leading 1s, are the trailing extents of `outDims`: the operand repeats as one block. */
const isTrailingBlock = (dims: Dims, outDims: Dims): boolean => {
  const lead = outDims.length - dims.length;
  if (lead < 0) return false;
  let k = 0;
  while (k < dims.length && dims[k] === 1) k++;
  for (; k < dims.length; k++) if (dims[k] !== outDims[lead + k]) return false;
  return true;
};

/** Rows, columns and per-row steps of a binary map, or null when the shapes need the general walk. */
const rowPlan = (na: number, aDims: Dims, nb: number, bDims: Dims, outDims: Dims, n: number): [number, number, number, number] | null => {
  if (na === n && nb === n) return [1, n, n, n];
  if (nb === 1 && na === n) return [n, 1, 1, 0];
  if (na === 1 && nb === n) return [n, 1, 0, 1];
  if (na === n && nb > 0 && isTrailingBlock(bDims, outDims)) return [n / nb, nb, nb, 0];
  if (nb === n && na > 0 && isTrailingBlock(aDims, outDims)) return [n / na, na, 0, na];
  return null;
};

type Elementwise = Pick<Kernels, 'unary' | 'binary' | 'select' | 'addInto' | 'reduce' | 'argmax'>;

/** The elementwise methods of the WebAssembly backend. @internal */
export const createElementwise = (wasm: WasmExports, heap: Heap): Elementwise => {
  /** Copies the arrays into one scratch region; their addresses, then one more of `extra` floats. */
  const stage = (arrays: readonly Float32Array[], extra: number): number[] => {
    const { offsets, bytes } = layout([...arrays.map((x) => x.length), extra]);
    const base = heap.scratch(bytes);
    const view = heap.f32();
    arrays.forEach((x, i) => view.set(x, (base + offsets[i]!) >> 2));
    return offsets.map((o) => base + o);
  };
  const unload = (out: Float32Array, at: number): void => out.set(heap.f32().subarray(at >> 2, (at >> 2) + out.length));

  const unary = (op: UnaryOpcode, x: NumArray, out: NumArray): void => {
    if (!f32(x) || !f32(out) || out.length < SMALL) return ref.unary(op, x, out);
    const [at] = stage([x], 0);
    wasm.unary(UNARY_CODE[op], at!, at!, out.length);
    unload(out, at!);
  };

  const binary = (op: BinaryOpcode, a: NumArray, aDims: Dims, b: NumArray, bDims: Dims, out: NumArray, outDims: Dims): void => {
    const n = out.length;
    const plan = op === 'pow' || !f32(a) || !f32(b) || !f32(out) || n < SMALL ? null
      : rowPlan(a.length, aDims, b.length, bDims, outDims, n);
    if (plan === null) return ref.binary(op, a, aDims, b, bDims, out, outDims);
    const [aAt, bAt, outAt] = stage([a as Float32Array, b as Float32Array], n);
    wasm.binary(BINARY_CODE[op], aAt!, plan[2], bAt!, plan[3], outAt!, plan[0], plan[1]);
    unload(out as Float32Array, outAt!);
  };

  const select: Kernels['select'] = (cond, condDims, x, xDims, y, yDims, out, outDims) => {
    const n = out.length;
    const simple = f32(cond) && f32(x) && f32(y) && f32(out) && n >= SMALL && cond.length === n
      && (x.length === n || x.length === 1) && (y.length === n || y.length === 1);
    if (!simple) return ref.select(cond, condDims, x, xDims, y, yDims, out, outDims);
    const [cAt, xAt, yAt, outAt] = stage([cond as Float32Array, x as Float32Array, y as Float32Array], n);
    wasm.select(cAt!, xAt!, x.length === 1 ? 0 : 1, yAt!, y.length === 1 ? 0 : 1, outAt!, n);
    unload(out as Float32Array, outAt!);
  };

  const addInto = (out: NumArray, x: NumArray): void => {
    if (!f32(out) || !f32(x) || out.length < SMALL_ADD || x.length !== out.length) return ref.addInto(out, x);
    const [outAt, xAt] = stage([out, x], 0);
    wasm.addInto(outAt!, xAt!, out.length);
    unload(out, outAt!);
  };

  const reduce = (x: NumArray, dims: Dims, axes: readonly number[], out: NumArray, reducer: Reducer): void => {
    const contiguous = axes.length > 0 && axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
    if (!f32(x) || !f32(out) || !contiguous || x.length < SMALL) return ref.reduce(x, dims, axes, out, reducer);
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    const [xAt, outAt] = stage([x], out.length);
    wasm.reduce(xAt!, product(dims, 0, first), product(dims, first, last + 1), product(dims, last + 1), outAt!, reducer === 'max' ? 1 : 0);
    unload(out, outAt!);
  };

  const argmax = (x: NumArray, dims: Dims, axis: number, out: Int32Array): void => {
    if (!f32(x) || x.length < SMALL) return ref.argmax(x, dims, axis, out);
    const [xAt, outAt] = stage([x], out.length);
    wasm.argmax(xAt!, product(dims, 0, axis), dims[axis]!, product(dims, axis + 1), outAt!);
    out.set(heap.i32().subarray(outAt! >> 2, (outAt! >> 2) + out.length));
  };

  return { unary, binary, select, addInto, reduce, argmax };
};
