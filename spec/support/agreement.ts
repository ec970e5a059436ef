/**
 * Helpers for the specs that run one computation on both kernel backends and compare:
 * seeded float32 (and float64) inputs, a run under `useBackend('js')` and under
 * `useBackend('wasm')`, forward values with the gradients a random cotangent pulls
 * back through `vjp`, and a tree comparison with rtol/atol that names the leaf. The
 * reference (js) result is always the expected one.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { flatten, mapTree, tensor, useBackend, vjp, type DType, type Tensor } from '../../lib/index.js';
import { expectAllClose, randomF32 } from './kernels.js';

/** The tolerance the speed issue asks of the two backends in float32. */
export const AGREE = { rtol: 1e-4, atol: 1e-5 } as const;

/** fast-check runs per agreement property: modest, since every run is two full forward and backward passes. */
export const AGREE_RUNS = { numRuns: 12 } as const;

/** A tolerance pair. */
export interface Tolerance { readonly rtol: number; readonly atol: number }

/** A seeded tensor with values uniform in [low, high), rounded to float32 and stored in `dtype`. */
export const seeded = (shape: readonly number[], seed: number, low = -1, high = 1, dtype: DType = 'float32'): Tensor => {
  const size = shape.reduce((n, d) => n * d, 1);
  const unit = randomF32(size, seed, 1);
  const data = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  // round through float32 either way, so a float64 copy holds exactly the float32 inputs
  unit.forEach((u, i) => (data[i] = Math.fround(low + ((u + 1) / 2) * (high - low))));
  return tensor(data, { shape: [...shape], dtype });
};

/** The same values in another dtype (exact: float32 values are float64 values). */
export const recast = (t: Tensor, dtype: DType): Tensor =>
  tensor(dtype === 'float32' ? Float32Array.from(t.data) : Float64Array.from(t.data), { shape: [...t.shape], dtype });

/** A seed for fast-check. */
export const seedArb = fc.integer({ min: 1, max: 2 ** 30 });

/** The result of one op under one backend: its outputs and the gradients of its inputs. */
export interface Differentiated<Y, X> { readonly y: Y; readonly grads: X }

/**
 * Runs `f` on `inputs` under `vjp` and pulls back a seeded cotangent (uniform in
 * [-1, 1), of each output's shape and dtype): the outputs and every input's gradient.
 */
export const withGrads = <X, Y>(f: (x: X) => Y, inputs: X, seed: number): Differentiated<Y, X> => {
  const [y, pullback] = vjp(f, inputs);
  let k = 0;
  const cotangent = mapTree(y, (t) => seeded(t.shape, seed * 31 + ++k, -1, 1, t.dtype));
  return { y, grads: pullback(cotangent) };
};

/** Runs `compute` on the reference backend, then on WebAssembly. */
export const onBoth = <T>(compute: () => T): { js: T; wasm: T } => {
  useBackend('js');
  const js = compute();
  useBackend('wasm');
  const wasm = compute();
  return { js, wasm };
};

/** Asserts two trees of tensors have the same paths, shapes and dtypes and elements within `tol` of `want`. */
export const expectTreesClose = (got: unknown, want: unknown, tol: Tolerance, what: string): void => {
  const g = flatten(got);
  const w = flatten(want);
  expect(g.map((p) => p.path), `${what}: leaves`).toEqual(w.map((p) => p.path));
  w.forEach(({ path, leaf }, i) => {
    const other = g[i]!.leaf;
    expect(other.shape, `${what}${path}: shape`).toEqual(leaf.shape);
    expect(other.dtype, `${what}${path}: dtype`).toBe(leaf.dtype);
    expectAllClose(other.data, leaf.data, tol.rtol, tol.atol, `${what}${path}`);
  });
};

/** Runs `compute` on both backends and asserts the WebAssembly result matches the reference's. */
export const expectBackendsAgree = (compute: () => unknown, what: string, tol: Tolerance = AGREE): void => {
  const { js, wasm } = onBoth(compute);
  expectTreesClose(wasm, js, tol, `${what} (wasm vs js)`);
};
