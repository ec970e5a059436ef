/**
 * attention: a hand-computed dot case, masking, the general form with W = I equal to
 * the dot form, one-step queries equal to one-row sequences, gradient properties for
 * each kind with and without a mask, a masked row equal to the same row alone on its
 * unpadded source, and errors naming the op and shapes.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { concat, eye, key, reshape, slice, tensor, SeqgradError, type Tensor } from '../../lib/index.js';
import {
  additiveAttention, attention, dotAttention, generalAttention, initAttention, lengthMask,
  type AdditiveAttentionParams, type AttentionKind, type AttentionParams, type GeneralAttentionParams,
} from '../../lib/nn/attention.js';
import { checkGrad, tensorArb } from '../../lib/testing/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[][] | number[][][]): Tensor => tensor(v, { dtype: 'float64' });

/** Both outputs side by side, so checkGrad's random cotangent covers each. */
const both = (a: Tensor, b: Tensor): Tensor => concat([reshape(a, [-1]), reshape(b, [-1])], 0);

/** Random sizes, query, keys, params and lengths for one attention kind. */
const caseArb = <K extends AttentionKind>(kind: K, masked: boolean) =>
  fc.record({
    batch: fc.integer({ min: 1, max: 3 }),
    time: fc.integer({ min: 1, max: 3 }),
    source: fc.integer({ min: 1, max: 4 }),
    queryDim: fc.integer({ min: 1, max: 3 }),
    keyDim: fc.integer({ min: 1, max: 3 }),
    units: fc.integer({ min: 1, max: 3 }),
    seed: fc.nat(1000),
  }).chain((s) => {
    const queryDim = kind === 'dot' ? s.keyDim : s.queryDim;
    const params = initAttention(kind, key(s.seed), { queryDim, keyDim: s.keyDim, units: s.units, dtype: 'float64' });
    return fc.record({
      query: tensorArb([s.batch, s.time, queryDim]),
      keys: tensorArb([s.batch, s.source, s.keyDim]),
      lengths: masked
        ? fc.array(fc.integer({ min: 1, max: s.source }), { minLength: s.batch, maxLength: s.batch })
        : fc.constant(undefined),
      params: fc.constant(params),
    });
  });

describe('attention', () => {
  it('dot: weights = softmax(q·k), context = weights·keys (hand-computed)', () => {
    const keys = f64([[[1, 0], [0, 1], [1, 1]]]);
    const { context, weights } = dotAttention(f64([[[2, 0]]]), keys);
    const e = [Math.exp(2), 1, Math.exp(2)];
    const z = e[0]! + e[1]! + e[2]!;
    expectClose(weights, f64([[[e[0]! / z, e[1]! / z, e[2]! / z]]]), 1e-14);
    expectClose(context, f64([[[(e[0]! + e[2]!) / z, (e[1]! + e[2]!) / z]]]), 1e-14);
  });

  it('masks positions past each row length: their weights are exactly zero', () => {
    const keys = f64([[[1, 0], [0, 1], [1, 1]], [[1, 2], [3, 4], [5, 6]]]);
    const { weights, context } = dotAttention(f64([[[2, 0]], [[0, 1]]]), keys, { lengths: [2, 1] });
    const e = Math.exp(2);
    expectClose(weights, f64([[[e / (e + 1), 1 / (e + 1), 0]], [[1, 0, 0]]]), 1e-14);
    expectClose(context, f64([[[e / (e + 1), 1 / (e + 1)]], [[1, 2]]]), 1e-14);
    const viaMask = dotAttention(f64([[[2, 0]], [[0, 1]]]), keys, { mask: lengthMask([2, 1], 3, 'float64') });
    expectClose(viaMask.weights, weights, 0);
  });

  it('general with W = I equals dot; a one-step query equals a one-row sequence', () => {
    const keys = f64([[[0.3, -1, 2], [1, 0.5, -0.2]]]);
    const q = f64([[[0.1, 0.7, -0.4], [1, 1, 1]]]);
    const general = generalAttention({ weight: eye(3, { dtype: 'float64' }) }, q, keys);
    expectClose(general.context, dotAttention(q, keys).context, 1e-15);
    const p = initAttention('additive', key(4), { queryDim: 3, keyDim: 3, units: 2, dtype: 'float64' });
    const step = attention('additive', p, reshape(slice(q, [0, 1, 0], [1, 1, 3]), [1, 3]), keys);
    const seq = attention('additive', p, q, keys);
    expect(step.weights.shape).toEqual([1, 2]);
    expectClose(step.weights, reshape(slice(seq.weights, [0, 1, 0], [1, 1, 2]), [1, 2]), 1e-15);
  });

  for (const kind of ['dot', 'general', 'additive'] as const) {
    for (const masked of [false, true]) {
      it(`${kind}${masked ? ' with a length mask' : ''}: gradients agree with finite differences (property)`, () => {
        fc.assert(fc.property(caseArb(kind, masked), (c) => {
          const f = (x: { query: Tensor; keys: Tensor; params: AttentionParams }) => {
            const { context, weights } = attention(kind, x.params, x.query, x.keys, c.lengths ? { lengths: c.lengths } : {});
            return both(context, weights);
          };
          const report = checkGrad(f, { query: c.query, keys: c.keys, params: c.params });
          expect(report.ok, report.message).toBe(true);
        }), { numRuns: 50 });
      });
    }
  }

  it('a masked row equals the same row alone on its unpadded source (property)', () => {
    fc.assert(fc.property(caseArb('additive', true), (c) => {
      const full = attention('additive', c.params, c.query, c.keys, { lengths: c.lengths! });
      c.lengths!.forEach((n, b) => {
        const q = slice(c.query, [b, 0, 0], [1, -1, -1]);
        const k = slice(c.keys, [b, 0, 0], [1, n, -1]);
        const alone = attention('additive', c.params, q, k);
        expectClose(slice(full.context, [b, 0, 0], [1, -1, -1]), alone.context, 1e-12);
        expectClose(slice(full.weights, [b, 0, 0], [1, -1, n]), alone.weights, 1e-12);
      });
    }), { numRuns: 50 });
  });

  it('types the parameters by the kind, so no cast is needed', () => {
    expectTypeOf(initAttention('dot', key(0), { queryDim: 2, keyDim: 2 })).toEqualTypeOf<null>();
    expectTypeOf(initAttention('general', key(0), { queryDim: 2, keyDim: 2 })).toEqualTypeOf<GeneralAttentionParams>();
    expectTypeOf(initAttention('additive', key(0), { queryDim: 2, keyDim: 2 })).toEqualTypeOf<AdditiveAttentionParams>();
    expectTypeOf<AttentionParams>().toEqualTypeOf<GeneralAttentionParams | AdditiveAttentionParams | null>();
    expectTypeOf<Parameters<typeof attention<'general'>>[1]>().toEqualTypeOf<GeneralAttentionParams>();
    // the parameters stay plain records of tensors: the general form's one leaf, by name
    const g = initAttention('general', key(0), { queryDim: 3, keyDim: 2 });
    expect(Object.keys(g)).toEqual(['weight']);
    expect(g.weight.shape).toEqual([3, 2]);
  });

  it('refuses mismatched widths, batches and lengths, naming the op and shapes', () => {
    const keys = f64([[[1, 0], [0, 1]]]);
    expect(() => dotAttention(f64([[[1, 2, 3]]]), keys)).toThrow(SeqgradError);
    expect(() => dotAttention(f64([[[1, 2, 3]]]), keys)).toThrow(/dotAttention: query \[1, 1, 3\] must have width 2 to match keys \[1, 2, 2\]/);
    expect(() => dotAttention(f64([[[1, 2]], [[1, 2]]]), keys)).toThrow(/dotAttention: query must be \[batch, queryDim\] or \[batch, time, queryDim\] with keys' batch 1, got \[2, 1, 2\]/);
    expect(() => dotAttention(f64([[[1, 2]]]), keys, { lengths: [3] })).toThrow(/lengths\[0\] = 3 must be an integer in \[1, 2\]/);
    expect(() => dotAttention(f64([[[1, 2]]]), keys, { lengths: [1, 1] })).toThrow(/lengths has 2 entries but keys \[1, 2, 2\] have 1 rows/);
    expect(() => dotAttention(f64([[[1, 2]]]), keys, { mask: f64([[0, 0]]) })).toThrow(/mask row 0 masks every source position/);
    const g = initAttention('general', key(0), { queryDim: 3, keyDim: 2, dtype: 'float64' });
    expect(() => generalAttention(g, f64([[[1, 2]]]), keys)).toThrow(/generalAttention: weight must be \[2, 2\] to match query \[1, 1, 2\] and keys \[1, 2, 2\], got \[3, 2\]/);
    const a = initAttention('additive', key(0), { queryDim: 2, keyDim: 3, units: 4, dtype: 'float64' });
    expect(() => additiveAttention(a, f64([[[1, 2]]]), keys)).toThrow(/additiveAttention: keyWeight must be \[4, 2\] to match keys \[1, 2, 2\] and v \[4\], got \[4, 3\]/);
    expect(() => attention('cosine' as AttentionKind, null, f64([[[1, 2]]]), keys)).toThrow(/attention: kind must be dot, general or additive, got cosine/);
  });
});
