/**
 * The float32 gradient property on WebAssembly: for every primitive and the fused
 * gates, the gradient computed in float32 on the wasm backend matches the float64
 * gradient of the reference backend, which the op specs check against central finite
 * differences. The inputs and the cotangent are float32 values in both runs (the
 * float64 copies hold exactly the same numbers), so only the arithmetic differs.
 *
 * Tolerance: 1e-3 relative to each element, floored at 1e-2 of the gradient's largest
 * magnitude (an absolute 1e-5 of its scale). Float32 carries 6e-8 relative per rounding;
 * the products here sum up to 40 terms, the wasm tanh/exp/sigmoid are polynomials good
 * to a few ulp, and an element that cancels to near zero can only be held to the
 * rounding of its terms, which is what the floor allows for. Sizes reach the wasm paths
 * (64+ elements, runs of 16+, products of 1024+ multiply-adds).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  abs, add, addmm, backendName, broadcastTo, concat, div, exp, flip, gather, greater, gruGates, gruResetGates, gruUpdate, log, logSumExp,
  lstmGates, matmul, max, maximum, minimum, mul, neg, pad, permute, pow, relu, reshape, scatterAdd, sigmoid, slice, softmax, sqrt, sub,
  sum, sumTo, tanh, tensor, useBackend, where, type BackendName, type Tensor, flatten,
} from '../../../lib/index.js';
import { recast, seedArb, seeded, withGrads } from '../../support/agreement.js';

const RTOL = 1e-3;
const FLOOR = 1e-2;
const RUNS = { numRuns: 10 };

const initial = backendName() as BackendName;

/** Every element of `got` (float32) within RTOL of `want` (float64), floored at FLOOR of want's largest magnitude. */
const expectNearFloat64 = (got: unknown, want: unknown, what: string): void => {
  const g = flatten(got);
  const w = flatten(want);
  expect(g.map((p) => p.path), `${what}: leaves`).toEqual(w.map((p) => p.path));
  w.forEach(({ path, leaf }, i) => {
    const other = g[i]!.leaf;
    expect(other.shape, `${what}${path}: shape`).toEqual(leaf.shape);
    const scale = Math.max(0, ...Array.from(leaf.data, Math.abs));
    leaf.data.forEach((v, j) => {
      const error = Math.abs(other.data[j]! - v) / Math.max(Math.abs(v), FLOOR * scale, 1e-30);
      if (!(error <= RTOL)) expect(other.data[j], `${what}${path}[${j}]: relative error ${error} (float64 ${v}, scale ${scale})`).toBe(v);
    });
  });
};

/** Float32 on wasm against float64 on the reference, forward values and gradients of a record of inputs. */
const expectFloat32Gradient = <X extends Record<string, Tensor>>(what: string, f: (x: X) => unknown, inputs: X, seed: number): void => {
  const as = (dtype: 'float32' | 'float64'): X => Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, recast(t, dtype)])) as X;
  useBackend('wasm');
  const single = withGrads(f, as('float32'), seed);
  useBackend('js');
  const double = withGrads(f, as('float64'), seed);
  expect(flatten(single.grads).every(({ leaf }) => leaf.dtype === 'float32'), `${what}: float32 gradients`).toBe(true);
  expectNearFloat64(single.y, double.y, `${what} forward`);
  expectNearFloat64(single.grads, double.grads, `${what} gradient`);
};

const shapeArb = fc.tuple(fc.integer({ min: 4, max: 8 }), fc.integer({ min: 16, max: 33 }));
const caseArb = fc.record({ shape: shapeArb, seed: seedArb });

type Primitive = readonly [string, (x: Record<string, Tensor>) => unknown, (shape: number[], seed: number) => Record<string, Tensor>];

const pair = (low: number, high: number, bLow = low, bHigh = high) => (shape: number[], seed: number) =>
  ({ a: seeded(shape, seed, low, high), b: seeded(shape, seed + 1, bLow, bHigh) });
const one = (low: number, high: number) => (shape: number[], seed: number) => ({ x: seeded(shape, seed, low, high) });

const PRIMITIVES: readonly Primitive[] = [
  ['add (bias broadcast)', (t) => add(t.a!, t.b!), (s, seed) => ({ a: seeded(s, seed), b: seeded([s[1]!], seed + 1) })],
  ['sub', (t) => sub(t.a!, t.b!), pair(-2, 2)],
  ['mul', (t) => mul(t.a!, t.b!), pair(-2, 2)],
  ['div', (t) => div(t.a!, t.b!), pair(-2, 2, 0.5, 2)],
  ['pow', (t) => pow(t.a!, t.b!), pair(0.5, 2, -2, 2)],
  ['maximum', (t) => maximum(t.a!, t.b!), pair(-2, 2)],
  ['minimum', (t) => minimum(t.a!, t.b!), pair(-2, 2)],
  ['neg', (t) => neg(t.x!), one(-2, 2)],
  ['exp', (t) => exp(t.x!), one(-4, 4)],
  ['log', (t) => log(t.x!), one(0.05, 4)],
  ['tanh', (t) => tanh(t.x!), one(-4, 4)],
  ['sigmoid', (t) => sigmoid(t.x!), one(-8, 8)],
  ['relu', (t) => relu(t.x!), one(-2, 2)],
  ['sqrt', (t) => sqrt(t.x!), one(0.05, 4)],
  ['abs', (t) => abs(t.x!), one(-2, 2)],
  ['where', (t) => where(greater(t.a!, 0), t.a!, t.b!), pair(-2, 2)],
  ['sum', (t) => [sum(t.x!, 1), sum(t.x!, 0, { keepdims: true })], one(-2, 2)],
  ['max', (t) => max(t.x!, -1), one(-2, 2)],
  ['softmax, logSumExp', (t) => [softmax(t.x!, 0), logSumExp(t.x!, 1)], one(-4, 4)],
  ['reshape, permute', (t) => [reshape(t.x!, [-1]), permute(t.x!, [1, 0]), permute(reshape(t.x!, [-1, 1, t.x!.shape[1]!]), [1, 0, 2])], one(-2, 2)],
  ['slice, pad, concat, flip', (t) => [slice(t.x!, [1, 2], [2, -1]), pad(t.x!, [[1, 2], [0, 3]]), concat([t.x!, t.x!], 1), flip(t.x!, 0)], one(-2, 2)],
  ['broadcastTo, sumTo', (t) => [broadcastTo(t.row!, [3, ...t.row!.shape.slice(1)]), sumTo(t.x!, [1, t.x!.shape[1]!])],
    (s, seed) => ({ x: seeded(s, seed), row: seeded([1, s[1]!], seed + 1) })],
  ['gather, scatterAdd', (t) => {
    const rows = tensor(Int32Array.from({ length: t.x!.shape[0]! }, (_, i) => i % 3), { dtype: 'int32' });
    return [gather(t.x!, tensor([0, 2, 2, 1], { dtype: 'int32' }), 0), scatterAdd(t.x!, rows, 0, 3)];
  }, one(-2, 2)],
];

describe('float32 gradients on WebAssembly match float64 gradients of the reference', () => {
  afterAll(() => useBackend(initial));

  for (const [name, f, inputs] of PRIMITIVES) {
    it(name, () => fc.assert(fc.property(caseArb, ({ shape, seed }) => expectFloat32Gradient(name, f, inputs(shape, seed), seed)), RUNS));
  }

  it('matmul and addmm, every transpose flag, thin and packed', () => {
    const arb = fc.record({
      m: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 24 })), n: fc.integer({ min: 8, max: 40 }), k: fc.integer({ min: 8, max: 40 }),
      transposeA: fc.boolean(), transposeB: fc.boolean(), seed: seedArb,
    }).map((p) => ({ ...p, k: Math.max(p.k, Math.ceil(1024 / (p.m * p.n))) }));
    fc.assert(fc.property(arb, ({ m, n, k, transposeA, transposeB, seed }) => {
      const flags = { transposeA, transposeB };
      const inputs = {
        a: seeded(transposeA ? [k, m] : [m, k], seed), b: seeded(transposeB ? [n, k] : [k, n], seed + 1), c: seeded([n], seed + 2),
      };
      expectFloat32Gradient(`matmul ${m}×${k}·${k}×${n} ${JSON.stringify(flags)}`, (t) => [matmul(t.a, t.b, flags), addmm(t.c, t.a, t.b, flags)], inputs, seed);
    }), RUNS);
  });

  it('the fused gates: lstmGates, gruGates, gruResetGates, gruUpdate', () => {
    const arb = fc.record({ batch: fc.integer({ min: 1, max: 6 }), hidden: fc.integer({ min: 4, max: 40 }), seed: seedArb });
    fc.assert(fc.property(arb, ({ batch, hidden, seed }) => {
      const h = seeded([batch, hidden], seed, -2, 2);
      const blocks = (n: number, s: number): Tensor => seeded([batch, n * hidden], seed + s, -4, 4);
      expectFloat32Gradient('lstmGates', (t) => lstmGates(t.gates, t.c), { gates: blocks(4, 1), c: h }, seed);
      expectFloat32Gradient('gruGates', (t) => gruGates(t.xg, t.hg, t.h), { xg: blocks(3, 2), hg: blocks(3, 3), h }, seed);
      expectFloat32Gradient('gruResetGates', (t) => gruResetGates(t.xg, t.hrz, t.h), { xg: blocks(3, 4), hrz: blocks(2, 5), h }, seed);
      const z = seeded([batch, hidden], seed + 7, 0.05, 0.95);
      expectFloat32Gradient('gruUpdate', (t) => gruUpdate(t.xg, t.hn, t.z, t.h), { xg: blocks(3, 6), hn: blocks(1, 8), z, h }, seed);
    }), RUNS);
  });
});
