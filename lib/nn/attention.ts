/**
 * Attention over a source sequence, as in encoder-decoder models: Luong's dot
 * (score = q·k) and general (score = q·W·k) forms (Luong et al. 2015) and Bahdanau's
 * additive form (score = vᵀ tanh(W1 q + W2 k), Bahdanau et al. 2015). The keys double
 * as the values: `weights = softmax(scores)` over the source axis and
 * `context = weights · keys`. A query may be one step `[batch, queryDim]` or a whole
 * sequence `[batch, time, queryDim]` (teacher forcing attends for every step at once).
 *
 * Padding in the source is masked from `lengths` (or an explicit 0/1 mask): masked
 * scores become -∞ before the softmax, so their weights are exactly zero and no
 * gradient reaches them. Every row must keep at least one position, which is what
 * keeps the softmax finite.
 *
 * @module
 */
import { add } from '../ops/arithmetic.js';
import { where } from '../ops/compare.js';
import { matmul } from '../ops/matmul.js';
import { expandDims, squeeze } from '../ops/shape.js';
import { softmax } from '../ops/softmax.js';
import { tanh } from '../ops/unary.js';
import { tensor } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { toLengths, type Lengths } from '../tensor/lengths.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { splitKey, uniform, type Key } from '../tensor/random.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { checkSize } from './init.js';

/** The attention forms seqgrad knows. */
export type AttentionKind = 'dot' | 'general' | 'additive';

/** Parameters of Luong's general attention. */
export interface GeneralAttentionParams {
  /** `[queryDim, keyDim]`: score = q · weight · k (PyTorch `Linear(keyDim, queryDim)` layout, no bias). */
  readonly weight: Tensor;
}

/** Parameters of Bahdanau's additive attention. */
export interface AdditiveAttentionParams {
  /** W1, `[units, queryDim]`. */
  readonly queryWeight: Tensor;
  /** W2, `[units, keyDim]`. */
  readonly keyWeight: Tensor;
  /** v, `[units]`. */
  readonly v: Tensor;
}

/** The parameters of each attention kind, by kind (dot attention has none). */
export interface AttentionParamsByKind {
  /** Luong dot attention has no parameters. */
  readonly dot: null;
  /** Luong general attention. */
  readonly general: GeneralAttentionParams;
  /** Bahdanau additive attention. */
  readonly additive: AdditiveAttentionParams;
}

/**
 * The parameters attention of kind `K` takes: `AttentionParams<'general'>` is
 * `GeneralAttentionParams`. Without a kind, the parameters of any kind. They are
 * plain records of tensors (or null), so they sit in a parameter tree as they are.
 */
export type AttentionParams<K extends AttentionKind = AttentionKind> = AttentionParamsByKind[K];

/** Sizes of `initAttention`. */
export interface AttentionSizes {
  /** Width of the query (the decoder's output). */
  readonly queryDim: number;
  /** Width of the keys (the encoder's outputs). */
  readonly keyDim: number;
  /** Width of the additive form's hidden layer (default queryDim). */
  readonly units?: number;
  /** Parameter dtype (default float32). */
  readonly dtype?: DType;
}

/** Options of the attention functions. */
export interface AttentionOptions {
  /** Valid source length of each batch row (numbers or an int32 tensor); positions past it are masked. */
  readonly lengths?: Lengths;
  /** A `[batch, source]` tensor, nonzero where a position may be attended (instead of `lengths`). */
  readonly mask?: Tensor;
}

/** What attention returns. */
export interface AttentionResult {
  /** `[batch, (time,) keyDim]`: the weighted sum of the keys. */
  readonly context: Tensor;
  /** `[batch, (time,) source]`: the attention distribution (rows sum to 1). */
  readonly weights: Tensor;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Fresh parameters for `kind` (null for dot attention), uniform in ±1/sqrt(fan-in) as
 * PyTorch's `Linear`. A literal kind types the result as that kind's parameters.
 *
 * @example
 * ```ts
 * const p = initAttention('additive', key(0), { queryDim: 8, keyDim: 8, units: 10 }); // AdditiveAttentionParams
 * ```
 */
export const initAttention = <K extends AttentionKind>(kind: K, k: Key, sizes: AttentionSizes): AttentionParams<K> =>
  // the branch taken is the one for `kind`, so the parameters are those of K
  initAttentionOf(kind, k, sizes) as AttentionParams<K>;

const initAttentionOf = (kind: AttentionKind, k: Key, sizes: AttentionSizes): AttentionParams => {
  const { queryDim, keyDim, units = queryDim, dtype = 'float32' } = sizes;
  checkSize('initAttention', 'queryDim', queryDim);
  checkSize('initAttention', 'keyDim', keyDim);
  checkSize('initAttention', 'units', units);
  const draw = (kk: Key, shape: number[], fanIn: number): Tensor =>
    uniform(kk, shape, { low: -1 / Math.sqrt(fanIn), high: 1 / Math.sqrt(fanIn), dtype });
  const [k1, k2, k3] = splitKey(k, 3);
  if (kind === 'dot') return null;
  if (kind === 'general') return { weight: draw(k1, [queryDim, keyDim], keyDim) };
  if (kind === 'additive') {
    return { queryWeight: draw(k1, [units, queryDim], queryDim), keyWeight: draw(k2, [units, keyDim], keyDim), v: draw(k3, [units], units) };
  }
  throw new SeqgradError('initAttention', `kind must be dot, general or additive, got ${String(kind)}`);
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Luong dot attention: score = q · k (query and keys of the same width).
 *
 * @example
 * ```ts
 * const { context, weights } = dotAttention(decOut, encOut, { lengths: [5, 3] });
 * ```
 */
export const dotAttention = (query: Tensor, keys: Tensor, options: AttentionOptions = {}): AttentionResult =>
  attendWith('dotAttention', query, keys, options, (q) => {
    expectWidth('dotAttention', 'query', q, keys.shape[2]!, `keys ${showShape(keys.shape)}`);
    return matmul(q, keys, { transposeB: true });
  });

/**
 * Luong general attention: score = q · W · k.
 *
 * @example
 * ```ts
 * const p = initAttention('general', key(0), { queryDim: 8, keyDim: 6 });
 * const { context } = generalAttention(p, decOut, encOut);
 * ```
 */
export const generalAttention = (params: GeneralAttentionParams, query: Tensor, keys: Tensor, options: AttentionOptions = {}): AttentionResult =>
  attendWith('generalAttention', query, keys, options, (q) => {
    const w = expectMatrix('generalAttention', 'weight', params?.weight, [q.shape[q.rank - 1]!, keys.shape[2]!], `query ${showShape(q.shape)} and keys ${showShape(keys.shape)}`);
    return matmul(q, matmul(keys, w, { transposeB: true }), { transposeB: true });
  });

/**
 * Bahdanau additive attention: score = vᵀ tanh(W1 q + W2 k).
 *
 * @example
 * ```ts
 * const p = initAttention('additive', key(0), { queryDim: 8, keyDim: 6, units: 5 });
 * const { context, weights } = additiveAttention(p, decOut, encOut, { lengths });
 * ```
 */
export const additiveAttention = (params: AdditiveAttentionParams, query: Tensor, keys: Tensor, options: AttentionOptions = {}): AttentionResult =>
  attendWith('additiveAttention', query, keys, options, (q) => {
    const v = params?.v;
    if (!isTensor(v) || v.rank !== 1) throw new SeqgradError('additiveAttention', `v must be a [units] tensor, got ${isTensor(v) ? showShape(v.shape) : String(v)}`);
    const units = v.shape[0]!;
    const w1 = expectMatrix('additiveAttention', 'queryWeight', params.queryWeight, [units, q.shape[2]!], `query ${showShape(q.shape)} and v ${showShape(v.shape)}`);
    const w2 = expectMatrix('additiveAttention', 'keyWeight', params.keyWeight, [units, keys.shape[2]!], `keys ${showShape(keys.shape)} and v ${showShape(v.shape)}`);
    const qp = expandDims(matmul(q, w1, { transposeB: true }), 2); // [batch, time, 1, units]
    const kp = expandDims(matmul(keys, w2, { transposeB: true }), 1); // [batch, 1, source, units]
    return matmul(tanh(add(qp, kp)), v); // [batch, time, source]
  });

/**
 * Attention of the given kind (dispatching to the three forms above). A literal kind
 * asks for that kind's parameters (null for dot).
 *
 * @example
 * ```ts
 * const { context } = attention('dot', null, decOut, encOut, { lengths });
 * const p = initAttention('general', key(0), { queryDim: 8, keyDim: 8 });
 * const { weights } = attention('general', p, decOut, encOut);
 * ```
 */
export const attention = <K extends AttentionKind>(kind: K, params: AttentionParams<K>, query: Tensor, keys: Tensor, options: AttentionOptions = {}): AttentionResult => {
  // K is only known to be some kind; the parameters were typed for that kind by the caller, and each form checks their shapes
  if (kind === 'dot') return dotAttention(query, keys, options);
  if (kind === 'general') return generalAttention(params as AttentionParams<'general'>, query, keys, options);
  if (kind === 'additive') return additiveAttention(params as AttentionParams<'additive'>, query, keys, options);
  throw new SeqgradError('attention', `kind must be dot, general or additive, got ${String(kind)}`);
};

/**
 * The `[batch, source]` 0/1 mask of `lengths` in `dtype`.
 *
 * @example
 * ```ts
 * lengthMask([2, 3], 3, 'float64'); // [[1, 1, 0], [1, 1, 1]]
 * ```
 */
export const lengthMask = (lengths: readonly number[], source: number, dtype: DType, op = 'lengthMask'): Tensor => {
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > source) throw new SeqgradError(op, `lengths[${b}] = ${n} must be an integer in [1, ${source}]`);
  });
  const data = lengths.flatMap((n) => Array.from({ length: source }, (_, s) => (s < n ? 1 : 0)));
  return tensor(data, { shape: [lengths.length, source], dtype });
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Shared body: checks, lifts a one-step query to a sequence, masks, normalises, contracts. */
const attendWith = (op: string, query: Tensor, keys: Tensor, options: AttentionOptions, score: (q: Tensor) => Tensor): AttentionResult => {
  if (!isTensor(keys) || keys.rank !== 3) throw new SeqgradError(op, `keys must be [batch, source, keyDim], got ${isTensor(keys) ? showShape(keys.shape) : String(keys)}`);
  if (!isTensor(query) || (query.rank !== 2 && query.rank !== 3) || query.shape[0] !== keys.shape[0]) {
    throw new SeqgradError(op, `query must be [batch, queryDim] or [batch, time, queryDim] with keys' batch ${keys.shape[0]}, got ${isTensor(query) ? showShape(query.shape) : String(query)}`);
  }
  const q = query.rank === 2 ? expandDims(query, 1) : query;
  const mask = sourceMask(op, options, keys);
  const scores = score(q); // [batch, time, source]
  const weights = softmax(mask ? where(expandDims(mask, 1), scores, -Infinity) : scores, -1);
  const context = matmul(weights, keys);
  return query.rank === 2 ? { context: squeeze(context, 1), weights: squeeze(weights, 1) } : { context, weights };
};

const sourceMask = (op: string, options: AttentionOptions, keys: Tensor): Tensor | null => {
  const [batch, source] = keys.shape as [number, number];
  if (options.lengths !== undefined && options.mask !== undefined) throw new SeqgradError(op, 'give lengths or mask, not both');
  const lengths = toLengths(op, options.lengths);
  if (lengths !== undefined) {
    if (lengths.length !== batch) throw new SeqgradError(op, `lengths has ${lengths.length} entries but keys ${showShape(keys.shape)} have ${batch} rows`);
    return lengthMask(lengths, source, keys.dtype, op);
  }
  const mask = options.mask;
  if (mask === undefined) return null;
  if (!isTensor(mask) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== source) {
    throw new SeqgradError(op, `mask must be [${batch}, ${source}] to match keys ${showShape(keys.shape)}, got ${isTensor(mask) ? showShape(mask.shape) : String(mask)}`);
  }
  for (let b = 0; b < batch; b++) {
    if (!mask.data.subarray(b * source, (b + 1) * source).some((m) => m !== 0)) throw new SeqgradError(op, `mask row ${b} masks every source position`);
  }
  return mask;
};

const expectWidth = (op: string, name: string, x: Tensor, width: number, against: string): void => {
  if (x.shape[x.rank - 1] !== width) throw new SeqgradError(op, `${name} ${showShape(x.shape)} must have width ${width} to match ${against}`);
};

const expectMatrix = (op: string, name: string, w: Tensor | undefined, shape: readonly [number, number], against: string): Tensor => {
  if (!isTensor(w) || w.rank !== 2 || w.shape[0] !== shape[0] || w.shape[1] !== shape[1]) {
    throw new SeqgradError(op, `${name} must be ${showShape(shape)} to match ${against}, got ${isTensor(w) ? showShape(w.shape) : String(w)}`);
  }
  return w;
};
