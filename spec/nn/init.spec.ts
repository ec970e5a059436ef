/**
 * Initialisers: PyTorch's uniform bound, Glorot's per-block bound, orthogonal blocks
 * (checked by QQᵀ = I or QᵀQ = I computed here), determinism from the key, and the
 * cells' use of the schemes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { glorotUniform, gru, initWeight, key, lstm, orthogonal, pytorchUniform, type Tensor } from '../../lib/index.js';

const absMax = (t: Tensor): number => Math.max(...Array.from(t.data, Math.abs));

/** The Gram matrix of the rows (or columns) of block `k` of `t` as a plain 2-d array. */
const gram = (t: Tensor, blocks: number, k: number, ofRows: boolean): number[][] => {
  const [rows, cols] = [t.shape[0]! / blocks, t.shape[1]!];
  const at = (i: number, j: number): number => t.data[(k * rows + i) * cols + j]!;
  const n = ofRows ? rows : cols;
  const m = ofRows ? cols : rows;
  return Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => {
    let s = 0;
    for (let q = 0; q < m; q++) s += ofRows ? at(a, q) * at(b, q) : at(q, a) * at(q, b);
    return s;
  }));
};

describe('initialisers', () => {
  it('pytorchUniform stays within ±1/√hidden and fills it (PyTorch default)', () => {
    const w = pytorchUniform(key(0), [64, 16], 16, { dtype: 'float64' });
    expect(absMax(w)).toBeLessThanOrEqual(0.25);
    expect(absMax(w)).toBeGreaterThan(0.24);
  });

  it('glorotUniform uses fanIn = cols and fanOut = rows per block', () => {
    const w = glorotUniform(key(1), [30, 4], { blocks: 3, dtype: 'float64' });
    const bound = Math.sqrt(6 / (4 + 10));
    expect(absMax(w)).toBeLessThanOrEqual(bound);
    expect(absMax(w)).toBeGreaterThan(0.9 * bound);
  });

  it('orthogonal blocks have orthonormal rows (wide) or columns (tall), times the gain', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (blocks, r, c, seed) => {
      const gain = 1 + (seed % 3);
      const w = orthogonal(key(seed), [blocks * r, c], { blocks, gain, dtype: 'float64' });
      for (let k = 0; k < blocks; k++) {
        gram(w, blocks, k, r <= c).forEach((line, a) => line.forEach((v, b) => expect(v).toBeCloseTo(a === b ? gain * gain : 0, 10)));
      }
    }), { numRuns: 50 });
  });

  it('is deterministic in the key and differs across keys', () => {
    expect(Array.from(orthogonal(key(5), [6, 3]).data)).toEqual(Array.from(orthogonal(key(5), [6, 3]).data));
    expect(Array.from(glorotUniform(key(5), [6, 3]).data)).not.toEqual(Array.from(glorotUniform(key(6), [6, 3]).data));
  });

  it('cells draw each weight by the scheme asked for', () => {
    const p = gru().init(key(2), { inputSize: 3, hiddenSize: 4, dtype: 'float64', initializer: { inputWeights: 'glorotUniform', hiddenWeights: 'orthogonal' } });
    for (let k = 0; k < 3; k++) gram(p.weight_hh, 3, k, true).forEach((line, a) => line.forEach((v, b) => expect(v).toBeCloseTo(a === b ? 1 : 0, 10)));
    expect(absMax(p.weight_ih)).toBeLessThanOrEqual(Math.sqrt(6 / 7));
    const q = lstm().init(key(2), { inputSize: 3, hiddenSize: 4, initializer: { forgetBias: 2 } });
    expect(Array.from(q.bias_ih!.data.slice(4, 8))).toEqual([2, 2, 2, 2]);
  });

  it('refuses bad shapes, block counts and scheme names', () => {
    expect(() => orthogonal(key(0), [7, 3], { blocks: 2 })).toThrow(/orthogonal: needs a matrix shape whose rows divide into 2 blocks, got \[7, 3\]/);
    expect(() => glorotUniform(key(0), [4])).toThrow(/glorotUniform: needs a matrix shape/);
    expect(() => pytorchUniform(key(0), [4], 0)).toThrow(/hiddenSize must be a positive integer/);
    expect(() => initWeight('he' as never, key(0), [4, 4], { hiddenSize: 4 })).toThrow(/unknown scheme "he"/);
  });
});
