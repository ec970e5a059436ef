/**
 * deepEncoderDecoder: shapes and attention rows; the bridge against the same
 * computation spelt out with bidirectional(recurrent(cell)) and dense; dropout only
 * while training, reproducible from the key; greedy and beam search drive it;
 * gradients against finite differences (random cells, depth, direction, dropout);
 * bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beamDecode, bidirectional, concat, deepEncoderDecoder, dense, embedding, greedyDecode, gru, key, lstm, recurrent, sum, tanh, tensor,
  type Tensor,
} from '../../../lib/index.js';
import { checkGrad } from '../../../lib/testing/index.js';

const ids = (rows: number[][]): Tensor => tensor(rows, { dtype: 'int32' });
const src = ids([[3, 4, 5, 1], [2, 3, 0, 0]]);
const tgtIn = ids([[1, 4, 2], [1, 3, 0]]);
const tgtOut = ids([[4, 2, 2], [3, 2, 0]]);
const batch = { src, tgtIn, tgtOut, srcLengths: [4, 2], tgtLengths: [3, 2] };
const sizes = { srcVocab: 6, tgtVocab: 5, embeddingDim: 3, hiddenSize: 4, dtype: 'float64' as const };

describe('deepEncoderDecoder', () => {
  it('gives logits per target step and attention rows that sum to 1 over the valid source', () => {
    const model = deepEncoderDecoder({ cell: lstm(), encoderLayers: 2 });
    const params = model.init(key(0), sizes);
    const { logits, attention } = model.forward(params, batch);
    expect(logits.shape).toEqual([2, 3, 5]);
    const w = attention!.toArray() as number[][][];
    w.forEach((row, b) => row.forEach((step) => {
      expect(step.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
      step.forEach((v, s) => (s >= batch.srcLengths[b]! ? expect(v).toBe(0) : undefined));
    }));
    expect(Number.isFinite(model.loss(params, batch).item())).toBe(true);
  });

  it('bridges the final forward and backward carries: tanh(W [h_fwd; h_bwd] + b) per leaf', () => {
    const cell = lstm();
    const model = deepEncoderDecoder({ cell, encoderLayers: 1 });
    const params = model.init(key(1), sizes);
    const x = embedding(params.encoder.embedding, src);
    const layer = params.encoder.layers[0] as { forward: any; backward: any };
    const { carry } = bidirectional(recurrent(cell))(layer, x, { lengths: [4, 2] });
    const expected = (['h', 'c'] as const).map((leaf, i) => tanh(dense(params.bridge[i]!, concat([carry.forward[leaf], carry.backward[leaf]], -1))));
    const got = model.encode(params, src, [4, 2]).carry as { h: Tensor; c: Tensor };
    expect(Array.from(got.h.data)).toEqual(Array.from(expected[0]!.data));
    expect(Array.from(got.c.data)).toEqual(Array.from(expected[1]!.data));
    expect(params.bridge[0]!.weight.shape).toEqual([4, 4]); // 2 per direction in, decoder's 4 out
  });

  it('applies dropout only while training, reproducibly from the key', () => {
    const model = deepEncoderDecoder({ cell: gru(), encoderLayers: 2, carryDropout: 0.3, layerDropout: 0.3 });
    const params = model.init(key(2), sizes);
    const evaluation = model.loss(params, batch).item();
    expect(model.loss(params, batch, { train: false, key: key(5) }).item()).toBe(evaluation);
    const a = model.loss(params, batch, { train: true, key: key(5) }).item();
    expect(a).not.toBe(evaluation);
    expect(model.loss(params, batch, { train: true, key: key(5) }).item()).toBe(a);
    expect(model.loss(params, batch, { train: true, key: key(6) }).item()).not.toBe(a);
    expect(() => model.loss(params, batch, { train: true })).toThrow(/deepEncoderDecoder: train: true needs a key/);
  });

  it('is driven by greedy and beam search, which agree at width 1', () => {
    const model = deepEncoderDecoder({ cell: gru(), bidirectional: false, attention: 'dot', encoderLayers: 1 });
    const params = model.init(key(3), { ...sizes, hiddenSize: 4 });
    const options = { start: 1, end: 2, maxLength: 6, srcLengths: [4, 2] };
    const greedy = greedyDecode(model, params, src, options);
    const beams = beamDecode(model, params, src, { ...options, width: 1 });
    expect(beams.map((b) => b[0]!.tokens)).toEqual(greedy.map((g) => g.tokens));
  });

  it('gradients agree with finite differences (random cell, direction, depth, dropout)', () => {
    const small = { srcVocab: 4, tgtVocab: 3, embeddingDim: 2, hiddenSize: 2, dtype: 'float64' as const };
    const b = { src: ids([[1, 2, 3], [3, 1, 0]]), tgtIn: ids([[1, 2], [1, 0]]), tgtOut: ids([[2, 0], [0, 1]]), srcLengths: [3, 2], tgtLengths: [2, 1] };
    fc.assert(fc.property(fc.constantFrom(lstm(), gru()), fc.boolean(), fc.integer({ min: 1, max: 2 }), fc.boolean(), fc.nat(100), (cell, bi, layers, train, seed) => {
      const model = deepEncoderDecoder<any, any>({ cell, bidirectional: bi, encoderLayers: layers, carryDropout: 0.3, layerDropout: 0.3 });
      const params = model.init(key(seed), { ...small, encoderHidden: 1 });
      const report = checkGrad((p: typeof params) => sum(model.loss(p, b, { train, key: key(seed + 1) })), params);
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 4 });
  });

  it('refuses bad options, naming them', () => {
    expect(() => deepEncoderDecoder({ cell: lstm(), encoderLayers: 0 })).toThrow(/deepEncoderDecoder: encoderLayers must be a positive integer, got 0/);
    expect(() => deepEncoderDecoder({ cell: lstm(), carryDropout: 1 })).toThrow(/deepEncoderDecoder: carryDropout must lie in \[0, 1\), got 1/);
    expect(() => deepEncoderDecoder({ cell: lstm(), attention: 'cosine' as never })).toThrow(/attention must be dot, general, additive or null/);
    expect(() => deepEncoderDecoder({ cell: lstm() }).init(key(0), { ...sizes, hiddenSize: 3 })).toThrow(/encoderHidden .* must be a positive integer, got 1.5/);
  });
});
