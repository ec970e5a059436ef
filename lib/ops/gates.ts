/**
 * Fused recurrent gate algebra: the pointwise part of an LSTM step and of a GRU step
 * (reset-after), each one primitive whose forward and VJP are one kernel call. They
 * are an intended exception to the small primitive set: as compositions of split,
 * sigmoid, tanh, mul and add they cost a dozen ops, allocations and kernel calls per
 * time step, forward and backward, which at a recurrent layer's sizes costs more than
 * the matmuls. They know gate algebra only: no parameters, no models.
 *
 * Each VJP has two forms. Under a plain `grad` it is the fused backward kernel, which
 * recomputes the activations from the inputs. When the backward pass must itself be
 * differentiated (a `grad` of a `grad`), it is written with seqgrad ops, so the tape can
 * follow it; the two forms are the same formula and are checked against each other.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { kernels } from '../kernels/index.js';
import { zeros } from '../tensor/create.js';
import { allocate, allocateForKernel, commonFloatDType, type DType } from '../tensor/dtype.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor, type WindowCotangent } from '../tensor/tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { row } from './row.js';
import { concat, pad, split } from './shape.js';
import { expectTensor } from './support.js';
import { sigmoid, tanh } from './unary.js';

// ---------------------------------------------------------------------------
// LSTM
// ---------------------------------------------------------------------------

const lstmGatesP = definePrimitive<void, 2>({
  name: 'lstmGates',
  forward: ([gates, c]) => {
    const [batch, hidden] = c.shape as [number, number];
    const out = zeros([2, batch, hidden], { dtype: c.dtype });
    kernels().lstmGates(gates.data, c.data, out.data, batch, hidden);
    return out;
  },
  vjp: (dy, [gates, c]) => {
    if (traced(dy, gates, c)) return lstmGatesVjpOps(dy, gates, c);
    const [batch, hidden] = c.shape as [number, number];
    const [dGates, dc] = buffers(c.dtype, [gates.shape, c.shape]) as [Tensor, Tensor];
    kernels().lstmGatesBackward(gates.data, c.data, dy.data, dGates.data, dc.data, batch, hidden);
    return [dGates, dc];
  },
});

/** The LSTM VJP in ops, for a backward pass that must stay differentiable. @internal */
export const lstmGatesVjpOps = (dy: Tensor, gates: Tensor, c: Tensor): Tensor[] => {
  const [i, f, g, o] = lstmActivations(gates);
  const tc = tanh(add(mul(f, c), mul(i, g)));
  const [dh, dcOut] = halves(dy);
  const dcNext = add(dcOut, mul(mul(dh, o), sub(1, mul(tc, tc))));
  const dGates = concat([
    mul(mul(dcNext, g), mul(i, sub(1, i))),
    mul(mul(dcNext, c), mul(f, sub(1, f))),
    mul(mul(dcNext, i), sub(1, mul(g, g))),
    mul(mul(dh, tc), mul(o, sub(1, o))),
  ], 1);
  return [dGates, mul(dcNext, f)];
};

const lstmActivations = (gates: Tensor): [Tensor, Tensor, Tensor, Tensor] => {
  const [i, f, g, o] = split(gates, 4, 1);
  return [sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)];
};

/**
 * The pointwise part of an LSTM step: from the gate pre-activations `gates`
 * `[batch, 4·hidden]` (i, f, g, o, both biases added) and the cell state `c`
 * `[batch, hidden]`, returns `[h', c']` with c' = σ(f)·c + σ(i)·tanh(g) and
 * h' = σ(o)·tanh(c'). One fused primitive, forward and backward.
 *
 * @example
 * ```ts
 * declare const weight_ih: Tensor, weight_hh: Tensor;   // [4·hidden, input], [4·hidden, hidden]
 * const gates = add(matmul(x, weight_ih, { transposeB: true }), matmul(h, weight_hh, { transposeB: true }));
 * const [hNext, cNext] = lstmGates(gates, c);
 * ```
 */
export const lstmGates = (gates: Tensor, c: Tensor): [Tensor, Tensor] => {
  checkGates('lstmGates', 4, gates, 'gates', c, 'c');
  return halves(lstmGatesP([gates, c], undefined));
};

// ---------------------------------------------------------------------------
// GRU
// ---------------------------------------------------------------------------

const gruGatesP = definePrimitive<void, 3>({
  name: 'gruGates',
  forward: ([xg, hg, h]) => {
    const [batch, hidden] = h.shape as [number, number];
    const out = zeros(h.shape, { dtype: h.dtype });
    kernels().gruGates(xg.data, hg.data, h.data, out.data, batch, hidden);
    return out;
  },
  vjp: (dy, [xg, hg, h]) => {
    if (traced(dy, xg, hg, h)) return gruGatesVjpOps(dy, xg, hg, h);
    const [batch, hidden] = h.shape as [number, number];
    const [dxg, dhg, dh] = buffers(h.dtype, [xg.shape, hg.shape, h.shape]) as [Tensor, Tensor, Tensor];
    kernels().gruGatesBackward(xg.data, hg.data, h.data, dy.data, dxg.data, dhg.data, dh.data, batch, hidden);
    return [dxg, dhg, dh];
  },
});

/** The GRU VJP in ops, for a backward pass that must stay differentiable. @internal */
export const gruGatesVjpOps = (dy: Tensor, xg: Tensor, hg: Tensor, h: Tensor): Tensor[] => {
  const [xr, xz, xn] = split(xg, 3, 1);
  const [hr, hz, hn] = split(hg, 3, 1);
  const r = sigmoid(add(xr, hr));
  const z = sigmoid(add(xz, hz));
  const n = tanh(add(xn, mul(r, hn)));
  const dnPre = mul(mul(dy, sub(1, z)), sub(1, mul(n, n)));
  const dzPre = mul(mul(dy, sub(h, n)), mul(z, sub(1, z)));
  const drPre = mul(mul(dnPre, hn), mul(r, sub(1, r)));
  return [concat([drPre, dzPre, dnPre], 1), concat([drPre, dzPre, mul(dnPre, r)], 1), mul(dy, z)];
};

/**
 * The pointwise part of a GRU step in PyTorch's reset-after convention: from
 * `xg = x·W_ihᵀ + b_ih` and `hg = h·W_hhᵀ + b_hh` (`[batch, 3·hidden]`, gates r, z, n)
 * and `h` `[batch, hidden]`, returns h' = (1 − z)·n + z·h with r = σ(xr + hr),
 * z = σ(xz + hz), n = tanh(xn + r·hn). One fused primitive, forward and backward.
 *
 * @example
 * ```ts
 * declare const ih: DenseParams, hh: DenseParams;   // weight [3·hidden, input | hidden], bias [3·hidden]
 * const hNext = gruGates(dense(ih, x), dense(hh, h), h);
 * ```
 */
export const gruGates = (xg: Tensor, hg: Tensor, h: Tensor): Tensor => {
  checkGates('gruGates', 3, xg, 'xg', h, 'h');
  checkGates('gruGates', 3, hg, 'hg', h, 'h');
  return gruGatesP([xg, hg, h], undefined);
};

// ---------------------------------------------------------------------------
// GRU, reset-before
// ---------------------------------------------------------------------------

const gruResetGatesP = definePrimitive<void, 3>({
  name: 'gruResetGates',
  forward: ([xg, hrz, h]) => {
    const [batch, hidden] = h.shape as [number, number];
    const out = zeros([2, batch, hidden], { dtype: h.dtype });
    kernels().gruResetGates(xg.data, hrz.data, h.data, out.data, batch, hidden);
    return out;
  },
  vjp: (dy, [xg, hrz, h]) => {
    if (traced(dy, xg, hrz, h)) return gruResetGatesVjpOps(dy, xg, hrz, h);
    const [batch, hidden] = h.shape as [number, number];
    const [dhrz, dh] = buffers(h.dtype, [hrz.shape, h.shape]) as [Tensor, Tensor];
    kernels().gruResetGatesBackward(xg.data, hrz.data, h.data, dy.data, dhrz.data, dh.data, batch, hidden);
    // xg's r, z blocks get the same cotangent as hrz, its n block none: a window, not a padded copy
    return [columns(dhrz, 0, xg), dhrz, dh];
  },
});

/** The VJP of gruResetGates in ops, for a backward pass that must stay differentiable. @internal */
export const gruResetGatesVjpOps = (dy: Tensor, xg: Tensor, hrz: Tensor, h: Tensor): Tensor[] => {
  const [xr, xz] = split(xg, 3, 1);
  const [hr, hz] = split(hrz, 2, 1);
  const r = sigmoid(add(xr, hr));
  const z = sigmoid(add(xz, hz));
  const [drh, dz] = halves(dy);
  const drPre = mul(mul(drh, h), mul(r, sub(1, r)));
  const dzPre = mul(dz, mul(z, sub(1, z)));
  return [concat([drPre, dzPre, mul(drPre, 0)], 1), concat([drPre, dzPre], 1), mul(drh, r)];
};

/**
 * The first pointwise part of a GRU step in the reset-before convention (Cho et al.;
 * Keras' `reset_after=False`), where r gates h before the candidate's product: from
 * `xg = x·W_ihᵀ + b_ih` `[batch, 3·hidden]`, `hrz` = h·W_hh[r, z]ᵀ + b_hh[r, z]
 * `[batch, 2·hidden]` and `h`, returns `[r·h, z]` with r = σ(xr + hr), z = σ(xz + hz).
 * `gruUpdate` finishes the step.
 *
 * @example
 * ```ts
 * declare const xg: Tensor, rz: DenseParams, n: DenseParams;   // x's projection; the hidden weights of r, z and of n
 * const [rh, z] = gruResetGates(xg, dense(rz, h), h);
 * const hNext = gruUpdate(xg, dense(n, rh), z, h);
 * ```
 */
export const gruResetGates = (xg: Tensor, hrz: Tensor, h: Tensor): [Tensor, Tensor] => {
  checkGates('gruResetGates', 3, xg, 'xg', h, 'h');
  checkGates('gruResetGates', 2, hrz, 'hrz', h, 'h');
  return halves(gruResetGatesP([xg, hrz, h], undefined));
};

const gruUpdateP = definePrimitive<void, 4>({
  name: 'gruUpdate',
  forward: ([xg, hn, z, h]) => {
    const [batch, hidden] = h.shape as [number, number];
    const out = zeros(h.shape, { dtype: h.dtype });
    kernels().gruUpdate(xg.data, hn.data, z.data, h.data, out.data, batch, hidden);
    return out;
  },
  vjp: (dy, [xg, hn, z, h]) => {
    if (traced(dy, xg, hn, z, h)) return gruUpdateVjpOps(dy, xg, hn, z, h);
    const [batch, hidden] = h.shape as [number, number];
    const [dhn, dz, dh] = buffers(h.dtype, [hn.shape, z.shape, h.shape]) as [Tensor, Tensor, Tensor];
    kernels().gruUpdateBackward(xg.data, hn.data, z.data, h.data, dy.data, dhn.data, dz.data, dh.data, batch, hidden);
    // xg's n block gets the same cotangent as hn, its r, z blocks none
    return [columns(dhn, 2 * hidden, xg), dhn, dz, dh];
  },
});

/** The VJP of gruUpdate in ops, for a backward pass that must stay differentiable. @internal */
export const gruUpdateVjpOps = (dy: Tensor, xg: Tensor, hn: Tensor, z: Tensor, h: Tensor): Tensor[] => {
  const [xr, xz, xn] = split(xg, 3, 1);
  const n = tanh(add(xn, hn));
  const dPre = mul(mul(dy, sub(1, z)), sub(1, mul(n, n)));
  return [concat([mul(xr, 0), mul(xz, 0), dPre], 1), dPre, mul(dy, sub(h, n)), mul(dy, z)];
};

/**
 * The last pointwise part of a reset-before GRU step: h' = (1 − z)·tanh(xn + hn) + z·h,
 * from `xg` `[batch, 3·hidden]` (its n block), `hn` = (r·h)·W_hnᵀ + b_hn, and `z`, `h`
 * `[batch, hidden]`. See `gruResetGates`.
 */
export const gruUpdate = (xg: Tensor, hn: Tensor, z: Tensor, h: Tensor): Tensor => {
  checkGates('gruUpdate', 3, xg, 'xg', h, 'h');
  checkGates('gruUpdate', 1, hn, 'hn', h, 'h');
  checkGates('gruUpdate', 1, z, 'z', h, 'h');
  return gruUpdateP([xg, hn, z, h], undefined);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** `value` [batch, w] as the cotangent of `xg`'s columns from `first` on: a window the tape adds in place. */
const columns = (value: Tensor, first: number, xg: Tensor): WindowCotangent => ({
  window: true,
  value,
  begin: [0, first],
  materialize: () => pad(value, [[0, 0], [first, xg.shape[1]! - first - value.shape[1]!]]),
});

/**
 * Zero tensors of `shapes` carved from one allocation (each a view of its own block): a
 * backward kernel's outputs cost one typed array instead of one each, and allocating
 * typed arrays is a large part of a small step's cost. With `zeroed` false the contents
 * are undefined, for outputs the kernels write whole.
 *
 * @internal
 */
export const buffers = (dtype: DType, shapes: readonly Shape[], zeroed = true): Tensor[] => {
  const sizes = shapes.map(sizeOf);
  const total = sizes.reduce((a, b) => a + b, 0);
  const data = zeroed ? allocate(dtype, total, 'buffers') : allocateForKernel(dtype, total, 'buffers');
  let at = 0;
  return shapes.map((shape, i) => {
    const t = new Tensor(data.subarray(at, at + sizes[i]!), shape);
    at += sizes[i]!;
    return t;
  });
};

/** Whether a VJP's inputs carry tape nodes: the backward pass is itself being differentiated. @internal */
export const traced = (...ts: Tensor[]): boolean => ts.some((t) => t.node !== null);

/** The two [batch, hidden] blocks of a [2, batch, hidden] tensor. @internal */
export const halves = (pair: Tensor): [Tensor, Tensor] => [row(pair, 0), row(pair, 1)];

/** `gates` must be [batch, blocks·hidden] and `state` [batch, hidden], both of one floating dtype. @internal */
export const checkGates = (op: string, blocks: number, gates: Tensor, gatesName: string, state: Tensor, stateName: string): void => {
  expectTensor(op, gates, gatesName);
  expectTensor(op, state, stateName);
  commonFloatDType(op, [gates.dtype, state.dtype]);
  const [batch, hidden] = state.shape;
  if (state.rank !== 2 || gates.rank !== 2 || gates.shape[0] !== batch || gates.shape[1] !== blocks * hidden!) {
    throw new SeqgradError(op, `${gatesName} ${showShape(gates.shape)} must be [batch, ${blocks}·hidden] for ${stateName} ${showShape(state.shape)} = [batch, hidden]`);
  }
};
