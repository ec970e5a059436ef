/**
 * gather and scatterAdd: VJPs against central finite differences with random indices
 * that repeat (so the scatter-add gradient must accumulate), forwards against index
 * arithmetic written here, hand-computed lookups, bad input and immutability.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { gather, grad, mul, scatterAdd, sum, tensor, valueAndGrad, type Tensor } from '../../lib/index.js';
import { checkGrad, shapeArb, tensorArb } from '../../lib/testing/index.js';
import { expectData, expectGradOk, expectUnchanged, f64, ravel, unravel, expectSeqgradError, RUNS } from '../support/reference.js';

const sizeOf = (s: readonly number[]): number => s.reduce((n, d) => n * d, 1);

/** int32 indices of `shape` in [0, extent): with extent <= 3 and up to 9 of them, repeats are common. */
const indicesArb = (shape: readonly number[], extent: number): fc.Arbitrary<Tensor> =>
  fc.array(fc.integer({ min: 0, max: extent - 1 }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
    .map((v) => tensor(Int32Array.from(v), { shape }));

interface GatherCase { readonly x: Tensor; readonly indices: Tensor; readonly axis: number }

const gatherArb: fc.Arbitrary<GatherCase> = shapeArb({ minRank: 1, maxRank: 3, maxDim: 3 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((a) =>
    fc.record({
      x: tensorArb(shape),
      indices: shapeArb({ maxRank: 2, maxDim: 3 }).chain((s) => indicesArb(s, shape[a]!)),
      axis: fc.constantFrom(a, a - shape.length),
    })));

/** Reference gather: out[pre, j..., post] = x[pre, indices[j...], post]. */
const gatherRef = ({ x, indices, axis }: GatherCase): { shape: number[]; data: number[] } => {
  const a = axis < 0 ? axis + x.rank : axis;
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const data = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const j = unravel(shape, i);
    const at = indices.data[ravel(indices.shape, j.slice(a, a + indices.rank))]!;
    return x.data[ravel(x.shape, [...j.slice(0, a), at, ...j.slice(a + indices.rank)])]!;
  });
  return { shape, data };
};

/** Reference scatter-add: every element of `values` added into a zero tensor at its index. */
const scatterRef = (values: Tensor, indices: Tensor, a: number, extent: number): { shape: number[]; data: number[] } => {
  const shape = [...values.shape.slice(0, a), extent, ...values.shape.slice(a + indices.rank)];
  const data = new Array<number>(sizeOf(shape)).fill(0);
  for (let i = 0; i < values.size; i++) {
    const j = unravel(values.shape, i);
    const at = indices.data[ravel(indices.shape, j.slice(a, a + indices.rank))]!;
    data[ravel(shape, [...j.slice(0, a), at, ...j.slice(a + indices.rank)])]! += values.data[i]!;
  }
  return { shape, data };
};

describe('gather and scatterAdd: gradients and values', () => {
  it('gather: VJP (a scatter-add accumulating repeats) matches finite differences; forward matches index arithmetic', () => {
    fc.assert(
      fc.property(gatherArb, (c) => {
        const want = gatherRef(c);
        expectData(gather(c.x, c.indices, c.axis), want.shape, want.data);
        expectGradOk(checkGrad((t: Tensor) => gather(t, c.indices, c.axis), c.x));
      }),
      RUNS,
    );
  });

  it('scatterAdd: VJP (a gather) matches finite differences; forward accumulates repeated indices', () => {
    const caseArb = gatherArb.chain(({ x, indices, axis }) => {
      // values shaped like gather's output, scattered back into an axis of x's extent there
      const a = axis < 0 ? axis + x.rank : axis;
      const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
      return fc.record({ values: tensorArb(shape), indices: fc.constant(indices), axis: fc.constant(axis), extent: fc.constant(x.shape[a]!) });
    });
    fc.assert(
      fc.property(caseArb, ({ values, indices, axis, extent }) => {
        const a = axis < 0 ? axis + values.rank - indices.rank + 1 : axis;
        const want = scatterRef(values, indices, a, extent);
        expectData(scatterAdd(values, indices, axis, extent), want.shape, want.data, 1e-15);
        expectGradOk(checkGrad((t: Tensor) => scatterAdd(t, indices, axis, extent), values));
      }),
      RUNS,
    );
  });
});

describe('hand-computed cases', () => {
  const table = f64([1, 2, 3, 4, 5, 6], [3, 2]);
  const ids = tensor([2, 0, 2], { dtype: 'int32' });

  it('an embedding lookup of rows [2, 0, 2]; the gradient counts each row\'s uses: [[1, 1], [0, 0], [2, 2]]', () => {
    expectData(gather(table, ids), [3, 2], [5, 6, 1, 2, 5, 6]);
    expectData(grad((t: Tensor) => sum(gather(t, ids)))(table), [3, 2], [1, 1, 0, 0, 2, 2]);
  });

  it('picking one column per row along axis 1 with a scalar index drops the axis', () => {
    expectData(gather(table, tensor(1, { dtype: 'int32' }), 1), [3], [2, 4, 6]);
    expectData(gather(table, tensor([[1], [0]], { dtype: 'int32' }), -1), [3, 2, 1], [2, 1, 4, 3, 6, 5]);
  });

  it('scatterAdd([1, 2, 3] at [0, 0, 2], extent 3) = [3, 0, 3]', () => {
    expectData(scatterAdd(f64([1, 2, 3]), tensor([0, 0, 2], { dtype: 'int32' }), 0, 3), [3], [3, 0, 3]);
  });
});

describe('bad input', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);
  const int = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });

  it('out-of-range gather indices name the index, its position, the axis and the shape', () => {
    expectSeqgradError(() => gather(x, int([0, 2]), 0), /^gather: index 2 at position 1 is out of range \[0, 2\) for axis 0 of shape \[2, 3\]/);
    expectSeqgradError(() => gather(x, int([-1]), 1), /^gather: index -1 at position 0 is out of range \[0, 3\) for axis 1 of shape \[2, 3\]/);
  });

  it('float indices and invalid axes are refused', () => {
    expectSeqgradError(() => gather(x, f64([0, 1])), /^gather: indices must be int32, got float64/);
    expectSeqgradError(() => gather(x, int([0]), 2), /^gather: axis 2 is out of range for a tensor of rank 2/);
    expectSeqgradError(() => gather(x, [0] as unknown as Tensor), /^gather: argument indices must be a Tensor/);
  });

  it('scatterAdd refuses out-of-range indices, a bad extent and values that do not hold the indices', () => {
    expectSeqgradError(() => scatterAdd(f64([1, 2]), int([0, 3]), 0, 3), /^scatterAdd: index 3 at position 1 is out of range \[0, 3\)/);
    expectSeqgradError(() => scatterAdd(f64([1, 2]), int([0, 1]), 0, 1.5), /^scatterAdd: extent must be a non-negative integer, got 1.5/);
    expectSeqgradError(() => scatterAdd(f64([1, 2, 3], [1, 3]), int([0, 1]), 1, 4), /^scatterAdd: values \[1, 3\] do not hold indices \[2\] at axis 1 \(found \[3\]\)/);
    expectSeqgradError(() => scatterAdd(f64([1, 2]), f64([0, 1]), 0, 2), /^scatterAdd: indices must be int32, got float64/);
  });
});

describe('immutability', () => {
  it('gather, scatterAdd and their gradients mutate neither values nor indices', () => {
    fc.assert(
      fc.property(gatherArb, ({ x, indices, axis }) => {
        expectUnchanged([x, indices], () => valueAndGrad((t: Tensor) => {
          const picked = gather(t, indices, axis);
          const a = axis < 0 ? axis + t.rank : axis;
          return sum(mul(scatterAdd(picked, indices, axis, t.shape[a]!), t));
        })(x));
      }),
      RUNS,
    );
  });
});
