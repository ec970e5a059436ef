/**
 * The two kernel backends agree on every public op: each op of lib/ops runs forward
 * and backward (a seeded cotangent pulled back through `vjp`) in float32 under
 * `useBackend('js')` and under `useBackend('wasm')` on the same random inputs, and the
 * WebAssembly results must lie within rtol 1e-4, atol 1e-5 of the reference's.
 *
 * Shapes hold at least 64 elements, with trailing runs of at least 16 and products of
 * at least 1024 multiply-adds, so the WebAssembly paths run rather than their small-size
 * fallbacks to the reference (SMALL and SMALL_ADD in wasm/elementwise.ts, RUN in
 * wasm/layout.ts, SMALL_PRODUCT in wasm/index.ts; matmul's thin path below four rows
 * and its packed path from four). Broadcasts the module does not take (the general
 * walk) are drawn too: they must agree as well.
 *
 * COVERED lists the ops by name, and a check fails when lib/ops/index.ts exports a
 * function that is not in it, so a new op cannot arrive without a case.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as ops from '../../lib/ops/index.js';
import { backendName, tensor, useBackend, type BackendName, type Tensor } from '../../lib/index.js';
import { AGREE_RUNS, expectBackendsAgree, seedArb, seeded, withGrads } from '../support/agreement.js';
import { reduceOptionsArb } from '../support/reference.js';

/** Every function lib/ops exports, each exercised by a case below. */
const COVERED = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'square', 'clip', 'sign',
  'neg', 'exp', 'log', 'tanh', 'sigmoid', 'relu', 'sqrt', 'abs', 'softplus',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'where',
  'sum', 'max', 'min', 'mean', 'argmax', 'logSumExp', 'softmax', 'logSoftmax',
  'reshape', 'permute', 'transpose', 'slice', 'pad', 'concat', 'flip', 'stack', 'split',
  'expandDims', 'squeeze', 'broadcastTo', 'sumTo',
  'matmul', 'addmm', 'gather', 'scatterAdd', 'lstmGates', 'gruGates', 'gruResetGates', 'gruUpdate', 'lstmStep', 'gruStep',
] as const;
type OpName = (typeof COVERED)[number];

const initial = backendName() as BackendName;
const exercised = new Set<OpName>();

/** Registers a property over `arb` that exercises `names`. */
const agreement = <T>(names: readonly OpName[], arb: fc.Arbitrary<T>, check: (value: T) => void): void => {
  names.forEach((n) => exercised.add(n));
  it(names.join(', '), () => fc.assert(fc.property(arb, check), AGREE_RUNS));
};

/** Forward and gradients of `f` at `inputs` (a record of float32 tensors) agree across backends. */
const agreeGrad = <X>(what: string, f: (x: X) => unknown, inputs: X, seed: number): void =>
  expectBackendsAgree(() => withGrads(f, inputs, seed), what);

/** Forward only (integer or 0/1 outputs, which have no gradient). */
const agreeForward = (what: string, f: () => unknown): void => expectBackendsAgree(f, what);

// ---------------------------------------------------------------------------
// arbitraries: shapes of 64-360 elements whose last axis runs 16 or more
// ---------------------------------------------------------------------------

const shapeArb: fc.Arbitrary<number[]> = fc.oneof(
  fc.tuple(fc.integer({ min: 64, max: 200 })),
  fc.tuple(fc.integer({ min: 4, max: 8 }), fc.integer({ min: 16, max: 33 })),
  fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 16, max: 24 })),
);

/** How the second operand of a binary op is shaped: equal, a scalar, a trailing block (a bias), a column, or an outer broadcast. */
type Pairing = 'same' | 'scalar' | 'block' | 'column' | 'outer';
const pairArb = fc.record({ shape: shapeArb, pairing: fc.constantFrom<Pairing>('same', 'scalar', 'block', 'column', 'outer'), seed: seedArb });

const otherShape = (shape: readonly number[], pairing: Pairing): number[] => {
  if (pairing === 'same') return [...shape];
  if (pairing === 'scalar') return [];
  if (pairing === 'block') return shape.slice(1).length > 0 ? shape.slice(1) : [1];
  if (pairing === 'column') return shape.map((d, i) => (i === shape.length - 1 ? 1 : d));
  return shape.map((d, i) => (i === 0 && shape.length > 1 ? 1 : d)); // a leading axis of 1, on the left (see operands)
};

/** The pair of float32 operands for `pairing`, in [low, high) and [bLow, bHigh). */
const operands = (p: { shape: number[]; pairing: Pairing; seed: number }, low: number, high: number, bLow = low, bHigh = high) => {
  const a = seeded(p.shape, p.seed, low, high);
  const b = seeded(otherShape(p.shape, p.pairing), p.seed + 1, bLow, bHigh);
  // the broadcast operand on the left, so the tape unbroadcasts the first gradient
  return p.pairing === 'outer' ? { a: b, b: a } : { a, b };
};

/** Values on a half-integer grid, so comparisons meet ties. */
const grid = (t: Tensor): Tensor => tensor(Float32Array.from(t.data, (v) => Math.round(v * 2) / 2), { shape: [...t.shape], dtype: 'float32' });

const axisArb = (rank: number) => fc.integer({ min: -rank, max: rank - 1 });

// ---------------------------------------------------------------------------
// elementwise
// ---------------------------------------------------------------------------

describe('backends agree on every op (float32, forward and gradients)', () => {
  afterAll(() => useBackend(initial));

  const binaries: readonly [OpName, (a: Tensor, b: Tensor | number) => Tensor, number, number, number, number][] = [
    ['add', ops.add, -2, 2, -2, 2], ['sub', ops.sub, -2, 2, -2, 2], ['mul', ops.mul, -2, 2, -2, 2],
    ['div', ops.div, -2, 2, 0.5, 2], ['pow', ops.pow, 0.5, 2, -2, 2],
    ['maximum', ops.maximum, -2, 2, -2, 2], ['minimum', ops.minimum, -2, 2, -2, 2],
  ];
  for (const [name, op, low, high, bLow, bHigh] of binaries) {
    agreement([name], pairArb, (p) => {
      const { a, b } = operands(p, low, high, bLow, bHigh);
      agreeGrad(`${name} ${p.pairing} ${JSON.stringify(p.shape)}`, (x) => op(x.a, x.b), { a, b }, p.seed);
      // a number operand on either side
      agreeGrad(`${name} with a number`, (x) => op(x.a, (bLow + bHigh) / 2 + 0.25), { a }, p.seed);
    });
  }

  const unaries: readonly [OpName, (x: Tensor) => Tensor, number, number][] = [
    ['neg', ops.neg, -2, 2], ['exp', ops.exp, -4, 4], ['log', ops.log, 0.05, 4], ['tanh', ops.tanh, -4, 4],
    ['sigmoid', ops.sigmoid, -8, 8], ['relu', ops.relu, -2, 2], ['sqrt', ops.sqrt, 0.05, 4], ['abs', ops.abs, -2, 2],
    ['softplus', ops.softplus, -6, 6], ['square', ops.square, -2, 2], ['sign', ops.sign, -2, 2],
    ['clip', (x) => ops.clip(x, -0.5, 0.75), -2, 2],
  ];
  for (const [name, op, low, high] of unaries) {
    agreement([name], fc.record({ shape: shapeArb, seed: seedArb }), ({ shape, seed }) => {
      agreeGrad(`${name} ${JSON.stringify(shape)}`, (x) => op(x.x), { x: seeded(shape, seed, low, high) }, seed);
    });
  }

  const comparisons: readonly [OpName, (a: Tensor, b: Tensor | number) => Tensor][] = [
    ['equal', ops.equal], ['notEqual', ops.notEqual], ['less', ops.less],
    ['lessEqual', ops.lessEqual], ['greater', ops.greater], ['greaterEqual', ops.greaterEqual],
  ];
  for (const [name, op] of comparisons) {
    agreement([name], pairArb, (p) => {
      const { a, b } = operands(p, -2, 2);
      agreeForward(`${name} ${p.pairing}`, () => [op(grid(a), grid(b)), op(grid(a), 0.5)]);
    });
  }

  agreement(['where'], fc.record({ shape: shapeArb, seed: seedArb, scalarY: fc.boolean() }), ({ shape, seed, scalarY }) => {
    const cond = ops.greater(seeded(shape, seed + 2), 0);
    const inputs = { x: seeded(shape, seed, -2, 2), y: seeded(scalarY ? [] : shape, seed + 1, -2, 2) };
    agreeGrad('where', (t) => ops.where(cond, t.x, t.y), inputs, seed);
  });

  // -------------------------------------------------------------------------
  // reductions and softmax
  // -------------------------------------------------------------------------

  const reductions: readonly [OpName, (x: Tensor, o: { axis?: number | number[]; keepdims: boolean }) => Tensor][] = [
    ['sum', ops.sum], ['max', ops.max], ['min', ops.min], ['mean', ops.mean], ['logSumExp', ops.logSumExp],
  ];
  const reduceArb = shapeArb.chain((shape) => fc.record({ shape: fc.constant(shape), options: reduceOptionsArb(shape.length), seed: seedArb }));
  for (const [name, op] of reductions) {
    agreement([name], reduceArb, ({ shape, options, seed }) => {
      agreeGrad(`${name} ${JSON.stringify(shape)} ${JSON.stringify(options)}`, (t) => op(t.x, options), { x: seeded(shape, seed, -3, 3) }, seed);
    });
  }

  const axisCase = shapeArb.chain((shape) => fc.record({ shape: fc.constant(shape), axis: axisArb(shape.length), seed: seedArb }));
  agreement(['argmax'], axisCase, ({ shape, axis, seed }) => {
    const x = seeded(shape, seed, -3, 3);
    agreeForward(`argmax axis ${axis}`, () => [ops.argmax(x, axis), ops.argmax(grid(x), axis)]);
  });
  agreement(['softmax', 'logSoftmax'], axisCase, ({ shape, axis, seed }) => {
    const x = seeded(shape, seed, -4, 4);
    agreeGrad(`softmax axis ${axis}`, (t) => ops.softmax(t.x, axis), { x }, seed);
    agreeGrad(`logSoftmax axis ${axis}`, (t) => ops.logSoftmax(t.x, axis), { x }, seed);
  });

  // -------------------------------------------------------------------------
  // shape ops: rank 3 with a trailing run of 16-24, so the row-block copies run
  // -------------------------------------------------------------------------

  const rank3 = fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 16, max: 24 }));
  const shapeCase = fc.record({ shape: rank3, seed: seedArb, perm: fc.constantFrom([1, 0, 2], [2, 0, 1], [0, 2, 1], [2, 1, 0]), axis: fc.integer({ min: 0, max: 2 }) });

  agreement(['reshape', 'permute', 'transpose', 'flip', 'expandDims', 'squeeze'], shapeCase, ({ shape, seed, perm, axis }) => {
    const x = seeded(shape, seed);
    const [a, b, c] = shape as [number, number, number];
    agreeGrad('reshape', (t) => ops.reshape(t.x, [b, -1]), { x }, seed);
    agreeGrad(`permute ${perm}`, (t) => ops.permute(t.x, perm), { x }, seed);
    agreeGrad('transpose', (t) => [ops.transpose(t.x), ops.transpose(t.x, [0, 1])], { x }, seed);
    agreeGrad(`flip ${axis}`, (t) => [ops.flip(t.x, axis), ops.flip(t.x, [0, 1]), ops.flip(t.x)], { x }, seed);
    agreeGrad('expandDims, squeeze', (t) => ops.squeeze(ops.mul(ops.expandDims(t.x, axis), 2), axis), { x }, seed);
    expect(a * b * c).toBeGreaterThanOrEqual(64);
  });

  agreement(['slice', 'pad', 'split', 'concat', 'stack'], shapeCase, ({ shape, seed, axis }) => {
    const x = seeded(shape, seed);
    const y = seeded(shape, seed + 1);
    const [a, b] = shape as [number, number, number];
    agreeGrad('slice', (t) => [ops.slice(t.x, [1, 0, 0], [a - 1, -1, -1]), ops.slice(t.x, [0, 1, 3], [-1, b - 1, 9])], { x }, seed);
    agreeGrad('pad', (t) => ops.pad(t.x, [[1, 0], [0, 2], [3, 1]], 0.5), { x }, seed);
    agreeGrad(`split ${axis}`, (t) => ops.split(t.x, [1, shape[axis]! - 1], axis), { x }, seed);
    agreeGrad(`concat ${axis}`, (t) => ops.concat([t.x, t.y, t.x], axis), { x, y }, seed);
    agreeGrad(`stack ${axis}`, (t) => ops.stack([t.x, t.y], axis), { x, y }, seed);
  });

  agreement(['broadcastTo', 'sumTo'], shapeCase, ({ shape, seed }) => {
    const [a, b, c] = shape as [number, number, number];
    const x = seeded(shape, seed);
    agreeGrad('broadcastTo', (t) => [ops.broadcastTo(t.row, [a, b, c]), ops.broadcastTo(t.column, [a, b, c])],
      { row: seeded([1, b, c], seed + 1), column: seeded([a, b, 1], seed + 2) }, seed);
    agreeGrad('sumTo', (t) => [ops.sumTo(t.x, [b, c]), ops.sumTo(t.x, [a, 1, c]), ops.sumTo(t.x, [1, b, 1])], { x }, seed);
  });

  // -------------------------------------------------------------------------
  // matrix products: every transpose flag, thin (m < 4) and packed, batched
  // -------------------------------------------------------------------------

  const productArb = fc.record({
    m: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 24 })),
    n: fc.integer({ min: 8, max: 40 }),
    k: fc.integer({ min: 8, max: 40 }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    seed: seedArb,
  }).map((p) => ({ ...p, k: Math.max(p.k, Math.ceil(1024 / (p.m * p.n))) }));
  const stored = (rows: number, cols: number, transposed: boolean): number[] => (transposed ? [cols, rows] : [rows, cols]);

  agreement(['matmul'], productArb, ({ m, n, k, transposeA, transposeB, seed }) => {
    const flags = { transposeA, transposeB };
    const a = seeded(stored(m, k, transposeA), seed);
    const b = seeded(stored(k, n, transposeB), seed + 1);
    const what = `matmul ${m}×${k}·${k}×${n} ${JSON.stringify(flags)}`;
    agreeGrad(what, (t) => ops.matmul(t.a, t.b, flags), { a, b }, seed);
    const batched = seeded([2, ...stored(m, k, transposeA)], seed + 2);
    const bBatched = seeded([1, ...stored(k, n, transposeB)], seed + 3);
    agreeGrad(`${what} batched`, (t) => [ops.matmul(t.batched, t.b, flags), ops.matmul(t.batched, t.bBatched, flags)], { batched, b, bBatched }, seed);
    agreeGrad(`${what} vector`, (t) => ops.matmul(t.v, t.b, flags), { v: seeded([k], seed + 4), b }, seed);
  });

  agreement(['addmm'], fc.tuple(productArb, fc.constantFrom('bias', 'row', 'full')), ([{ m, n, k, transposeA, transposeB, seed }, addend]) => {
    const flags = { transposeA, transposeB };
    const inputs = {
      c: seeded(addend === 'bias' ? [n] : addend === 'row' ? [1, n] : [m, n], seed + 5),
      a: seeded(stored(m, k, transposeA), seed),
      b: seeded(stored(k, n, transposeB), seed + 1),
    };
    agreeGrad(`addmm ${addend} ${m}×${k}·${k}×${n} ${JSON.stringify(flags)}`, (t) => ops.addmm(t.c, t.a, t.b, flags), inputs, seed);
  });

  // -------------------------------------------------------------------------
  // indexing and the fused gates
  // -------------------------------------------------------------------------

  const indexArb = fc.record({ shape: rank3, seed: seedArb, axis: fc.integer({ min: 0, max: 1 }), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }) });
  agreement(['gather', 'scatterAdd'], indexArb, ({ shape, seed, axis, picks }) => {
    const extent = shape[axis]!;
    const indices = tensor(Int32Array.from(picks, (p) => p % extent), { shape: [picks.length], dtype: 'int32' });
    const valuesShape = shape.map((d, i) => (i === axis ? picks.length : d));
    agreeGrad(`gather axis ${axis}`, (t) => ops.gather(t.x, indices, axis), { x: seeded(shape, seed) }, seed);
    agreeGrad(`scatterAdd axis ${axis}`, (t) => ops.scatterAdd(t.v, indices, axis, extent), { v: seeded(valuesShape, seed + 1) }, seed);
  });

  const gatesArb = fc.record({ batch: fc.integer({ min: 1, max: 6 }), hidden: fc.integer({ min: 4, max: 40 }), seed: seedArb });
  agreement(['lstmGates', 'gruGates', 'gruResetGates', 'gruUpdate'], gatesArb, ({ batch, hidden, seed }) => {
    const state = seeded([batch, hidden], seed, -2, 2);
    const blocks = (n: number, s: number): Tensor => seeded([batch, n * hidden], seed + s, -4, 4);
    agreeGrad('lstmGates', (t) => ops.lstmGates(t.gates, t.c), { gates: blocks(4, 1), c: state }, seed);
    agreeGrad('gruGates', (t) => ops.gruGates(t.xg, t.hg, t.h), { xg: blocks(3, 2), hg: blocks(3, 3), h: state }, seed);
    agreeGrad('gruResetGates', (t) => ops.gruResetGates(t.xg, t.hrz, t.h), { xg: blocks(3, 4), hrz: blocks(2, 5), h: state }, seed);
    const z = seeded([batch, hidden], seed + 7, 0.05, 0.95);
    agreeGrad('gruUpdate', (t) => ops.gruUpdate(t.xg, t.hn, t.z, t.h), { xg: blocks(3, 6), hn: blocks(1, 8), z, h: state }, seed);
  });

  agreement(['lstmStep', 'gruStep'], gatesArb, ({ batch, hidden, seed }) => {
    const state = seeded([batch, hidden], seed, -1, 1);
    const weight = (n: number, s: number): Tensor => seeded([n * hidden, hidden], seed + s, -0.3, 0.3);
    const blocks = (n: number, s: number): Tensor => seeded([batch, n * hidden], seed + s, -2, 2);
    agreeGrad('lstmStep', (t) => {
      const [h, c] = ops.lstmStep(t.xg, t.h, t.c, t.w);
      return ops.add(h, ops.mul(c, 0.5));
    }, { xg: blocks(4, 1), h: state, c: seeded([batch, hidden], seed + 2, -2, 2), w: weight(4, 3) }, seed);
    agreeGrad('gruStep', (t) => ops.gruStep(t.xg, t.h, t.w, t.b), { xg: blocks(3, 4), h: state, w: weight(3, 5), b: seeded([3 * hidden], seed + 6, -1, 1) }, seed);
    agreeGrad('gruStep reset-before', (t) => ops.gruStep(t.xg, t.h, t.w, null, { convention: 'reset-before' }), { xg: blocks(3, 7), h: state, w: weight(3, 8) }, seed);
  });

  // -------------------------------------------------------------------------
  // the list is complete
  // -------------------------------------------------------------------------

  it('every function lib/ops exports is in COVERED, and every COVERED op has a case', () => {
    const exported = Object.entries(ops).filter(([, v]) => typeof v === 'function').map(([name]) => name).sort();
    expect(exported.filter((name) => !(COVERED as readonly string[]).includes(name)), 'exported ops with no agreement case').toEqual([]);
    expect(COVERED.filter((name) => !exported.includes(name)), 'COVERED names lib/ops does not export').toEqual([]);
    expect(COVERED.filter((name) => !exercised.has(name)), 'COVERED ops no case exercises').toEqual([]);
  });
});
