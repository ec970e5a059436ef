/**
 * A matmul VJP's product op(x)·op(y) handed to the tape unevaluated, so the tape adds it
 * straight into the cotangent buffer it keeps for the input. A weight used at every
 * time step then gathers its gradient without a product tensor per step, and the
 * products pending for one weight are added all at once: stacked along their shared
 * inner dimension (the batch rows of every time step), they are one large matmul
 * instead of one small one per step, and the accumulator crosses into the kernel once.
 *
 * @module
 * @internal
 */
import { kernels } from '../kernels/index.js';
import type { Shape } from '../tensor/shape.js';
import type { DeferredCotangent, Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { concat } from './shape.js';

/** Transpose flags of a product: which operand is stored transposed. @internal */
export interface ProductFlags {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** op(x)·op(y) of two untraced matrices, evaluated by the tape into its buffer. @internal */
export class DeferredProduct implements DeferredCotangent {
  readonly deferred = true;
  readonly shape: Shape;
  readonly dtype;

  /** `materialize` computes the same product as a tensor (for passes that stay differentiable). */
  constructor(
    readonly x: Tensor, readonly y: Tensor, readonly flags: ProductFlags, readonly materialize: () => Tensor,
  ) {
    this.shape = [rows(x, flags.transposeA), cols(y, flags.transposeB)];
    this.dtype = x.dtype;
  }

  /** Adds op(x)·op(y) into `buffer`. */
  addInto(buffer: TypedArray): void {
    accumulateProduct(this.x, this.y, this.flags, buffer);
  }

  /** Adds this and `others` into `buffer`: one product over the stacked operands when they line up. */
  addAllInto(buffer: TypedArray, others: readonly DeferredCotangent[]): void {
    const all = [this, ...others];
    if (!all.every((d) => d instanceof DeferredProduct && this.compatible(d))) {
      for (const d of all) d.addInto(buffer);
      return;
    }
    const parts = all as DeferredProduct[];
    const { transposeA, transposeB } = this.flags;
    // the inner dimension k is axis 1 of a stored A (axis 0 when transposed), axis 0 of a stored B (1 when transposed)
    const x = concat(parts.map((d) => d.x), transposeA ? 0 : 1);
    const y = concat(parts.map((d) => d.y), transposeB ? 1 : 0);
    accumulateProduct(x, y, this.flags, buffer);
  }

  private compatible(d: DeferredProduct): boolean {
    return d.flags.transposeA === this.flags.transposeA && d.flags.transposeB === this.flags.transposeB
      && d.dtype === this.dtype && d.shape[0] === this.shape[0] && d.shape[1] === this.shape[1];
  }
}

/** buffer += op(x)·op(y) by the kernel. */
const accumulateProduct = (x: Tensor, y: Tensor, flags: ProductFlags, buffer: TypedArray): void => {
  const m = rows(x, flags.transposeA);
  const n = cols(y, flags.transposeB);
  const k = flags.transposeA ? x.shape[0]! : x.shape[1]!;
  kernels().matmul(
    { data: x.data, offset: 0, transposed: flags.transposeA }, { data: y.data, offset: 0, transposed: flags.transposeB },
    buffer, 0, m, n, k, true,
  );
};

const rows = (x: Tensor, transposed: boolean): number => x.shape[transposed ? 1 : 0]!;
const cols = (y: Tensor, transposed: boolean): number => y.shape[transposed ? 0 : 1]!;
