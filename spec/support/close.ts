/**
 * Elementwise comparison of tensors with a relative tolerance and a readable failure.
 */
import { expect } from 'vitest';
import type { Tensor } from '../../lib/index.js';

/** The worst relative error |a - b| / max(|b|, 1e-12·scale) between two tensors, with its index. */
export const worstRelativeError = (actual: Tensor, expected: Tensor): { error: number; index: number } => {
  const scale = Math.max(...Array.from(expected.data, Math.abs), 1e-300);
  let error = 0;
  let index = -1;
  expected.data.forEach((e, i) => {
    const a = actual.data[i]!;
    // relative to the element, but never finer than 1e-8 of the tensor's largest magnitude
    const err = Math.abs(a - e) / Math.max(Math.abs(e), 1e-8 * scale);
    if (!(err <= error)) {
      error = err;
      index = i;
    }
  });
  return { error, index };
};

/** Asserts equal shapes and a worst relative error below `tolerance`. */
export const expectClose = (actual: Tensor, expected: Tensor, tolerance: number, what = 'tensor'): void => {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  const { error, index } = worstRelativeError(actual, expected);
  expect(error, `${what}: worst relative error at flat index ${index} (got ${actual.data[index]}, want ${expected.data[index]})`).toBeLessThanOrEqual(tolerance);
};
