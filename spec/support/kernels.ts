/**
 * Helpers for specs that check a kernel backend against the reference: seeded random
 * float32 data, a fresh WebAssembly backend instance, and an array comparison with
 * rtol/atol in which NaN matches NaN and infinities must match exactly.
 */
import { expect } from 'vitest';
import { compileWasmModule, createWasmKernels, type WasmKernels, type WasmOptions } from '../../lib/kernels/wasm/index.js';
import type { NumArray } from '../../lib/kernels/types.js';

/** A backend instance of its own (own memory and resident cache), so specs do not share state. */
export const freshWasm = (options: WasmOptions = {}): WasmKernels => createWasmKernels(compileWasmModule(), options);

/** Seeded uniform values in [-scale, scale) as float32. */
export const randomF32 = (size: number, seed: number, scale = 1): Float32Array => {
  const data = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return data;
};

/** |got - want| ≤ atol + rtol·|want| everywhere; NaN only where NaN is expected; infinities exactly. */
export const expectAllClose = (got: NumArray, want: NumArray, rtol = 1e-4, atol = 1e-5, what = 'result'): void => {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) expect(g, `${what}[${i}]`).toBe(w);
      continue;
    }
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) expect(g, `${what}[${i}] (want ${w})`).toBeCloseTo(w, 12);
  }
};
