/**
 * `useThreads`: refuses counts it cannot run (naming the limit), switches between the
 * threaded and the single-threaded backend, and a model computes the same loss either
 * way (the threaded product computes whole rows with the same kernel, so bit for bit).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { backendName, crossEntropy, dense, initDense, key, normal, splitKey, tensor, SeqgradError } from '../lib/index.js';
import { defaultThreads, threadCount, useThreads } from '../lib/threads.js';

afterAll(() => useThreads(1));

describe('useThreads', () => {
  it('refuses 0, fractions, and more threads than cores, naming the limit', () => {
    const limit = Math.min(4, availableParallelism());
    expect(() => useThreads(0)).toThrow(SeqgradError);
    expect(() => useThreads(0)).toThrow(new RegExp(`useThreads: threads must be an integer from 1 to ${limit}`));
    expect(() => useThreads(1.5)).toThrow(/got 1.5/);
    expect(() => useThreads(limit + 1)).toThrow(new RegExp(`got ${limit + 1}`));
  });

  it('defaults to one thread per core, at most four', () => {
    expect(defaultThreads()).toBe(Math.max(1, Math.min(4, availableParallelism())));
  });

  it('switches the backend and keeps results identical', () => {
    const [k1, k2] = splitKey(key(3), 2);
    const params = initDense(k1!, { inputSize: 96, outputSize: 40 });
    const x = normal(k2!, [256, 96]);
    const labels = tensor(Int32Array.from({ length: 256 }, (_, i) => i % 40), { dtype: 'int32' });
    const loss = (): number => crossEntropy(dense(params, x), labels).item();
    expect(useThreads(1)).toBe(1);
    expect(threadCount()).toBe(1);
    const single = loss();
    const threads = defaultThreads();
    expect(useThreads(threads)).toBe(threads);
    expect(threadCount()).toBe(threads);
    expect(backendName()).toBe('wasm');
    expect(loss()).toBe(single);
  });
});
