/**
 * The backend registry: `useBackend` switches every later computation, `backendName`
 * reports it, and a bad name is refused with the accepted ones.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { backendName, kernels, referenceKernels, useBackend } from '../../lib/kernels/index.js';
import { add, tensor } from '../../lib/index.js';

const initial = backendName();

describe('backend registry', () => {
  afterAll(() => useBackend(initial as 'js' | 'wasm'));

  it("useBackend('js') makes the reference kernels run every op", () => {
    useBackend('js');
    expect(backendName()).toBe('js');
    expect(kernels()).toBe(referenceKernels);
    expect(Array.from(add(tensor([1, 2]), tensor([3, 4])).data)).toEqual([4, 6]);
  });

  it('refuses an unknown backend name, naming the accepted ones', () => {
    expect(() => useBackend('gpu' as 'js')).toThrow(/'js' or 'wasm'/);
  });

  it('the default is one of the two backends', () => {
    expect(['js', 'wasm']).toContain(initial);
  });
});
