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
import { Tensor, type DeferredCotangent } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { scratchArray } from '../tensor/pool.js';
import { concat } from './shape.js';

/** Transpose flags of a product: which operand is stored transposed. @internal */
export interface ProductFlags {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/**
 * One term op(x)·op(y) of a deferred cotangent, added at `offset` of the cotangent
 * buffer: the whole buffer for a plain matmul, a block of rows for one gate block of a
 * fused step's weight. @internal
 */
export interface ProductTerm {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly flags: ProductFlags;
  /** The first row of the block the product fills (0: the whole cotangent). */
  readonly firstRow: number;
}

/**
 * A sum of products of untraced matrices, evaluated by the tape into its buffer: one
 * term for a matmul's operand, one per gate block for a fused step's weight. @internal
 */
export class DeferredProduct implements DeferredCotangent {
  readonly deferred = true;
  readonly dtype;

  /** `shape` is the input's; `materialize` computes the same cotangent as a tensor (for passes that stay differentiable). */
  constructor(readonly terms: readonly ProductTerm[], readonly shape: Shape, readonly materialize: () => Tensor) {
    this.dtype = terms[0]!.x.dtype;
  }

  /** Adds the terms into `buffer`. */
  addInto(buffer: TypedArray): void {
    for (const term of this.terms) accumulateProduct([term], buffer);
  }

  /** Adds this and `others` into `buffer`: one product per group of terms whose operands stack. */
  addAllInto(buffer: TypedArray, others: readonly DeferredCotangent[]): void {
    const groups = new Map<string, ProductTerm[]>();
    for (const d of [this, ...others]) {
      if (!(d instanceof DeferredProduct)) {
        d.addInto(buffer);
        continue;
      }
      for (const term of d.terms) {
        const key = groupOf(term);
        const group = groups.get(key);
        if (group) group.push(term);
        else groups.set(key, [term]);
      }
    }
    for (const terms of groups.values()) accumulateProduct(terms, buffer);
  }
}

/** op(x)·op(y) as the whole cotangent of an operand. @internal */
export const deferredProduct = (x: Tensor, y: Tensor, flags: ProductFlags, materialize: () => Tensor): DeferredProduct =>
  new DeferredProduct([{ x, y, flags, firstRow: 0 }], [rows(x, flags.transposeA), cols(y, flags.transposeB)], materialize);

/** Terms that stack into one product: the same flags, dtype, block shape and place. */
const groupOf = ({ x, y, flags, firstRow }: ProductTerm): string =>
  `${flags.transposeA}:${flags.transposeB}:${x.dtype}:${rows(x, flags.transposeA)}:${cols(y, flags.transposeB)}:${firstRow}`;

/**
 * buffer += Σ op(xᵢ)·op(yᵢ) by the kernel, for terms of one group: stacked along their
 * shared inner dimension k (the batch rows of every time step), the sum is the one
 * product op([x₁; x₂; ...])·op([y₁; y₂; ...]).
 */
const accumulateProduct = (terms: readonly ProductTerm[], buffer: TypedArray): void => {
  const { flags, firstRow } = terms[0]!;
  // the inner dimension k is axis 1 of a stored A (axis 0 when transposed), axis 0 of a stored B (1 when transposed)
  const x = terms.length === 1 ? terms[0]!.x : stackRows(terms.map((t) => t.x), flags.transposeA, 0);
  const y = terms.length === 1 ? terms[0]!.y : stackRows(terms.map((t) => t.y), !flags.transposeB, 1);
  const m = rows(x, flags.transposeA);
  const n = cols(y, flags.transposeB);
  const k = flags.transposeA ? x.shape[0]! : x.shape[1]!;
  kernels().matmul(
    { data: x.data, offset: 0, transposed: flags.transposeA }, { data: y.data, offset: 0, transposed: flags.transposeB },
    buffer, firstRow * n, m, n, k, true,
  );
};

/**
 * The matrices `parts` stacked along the inner dimension: rows appended when that is
 * axis 0 (`alongRows`), columns otherwise. Row stacking, what every weight gradient of
 * a recurrence needs, copies into a scratch array reused from pass to pass: the stack
 * lives only for the one product, and a fresh array of that size (megabytes) costs
 * its page faults every time.
 */
const stackRows = (parts: readonly Tensor[], alongRows: boolean, side: 0 | 1): Tensor => {
  if (!alongRows) return concat(parts, 1);
  const cols = parts[0]!.shape[1]!;
  const size = parts.reduce((total, p) => total + p.size, 0);
  const data = scratchArray(`stack:${side}`, parts[0]!.dtype, size);
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.size;
  }
  return new Tensor(data, [size / cols, cols]);
};

const rows = (x: Tensor, transposed: boolean): number => x.shape[transposed ? 1 : 0]!;
const cols = (y: Tensor, transposed: boolean): number => y.shape[transposed ? 0 : 1]!;
