/**
 * Initialisers for recurrent weights, each drawn from an explicit key. The default is
 * PyTorch's: every weight and bias of a recurrent layer uniform in ±1/√hidden, so a
 * model initialised here starts from the same distribution as `torch.nn.LSTM`.
 * Glorot-uniform and orthogonal are available per weight matrix; both work one gate
 * block at a time (a `[gates·hidden, in]` matrix is `gates` stacked `[hidden, in]`
 * maps), because each gate is its own linear map and should be scaled or
 * orthogonalised as one.
 *
 * @module
 */
import { concat } from '../ops/shape.js';
import { tensor } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { normal, splitKey, uniform, type Key } from '../tensor/random.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** How a weight matrix is drawn: PyTorch's uniform(±1/√hidden), Glorot-uniform, or orthogonal. */
export type WeightScheme = 'uniform' | 'glorotUniform' | 'orthogonal';

/** Options of a weight initialiser. */
export interface WeightInitOptions {
  /** Element type (default float32). */
  readonly dtype?: DType;
  /** Number of gate blocks stacked along the rows (default 1); Glorot and orthogonal treat each alone. */
  readonly blocks?: number;
  /** Multiplies an orthogonal matrix (default 1). */
  readonly gain?: number;
}

/**
 * How a recurrent cell draws its parameters (every field optional; all default to PyTorch's scheme).
 *
 * @example
 * ```ts
 * // Keras-style: Glorot inputs, orthogonal recurrence, forget gate opened at 1
 * const p = lstm().init(key(0), { inputSize: 8, hiddenSize: 16,
 *   initializer: { inputWeights: 'glorotUniform', hiddenWeights: 'orthogonal', forgetBias: 1 } });
 * ```
 */
export interface RecurrentInit {
  /** Scheme of `weight_ih` (default `uniform`). */
  readonly inputWeights?: WeightScheme;
  /** Scheme of `weight_hh` and `weight_hr` (default `uniform`). */
  readonly hiddenWeights?: WeightScheme;
  /** LSTM only: the forget gate's bias starts here (its slice of `bias_ih`; `bias_hh`'s slice is zero). */
  readonly forgetBias?: number;
}

// ---------------------------------------------------------------------------
// initialisers
// ---------------------------------------------------------------------------

/**
 * PyTorch's default for recurrent layers: uniform in `[-1/√hidden, 1/√hidden)`.
 *
 * @example
 * ```ts
 * const w = pytorchUniform(key(0), [20, 4], 5, { dtype: 'float64' }); // an LSTM weight_ih, hidden 5
 * ```
 */
export const pytorchUniform = (k: Key, shape: Shape, hiddenSize: number, options: WeightInitOptions = {}): Tensor => {
  checkSize('pytorchUniform', 'hiddenSize', hiddenSize);
  const bound = 1 / Math.sqrt(hiddenSize);
  return uniform(k, shape, { low: -bound, high: bound, dtype: options.dtype });
};

/**
 * Glorot (Xavier) uniform: each `[rows/blocks, cols]` block uniform in ±√(6 / (fanIn + fanOut)),
 * with fanIn = cols and fanOut = rows/blocks.
 *
 * @example
 * ```ts
 * const w = glorotUniform(key(1), [12, 3], { blocks: 3 }); // a GRU weight_ih, hidden 4
 * ```
 */
export const glorotUniform = (k: Key, shape: Shape, options: WeightInitOptions = {}): Tensor => {
  const [rows, cols, blocks] = blockShape('glorotUniform', shape, options.blocks);
  const bound = Math.sqrt(6 / (cols + rows / blocks));
  return uniform(k, shape, { low: -bound, high: bound, dtype: options.dtype });
};

/**
 * Orthogonal: each `[rows/blocks, cols]` block has orthonormal rows (or columns, when it
 * is taller than wide), from the QR decomposition (Gram–Schmidt) of a normal matrix,
 * times `gain`.
 *
 * @example
 * ```ts
 * const whh = orthogonal(key(2), [16, 4], { blocks: 4, dtype: 'float64' }); // each gate's [4, 4] is orthogonal
 * ```
 */
export const orthogonal = (k: Key, shape: Shape, options: WeightInitOptions = {}): Tensor => {
  const [rows, cols, blocks] = blockShape('orthogonal', shape, options.blocks);
  const r = rows / blocks;
  const parts = splitKey(k, blocks).map((bk) => {
    const q = orthonormalBlock(bk, r, cols, options.gain ?? 1);
    return tensor(q, { shape: [r, cols], dtype: options.dtype ?? 'float32' });
  });
  return concat(parts, 0);
};

/**
 * A weight by scheme name; `hiddenSize` sets the uniform bound.
 *
 * @example
 * ```ts
 * const w = initWeight('orthogonal', key(3), [20, 5], { hiddenSize: 5, blocks: 4 });
 * ```
 */
export const initWeight = (scheme: WeightScheme, k: Key, shape: Shape, options: WeightInitOptions & { readonly hiddenSize: number }): Tensor => {
  if (scheme === 'uniform') return pytorchUniform(k, shape, options.hiddenSize, options);
  if (scheme === 'glorotUniform') return glorotUniform(k, shape, options);
  if (scheme === 'orthogonal') return orthogonal(k, shape, options);
  throw new SeqgradError('initWeight', `unknown scheme ${JSON.stringify(scheme)}; use uniform, glorotUniform or orthogonal`);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Checks a size is a positive integer, naming the op and the size. @internal */
export const checkSize = (op: string, name: string, n: number): void => {
  if (!Number.isInteger(n) || n < 1) throw new SeqgradError(op, `${name} must be a positive integer, got ${showValue(n)}`);
};

const blockShape = (op: string, shape: Shape, blocks = 1): [number, number, number] => {
  checkSize(op, 'blocks', blocks);
  if (shape.length !== 2 || shape[0]! % blocks !== 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new SeqgradError(op, `needs a matrix shape whose rows divide into ${blocks} blocks, got ${showShape(shape)}`);
  }
  return [shape[0]!, shape[1]!, blocks];
};

/** An `r × c` block with orthonormal rows (r ≤ c) or columns (r > c), row-major, scaled by `gain`. */
const orthonormalBlock = (k: Key, r: number, c: number, gain: number): Float64Array => {
  const tall = r >= c;
  const [m, n] = tall ? [r, c] : [c, r];
  // columns of an m × n normal matrix, orthonormalised in place (modified Gram–Schmidt);
  // the implied R has a positive diagonal, so Q is the unique, Haar-distributed factor
  const a = Float64Array.from(normal(k, [n, m], { dtype: 'float64' }).data);
  for (let j = 0; j < n; j++) {
    const cj = a.subarray(j * m, (j + 1) * m);
    for (let i = 0; i < j; i++) {
      const ci = a.subarray(i * m, (i + 1) * m);
      let dot = 0;
      for (let t = 0; t < m; t++) dot += ci[t]! * cj[t]!;
      for (let t = 0; t < m; t++) cj[t]! -= dot * ci[t]!;
    }
    let norm = 0;
    for (let t = 0; t < m; t++) norm += cj[t]! * cj[t]!;
    norm = Math.sqrt(norm);
    for (let t = 0; t < m; t++) cj[t]! /= norm;
  }
  // a holds Qᵀ (n × m): for a tall block transpose it back, for a wide one it is the answer
  const out = new Float64Array(r * c);
  for (let i = 0; i < n; i++) for (let t = 0; t < m; t++) out[tall ? t * n + i : i * m + t] = gain * a[i * m + t]!;
  return out;
};
