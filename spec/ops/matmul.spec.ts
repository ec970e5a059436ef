/**
 * matmul: the VJP agrees with central finite differences for random M, N, K, batch
 * dimensions that broadcast, all four transpose combinations and rank-1 operands; the
 * forward agrees with a naive triple loop written here (including sizes that cross the
 * kernel's blocking); hand-computed products and gradients; bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, addmm, grad, key, matmul, mul, normal, SeqgradError, sum, tensor, valueAndGrad, type MatmulOptions, type Tensor } from '../../lib/index.js';
import { broadcastPairArb, checkGrad, tensorArb } from '../../lib/testing/index.js';
import { broadcastAll, broadcastRead, expectData, expectGradOk, expectUnchanged, f64, ravel, unravel, expectSeqgradError, RUNS } from '../support/reference.js';

interface Case { readonly a: Tensor; readonly b: Tensor; readonly options: Required<MatmulOptions> }

/** Shapes for op(a) M×K and op(b) K×N with broadcasting batch axes; each operand is rank 1 a quarter of the time. */
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    m: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 3 }),
    batch: broadcastPairArb({ maxRank: 2, maxDim: 3 }),
    transposeA: fc.boolean(), transposeB: fc.boolean(),
    vectorA: fc.nat(3).map((v) => v === 0), vectorB: fc.nat(3).map((v) => v === 0),
  })
  .chain(({ m, n, k, batch, transposeA, transposeB, vectorA, vectorB }) => {
    const shapeA = vectorA ? [k] : [...batch[0], ...(transposeA ? [k, m] : [m, k])];
    const shapeB = vectorB ? [k] : [...batch[1], ...(transposeB ? [n, k] : [k, n])];
    return fc.record({ a: tensorArb(shapeA), b: tensorArb(shapeB), options: fc.constant({ transposeA, transposeB }) });
  });

/** Naive reference: batch broadcast, then a triple loop reading elements through the transpose flags. */
const matmulRef = ({ a, b, options }: Case): { shape: number[]; data: number[] } => {
  const tA = options.transposeA && a.rank > 1;
  const tB = options.transposeB && b.rank > 1;
  const m = a.rank === 1 ? 1 : a.shape.at(tA ? -1 : -2)!;
  const k = a.rank === 1 ? a.shape[0]! : a.shape.at(tA ? -2 : -1)!;
  const n = b.rank === 1 ? 1 : b.shape.at(tB ? -2 : -1)!;
  const batchA = a.rank === 1 ? [] : a.shape.slice(0, -2);
  const batchB = b.rank === 1 ? [] : b.shape.slice(0, -2);
  const batch = broadcastAll(batchA, batchB)!;
  const elementA = (bi: number[], i: number, p: number): number =>
    a.rank === 1 ? a.data[p]! : a.data[ravel(a.shape, [...unravel(batchA, broadcastRead(batchA, batch, bi)), ...(tA ? [p, i] : [i, p])])]!;
  const elementB = (bi: number[], p: number, j: number): number =>
    b.rank === 1 ? b.data[p]! : b.data[ravel(b.shape, [...unravel(batchB, broadcastRead(batchB, batch, bi)), ...(tB ? [j, p] : [p, j])])]!;
  const data: number[] = [];
  const count = batch.reduce((s, d) => s * d, 1);
  for (let t = 0; t < count; t++) {
    const bi = unravel(batch, t);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += elementA(bi, i, p) * elementB(bi, p, j);
        data.push(s);
      }
    }
  }
  return { shape: [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])], data };
};

describe('matmul: gradients and values', () => {
  it('VJP matches finite differences; forward matches a naive loop (batches, transposes, vectors)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const want = matmulRef(c);
        expectData(matmul(c.a, c.b, c.options), want.shape, want.data, 1e-14);
        expectGradOk(checkGrad((p) => matmul(p.a, p.b, c.options), { a: c.a, b: c.b }));
      }),
      RUNS,
    );
  });

  it('matches the naive loop for all four transpose combinations at sizes that cross the blocking', () => {
    // 67 rows and 259 inner steps exceed the kernel's 64×256 panels; 1030 columns its 1024
    const [m, k, n] = [67, 259, 1030];
    const values = (size: number, seed: number): Float64Array => Float64Array.from({ length: size }, (_, i) => Math.sin(seed + i * 0.37));
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const a = tensor(values(m * k, 1), { shape: transposeA ? [k, m] : [m, k] });
        const b = tensor(values(k * n, 2), { shape: transposeB ? [n, k] : [k, n] });
        // a plain 2-d loop: the general reference's index arithmetic is too slow at this size
        const want = new Float64Array(m * n);
        for (let i = 0; i < m; i++) {
          for (let p = 0; p < k; p++) {
            const x = a.data[transposeA ? p * m + i : i * k + p]!;
            for (let j = 0; j < n; j++) want[i * n + j]! += x * b.data[transposeB ? j * k + p : p * n + j]!;
          }
        }
        expectData(matmul(a, b, { transposeA, transposeB }), [m, n], want, 1e-12);
      }
    }
  });

  it('float32 operands give a float32 product within float32 rounding of the float64 one', () => {
    const a = tensor([[1.1, 2.2, 3.3], [4.4, 5.5, 6.6]]);
    const b = tensor([[0.5, -1], [2, 0.25], [-3, 1.5]]);
    const out = matmul(a, b);
    expect(out.dtype).toBe('float32');
    const want = matmulRef({ a, b, options: { transposeA: false, transposeB: false } });
    expectData(out, [2, 2], want.data, 1e-6);
  });
});

describe('hand-computed cases', () => {
  const a = f64([1, 2, 3, 4], [2, 2]);
  const b = f64([5, 6, 7, 8], [2, 2]);

  it('[[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]; with ones as cotangent dA = 1·Bᵀ, dB = Aᵀ·1', () => {
    const [v, g] = valueAndGrad((p: { a: Tensor; b: Tensor }) => sum(matmul(p.a, p.b)))({ a, b });
    expect(v.item()).toBe(19 + 22 + 43 + 50);
    expectData(matmul(a, b), [2, 2], [19, 22, 43, 50]);
    expectData(g.a, [2, 2], [11, 15, 11, 15]);
    expectData(g.b, [2, 2], [4, 4, 6, 6]);
  });

  it('transposed reads: Aᵀ·B = [[26, 30], [38, 44]], A·Bᵀ = [[17, 23], [39, 53]], Aᵀ·Bᵀ = [[23, 31], [34, 46]]', () => {
    expectData(matmul(a, b, { transposeA: true }), [2, 2], [26, 30, 38, 44]);
    expectData(matmul(a, b, { transposeB: true }), [2, 2], [17, 23, 39, 53]);
    expectData(matmul(a, b, { transposeA: true, transposeB: true }), [2, 2], [23, 31, 34, 46]);
  });

  it('vectors: [1, 2]·[3, 4] = 11 (a scalar); a shared matrix collects the gradient of every batch entry', () => {
    expectData(matmul(f64([1, 2]), f64([3, 4])), [], [11]);
    // x [3, 1, 2] · w [2, 1]: dw = Σ over the batch of xᵀ·1 = column sums of all rows
    const x = f64([1, 2, 3, 4, 5, 6], [3, 1, 2]);
    expectData(grad((w: Tensor) => sum(matmul(x, w)))(f64([1, 1], [2, 1])), [2, 1], [9, 12]);
  });
});

describe('bad input', () => {
  it('an inner-dimension mismatch names both shapes and the transposes', () => {
    const a = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    expectSeqgradError(() => matmul(a, a), /^matmul: inner dimensions differ: a \[2, 3\] has 3 columns, b \[2, 3\] has 2 rows/);
    expectSeqgradError(() => matmul(a, f64([1, 2, 3, 4, 5, 6], [3, 2]), { transposeA: true }), /^matmul: inner dimensions differ: a \[2, 3\]ᵀ has 2 columns, b \[3, 2\] has 3 rows/);
    expectSeqgradError(() => matmul(a, a, { transposeB: true, transposeA: true }), /^matmul: inner dimensions differ: a \[2, 3\]ᵀ has 2 columns, b \[2, 3\]ᵀ has 3 rows/);
    expectSeqgradError(() => matmul(f64([1, 2]), f64([1, 2, 3])), /^matmul: inner dimensions differ: a \[2\] has 2 columns, b \[3\] has 3 rows/);
  });

  it('batch dimensions that do not broadcast name both operands', () => {
    expectSeqgradError(() => matmul(f64(new Array(12).fill(1), [2, 2, 3]), f64(new Array(18).fill(1), [3, 3, 2])), /^matmul: batch dimensions \[2\] of a \[2, 2, 3\] and \[3\] of b \[3, 3, 2\] do not broadcast/);
  });

  it('rank-0 operands, mixed dtypes and int32 are refused', () => {
    expectSeqgradError(() => matmul(f64([2], []), f64([1, 2])), /^matmul: operands must have rank >= 1, got a \[\] and b \[2\]/);
    expectSeqgradError(() => matmul(f64([1, 2]), tensor([1, 2])), /^matmul: dtypes differ: argument 0 is float64, argument 1 is float32/);
    expectSeqgradError(() => matmul(tensor([1, 2], { dtype: 'int32' }), tensor([1, 2], { dtype: 'int32' })), /^matmul: argument 0 has dtype int32/);
    expectSeqgradError(() => matmul(f64([1]), 'w' as unknown as Tensor), /^matmul: argument b must be a Tensor, got string/);
  });
});

describe('immutability', () => {
  it('matmul and its gradient do not mutate the operands', () => {
    fc.assert(
      fc.property(caseArb, ({ a, b, options }) => {
        expectUnchanged([a, b], () => valueAndGrad((p: { a: Tensor; b: Tensor }) => sum(mul(matmul(p.a, p.b, options), 2)))({ a, b }));
      }),
      RUNS,
    );
  });
});

describe('addmm', () => {
  const draw = (seed: number, shape: number[]): Tensor => normal(key(seed), shape, { dtype: 'float64' });

  it('is c + a·bᵀ by hand: [[1, 2]]·[[3, 4]]ᵀ + 10 = 21', () => {
    const out = addmm(tensor([[10]], { dtype: 'float64' }), tensor([[1, 2]], { dtype: 'float64' }), tensor([[3, 4]], { dtype: 'float64' }), { transposeB: true });
    expect(Array.from(out.data)).toEqual([21]);
  });

  it('equals add(c, matmul(a, b)) for every transpose pair, with c full or a broadcast row, and its gradients agree with finite differences', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }),
      fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(1000), (m, k, n, tA, tB, row, seed) => {
        const a = draw(seed, tA ? [k, m] : [m, k]);
        const b = draw(seed + 1, tB ? [n, k] : [k, n]);
        const c = draw(seed + 2, row ? [n] : [m, n]);
        const flags = { transposeA: tA, transposeB: tB };
        const got = addmm(c, a, b, flags);
        const want = add(c, matmul(a, b, flags));
        got.data.forEach((v, i) => expect(v).toBeCloseTo(want.data[i]!, 12));
        const report = checkGrad(([cc, aa, bb]: Tensor[]) => addmm(cc!, aa!, bb!, flags), [c, a, b]);
        expect(report.ok, report.message).toBe(true);
      }), RUNS);
  });

  it('refuses vectors and an addend that does not broadcast, naming addmm', () => {
    expect(() => addmm(draw(1, [2]), draw(2, [2]), draw(3, [2, 2]))).toThrow(SeqgradError);
    expect(() => addmm(draw(1, [3, 2]), draw(2, [2, 2]), draw(3, [2, 2]))).toThrow(/addmm: c \[3, 2\] does not broadcast to the product's shape \[2, 2\]/);
  });
});
