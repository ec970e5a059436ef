/**
 * losses: hand-computed values and gradients, PyTorch's reductions, ignoreIndex and
 * label smoothing, stability at |logit| = 1e4 in both dtypes, gradient properties
 * against finite differences (fast-check, 50 runs each), and errors naming the loss
 * and the shapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, logSoftmax, reshape, SeqgradError, tensor, valueAndGrad, type DType, type Tensor } from '../../lib/index.js';
import { bceWithLogits, crossEntropy, huber, mse, nll, type Reduction } from '../../lib/nn/losses.js';
import { checkGrad, shapeArb, tensorArb } from '../../lib/testing/index.js';
import { expectClose } from '../support/close.js';

const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });
const ids = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'int32' });
const RUNS = { numRuns: 50 };
const reductionArb = fc.constantFrom<Reduction>('mean', 'sum', 'none');

const expectFinite = (t: Tensor, what: string): void => {
  expect(Array.from(t.data).every(Number.isFinite), `${what} is finite: ${Array.from(t.data)}`).toBe(true);
};

describe('crossEntropy: hand-computed values', () => {
  // softmax([0, ln 3]) = [1/4, 3/4]; softmax([0, 0]) = [1/2, 1/2]
  const logits = f64([[0, Math.log(3)], [0, 0]]);
  const targets = ids([1, 0]);

  it('averages -log p[target] over the targets (mean is the default)', () => {
    expect(crossEntropy(logits, targets).item()).toBeCloseTo((Math.log(4 / 3) + Math.log(2)) / 2, 14);
  });

  it('sums with reduction sum and keeps one loss per target with none', () => {
    expect(crossEntropy(logits, targets, { reduction: 'sum' }).item()).toBeCloseTo(Math.log(4 / 3) + Math.log(2), 14);
    expectClose(crossEntropy(logits, targets, { reduction: 'none' }), f64([Math.log(4 / 3), Math.log(2)]), 1e-14);
  });

  it('has gradient (softmax - onehot) / N', () => {
    const g = grad((z: Tensor) => crossEntropy(z, targets))(logits);
    expectClose(g, f64([[0.25 / 2, -0.25 / 2], [-0.5 / 2, 0.5 / 2]]), 1e-14);
  });

  it('leaves ignored targets out of both the sum and the count of mean, and gives them 0 under none', () => {
    expect(crossEntropy(logits, ids([1, -100])).item()).toBeCloseTo(Math.log(4 / 3), 14);
    expect(crossEntropy(logits, ids([7, 0]), { ignoreIndex: 7 }).item()).toBeCloseTo(Math.log(2), 14);
    expectClose(crossEntropy(logits, ids([1, -100]), { reduction: 'none' }), f64([Math.log(4 / 3), 0]), 1e-14);
    const g = grad((z: Tensor) => crossEntropy(z, ids([1, -100])))(logits);
    expectClose(g, f64([[0.25, -0.25], [0, 0]]), 1e-14);
  });

  it('is NaN under mean when every target is ignored, as PyTorch (0 / 0)', () => {
    expect(Number.isNaN(crossEntropy(logits, ids([-100, -100])).item())).toBe(true);
    expect(crossEntropy(logits, ids([-100, -100]), { reduction: 'sum' }).item()).toBe(0);
  });

  it('smooths labels as PyTorch: (1-ε)·nll + ε·mean over classes of -log p', () => {
    const eps = 0.2;
    const row0 = (1 - eps) * Math.log(4 / 3) + (eps / 2) * (Math.log(4) + Math.log(4 / 3));
    const row1 = (1 - eps) * Math.log(2) + (eps / 2) * (2 * Math.log(2));
    expect(crossEntropy(logits, targets, { labelSmoothing: eps }).item()).toBeCloseTo((row0 + row1) / 2, 14);
    // an ignored row adds nothing to the smoothing term either
    expect(crossEntropy(logits, ids([1, -100]), { labelSmoothing: eps }).item()).toBeCloseTo(row0, 14);
  });

  it('treats leading axes as batch axes: [B, T, C] equals the flattened [B·T, C]', () => {
    const z = tensor(Float64Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.sin(i)), { shape: [2, 3, 4] });
    const t = tensor([[0, 3, 1], [2, 2, -100]], { dtype: 'int32' });
    const flat = crossEntropy(reshape(z, [6, 4]), reshape(t, [6]), { labelSmoothing: 0.1 });
    expect(crossEntropy(z, t, { labelSmoothing: 0.1 }).item()).toBeCloseTo(flat.item(), 14);
    expect(crossEntropy(z, t, { reduction: 'none' }).shape).toEqual([2, 3]);
  });

  it('equals nll of logSoftmax', () => {
    const opts = { labelSmoothing: 0.3, reduction: 'sum' as const };
    expect(nll(logSoftmax(logits), targets, opts).item()).toBeCloseTo(crossEntropy(logits, targets, opts).item(), 14);
  });
});

describe('nll: hand-computed values', () => {
  it('picks -logProbs[target] and averages', () => {
    const logp = f64([[-1, -2, -3], [-4, -5, -6]]);
    expect(nll(logp, ids([2, 0])).item()).toBe((3 + 4) / 2);
    const g = grad((x: Tensor) => nll(x, ids([2, 0]), { reduction: 'sum' }))(logp);
    expectClose(g, f64([[0, 0, -1], [-1, 0, 0]]), 0);
  });
});

describe('mse, bceWithLogits, huber: hand-computed values', () => {
  it('mse is the mean of squared differences', () => {
    const x = f64([1, 2, 4]);
    const y = f64([1, 0, 1]);
    expect(mse(x, y).item()).toBeCloseTo((0 + 4 + 9) / 3, 14);
    expect(mse(x, y, { reduction: 'sum' }).item()).toBe(13);
    expectClose(grad((p: Tensor) => mse(p, y))(x), f64([0, 4 / 3, 6 / 3]), 1e-14);
  });

  it('bceWithLogits is -y log σ(z) - (1-y) log(1-σ(z)), with gradient σ(z) - y', () => {
    const z = f64([0, Math.log(3), -1]);
    const y = f64([1, 0, 0.25]);
    const s = (v: number): number => 1 / (1 + Math.exp(-v));
    const per = [0, 1, 2].map((i) => -y.data[i]! * Math.log(s(z.data[i]!)) - (1 - y.data[i]!) * Math.log(1 - s(z.data[i]!)));
    expectClose(bceWithLogits(z, y, { reduction: 'none' }), f64(per), 1e-14);
    // at z = 0 exactly the gradient is σ(0) - y = 0.5 - y (the kink of max(z, 0) must not leak)
    expectClose(grad((p: Tensor) => bceWithLogits(p, y, { reduction: 'sum' }))(z), f64([0.5 - 1, 0.75, s(-1) - 0.25]), 1e-14);
  });

  it('huber is d²/2 inside δ and δ(|d| - δ/2) outside, with gradient clip(d, -δ, δ)', () => {
    const x = f64([0.1, -0.5, 3, -2]);
    const y = f64([0, 0, 0, 0]);
    const want = f64([0.005, 0.125, 0.5 * (3 - 0.25), 0.5 * (2 - 0.25)]);
    expectClose(huber(x, y, { delta: 0.5, reduction: 'none' }), want, 1e-14);
    expectClose(grad((p: Tensor) => huber(p, y, { delta: 0.5, reduction: 'sum' }))(x), f64([0.1, -0.5, 0.5, -0.5]), 1e-14);
    expect(huber(f64([2]), f64([0])).item()).toBe(1.5); // default δ = 1
  });
});

describe('stability at extreme logits (|z| = 1e4)', () => {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    it(`crossEntropy and nll stay finite with finite gradients in ${dtype}`, () => {
      const z = tensor([[1e4, -1e4, 0], [-1e4, -1e4, 1e4]], { dtype });
      const t = ids([1, 2]);
      const [loss, g] = valueAndGrad((p: Tensor) => crossEntropy(p, t, { labelSmoothing: 0.1 }))(z);
      expectFinite(loss, 'loss');
      expectFinite(g, 'gradient');
      // row 0: -log p[1] = 2e4; row 1: ≈ 0
      expect(crossEntropy(z, t, { reduction: 'none' }).data[0]).toBeCloseTo(2e4, 6);
      expectClose(grad((p: Tensor) => crossEntropy(p, t, { reduction: 'sum' }))(z), tensor([[1, -1, 0], [0, 0, 0]], { dtype }), 1e-6);
      expectFinite(grad((p: Tensor) => nll(logSoftmax(p), t))(z), 'nll gradient');
    });

    it(`bceWithLogits, mse and huber stay finite with finite gradients in ${dtype}`, () => {
      const z = tensor([1e4, -1e4, 1e4, -1e4], { dtype });
      const y = tensor([0, 0, 1, 1], { dtype });
      const [loss, g] = valueAndGrad((p: Tensor) => bceWithLogits(p, y, { reduction: 'sum' }))(z);
      expect(loss.item()).toBe(2e4);
      expectClose(g, tensor([1, 0, 0, -1], { dtype }), 0);
      for (const f of [mse, huber]) {
        const [v, d] = valueAndGrad((p: Tensor) => f(p, y))(z);
        expectFinite(v, f.name);
        expectFinite(d, `${f.name} gradient`);
      }
    });
  }
});

/** Random logits [...batch, C] with int32 targets, some of them ignored (-1), the first never. */
const classCaseArb = fc
  .tuple(shapeArb({ maxRank: 2, maxDim: 3 }), fc.integer({ min: 1, max: 4 }))
  .chain(([batch, classes]) => {
    const n = batch.reduce((a, d) => a * d, 1);
    return fc.record({
      logits: tensorArb([...batch, classes], { min: -3, max: 3 }),
      targets: fc.array(fc.integer({ min: -1, max: classes - 1 }), { minLength: n, maxLength: n })
        .map((t) => tensor(Int32Array.from(t, (v, i) => (i === 0 && v < 0 ? 0 : v)), { shape: batch })),
      reduction: reductionArb,
      labelSmoothing: fc.constantFrom(0, 0.1, 0.5),
    });
  });

const pairArb = (options = {}) =>
  shapeArb({ maxRank: 3, maxDim: 3 }).chain((shape) => fc.record({ x: tensorArb(shape, options), y: tensorArb(shape, options), reduction: reductionArb }));

describe('gradient properties (central differences in float64)', () => {
  const ok = (report: { ok: boolean; message: string }): void => expect(report.ok, report.message).toBe(true);

  it('crossEntropy, with random reductions, smoothing and ignored targets', () => {
    fc.assert(fc.property(classCaseArb, ({ logits, targets, reduction, labelSmoothing }) => {
      ok(checkGrad((z: Tensor) => crossEntropy(z, targets, { reduction, labelSmoothing, ignoreIndex: -1 }), logits));
    }), RUNS);
  });

  it('nll, in its log-probabilities', () => {
    fc.assert(fc.property(classCaseArb, ({ logits, targets, reduction, labelSmoothing }) => {
      ok(checkGrad((x: Tensor) => nll(x, targets, { reduction, labelSmoothing, ignoreIndex: -1 }), logits));
    }), RUNS);
  });

  it('mse, in both arguments', () => {
    fc.assert(fc.property(pairArb(), ({ x, y, reduction }) => {
      ok(checkGrad((p: { x: Tensor; y: Tensor }) => mse(p.x, p.y, { reduction }), { x, y }));
    }), RUNS);
  });

  it('bceWithLogits, in the logits and the targets', () => {
    fc.assert(fc.property(pairArb({ min: -6, max: 6 }), ({ x, y, reduction }) => {
      ok(checkGrad((p: { x: Tensor; y: Tensor }) => bceWithLogits(p.x, p.y, { reduction }), { x, y }));
    }), RUNS);
  });

  it('huber, in both arguments, across the quadratic and linear regions', () => {
    fc.assert(fc.property(pairArb(), fc.constantFrom(0.5, 1, 2), ({ x, y, reduction }, delta) => {
      ok(checkGrad((p: { x: Tensor; y: Tensor }) => huber(p.x, p.y, { reduction, delta }), { x, y }));
    }), RUNS);
  });
});

describe('bad input', () => {
  const z = f64([[0, 1, 2], [3, 4, 5]]);
  const thrown = (f: () => unknown): SeqgradError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(SeqgradError);
      return e as SeqgradError;
    }
    throw new Error('expected a SeqgradError');
  };

  it('refuses float targets, naming the loss, the dtype and the shape', () => {
    const e = thrown(() => crossEntropy(z, f64([0, 1])));
    expect(e.op).toBe('crossEntropy');
    expect(e.message).toMatch(/int32.*float64 \[2\]/);
  });

  it('refuses targets of the wrong shape, naming both shapes', () => {
    const e = thrown(() => nll(z, ids([[0], [1]])));
    expect(e.op).toBe('nll');
    expect(e.message).toContain('[2, 1]');
    expect(e.message).toContain('[2, 3]');
    expect(e.message).toContain('need targets of shape [2]');
  });

  it('refuses class ids out of range, naming the id, its position and the classes', () => {
    const e = thrown(() => crossEntropy(z, ids([0, 3])));
    expect(e.message).toMatch(/target 3 at position 1 is out of range \[0, 3\)/);
    expect(thrown(() => crossEntropy(z, ids([-1, 0]))).message).toContain('target -1');
  });

  it('refuses int32 logits, bad options and scalar logits', () => {
    expect(thrown(() => crossEntropy(ids([[1, 2]]), ids([0]))).message).toContain('int32');
    expect(thrown(() => crossEntropy(z, ids([0, 1]), { labelSmoothing: 1.5 })).message).toContain('labelSmoothing');
    expect(thrown(() => crossEntropy(z, ids([0, 1]), { reduction: 'avg' as Reduction })).message).toContain("'mean', 'sum' or 'none'");
    expect(thrown(() => crossEntropy(tensor(1, { dtype: 'float64' }), tensor(0, { dtype: 'int32' }))).message).toContain('class axis');
  });

  it('refuses mismatched shapes or dtypes in the elementwise losses', () => {
    const e = thrown(() => mse(f64([1, 2]), f64([[1, 2]])));
    expect(e.op).toBe('mse');
    expect(e.message).toContain('[2]');
    expect(e.message).toContain('[1, 2]');
    expect(thrown(() => bceWithLogits(f64([1]), tensor([1]))).message).toMatch(/float64.*float32/);
    expect(thrown(() => huber(f64([1]), f64([1]), { delta: 0 })).message).toContain('delta');
    expect(thrown(() => huber(f64([1]), ids([1]))).op).toBe('huber');
  });
});
