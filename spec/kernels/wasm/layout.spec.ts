/**
 * The WebAssembly backend's data movement (row-block copies) against the reference:
 * windows with long and short contiguous runs in every direction, permutations and
 * flips that keep or move the last axis, gathers of long and short rows, scatter-add
 * with repeated indices. Results must be identical: these are copies.
 */
import { describe, expect, it } from 'vitest';
import { referenceKernels as ref } from '../../../lib/kernels/reference/index.js';
import { freshWasm, randomF32 } from '../../support/kernels.js';

const size = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

describe('wasm layout kernels', () => {
  const wasm = freshWasm();

  it('copyWindow reads, writes and adds windows like the reference', () => {
    const cases: [number[], number[], number[]][] = [
      [[4, 6, 40], [2, 3, 20], [1, 2, 5]],
      [[4, 6, 40], [2, 6, 40], [2, 0, 0]],
      [[5, 50], [3, 17], [1, 33]],
      [[5, 7], [2, 3], [3, 4]],
      [[64], [20], [30]],
    ];
    for (const [bigDims, smallDims, starts] of cases) {
      for (const direction of ['read', 'write', 'add'] as const) {
        const big1 = randomF32(size(bigDims), 1);
        const big2 = Float32Array.from(big1);
        const small1 = randomF32(size(smallDims), 2);
        const small2 = Float32Array.from(small1);
        wasm.copyWindow(big1, bigDims, small1, smallDims, starts, direction);
        ref.copyWindow(big2, bigDims, small2, smallDims, starts, direction);
        expect(Array.from(big1), `${direction} ${smallDims} in ${bigDims}`).toEqual(Array.from(big2));
        expect(Array.from(small1), `${direction} ${smallDims} in ${bigDims}`).toEqual(Array.from(small2));
      }
    }
  });

  it('permute and flip match the reference', () => {
    const dims = [3, 4, 5, 20];
    const x = randomF32(size(dims), 3);
    for (const perm of [[1, 0, 2, 3], [2, 1, 0, 3], [0, 1, 3, 2], [3, 2, 1, 0], [0, 1, 2, 3]]) {
      const [got, want] = [new Float32Array(x.length), new Float32Array(x.length)];
      wasm.permute(x, dims, perm, got);
      ref.permute(x, dims, perm, want);
      expect(Array.from(got), `perm ${perm}`).toEqual(Array.from(want));
    }
    for (const axes of [[0], [1, 2], [3], [0, 3], []]) {
      const [got, want] = [new Float32Array(x.length), new Float32Array(x.length)];
      wasm.flip(x, dims, axes, got);
      ref.flip(x, dims, axes, want);
      expect(Array.from(got), `flip ${axes}`).toEqual(Array.from(want));
    }
  });

  it('gather and scatterAdd match the reference', () => {
    for (const dims of [[3, 10, 32], [3, 10, 2], [10, 64]]) {
      const axis = dims.length - 2;
      const indices = Int32Array.from([0, 9, 3, 3, 5]);
      const x = randomF32(size(dims), 4);
      const outDims = dims.map((d, i) => (i === axis ? indices.length : d));
      const [got, want] = [new Float32Array(size(outDims)), new Float32Array(size(outDims))];
      wasm.gather(x, dims, axis, indices, got);
      ref.gather(x, dims, axis, indices, want);
      expect(Array.from(got), `gather ${dims}`).toEqual(Array.from(want));
      const [acc1, acc2] = [randomF32(x.length, 5), randomF32(x.length, 5)];
      wasm.scatterAdd(got, dims, axis, indices, acc1);
      ref.scatterAdd(want, dims, axis, indices, acc2);
      expect(Array.from(acc1), `scatterAdd ${dims}`).toEqual(Array.from(acc2));
    }
  });
});
