/**
 * Whole recurrent steps around the hidden product: `lstmStep` and `gruStep` take the
 * step's projected input, the carry and the hidden weight, and give the next carry as
 * one primitive. The gate primitives (gates.ts) already fuse the pointwise algebra;
 * fusing the product h·W_hhᵀ in as well leaves one tape node, one allocation and one
 * cotangent per step instead of three to seven, which at a recurrent layer's sizes is
 * most of what a step costs beyond its arithmetic. The reset-before GRU gains most: its
 * reset gate sits between two hidden products.
 *
 * The forward keeps what the VJP needs (the gate pre-activations, JAX's residuals) in
 * an array of its own, so the VJP multiplies nothing twice, and hands it back to the
 * gradient pass once read (see release). The VJP
 * returns the weight's gradient unevaluated (a `DeferredProduct` per gate block), so the
 * tape adds every step's share as one product over the time steps stacked. When the
 * backward pass must itself be differentiated, the VJP is the same formula in ops.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { kernels } from '../kernels/index.js';
import { allocateForKernel, commonFloatDType, type TypedArray } from '../tensor/dtype.js';
import { adoptIntoPass } from '../tensor/pool.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { Tensor, type Cotangent } from '../tensor/tensor.js';
import { add } from './arithmetic.js';
import { DeferredProduct } from './deferred-product.js';
import { buffers, checkGates, gruGatesVjpOps, gruResetGates, gruResetGatesVjpOps, gruUpdateVjpOps, halves, lstmGatesVjpOps, traced } from './gates.js';
import { addmm, matmul } from './matmul.js';
import { sum } from './reduce.js';
import { concat, reshape, slice } from './shape.js';
import { expectTensor } from './support.js';

/**
 * What a step's forward leaves for its VJP: set by the forward, read by the VJP, and
 * null again once a one-shot gradient pass has taken the array back (see release).
 */
interface Residuals {
  saved: TypedArray | null;
}

const residuals = (): Residuals => ({ saved: null });

/** The residuals, or a clear error when a finished gradient pass already recycled them. */
const saved = (residual: Residuals, op: string): TypedArray => {
  if (residual.saved === null) {
    throw new SeqgradError(op, 'this step was already differentiated by a grad or valueAndGrad that has returned, which recycled what its gradient needs; differentiate again from the inputs (or use vjp, whose pullback can run many times)');
  }
  return residual.saved;
};

/**
 * After the VJP's last read, hands the residuals to the gradient pass that is running,
 * if it runs once (grad, valueAndGrad): nothing else holds them, and at the pass's end
 * they go back to the pool, so the next step's forward reuses the memory instead of
 * faulting in fresh pages (tensor/pool.ts).
 */
const release = (residual: Residuals): void => {
  if (residual.saved !== null && adoptIntoPass(residual.saved)) residual.saved = null;
};

/** acc (+)= op(a)·op(b) for matrices stored whole in typed arrays: `b` is the weight, read from `bOffset`. */
const product = (
  a: TypedArray, b: TypedArray, bOffset: number, transposeB: boolean, out: TypedArray, m: number, n: number, k: number, accumulate: boolean,
): void => {
  kernels().matmul({ data: a, offset: 0, transposed: false }, { data: b, offset: bOffset, transposed: transposeB }, out, 0, m, n, k, accumulate);
};

// ---------------------------------------------------------------------------
// LSTM
// ---------------------------------------------------------------------------

const lstmStepP = definePrimitive<Residuals, 4>({
  name: 'lstmStep',
  forward: ([xg, h, c, w], residual) => {
    const [batch, hidden] = c.shape as [number, number];
    // the pre-activations, which the VJP reads, in an array of their own (see release)
    const gates = allocateForKernel(c.dtype, 4 * batch * hidden, 'lstmStep');
    gates.set(xg.data);
    product(h.data, w.data, 0, true, gates, batch, 4 * hidden, w.shape[1]!, true);
    const out = new Tensor(allocateForKernel(c.dtype, 2 * batch * hidden, 'lstmStep'), [2, batch, hidden]);
    kernels().lstmGates(gates, c.data, out.data, batch, hidden);
    residual.saved = gates;
    return out;
  },
  vjp: (dy, [xg, h, c, w], _, residual, needs) => {
    if (traced(dy, xg, h, c, w)) return lstmStepVjpOps(dy, xg, h, c, w);
    const [batch, hidden] = c.shape as [number, number];
    const [dGates, dc, dh] = buffers(c.dtype, [xg.shape, c.shape, h.shape], false) as [Tensor, Tensor, Tensor];
    kernels().lstmGatesBackward(saved(residual, 'lstmStep'), c.data, dy.data, dGates.data, dc.data, batch, hidden);
    release(residual);
    if (needs[1]) product(dGates.data, w.data, 0, false, dh.data, batch, w.shape[1]!, 4 * hidden, false);
    return [dGates, needs[1] ? dh : null, dc, needs[3] ? weightGrad(w, [[dGates, h, 0]]) : null];
  },
});

/** The LSTM step's VJP in ops, for a backward pass that must stay differentiable. */
const lstmStepVjpOps = (dy: Tensor, xg: Tensor, h: Tensor, c: Tensor, w: Tensor): Tensor[] => {
  const [dGates, dc] = lstmGatesVjpOps(dy, addmm(xg, h, w, { transposeB: true }), c) as [Tensor, Tensor];
  return [dGates, matmul(dGates, w), dc, matmul(dGates, h, { transposeA: true })];
};

/**
 * One LSTM step from its projected input: gates = xg + h·W_hhᵀ, then the fused
 * pointwise step (`lstmGates`). `xg` `[batch, 4·hidden]` is x·W_ihᵀ with both biases
 * added, `h` `[batch, hiddenIn]`, `c` `[batch, hidden]`, `weightHh` `[4·hidden, hiddenIn]`
 * (gates i, f, g, o, PyTorch's layout). Returns `[h', c']`. One primitive: forward and
 * backward each a product and a fused kernel, one tape node per step.
 *
 * @example
 * ```ts
 * declare const p: { weight_ih: Tensor; weight_hh: Tensor; bias_ih: Tensor; bias_hh: Tensor };   // an LSTM cell's
 * const xg = dense({ weight: p.weight_ih, bias: add(p.bias_ih, p.bias_hh) }, x);
 * const [h1, c1] = lstmStep(xg, h0, c0, p.weight_hh);
 * ```
 */
export const lstmStep = (xg: Tensor, h: Tensor, c: Tensor, weightHh: Tensor): [Tensor, Tensor] => {
  checkGates('lstmStep', 4, xg, 'xg', c, 'c');
  checkWeight('lstmStep', 4, weightHh, h, c);
  return halves(lstmStepP([xg, h, c, weightHh], residuals()));
};

// ---------------------------------------------------------------------------
// GRU
// ---------------------------------------------------------------------------

/** Options of `gruStep`. */
export interface GruStepOptions {
  /** Where the reset gate acts (default `reset-after`, PyTorch's); see the `gru` cell. */
  readonly convention?: 'reset-after' | 'reset-before';
}

const gruAfterP = definePrimitive<Residuals, 3 | 4>({
  name: 'gruStep',
  forward: ([xg, h, w, b], residual) => {
    const [batch, hidden] = h.shape as [number, number];
    // hg = h·W_hhᵀ + b_hh, which the VJP reads
    const hg = allocateForKernel(h.dtype, 3 * batch * hidden, 'gruStep');
    if (b !== undefined) for (let r = 0; r < batch; r++) hg.set(b.data, r * 3 * hidden);
    product(h.data, w.data, 0, true, hg, batch, 3 * hidden, hidden, b !== undefined);
    const out = new Tensor(allocateForKernel(h.dtype, batch * hidden, 'gruStep'), h.shape);
    kernels().gruGates(xg.data, hg, h.data, out.data, batch, hidden);
    residual.saved = hg;
    return out;
  },
  vjp: (dy, [xg, h, w, b], _, residual, needs) => {
    if (traced(dy, xg, h, w, ...(b ? [b] : []))) return gruAfterVjpOps(dy, xg, h, w, b);
    const [batch, hidden] = h.shape as [number, number];
    const [dxg, dhg, dh] = buffers(h.dtype, [xg.shape, xg.shape, h.shape], false) as [Tensor, Tensor, Tensor];
    kernels().gruGatesBackward(xg.data, saved(residual, 'gruStep'), h.data, dy.data, dxg.data, dhg.data, dh.data, batch, hidden);
    release(residual);
    if (needs[1]) product(dhg.data, w.data, 0, false, dh.data, batch, hidden, 3 * hidden, true);
    const grads: (Cotangent | null)[] = [dxg, needs[1] ? dh : null, needs[2] ? weightGrad(w, [[dhg, h, 0]]) : null];
    if (b !== undefined) grads.push(needs[3] ? sum(dhg, 0) : null);
    return grads;
  },
});

/** The reset-after step's VJP in ops, for a backward pass that must stay differentiable. */
const gruAfterVjpOps = (dy: Tensor, xg: Tensor, h: Tensor, w: Tensor, b: Tensor | undefined): Tensor[] => {
  const hg = b === undefined ? matmul(h, w, { transposeB: true }) : addmm(b, h, w, { transposeB: true });
  const [dxg, dhg, dh] = gruGatesVjpOps(dy, xg, hg, h) as [Tensor, Tensor, Tensor];
  const grads = [dxg, add(dh, matmul(dhg, w)), matmul(dhg, h, { transposeA: true })];
  return b === undefined ? grads : [...grads, sum(dhg, 0)];
};

const gruBeforeP = definePrimitive<Residuals, 3>({
  name: 'gruStep',
  forward: ([xg, h, w], residual) => {
    const [batch, hidden] = h.shape as [number, number];
    // [h·W_rzᵀ | r·h, z | hn], which the VJP reads, in an array of their own (see release)
    const data = allocateForKernel(h.dtype, 5 * batch * hidden, 'gruStep');
    const out = new Tensor(allocateForKernel(h.dtype, batch * hidden, 'gruStep'), h.shape);
    kernels().gruBeforeStep(xg.data, h.data, w.data, data, out.data, batch, hidden);
    residual.saved = data;
    return out;
  },
  vjp: (dy, [xg, h, w], _, residual, needs) => {
    if (traced(dy, xg, h, w)) return gruBeforeVjpOps(dy, xg, h, w);
    const [batch, hidden] = h.shape as [number, number];
    const kept = saved(residual, 'gruStep');
    // what the tape keeps (dh, and dhrz, dhn for the weight) in one array, xg's share in
    // another (each under the size where allocating turns costly)
    const [dh, dhrz, dhn] = buffers(h.dtype, [h.shape, [batch, 2 * hidden], h.shape], false) as [Tensor, Tensor, Tensor];
    const dxg = buffers(h.dtype, [xg.shape], false)[0]!;
    kernels().gruBeforeStepBackward(xg.data, kept, h.data, dy.data, w.data, dxg.data, dhrz.data, dhn.data, dh.data, needs[1]!, batch, hidden);
    // r·h, an operand of the weight's deferred product, stays a view of the residuals: the
    // tape adds deferred products before the pass ends, and only then do they go back to the pool
    const rh = new Tensor(kept.subarray(2 * batch * hidden, 3 * batch * hidden), h.shape);
    const dw = needs[2] ? weightGrad(w, [[dhrz, h, 0], [dhn, rh, 2 * hidden]]) : null;
    release(residual);
    return [dxg, needs[1] ? dh : null, dw];
  },
});

/** The reset-before step's VJP in ops, for a backward pass that must stay differentiable. */
const gruBeforeVjpOps = (dy: Tensor, xg: Tensor, h: Tensor, w: Tensor): Tensor[] => {
  const hidden = h.shape[1]!;
  const wrz = slice(w, [0, 0], [2 * hidden, hidden]);
  const wn = slice(w, [2 * hidden, 0], [hidden, hidden]);
  const hrz = matmul(h, wrz, { transposeB: true });
  const [rh, z] = gruResetGates(xg, hrz, h);
  const hn = matmul(rh, wn, { transposeB: true });
  const [dxgN, dhn, dz, dhUpdate] = gruUpdateVjpOps(dy, xg, hn, z, h) as [Tensor, Tensor, Tensor, Tensor];
  const drh = matmul(dhn, wn);
  const [dxgRz, dhrz, dhReset] = gruResetGatesVjpOps(reshape(concat([drh, dz], 0), [2, ...h.shape]), xg, hrz, h) as [Tensor, Tensor, Tensor];
  const dh = add(add(dhUpdate, dhReset), matmul(dhrz, wrz));
  const dw = concat([matmul(dhrz, h, { transposeA: true }), matmul(dhn, rh, { transposeA: true })], 0);
  return [add(dxgN, dxgRz), dh, dw];
};

/**
 * One GRU step from its projected input. `xg` `[batch, 3·hidden]` is x·W_ihᵀ + b_ih
 * (gates r, z, n), `h` `[batch, hidden]`, `weightHh` `[3·hidden, hidden]` and
 * `biasHh` `[3·hidden]` or null, PyTorch's layout. Returns h' = (1 − z)·n + z·h; the
 * candidate n follows `options.convention` (see the `gru` cell): reset-after
 * (PyTorch's) multiplies r into h·W_hnᵀ + b_hn, reset-before multiplies r into h before
 * its product, so there b_hh adds outside every product and may already be in `xg`.
 * One primitive: forward and backward each the hidden products and fused kernels.
 *
 * @example
 * ```ts
 * declare const p: { weight_ih: Tensor; weight_hh: Tensor; bias_ih: Tensor; bias_hh: Tensor };   // a GRU cell's
 * const h1 = gruStep(dense({ weight: p.weight_ih, bias: p.bias_ih }, x), h0, p.weight_hh, p.bias_hh);
 * const h1b = gruStep(dense({ weight: p.weight_ih, bias: add(p.bias_ih, p.bias_hh) }, x), h0, p.weight_hh, null, { convention: 'reset-before' });
 * ```
 */
export const gruStep = (xg: Tensor, h: Tensor, weightHh: Tensor, biasHh: Tensor | null = null, options: GruStepOptions = {}): Tensor => {
  const convention = options?.convention ?? 'reset-after';
  if (convention !== 'reset-after' && convention !== 'reset-before') {
    throw new SeqgradError('gruStep', `options.convention must be 'reset-after' or 'reset-before', got ${JSON.stringify(convention)}`);
  }
  checkGates('gruStep', 3, xg, 'xg', h, 'h');
  checkWeight('gruStep', 3, weightHh, h, h);
  if (biasHh !== null) checkBias(biasHh, weightHh);
  if (convention === 'reset-before') return gruBeforeP([biasHh === null ? xg : add(xg, biasHh), h, weightHh], residuals());
  return gruAfterP(biasHh === null ? [xg, h, weightHh] : [xg, h, weightHh, biasHh], residuals());
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * The weight's cotangent from one step: for each `[dG, x, firstRow]`, the rows of the
 * gate blocks from `firstRow` get dGᵀ·x. Deferred, so the tape adds every step's share
 * as one stacked product; the blocks must cover the weight's rows in order.
 */
const weightGrad = (w: Tensor, blocks: readonly (readonly [Tensor, Tensor, number])[]): DeferredProduct => {
  const flags = { transposeA: true, transposeB: false };
  const terms = blocks.map(([dG, x, firstRow]) => ({ x: dG, y: x, flags, firstRow }));
  return new DeferredProduct(terms, w.shape, () => concat(blocks.map(([dG, x]) => matmul(dG, x, flags)), 0));
};

/** The hidden weight must be `[blocks·hidden, hiddenIn]` for `h` `[batch, hiddenIn]` and `state` `[batch, hidden]`. */
const checkWeight = (op: string, blocks: number, w: Tensor, h: Tensor, state: Tensor): void => {
  expectTensor(op, w, 'weightHh');
  expectTensor(op, h, 'h');
  commonFloatDType(op, [w.dtype, h.dtype, state.dtype]);
  const hidden = state.shape[1]!;
  if (h.rank !== 2 || h.shape[0] !== state.shape[0] || w.rank !== 2 || w.shape[0] !== blocks * hidden || w.shape[1] !== h.shape[1]) {
    throw new SeqgradError(op, `weightHh ${showShape(w.shape)} must be [${blocks}·hidden, hiddenIn] for h ${showShape(h.shape)} = [batch, hiddenIn] and hidden ${hidden}`);
  }
};

const checkBias = (b: Tensor, w: Tensor): void => {
  expectTensor('gruStep', b, 'biasHh');
  if (b.rank !== 1 || b.shape[0] !== w.shape[0] || b.dtype !== w.dtype) {
    throw new SeqgradError('gruStep', `biasHh ${b.dtype} ${showShape(b.shape)} must be a ${w.dtype} [${w.shape[0]}] like weightHh's rows`);
  }
};
