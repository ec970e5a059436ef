/**
 * Loading the WebAssembly backend and what it hands to the reference: it loads both
 * synchronously and asynchronously and calls itself 'wasm'; float64 and int32 work
 * gives exactly the reference's results through every method.
 */
import { describe, expect, it } from 'vitest';
import { referenceKernels as ref } from '../../../lib/kernels/reference/index.js';
import { loadWasmKernels, loadWasmKernelsAsync } from '../../../lib/kernels/wasm/index.js';
import { randomF32 } from '../../support/kernels.js';

describe('wasm backend loading and delegation', () => {
  it('loads synchronously and asynchronously as the backend named wasm', async () => {
    expect(loadWasmKernels().name).toBe('wasm');
    expect((await loadWasmKernelsAsync()).name).toBe('wasm');
  });

  it('gives the reference results exactly for float64 and int32 data', () => {
    const wasm = loadWasmKernels();
    for (const make of [(x: Float32Array) => Float64Array.from(x), (x: Float32Array) => Int32Array.from(x, (v) => Math.round(v * 9))]) {
      const a = make(randomF32(200, 1, 3));
      const b = make(randomF32(200, 2, 3));
      const run = (k: typeof ref) => {
        const out = new (a.constructor as Float64ArrayConstructor)(200);
        const product = new (a.constructor as Float64ArrayConstructor)(100);
        const gates = new (a.constructor as Float64ArrayConstructor)(2 * 10);
        k.binary('mul', a, [200], b, [200], out, [200]);
        k.unary('exp', out, out);
        k.addInto(out, a);
        k.matmul({ data: a, offset: 0, transposed: false }, { data: b, offset: 0, transposed: true }, product, 0, 10, 10, 20);
        k.lstmGates(a.subarray(0, 40), b.subarray(0, 10), gates, 1, 10);
        const sums = new (a.constructor as Float64ArrayConstructor)(10);
        k.reduce(a, [10, 20], [1], sums, 'sum');
        return [...out, ...product, ...gates, ...sums];
      };
      expect(run(wasm)).toEqual(run(ref));
    }
  });
});
