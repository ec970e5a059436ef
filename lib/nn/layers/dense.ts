/**
 * The dense (fully connected) layer in PyTorch's `Linear` layout: `weight` is
 * `[out, in]` and applied as `x · weightᵀ + bias`, so a dense layer's params are a
 * slice of a PyTorch state_dict. Leading axes of `x` are batch axes (a whole
 * `[batch, time, in]` sequence goes through in one product). Initialised like
 * `Linear`: weight and bias uniform in ±1/sqrt(in).
 *
 * @module
 */
import { add } from '../../ops/arithmetic.js';
import { matmul } from '../../ops/matmul.js';
import type { DType } from '../../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../../tensor/errors.js';
import { splitKey, uniform, type Key } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { checkSize } from '../init.js';

/** Parameters of a dense layer (PyTorch `Linear` names and shapes). */
export interface DenseParams {
  /** `[out, in]`, applied as `x · weightᵀ`. */
  readonly weight: Tensor;
  /** `[out]`, or null for a layer without bias. */
  readonly bias: Tensor | null;
}

/** Sizes and options of `initDense`. */
export interface DenseSizes {
  /** Features in (last axis of the input). */
  readonly inputSize: number;
  /** Features out. */
  readonly outputSize: number;
  /** Whether to have a bias (default true). */
  readonly bias?: boolean;
  /** Parameter dtype (default float32). */
  readonly dtype?: DType;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Fresh dense parameters, uniform in ±1/sqrt(inputSize) as PyTorch's `Linear`.
 *
 * @example
 * ```ts
 * const p = initDense(key(0), { inputSize: 8, outputSize: 3, dtype: 'float64' });
 * p.weight.shape; // [3, 8]
 * ```
 */
export const initDense = (k: Key, sizes: DenseSizes): DenseParams => {
  const { inputSize, outputSize, bias = true, dtype = 'float32' } = sizes;
  checkSize('initDense', 'inputSize', inputSize);
  checkSize('initDense', 'outputSize', outputSize);
  const bound = 1 / Math.sqrt(inputSize);
  const [kw, kb] = splitKey(k);
  return {
    weight: uniform(kw, [outputSize, inputSize], { low: -bound, high: bound, dtype }),
    bias: bias ? uniform(kb, [outputSize], { low: -bound, high: bound, dtype }) : null,
  };
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * `x · weightᵀ + bias` over the last axis of `x` (`[..., in] -> [..., out]`).
 *
 * @example
 * ```ts
 * const p = initDense(key(1), { inputSize: 4, outputSize: 2 });
 * const y = dense(p, ones([5, 4]));   // [5, 2]
 * ```
 */
export const dense = (params: DenseParams, x: Tensor): Tensor => {
  checkDense(params, x);
  const y = matmul(x, params.weight, { transposeB: true });
  return params.bias ? add(y, params.bias) : y;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkDense = (params: DenseParams, x: Tensor): void => {
  const { weight, bias } = params ?? ({} as DenseParams);
  if (!isTensor(weight) || weight.rank !== 2) {
    throw new SeqgradError('dense', `params.weight must be a [out, in] tensor, got ${isTensor(weight) ? showShape(weight.shape) : String(weight)}`);
  }
  if (!isTensor(x)) throw new SeqgradError('dense', `argument x must be a Tensor, got ${showValue(x)}`);
  if (x.rank < 1 || x.shape[x.rank - 1] !== weight.shape[1]) {
    const got = isTensor(x) ? showShape(x.shape) : String(x);
    throw new SeqgradError('dense', `x ${got} must end in ${weight.shape[1]} features to match weight ${showShape(weight.shape)}`);
  }
  if (bias !== null && bias !== undefined && (!isTensor(bias) || bias.rank !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new SeqgradError('dense', `bias ${isTensor(bias) ? showShape(bias.shape) : String(bias)} must be [${weight.shape[0]}] to match weight ${showShape(weight.shape)}`);
  }
};
