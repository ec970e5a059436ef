/**
 * W5: matrix products at 256³ and 1024³, GFLOP/s = 2n³ / time. A·B for the ratio (and
 * on tfjs-cpu, which is too slow for more), plus Aᵀ·B and A·Bᵀ on seqgrad and
 * tfjs-wasm: the two products every backward pass of a dense layer needs, where tfjs's
 * wasm kernel is known to fall far below its A·B speed. Each run reads the product
 * back (tfjs's `dataSync`, one element of seqgrad's data, which is already in JS).
 */
import { key, matmul, normal, splitKey, type Tensor } from '../../lib/index.js';
import type { Kernels } from '../../lib/kernels/backend.js';
import { createThreadedWasmKernels } from '../../lib/kernels/wasm/threads/index.js';
import { defaultThreads } from '../../lib/threads.js';
import { tf } from '../harness/tfjs.js';
import type { Impl } from '../harness/types.js';
import type { BuildOptions } from './classifier.js';
import { fromSeqgrad, peerImpl } from './tfjs-side.js';
import { seqgradBackend } from './seqgrad-side.js';

/** The products to time: square sizes and which operands are transposed. */
export interface MatmulSizes {
  readonly sizes: readonly number[];
}

/** The benchmark's sizes. */
export const FULL: MatmulSizes = { sizes: [256, 1024] };

/** The three products, as `[label, transposeA, transposeB]`. */
export const VARIANTS = [['A·B', false, false], ['Aᵀ·B', true, false], ['A·Bᵀ', false, true]] as const;

/** The case that the W5 ratio compares: A·B at the largest size. */
export const ratioCase = (s: MatmulSizes): string => `${Math.max(...s.sizes)}³ A·B`;

/** seqgrad and tfjs-wasm for every product; tfjs-cpu for A·B only. */
export const build = async (s: MatmulSizes, options: BuildOptions): Promise<Impl[]> => {
  const { reps = 7, cpuReps = 5 } = options;
  const backend = await seqgradBackend();
  const impls: Impl[] = [];
  for (const n of s.sizes) {
    const [ka, kb] = splitKey(key(5 + n));
    const a = normal(ka!, [n, n]);
    const b = normal(kb!, [n, n]);
    const flops = 2 * n ** 3;
    for (const [variant, transposeA, transposeB] of VARIANTS) {
      const label = `${n}³ ${variant}`;
      impls.push({ workload: 'W5', impl: 'seqgrad', backend, case: label, flops, reps, step: () => matmul(a, b, { transposeA, transposeB }).data[0]! });
      if (variant === 'A·B') impls.push({ workload: 'W5', impl: `seqgrad ${threads} threads`, backend: 'wasm', case: label, flops, reps, step: threaded(a, b, n) });
      for (const peer of options.backends) {
        if (peer === 'cpu' && variant !== 'A·B') continue;
        await tf.setBackend(peer);
        const step = tfMatmul(fromSeqgrad(a), fromSeqgrad(b), transposeA, transposeB);
        impls.push({ ...peerImpl('W5', 'tfjs', peer, peer === 'cpu' ? cpuReps : reps, step), case: label, flops });
      }
    }
  }
  return impls;
};

/** Threads for the threaded row: both cores here (at least 2, at most what useThreads allows). */
const threads = Math.max(2, defaultThreads());

/**
 * A·B on the threaded backend (`useThreads`), beside the default single-threaded row:
 * the issue asks for both figures. It calls the backend's kernel directly into a kept
 * output array; at these sizes the op's own overhead is far below the timing's noise.
 * Its split policy times both ways in the warm-up runs and then splits.
 */
const threaded = (a: Tensor, b: Tensor, n: number): (() => number) => {
  parallel ??= createThreadedWasmKernels({ threads }).kernels;
  const kernels = parallel;
  const out = new Float32Array(n * n);
  return () => {
    kernels.matmul({ data: a.data, offset: 0, transposed: false }, { data: b.data, offset: 0, transposed: false }, out, 0, n, n, n, false);
    return out[0]!;
  };
};

let parallel: Kernels | undefined;

const tfMatmul = (a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) => (): number => {
  const c = tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, transposeA, transposeB);
  const value = c.dataSync()[0]!;
  c.dispose();
  return value;
};
