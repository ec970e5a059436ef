/**
 * Shared pieces of the recurrent specs: an arbitrary for small sequence problems
 * (batch 1-3, time 1-4, input and hidden 1-3, random lengths or none, either
 * direction), float64 inputs drawn from a seed, and a plain-number Elman step used as
 * an independent reference.
 */
import fc from 'fast-check';
import {
  concat, flatten, key, leaves, mapTree, normal, recurrent, reshape, splitKey, unflatten, type Cell, type CellSizes, type Key, type Tensor,
} from '../../lib/index.js';
import { checkGrad, type GradReport } from '../../lib/testing/index.js';

/** One small sequence problem. */
export interface SeqCase {
  readonly batch: number;
  readonly time: number;
  readonly input: number;
  readonly hidden: number;
  /** One length per row in [1, time], or undefined for full rows. */
  readonly lengths: number[] | undefined;
  readonly reverse: boolean;
  readonly seed: number;
  /** Which leaves of `{ params, x, carry }` the gradient check differentiates (leaf i uses entry i mod 16). */
  readonly include: boolean[];
}

/** Small sequence problems; `maxHidden` and `maxInput` cap the widths (3 by default). */
export const seqCaseArb = (options: { minHidden?: number; maxHidden?: number; maxInput?: number; maxTime?: number } = {}): fc.Arbitrary<SeqCase> =>
  fc.record({
    batch: fc.integer({ min: 1, max: 3 }),
    time: fc.integer({ min: 1, max: options.maxTime ?? 4 }),
    input: fc.integer({ min: 1, max: options.maxInput ?? 3 }),
    hidden: fc.integer({ min: options.minHidden ?? 1, max: options.maxHidden ?? 3 }),
    withLengths: fc.boolean(),
    lengthDraws: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 3, maxLength: 3 }),
    reverse: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    include: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  }).map(({ withLengths, lengthDraws, ...c }) => ({
    ...c,
    lengths: withLengths ? lengthDraws.slice(0, c.batch).map((u) => 1 + Math.floor(u * c.time)) : undefined,
  }));

/** Independent keys for a case: `n` of them from its seed. */
export const caseKeys = (c: SeqCase, n: number): Key[] => splitKey(key(c.seed), n);

/** A float64 normal tensor (std `std`, default 1). */
export const randn = (k: Key, shape: readonly number[], std = 1): Tensor => normal(k, shape, { dtype: 'float64', std });

/** Plain-number tanh Elman step for one row: h' = tanh(W x + U h + b), W [H, I], U [H, H]. */
export const elmanRef = (W: number[][], U: number[][], b: number[], x: number[], h: number[]): number[] =>
  b.map((bi, i) => Math.tanh(bi + W[i]!.reduce((s, w, j) => s + w * x[j]!, 0) + U[i]!.reduce((s, u, j) => s + u * h[j]!, 0)));

/** Options of `layerGradReport`. */
export interface LayerGradOptions {
  /** Take the gradient with respect to a random initial carry too (default true). */
  readonly withCarry?: boolean;
  /** Extra call options (merged after lengths and reverse). */
  readonly call?: Record<string, unknown>;
  /** Do not pass `reverse` (for layers that refuse it). */
  readonly noReverse?: boolean;
}

/**
 * checkGrad of a sequence layer at case `c`: the function returns every output and
 * every final-carry element, flattened into one vector, so checkGrad's random
 * cotangent reaches all of them. It is differentiated with respect to a random subset
 * of the leaves of `{ params, x, carry }` (chosen by `c.include`, never empty; the
 * others held fixed): finite differences cost two forward passes per element, and over
 * 50 runs every leaf is still checked many times.
 */
export const layerGradReport = <P, C>(
  layer: (params: P, x: Tensor, options?: any) => { outputs: Tensor; carry: C },
  params: P, zeroCarry: C, c: SeqCase, options: LayerGradOptions = {},
): GradReport => {
  const [kx, kc] = caseKeys(c, 2);
  const carryKeys = splitKey(kc!, Math.max(1, leaves(zeroCarry).length));
  let i = 0;
  const carry = mapTree(zeroCarry, (t) => randn(carryKeys[i++]!, t.shape, 0.5));
  const x = randn(kx!, [c.batch, c.time, c.input]);
  const full = { params, x, carry: (options.withCarry ?? true) ? carry : null };
  const flat = flatten(full);
  const picked = flat.filter((_, k) => c.include[k % c.include.length]);
  const chosen = Object.fromEntries((picked.length > 0 ? picked : [flat[c.seed % flat.length]!]).map((p) => [p.path, p.leaf]));
  return checkGrad((sel: Record<string, Tensor>) => {
    const v = unflatten(full, flat.map((p) => sel[p.path] ?? p.leaf));
    const out = layer(v.params, v.x, {
      lengths: c.lengths,
      ...(options.noReverse ? {} : { reverse: c.reverse }),
      ...(v.carry ? { initialCarry: v.carry } : {}),
      ...options.call,
    });
    return concat(leaves({ outputs: out.outputs, carry: out.carry }).map((t) => reshape(t, [-1])), 0);
  }, chosen);
};

/**
 * `layerGradReport` of `recurrent(cell)` for a case, with float64 params drawn from the
 * case's seed (`adjust` may move them off their initial values) and a random carry.
 */
export const cellGradReport = <P, C>(cell: Cell<P, C, CellSizes>, c: SeqCase, adjust: (p: P) => P = (p) => p): GradReport => {
  const params = adjust(cell.init(caseKeys(c, 3)[2]!, { inputSize: c.input, hiddenSize: c.hidden, dtype: 'float64' }));
  return layerGradReport(recurrent(cell), params, cell.initialCarry(params, c.batch), c);
};
