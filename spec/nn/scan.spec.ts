/**
 * scan: prefix sums computed by hand (forward, reverse, with lengths), gradients
 * through a tree-structured scan against finite differences, reverse = flip·scan·flip,
 * and a padded batch with lengths equal to each row run alone on its unpadded
 * sequence (values and gradients), in both directions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, concat, flip, matmul, mul, pad as padTensor, reshape, scan, slice, sum, tanh, tensor, vjp, zeros, type Tensor,
} from '../../lib/index.js';
import { checkGrad } from '../../lib/testing/index.js';
import { expectClose } from '../support/close.js';
import { caseKeys, randn, seqCaseArb, type SeqCase } from '../support/recurrent.js';

/** A tree-structured step: carry { h, acc }, input { u, v }, output { h, g }. */
interface Vars { readonly W: Tensor; readonly U: Tensor; readonly u: Tensor; readonly v: Tensor; readonly h0: Tensor }
type Carry = { readonly h: Tensor; readonly acc: Tensor };
const stepOf = (p: Vars) => (c: Carry, x: { u: Tensor; v: Tensor }): [Carry, { h: Tensor; g: Tensor }] => {
  const h = tanh(add(add(matmul(x.u, p.W), matmul(c.h, p.U)), x.v));
  const acc = add(c.acc, mul(h, h));
  return [{ h, acc }, { h, g: mul(h, x.v) }];
};
const run = (p: Vars, lengths: number[] | undefined, reverse: boolean) =>
  scan(stepOf(p), { h: p.h0, acc: mul(p.h0, 0) }, { u: p.u, v: p.v }, { lengths, reverse });
const flat = ([carry, ys]: [Carry, { h: Tensor; g: Tensor }]): Tensor =>
  concat([carry.h, carry.acc, ys.h, ys.g].map((t) => reshape(t, [-1])), 0);

const varsOf = (c: SeqCase): Vars => {
  const [kw, ku, kx, kv, kh] = caseKeys(c, 5);
  return {
    W: randn(kw!, [c.input, c.hidden], 0.7), U: randn(ku!, [c.hidden, c.hidden], 0.7),
    u: randn(kx!, [c.batch, c.time, c.input]), v: randn(kv!, [c.batch, c.time, 1]), h0: randn(kh!, [c.batch, c.hidden], 0.5),
  };
};

/** Row b of a batch-first tensor, its first `steps` steps (or all of them for rank 2). */
const row = (t: Tensor, b: number, steps?: number): Tensor =>
  slice(t, t.shape.map((_, i) => (i === 0 ? b : 0)), t.shape.map((d, i) => (i === 0 ? 1 : i === 1 && steps !== undefined && t.rank === 3 ? steps : d)));

describe('scan', () => {
  const x = tensor([[[1], [2], [3], [4]], [[10], [20], [30], [40]]], { dtype: 'float64' });
  const prefix = (c: Tensor, xt: Tensor): [Tensor, Tensor] => [add(c, xt), add(c, xt)];
  const init = tensor([[0], [100]], { dtype: 'float64' });

  it('computes prefix sums by hand, forward and reverse', () => {
    const [carry, ys] = scan(prefix, init, x);
    expect(ys.toArray()).toEqual([[[1], [3], [6], [10]], [[110], [130], [160], [200]]]);
    expect(carry.toArray()).toEqual([[10], [200]]);
    const [rc, rys] = scan(prefix, init, x, { reverse: true });
    expect(rys.toArray()).toEqual([[[10], [9], [7], [4]], [[200], [190], [170], [140]]]);
    expect(rc.toArray()).toEqual([[10], [200]]);
  });

  it('with lengths, freezes each carry at its row end, zeroes the padding, and starts a reverse pass at the last valid step', () => {
    const [carry, ys] = scan(prefix, init, x, { lengths: [4, 2] });
    expect(ys.toArray()).toEqual([[[1], [3], [6], [10]], [[110], [130], [0], [0]]]);
    expect(carry.toArray()).toEqual([[10], [130]]);
    const [rc, rys] = scan(prefix, init, x, { lengths: [4, 2], reverse: true });
    expect(rys.toArray()).toEqual([[[10], [9], [7], [4]], [[130], [120], [0], [0]]]);
    expect(rc.toArray()).toEqual([[10], [130]]);
  });

  it('gradients through a tree-structured scan agree with finite differences (random sizes, lengths, direction)', () => {
    fc.assert(fc.property(seqCaseArb(), (c) => {
      const report = checkGrad((p: Vars) => flat(run(p, c.lengths, c.reverse)), varsOf(c));
      expect(report.ok, report.message).toBe(true);
    }), { numRuns: 50 });
  });

  it('reverse equals flip, scan, flip', () => {
    fc.assert(fc.property(seqCaseArb(), (c) => {
      const p = varsOf(c);
      const [carry, ys] = run(p, undefined, true);
      const [fc2, fys] = scan(stepOf(p), { h: p.h0, acc: mul(p.h0, 0) }, { u: flip(p.u, 1), v: flip(p.v, 1) });
      expectClose(carry.h, fc2.h, 0, 'carry.h');
      expectClose(carry.acc, fc2.acc, 0, 'carry.acc');
      expectClose(ys.h, flip(fys.h, 1), 0, 'ys.h');
      expectClose(ys.g, flip(fys.g, 1), 0, 'ys.g');
    }), { numRuns: 50 });
  });

  it('a batch with lengths equals each row alone on its unpadded sequence, values and gradients, both directions', () => {
    fc.assert(fc.property(seqCaseArb().filter((c) => c.lengths !== undefined), (c) => {
      const p = varsOf(c);
      const lengths = c.lengths!;
      const cot = randn(caseKeys(c, 6)[5]!, [flat(run(p, lengths, c.reverse)).size]);
      const loss = (q: Vars) => sum(mul(flat(run(q, lengths, c.reverse)), cot));
      const batched = run(p, lengths, c.reverse);
      const g = vjp(loss, p)[1](tensor(1, { dtype: 'float64' }));
      let gW = zeros(p.W.shape, { dtype: 'float64' });
      let gU = zeros(p.U.shape, { dtype: 'float64' });
      lengths.forEach((n, b) => {
        const alone: Vars = { W: p.W, U: p.U, u: row(p.u, b, n), v: row(p.v, b, n), h0: row(p.h0, b) };
        const [carry, ys] = run(alone, undefined, c.reverse);
        expectClose(row(batched[0].h, b), carry.h, 1e-12, `carry.h row ${b}`);
        expectClose(row(batched[0].acc, b), carry.acc, 1e-12, `carry.acc row ${b}`);
        expectClose(row(batched[1].h, b, n), ys.h, 1e-12, `ys.h row ${b}`);
        if (n < c.time) expect(Array.from(slice(batched[1].g, [b, n, 0], [1, -1, -1]).data).every((v) => v === 0)).toBe(true);
        // the row's share of the cotangent, in flat() order
        const rowLoss = (q: Vars) => sum(mul(flatRow(run(q, undefined, c.reverse), b, n, c), cot));
        const gr = vjp(rowLoss, alone)[1](tensor(1, { dtype: 'float64' }));
        expectClose(row(g.u, b, n), gr.u, 1e-10, `grad u row ${b}`);
        expectClose(row(g.h0, b), gr.h0, 1e-10, `grad h0 row ${b}`);
        gW = add(gW, gr.W);
        gU = add(gU, gr.U);
      });
      expectClose(g.W, gW, 1e-10, 'grad W');
      expectClose(g.U, gU, 1e-10, 'grad U');
    }), { numRuns: 50 });
  });

  it('refuses lengths out of range, the wrong number of lengths and inputs with different time extents', () => {
    expect(() => scan(prefix, init, x, { lengths: [4, 5] })).toThrow(/scan: lengths\[1\] = 5 must be an integer in \[1, 4\]/);
    expect(() => scan(prefix, init, x, { lengths: [0, 2] })).toThrow(/lengths\[0\] = 0/);
    expect(() => scan(prefix, init, x, { lengths: [4] })).toThrow(/lengths has 1 entries but the batch has 2 rows/);
    expect(() => scan((c: Tensor, t: { a: Tensor; b: Tensor }) => prefix(c, t.a), init, { a: x, b: zeros([2, 3, 1]) })).toThrow(/input 1 has shape \[2, 3, 1\]/);
  });
});

/**
 * flat() of a single-row run, laid out where that row's entries sit in the batched
 * flat() vector, zeros elsewhere (so one cotangent serves both).
 */
const flatRow = ([carry, ys]: [Carry, { h: Tensor; g: Tensor }], b: number, n: number, c: SeqCase): Tensor => {
  const padRows = (t: Tensor): Tensor => {
    const widths = t.shape.map((d, i): [number, number] => (i === 0 ? [b, c.batch - b - 1] : i === 1 && t.rank === 3 ? [0, c.time - n] : [0, 0]));
    return reshape(padTensor(t, widths), [-1]);
  };
  return concat([carry.h, carry.acc, ys.h, ys.g].map(padRows), 0);
};
