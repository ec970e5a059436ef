/**
 * The Tensor: a readonly shape, a dtype and flat row-major typed-array data. Tensors
 * are never mutated after construction — no op writes into an input — so a kernel may
 * cache work keyed by a tensor's identity, and memory is simply the garbage
 * collector's (no dispose, no tidy).
 *
 * A tensor produced by a differentiable op under `grad` carries a tape node: the
 * primitive that made it, its inputs and its VJP. The node is how the tape walks back;
 * tensors made outside any trace carry none.
 *
 * @module
 */
import type { DType, TypedArray } from './dtype.js';
import { dtypeOf } from './dtype.js';
import { SeqgradError, showShape } from './errors.js';
import { sizeOf, stridesOf, type Shape } from './shape.js';
import { formatTensor } from './format.js';

/**
 * How a traced tensor was made: the primitive's name, its inputs and the VJP that maps
 * the output's cotangent to one cotangent per input (null where there is none).
 *
 * @internal
 */
export interface TapeNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * Called by the tape with the inputs and output it wants the VJP to see (detached
   * unless differentiating twice) and, per input, whether its cotangent is wanted.
   */
  readonly vjp: (dy: Tensor, inputs: readonly Tensor[], out: Tensor, needs: readonly boolean[]) => readonly (Cotangent | null)[];
  /** Set on the leaves a `grad` traces: the token of that trace. */
  readonly trace?: object;
  /** Where the op was recorded, when inside a scan (`scan step 3`): checkNaN reports it. */
  readonly at?: string;
}

/**
 * A cotangent that is zero outside one rectangular window of its input: the VJP of a
 * slice. The tape adds `value` into its accumulator at `begin` instead of padding it to
 * the input's full shape, so taking every time step of a sequence costs the size of the
 * sequence once, not once per step. `materialize` gives the padded tensor, for passes
 * that must stay differentiable.
 *
 * @internal
 */
export interface WindowCotangent {
  readonly window: true;
  readonly value: Tensor;
  readonly begin: readonly number[];
  readonly materialize: () => Tensor;
}

/**
 * A cotangent the tape adds into a buffer of its own instead of receiving as a tensor:
 * a matmul's weight gradient, which the kernel accumulates in place at every time step
 * (no product tensor per step, no separate add). `addInto` adds it into a buffer of the
 * input's shape; `materialize` gives it as a tensor, for passes that must stay
 * differentiable.
 *
 * @internal
 */
export interface DeferredCotangent {
  readonly deferred: true;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly addInto: (buffer: TypedArray) => void;
  /**
   * Adds this and `others` (all pending for the same input, from the same producer)
   * into `buffer` at once: the matmul's weight gradients of every time step become one
   * product over the time steps stacked, rather than one per step.
   */
  readonly addAllInto: (buffer: TypedArray, others: readonly DeferredCotangent[]) => void;
  readonly materialize: () => Tensor;
}

/** What a VJP may return for one input: a tensor, or a form the tape adds in place. @internal */
export type Cotangent = Tensor | WindowCotangent | DeferredCotangent;

/** Nested JavaScript arrays of numbers, as `toArray` returns and `tensor` accepts. */
export type NestedArray = number | readonly NestedArray[];

/** An immutable n-dimensional array. Build one with `tensor`, `zeros`, `normal`, ... */
export class Tensor {
  /** Extents of each axis; `[]` for a scalar. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Flat row-major elements. Treat as read-only: seqgrad relies on tensors never changing. */
  readonly data: TypedArray;
  /** @internal The tape node when this tensor was made by a traced op. */
  readonly node: TapeNode | null;

  /** @internal Use the constructors (`tensor`, `zeros`, ...) instead. */
  constructor(data: TypedArray, shape: Shape, node: TapeNode | null = null) {
    if (data.length !== sizeOf(shape)) {
      throw new SeqgradError('tensor', `data has ${data.length} elements but shape ${showShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    // a frozen shape (another tensor's) is shared as it is: it cannot change
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
    this.node = node;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** The elements as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const strides = stridesOf(this.shape);
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.data[offset]!;
      return Array.from({ length: this.shape[axis]! }, (_, i) => build(axis + 1, offset + i * strides[axis]!));
    };
    return build(0, 0);
  }

  /** The single element of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) throw new SeqgradError('item', `needs a one-element tensor, got shape ${showShape(this.shape)}`);
    return this.data[0]!;
  }

  /**
   * The elements of a float32 tensor, row-major, as a Float32Array of your own: a copy,
   * so writing to it cannot change the tensor (which seqgrad relies on never
   * happening). Another dtype is refused: convert first with `astype(t, 'float32')`.
   *
   * @example
   * ```ts
   * const probs = softmax(logits).toFloat32Array();
   * const total = probs.reduce((s, p) => s + p, 0);
   * ```
   */
  toFloat32Array(): Float32Array {
    return new Float32Array(this.dataOf('float32', 'toFloat32Array'));
  }

  /** The elements of a float64 tensor as a Float64Array copy; another dtype is refused (convert with `astype(t, 'float64')`). */
  toFloat64Array(): Float64Array {
    return new Float64Array(this.dataOf('float64', 'toFloat64Array'));
  }

  /** The elements of an int32 tensor (token ids, classes) as an Int32Array copy; another dtype is refused (convert with `astype(t, 'int32')`). */
  toInt32Array(): Int32Array {
    return new Int32Array(this.dataOf('int32', 'toInt32Array'));
  }

  /** A readable rendering: `Tensor(float32 [2, 2]) [[1, 2], [3, 4]]`. */
  toString(): string {
    return formatTensor(this);
  }

  /** The data when the tensor has `dtype`; a silent conversion would hide rounding (float64 to float32) or truncation (to int32). */
  private dataOf(dtype: DType, op: string): TypedArray {
    if (this.dtype !== dtype) throw new SeqgradError(op, `the tensor is ${this.dtype}, not ${dtype}; convert it first with astype(t, '${dtype}')`);
    return this.data;
  }
}

/** True when `value` is a Tensor. */
export const isTensor = (value: unknown): value is Tensor => value instanceof Tensor;
