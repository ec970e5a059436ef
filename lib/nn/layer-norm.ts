/**
 * Layer normalization, as PyTorch's `LayerNorm`: each slice over the normalized axes
 * (the last by default) is shifted to mean 0 and scaled to variance 1 (the biased
 * variance, with `eps` inside the square root), then multiplied by `weight` and
 * shifted by `bias`. Built from ops, so its gradient is derived by the tape.
 * Parameters are a plain record (`{ weight, bias }` with PyTorch's names), made by
 * `initLayerNorm` as ones and zeros.
 *
 * @module
 */
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { sqrt } from '../ops/unary.js';
import { ones, zeros } from '../tensor/create.js';
import { isFloat, type DType } from '../tensor/dtype.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { checkShape, normalizeAxes, type Shape } from '../tensor/shape.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

/** The affine parameters of a layer norm; either may be absent (PyTorch's `elementwise_affine=False`, `bias=False`). */
export interface LayerNormParams {
  /** Scale, with the extents of the normalized axes (ones at init). */
  readonly weight?: Tensor | null;
  /** Shift, with the extents of the normalized axes (zeros at init). */
  readonly bias?: Tensor | null;
}

/** Layer-norm parameters with both tensors present, as `initLayerNorm` makes them. */
export interface LayerNormWeights extends LayerNormParams {
  /** Scale, ones at init. */
  readonly weight: Tensor;
  /** Shift, zeros at init. */
  readonly bias: Tensor;
}

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5, as PyTorch). */
  readonly eps?: number;
  /** The axis or axes normalized over (default -1, the last). */
  readonly axis?: number | readonly number[];
}

/** Options of `initLayerNorm`. */
export interface LayerNormInitOptions {
  /** Element type of the parameters (default float32). */
  readonly dtype?: DType;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Layer-norm parameters for normalized extents `shape` (a number for one axis):
 * `weight` all ones and `bias` all zeros, as PyTorch initializes them.
 *
 * @example
 * ```ts
 * const ln = initLayerNorm(512, { dtype: 'float64' });   // { weight: [512], bias: [512] }
 * ```
 */
export const initLayerNorm = (shape: number | Shape, options: LayerNormInitOptions = {}): LayerNormWeights => {
  const extents = typeof shape === 'number' ? [shape] : shape;
  checkShape('initLayerNorm', extents);
  return { weight: ones(extents, options), bias: zeros(extents, options) };
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Normalizes `x` over `axis` (the last by default) to zero mean and unit variance, then
 * applies `weight` and `bias`, whose shape is the normalized axes' extents.
 *
 * @example
 * ```ts
 * const hidden = 16;
 * const ln = initLayerNorm(hidden);
 * const y = layerNorm(h, ln);                       // h: [batch, time, hidden]
 * ```
 */
export const layerNorm = (x: Tensor, params: LayerNormParams = {}, options: LayerNormOptions = {}): Tensor => {
  const { eps = 1e-5, axis = -1 } = options;
  if (!isTensor(x) || !isFloat(x.dtype)) {
    throw new SeqgradError('layerNorm', `x must be a float32 or float64 Tensor, got ${isTensor(x) ? `${x.dtype} ${showShape(x.shape)}` : typeof x}`);
  }
  if (!(eps >= 0 && Number.isFinite(eps))) throw new SeqgradError('layerNorm', `eps must be a non-negative number, got ${eps}`);
  const axes = normalizeAxes('layerNorm', axis, x.rank);
  const centered = sub(x, mean(x, axes, { keepdims: true }));
  const variance = mean(mul(centered, centered), axes, { keepdims: true });
  let y = div(centered, sqrt(add(variance, eps)));
  if (params.weight) y = mul(y, affine('weight', params.weight, x, axes));
  if (params.bias) y = add(y, affine('bias', params.bias, x, axes));
  return y;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Checks an affine parameter against the normalized extents and shapes it to broadcast over `x`. */
const affine = (name: string, p: Tensor, x: Tensor, axes: readonly number[]): Tensor => {
  const want = axes.map((a) => x.shape[a]!);
  if (!isTensor(p) || p.rank !== want.length || p.shape.some((d, i) => d !== want[i])) {
    const got = isTensor(p) ? showShape(p.shape) : typeof p;
    throw new SeqgradError('layerNorm', `${name} has shape ${got} but x of shape ${showShape(x.shape)} normalized over axes [${axes.join(', ')}] needs ${showShape(want)}`);
  }
  return reshape(p, x.shape.map((d, i) => (axes.includes(i) ? d : 1)));
};
