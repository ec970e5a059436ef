/**
 * The layer-normalised LSTM (Ba et al. 2016): a step checked against a plain-number
 * reference written from the paper's equations, the reduction to gains and shifts
 * at init, gradients through time against finite differences, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, layerNormLstm, tensor, zeros, type LayerNormLstmParams } from '../../../lib/index.js';
import { cellGradReport, seqCaseArb } from '../../support/recurrent.js';

const t64 = (values: number[] | number[][]) => tensor(values, { dtype: 'float64' });
const sigma = (v: number): number => 1 / (1 + Math.exp(-v));

/** Layer norm of one vector with gains and shifts (biased variance, eps inside the root). */
const lnRef = (v: number[], gain: number[], shift: number[], eps = 1e-5): number[] => {
  const mu = v.reduce((s, a) => s + a, 0) / v.length;
  const variance = v.reduce((s, a) => s + (a - mu) ** 2, 0) / v.length;
  return v.map((a, i) => ((a - mu) / Math.sqrt(variance + eps)) * gain[i]! + shift[i]!);
};

// hidden 2, input 1: 8 gate units (i, f, g, o blocks of 2)
const W = [0.3, -0.2, 0.5, 0.1, -0.4, 0.7, 0.2, -0.6];
const U = [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.1], [0.2, 0.2], [-0.5, 0.3], [0.4, 0.1], [0.6, -0.2], [-0.1, 0.5]];
const b = [0.1, 0, -0.1, 1, 0.2, 0, 0.3, -0.2];
const g1 = [1, 2, 0.5, 1.5, 1, 1, 0.8, 1.2];
const s1 = [0.1, 0, 0, -0.1, 0.2, 0, 0, 0.05];
const g2 = [0.9, 1, 1.1, 1, 1, 0.7, 1, 1.3];
const s2 = [0, 0.1, 0, 0, -0.2, 0, 0.1, 0];
const g3 = [1.5, 0.5];
const s3 = [0.2, -0.1];
const params: LayerNormLstmParams = {
  weight_ih: t64(W.map((w) => [w])), weight_hh: t64(U), bias: t64(b),
  ln_ih: { weight: t64(g1), bias: t64(s1) }, ln_hh: { weight: t64(g2), bias: t64(s2) }, ln_c: { weight: t64(g3), bias: t64(s3) },
};

describe('layerNormLstm cell', () => {
  it('matches the equations of Ba et al. (2016) computed with plain numbers', () => {
    const [x, h, c] = [0.7, [0.4, -0.3], [0.2, 0.5]];
    const xs = lnRef(W.map((w) => w * x), g1, s1);
    const hs = lnRef(U.map((row) => row[0]! * h[0]! + row[1]! * h[1]!), g2, s2);
    const a = xs.map((v, k) => v + hs[k]! + b[k]!);
    const cNext = [0, 1].map((j) => sigma(a[2 + j]!) * c[j]! + sigma(a[j]!) * Math.tanh(a[4 + j]!));
    const cn = lnRef(cNext, g3, s3);
    const hNext = [0, 1].map((j) => sigma(a[6 + j]!) * Math.tanh(cn[j]!));
    const [next] = layerNormLstm().step(params, { h: t64([h]), c: t64([c]) }, t64([[x]]));
    next.c.data.forEach((v, j) => expect(v).toBeCloseTo(cNext[j]!, 13));
    next.h.data.forEach((v, j) => expect(v).toBeCloseTo(hNext[j]!, 13));
  });

  it('initialises gains to 1, shifts to 0, and the forget bias when asked', () => {
    const p = layerNormLstm().init(key(2), { inputSize: 3, hiddenSize: 2, dtype: 'float64', initializer: { forgetBias: 1 } });
    expect([p.weight_ih.shape, p.weight_hh.shape, p.bias!.shape, p.ln_c.weight!.shape]).toEqual([[8, 3], [8, 2], [8], [2]]);
    expect(Array.from(p.ln_ih.weight!.data)).toEqual(Array(8).fill(1));
    expect(Array.from(p.ln_hh.bias!.data)).toEqual(Array(8).fill(0));
    expect(Array.from(p.bias!.data.slice(2, 4))).toEqual([1, 1]);
  });

  it('gradients through time agree with finite differences (random sizes, lengths, direction)', () => {
    const cell = layerNormLstm();
    // a layer norm over two values maps them to about ±1 whatever they are, with a
    // derivative like 1/|a − b|: where the two nearly meet, finite differences cannot
    // follow it (one drawn case had a gradient of 1,119, off by 0.02%), so three or more
    fc.assert(fc.property(seqCaseArb({ minHidden: 3, maxHidden: 4 }), (c) => {
      // move gains and shifts off 1 and 0 so their gradients are exercised at a generic point
      const report = cellGradReport(cell, c, (base) =>
        ({ ...base, ln_ih: { weight: t64(Array.from(base.ln_ih.weight!.data, (_, i) => 1 + 0.1 * Math.sin(i + c.seed))), bias: base.ln_ih.bias } }));
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('refuses a wrong input size and wrong carry shapes, naming the cell', () => {
    const p = layerNormLstm().init(key(0), { inputSize: 3, hiddenSize: 2 });
    const ok = { h: zeros([1, 2]), c: zeros([1, 2]) };
    expect(() => layerNormLstm().step(p, ok, zeros([1, 2]))).toThrow(/layerNormLstm: x_t has shape \[1, 2\] but weight_ih \[8, 3\]/);
    expect(() => layerNormLstm().step(p, { ...ok, c: zeros([1, 3]) }, zeros([1, 3]))).toThrow(/layerNormLstm: carry c has shape \[1, 3\]/);
    expect(() => layerNormLstm().step(p, { ...ok, h: zeros([2, 2]) }, zeros([1, 3]))).toThrow(/carry h has shape \[2, 2\]/);
  });
});
