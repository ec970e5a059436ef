/**
 * Matrix multiplication with batch dimensions (broadcast as NumPy's matmul) and
 * operands that may be read transposed. The VJP needs A·Bᵀ and Aᵀ·B: it asks the same
 * primitive for them through the transpose flags, so no transpose is ever materialised.
 * `addmm` (c + A·B, as PyTorch's) is the same primitive with an addend the kernel
 * accumulates onto: a recurrent step's h·W_hhᵀ plus its projected input is one op.
 *
 * @module
 */
import { definePrimitive } from '../autodiff/primitive.js';
import { kernels } from '../kernels/index.js';
import { zeros } from '../tensor/create.js';
import { commonFloatDType } from '../tensor/dtype.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { broadcastShapes, broadcastsTo, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { Tensor, type Cotangent } from '../tensor/tensor.js';
import { deferredProduct } from './deferred-product.js';
import { reshape } from './shape.js';
import { expectTensor } from './support.js';

/** Whether to read an operand transposed (its last two axes swapped). */
export interface MatmulOptions {
  /** Read `a` with its last two axes swapped. */
  readonly transposeA?: boolean;
  /** Read `b` with its last two axes swapped. */
  readonly transposeB?: boolean;
}

interface Flags { readonly transposeA: boolean; readonly transposeB: boolean }

/** [rows, cols] of an operand after its optional transpose. */
const matrixDims = (t: Tensor, transposed: boolean): [number, number] => {
  const r = t.shape[t.rank - 2]!;
  const c = t.shape[t.rank - 1]!;
  return transposed ? [c, r] : [r, c];
};

// ---------------------------------------------------------------------------
// primitive
// ---------------------------------------------------------------------------

const matmulP = definePrimitive<Flags, 2 | 3>({
  name: 'matmul',
  forward: ([a, b, c], flags) => {
    const dtype = commonFloatDType('matmul', [a.dtype, b.dtype]);
    const [m, k] = matrixDims(a, flags.transposeA);
    const n = matrixDims(b, flags.transposeB)[1];
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const shape = [...batch, m, n];
    // an addend of the product's shape is copied as the output's start, else broadcast into zeros
    const whole = c !== undefined && c.size === sizeOf(shape);
    const out = whole ? new Tensor(c.data.slice(), shape) : zeros(shape, { dtype });
    if (c && !whole) kernels().broadcastInto(c.data, c.shape, out.data, out.shape);
    const aBatch = batchOffsets(a.shape.slice(0, -2), batch, m * k);
    const bBatch = batchOffsets(b.shape.slice(0, -2), batch, k * n);
    const backend = kernels();
    for (let i = 0; i < aBatch.length; i++) {
      backend.matmul(
        { data: a.data, offset: aBatch[i]!, transposed: flags.transposeA },
        { data: b.data, offset: bBatch[i]!, transposed: flags.transposeB },
        out.data, i * m * n, m, n, k, c !== undefined,
      );
    }
    return out;
  },
  // each product is as costly as the forward: skip the one no input needs (dx_t of data, say)
  vjp: (dy, [a, b], _, { transposeA, transposeB }, needs) => [
    !needs[0] ? null
      : transposeA ? product(b, dy, { transposeA: transposeB, transposeB: true }) : product(dy, b, { transposeA: false, transposeB: !transposeB }),
    needs[1] ? gradB(dy, a, b, transposeA, transposeB) : null,
    needs[2] ? dy : null,
  ],
});

/** dB; when B is a plain matrix shared across a batch, the batch folds into one product. */
const gradB = (dy: Tensor, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Cotangent => {
  if (b.rank === 2 && a.rank > 2 && !transposeA) {
    const k = a.shape[a.rank - 1]!;
    const n = dy.shape[dy.rank - 1]!;
    return gradB(reshape(dy, [-1, n]), reshape(a, [-1, k]), b, false, transposeB);
  }
  return transposeB ? product(dy, a, { transposeA: true, transposeB: transposeA }) : product(a, dy, { transposeA: !transposeA, transposeB: false });
};

/**
 * A VJP's product op(x)·op(y). Between plain matrices, under a plain `grad`, it is
 * deferred: the tape has the kernel accumulate it straight into the cotangent buffer it
 * keeps for the input, so a weight used at every time step gathers its gradient with
 * no product tensor per step and no separate add, the products of every step stacked
 * into one (see DeferredProduct). Otherwise it is an ordinary matmul.
 */
const product = (x: Tensor, y: Tensor, flags: Flags): Cotangent =>
  x.rank !== 2 || y.rank !== 2 || x.node !== null || y.node !== null
    ? matmul(x, y, flags)
    : deferredProduct(x, y, flags, () => matmul(x, y, flags));

// ---------------------------------------------------------------------------
// operation
// ---------------------------------------------------------------------------

/**
 * `op(a) · op(b)` over the last two axes, broadcasting leading (batch) axes. A rank-1
 * operand is treated as a row (a) or column (b) vector and that axis is dropped from
 * the result, as in NumPy; its transpose flag has no effect.
 *
 * @example
 * ```ts
 * declare const w: Tensor;              // [out, in]
 * matmul(x, w, { transposeB: true });   // x · wᵀ, as a PyTorch Linear layer
 * ```
 */
export const matmul = (a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor => {
  expectTensor('matmul', a, 'a');
  expectTensor('matmul', b, 'b');
  if (a.rank === 0 || b.rank === 0) {
    throw new SeqgradError('matmul', `operands must have rank >= 1, got a ${showShape(a.shape)} and b ${showShape(b.shape)}; use mul for scalars`);
  }
  // a vector is its own transpose, so the flags only matter from rank 2 up
  const flags = { transposeA: a.rank > 1 && (options.transposeA ?? false), transposeB: b.rank > 1 && (options.transposeB ?? false) };
  checkOperands(a, b, flags);
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const out = matmulP([a2, b2], flags);
  const dropped = out.shape.filter((_, i) => !((a.rank === 1 && i === out.rank - 2) || (b.rank === 1 && i === out.rank - 1)));
  return a.rank === 1 || b.rank === 1 ? reshape(out, dropped) : out;
};

/**
 * `c + op(a)·op(b)` in one op, as PyTorch's `addmm`: the product is accumulated onto
 * `c` (broadcast to the product's shape) by the kernel, with no separate add. `a` and
 * `b` need rank 2 or more.
 *
 * @example
 * ```ts
 * declare const xProjected: Tensor, weight_hh: Tensor;
 * addmm(xProjected, h, weight_hh, { transposeB: true });   // x_t·W_ihᵀ + b + h·W_hhᵀ
 * ```
 */
export const addmm = (c: Tensor, a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor => {
  expectTensor('addmm', c, 'c');
  expectTensor('addmm', a, 'a');
  expectTensor('addmm', b, 'b');
  if (a.rank < 2 || b.rank < 2) {
    throw new SeqgradError('addmm', `a and b need rank >= 2, got a ${showShape(a.shape)} and b ${showShape(b.shape)}; use add(c, matmul(a, b))`);
  }
  const flags = { transposeA: options.transposeA ?? false, transposeB: options.transposeB ?? false };
  checkOperands(a, b, flags);
  commonFloatDType('addmm', [c.dtype, a.dtype, b.dtype]);
  const product = [...broadcastShapes('addmm', a.shape.slice(0, -2), b.shape.slice(0, -2)), matrixDims(a, flags.transposeA)[0], matrixDims(b, flags.transposeB)[1]];
  if (!broadcastsTo(c.shape, product)) {
    throw new SeqgradError('addmm', `c ${showShape(c.shape)} does not broadcast to the product's shape ${showShape(product)}`);
  }
  return matmulP([a, b, c], flags);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Refuses mismatched inner or batch dimensions, naming both operands as the caller gave them. */
const checkOperands = (a: Tensor, b: Tensor, flags: Flags): void => {
  const k = a.rank === 1 ? a.shape[0]! : matrixDims(a, flags.transposeA)[1];
  const k2 = b.rank === 1 ? b.shape[0]! : matrixDims(b, flags.transposeB)[0];
  const shown = (t: Tensor, transposed: boolean): string => `${showShape(t.shape)}${transposed ? 'ᵀ' : ''}`;
  if (k !== k2) {
    throw new SeqgradError('matmul', `inner dimensions differ: a ${shown(a, flags.transposeA)} has ${k} columns, b ${shown(b, flags.transposeB)} has ${k2} rows`);
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const lead = batchB.length - batchA.length;
  if (batchA.some((d, i) => { const e = batchB[i + lead] ?? 1; return d !== e && d !== 1 && e !== 1; })) {
    throw new SeqgradError('matmul', `batch dimensions ${showShape(batchA)} of a ${showShape(a.shape)} and ${showShape(batchB)} of b ${showShape(b.shape)} do not broadcast`);
  }
};

/** For each batch index of `batch`, the offset of the operand's matrix (stride 0 on broadcast axes). */
const batchOffsets = (own: Shape, batch: Shape, matrixSize: number): number[] => {
  if (batch.length === 0) return [0];
  const count = sizeOf(batch);
  const ownStrides = stridesOf(own);
  const lead = batch.length - own.length;
  const batchStrides = stridesOf(batch);
  return Array.from({ length: count }, (_, i) => {
    let offset = 0;
    for (let axis = 0; axis < own.length; axis++) {
      const index = Math.floor(i / batchStrides[axis + lead]!) % batch[axis + lead]!;
      if (own[axis] !== 1) offset += index * ownStrides[axis]!;
    }
    return offset * matrixSize;
  });
};
