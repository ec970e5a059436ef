/**
 * The conformance format: reference files of PyTorch values (see the fixtures README)
 * and the checkers that recompute them with seqgrad. A checker recognises the files of
 * its kind and returns named pairs of (computed, expected) tensors.
 *
 * @module
 */
import { tensor } from '../../lib/tensor/create.js';
import type { DType } from '../../lib/tensor/dtype.js';
import { SeqgradError, showShape } from '../../lib/tensor/errors.js';
import { sizeOf } from '../../lib/tensor/shape.js';
import type { Tensor } from '../../lib/tensor/tensor.js';

/** A tensor as reference files encode it: flat row-major data and a shape. */
export interface RawTensor {
  /** Extents of each axis. */
  readonly shape: readonly number[];
  /** Flat row-major values. */
  readonly data: readonly number[];
  /** PyTorch's dtype name; `int64` and `int32` decode as int32, anything else as floats. */
  readonly dtype?: string;
}

/** A parsed reference file (fields as in the fixtures README; all optional but `name`). */
export interface Fixture {
  /** The case's name; checkers recognise their files by it or by `config`. */
  readonly name: string;
  /** The exact computation, in words (the loss, the PyTorch call and its options). */
  readonly what?: string;
  /** The module's configuration (snake_case, as PyTorch names it). */
  readonly config?: Record<string, unknown>;
  /** An optimizer's hyperparameters. */
  readonly hyperparams?: Record<string, unknown>;
  /** Parameters under their PyTorch names. */
  readonly params?: Record<string, RawTensor>;
  /** Inputs: tensors, numbers or lists, by name. */
  readonly inputs?: Record<string, unknown>;
  /** Reference outputs by name. */
  readonly outputs?: Record<string, unknown>;
  /** Fixed random cotangents of the outputs; the loss is `Σ sum(output · cot)`. */
  readonly cotangents?: Record<string, RawTensor>;
  /** The reference loss. */
  readonly loss?: number;
  /** Reference gradients of the loss, by parameter or input name. */
  readonly grads?: Record<string, RawTensor>;
}

/** One computed tensor next to its reference. */
export interface Comparison {
  /** What is compared, e.g. `grads.weight_hh_l0` or `outputs.y`. */
  readonly name: string;
  /** What seqgrad computed. */
  readonly actual: Tensor;
  /** The reference value from the file. */
  readonly expected: Tensor;
}

/** Recomputes the files of one kind. */
export interface Checker {
  /** The kind's name, e.g. `rnn` or `optim`. */
  readonly kind: string;
  /** True for files this checker knows how to recompute. */
  readonly accepts: (fixture: Fixture) => boolean;
  /** Recomputes the file in `dtype` and pairs every result with its reference. */
  readonly check: (fixture: Fixture, dtype: DType) => Comparison[];
}

// ---------------------------------------------------------------------------
// decoding helpers for checkers
// ---------------------------------------------------------------------------

/** True when `value` looks like an encoded tensor. */
export const isRawTensor = (value: unknown): value is RawTensor =>
  typeof value === 'object' && value !== null && Array.isArray((value as RawTensor).shape) && Array.isArray((value as RawTensor).data);

/**
 * Decodes an encoded tensor; int64 becomes int32, floats become `dtype`.
 *
 * @throws SeqgradError naming the field when it is not an encoded tensor.
 */
export const decodeTensor = (value: unknown, dtype: DType, field: string): Tensor => {
  if (!isRawTensor(value)) throw new SeqgradError('conformance', `field ${field} is not a tensor ({ shape, data })`);
  const isInt = value.dtype === 'int64' || value.dtype === 'int32';
  const expected = sizeOf(value.shape);
  if (value.data.length !== expected) {
    throw new SeqgradError('conformance', `field ${field} has ${value.data.length} values but shape ${showShape(value.shape)} needs ${expected}`);
  }
  return tensor(isInt ? Int32Array.from(value.data) : Float64Array.from(value.data), { shape: value.shape, dtype: isInt ? 'int32' : dtype });
};

/** Decodes every tensor of a record field (`params`, `grads`, ...). */
export const decodeRecord = (record: Record<string, unknown> | undefined, dtype: DType, field: string): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(record ?? {}).filter(([, v]) => isRawTensor(v)).map(([k, v]) => [k, decodeTensor(v, dtype, `${field}.${k}`)]));

/** A required field of a fixture, with an error naming it when absent. */
export const field = <T>(value: T | undefined, name: string): T => {
  if (value === undefined || value === null) throw new SeqgradError('conformance', `missing field ${name}`);
  return value;
};

/** The computed loss next to the file's `loss` field. */
export const compareLoss = (f: Fixture, actual: Tensor, dtype: DType): Comparison => ({
  name: 'loss',
  actual,
  expected: decodeTensor({ shape: [], data: [field(f.loss, 'loss')] }, dtype, 'loss'),
});

/** Pairs each decoded reference in `expected` with the tensor of the same key in `actual`. */
export const compareRecord = (prefix: string, actual: Record<string, Tensor | undefined>, expected: Record<string, Tensor>): Comparison[] =>
  Object.entries(expected).map(([k, e]) => {
    const a = actual[k];
    if (a === undefined) throw new SeqgradError('conformance', `${prefix}.${k} was not computed`);
    return { name: `${prefix}.${k}`, actual: a, expected: e };
  });
