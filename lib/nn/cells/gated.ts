/**
 * What the RNN, LSTM and GRU cells share: PyTorch's parameter record
 * (`weight_ih [gates·hidden, input]`, `weight_hh [gates·hidden, hidden]`, optional
 * biases), its initialisation from one key, the affine map `x·Wᵀ + b`, and the shape
 * checks a step runs before any math so a mismatch is reported in the cell's terms.
 *
 * The input and hidden products stay two matmuls rather than one over `[x, h]`:
 * fusing would build a concatenated weight at every step (the kernels cache packed
 * weights by tensor identity, which a fresh concatenation defeats), and GRU needs the
 * hidden product on its own.
 *
 * @module
 */
import { add } from '../../ops/arithmetic.js';
import { addmm, matmul } from '../../ops/matmul.js';
import { reshape } from '../../ops/shape.js';
import { tensor } from '../../tensor/create.js';
import { isFloat, type DType } from '../../tensor/dtype.js';
import { SeqgradError, showShape, showValue } from '../../tensor/errors.js';
import { splitKey, type Key } from '../../tensor/random.js';
import { fresh } from '../../tensor/pool.js';
import { isTensor, Tensor } from '../../tensor/tensor.js';
import { checkSize, initWeight, pytorchUniform, type RecurrentInit } from '../init.js';

/**
 * The parameters of an RNN or GRU cell, with PyTorch's names and shapes.
 *
 * @example
 * ```ts
 * declare const sd: { weight_ih_l0: Tensor; weight_hh_l0: Tensor; bias_ih_l0: Tensor; bias_hh_l0: Tensor };
 * // the layer-0 slice of a torch.nn.GRU state_dict is a GRU cell's params
 * const p: RecurrentParams = { weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 };
 * ```
 */
export interface RecurrentParams {
  /** Input weights `[gates·hidden, input]` (gate blocks stacked along the rows). */
  readonly weight_ih: Tensor;
  /** Hidden weights `[gates·hidden, hidden]`. */
  readonly weight_hh: Tensor;
  /** Input bias `[gates·hidden]`, or null without bias. */
  readonly bias_ih: Tensor | null;
  /** Hidden bias `[gates·hidden]`, or null without bias. */
  readonly bias_hh: Tensor | null;
}

/**
 * The sizes and options a cell's `init` takes.
 *
 * @example
 * ```ts
 * const p = gru().init(key(0), { inputSize: 3, hiddenSize: 4, bias: false, dtype: 'float64' });
 * ```
 */
export interface CellSizes {
  /** Features per time step of the input. */
  readonly inputSize: number;
  /** Units of the hidden state. */
  readonly hiddenSize: number;
  /** Include `bias_ih` and `bias_hh` (default true). */
  readonly bias?: boolean;
  /** Element type of the parameters (default float32). */
  readonly dtype?: DType;
  /** How weights are drawn (default: PyTorch's uniform ±1/√hidden everywhere). */
  readonly initializer?: RecurrentInit;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Draws `weight_ih`, `weight_hh` and the biases of a cell with `gates` gate blocks;
 * `hiddenIn` is the width of the recurrent input (the projection size of a projected
 * LSTM), `forgetBlock` the gate whose bias `forgetBias` sets.
 *
 * @internal
 */
export const initRecurrent = (
  op: string, k: Key, sizes: CellSizes, gates: number, extra: { readonly hiddenIn?: number; readonly forgetBlock?: number } = {},
): RecurrentParams => {
  const { inputSize, hiddenSize, bias = true, dtype = 'float32', initializer = {} } = checkSizes(op, sizes);
  const [kih, khh, kbi, kbh] = splitKey(k, 4);
  const rows = gates * hiddenSize;
  const options = { dtype, hiddenSize, blocks: gates };
  const weight_ih = initWeight(initializer.inputWeights ?? 'uniform', kih, [rows, inputSize], options);
  const weight_hh = initWeight(initializer.hiddenWeights ?? 'uniform', khh, [rows, extra.hiddenIn ?? hiddenSize], options);
  if (!bias) return { weight_ih, weight_hh, bias_ih: null, bias_hh: null };
  let bias_ih = pytorchUniform(kbi, [rows], hiddenSize, { dtype });
  let bias_hh = pytorchUniform(kbh, [rows], hiddenSize, { dtype });
  if (initializer.forgetBias !== undefined && extra.forgetBlock !== undefined) {
    bias_ih = setBlock(bias_ih, extra.forgetBlock, hiddenSize, initializer.forgetBias);
    bias_hh = setBlock(bias_hh, extra.forgetBlock, hiddenSize, 0);
  }
  return { weight_ih, weight_hh, bias_ih, bias_hh };
};

/**
 * Checks the sizes a cell's `init` takes: a record whose inputSize and hiddenSize are
 * positive integers.
 *
 * @internal
 */
export const checkSizes = <S extends CellSizes>(op: string, sizes: S): S => {
  if (typeof sizes !== 'object' || sizes === null || Array.isArray(sizes)) {
    throw new SeqgradError(op, `init needs sizes { inputSize, hiddenSize }, got sizes = ${showValue(sizes)}`);
  }
  checkSize(op, 'sizes.inputSize', sizes.inputSize);
  checkSize(op, 'sizes.hiddenSize', sizes.hiddenSize);
  return sizes;
};

/** Zeros `[batch, width]` in the dtype of `like`. @internal */
export const zeroState = (like: Tensor, batch: number, width: number): Tensor => sharedZeros(like.dtype, batch, width);

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** `x·wᵀ + b` (b may be null). @internal */
export const linear = (x: Tensor, w: Tensor, b: Tensor | null): Tensor =>
  b && x.rank >= 2 ? addmm(b, x, w, { transposeB: true }) : b ? add(matmul(x, w, { transposeB: true }), b) : matmul(x, w, { transposeB: true });

/**
 * The input projection of a whole sequence: `x [time, batch, input]` · wᵀ plus the
 * biases given (null ones skipped), as one `[time·batch, input]` product, returned as
 * `[time, batch, rows]`. A recurrent layer computes it once before the loop over time,
 * since it does not depend on the carry.
 *
 * @internal
 */
export const projectSequence = (x: Tensor, w: Tensor, ...biases: readonly (Tensor | null)[]): Tensor => {
  const [time, batch, input] = x.shape as [number, number, number];
  // the biases are summed first (one small add), so the large product takes one addend
  const bias = biases.reduce<Tensor | null>((sum, b) => (b === null ? sum : sum === null ? b : add(sum, b)), null);
  const flat = reshape(x, [time * batch, input]);
  const y = bias ? addmm(bias, flat, w, { transposeB: true }) : matmul(flat, w, { transposeB: true });
  return reshape(y, [time, batch, w.shape[0]!]);
};

/**
 * A zero tensor shaped like one time step of a time-major `x [time, batch, features]`:
 * what a cell's step checks are run on before a whole sequence is projected, so a
 * mismatch is reported exactly as a single step would report it.
 *
 * @internal
 */
export const stepLike = (x: Tensor): Tensor => sharedZeros(x.dtype, x.shape[1]!, x.shape[2]!);

/**
 * A zero `[rows, cols]` tensor, one per dtype and shape: tensors never change, so the
 * zero carries and the stand-ins the checks run on are shared instead of allocated at
 * every call (a layer projects its inputs block by block, checking each block). Kept
 * out of the gradient passes' pool, and at most SHARED_LIMIT of them.
 */
const sharedZeros = (dtype: DType, rows: number, cols: number): Tensor => {
  const key = `${dtype}:${rows}:${cols}`;
  let t = SHARED.get(key);
  if (t === undefined) {
    if (SHARED.size >= SHARED_LIMIT) SHARED.clear();
    t = new Tensor(fresh(dtype, rows * cols), [rows, cols]);
    SHARED.set(key, t);
  }
  return t;
};

const SHARED = new Map<string, Tensor>();
const SHARED_LIMIT = 64;

/**
 * Checks a step's parameters (`gates` blocks), its input `x [batch, input]` and its
 * recurrent state `h [batch, hidden]` (named `hName`) before any math.
 *
 * @internal
 */
export const checkStep = (op: string, p: RecurrentParams, gates: number, x: Tensor, h: Tensor, hName = 'h'): void => {
  checkParams(op, p, gates);
  if (!isTensor(x) || x.rank !== 2 || x.shape[1] !== p.weight_ih.shape[1]) {
    const got = isTensor(x) ? `shape ${showShape(x.shape)}` : typeof x;
    throw new SeqgradError(op, `x_t has ${got} but weight_ih ${showShape(p.weight_ih.shape)} takes ${p.weight_ih.shape[1]} input features (x_t must be [batch, ${p.weight_ih.shape[1]}])`);
  }
  // before any product, so a mixed-precision input is the cell's error, not a matmul's
  if (x.dtype !== p.weight_ih.dtype) {
    throw new SeqgradError(op, `x is ${x.dtype} but the parameters are ${p.weight_ih.dtype}; cast one with astype() (x: astype(x, '${p.weight_ih.dtype}'))`);
  }
  const want = [x.shape[0]!, p.weight_hh.shape[1]!];
  if (!isTensor(h) || h.rank !== 2 || h.shape[0] !== want[0] || h.shape[1] !== want[1]) {
    const got = isTensor(h) ? `shape ${showShape(h.shape)}` : typeof h;
    throw new SeqgradError(op, `carry ${hName} has ${got} but x_t ${showShape(x.shape)} and weight_hh ${showShape(p.weight_hh.shape)} need ${showShape(want)}`);
  }
  if (h.dtype !== p.weight_hh.dtype) throw new SeqgradError(op, `carry ${hName} is ${h.dtype} but the parameters are ${p.weight_hh.dtype}`);
};

/** Checks the shape of a state other than h (the LSTM cell state) against `want`. @internal */
export const checkState = (op: string, name: string, s: Tensor, want: readonly number[]): void => {
  if (!isTensor(s) || s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
    throw new SeqgradError(op, `carry ${name} has ${isTensor(s) ? `shape ${showShape(s.shape)}` : typeof s} but needs ${showShape(want)}`);
  }
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkParams = (op: string, p: RecurrentParams, gates: number): void => {
  const { weight_ih: wi, weight_hh: wh } = p ?? ({} as RecurrentParams);
  if (!isTensor(wi) || !isTensor(wh) || wi.rank !== 2 || wh.rank !== 2 || !isFloat(wi.dtype)) {
    throw new SeqgradError(op, 'params need floating matrices weight_ih [gates·hidden, input] and weight_hh [gates·hidden, hidden]');
  }
  const rows = wi.shape[0]!;
  if (rows % gates !== 0 || wh.shape[0] !== rows) {
    throw new SeqgradError(op, `weight_ih ${showShape(wi.shape)} and weight_hh ${showShape(wh.shape)} need the same ${gates}·hidden rows`);
  }
  for (const name of ['bias_ih', 'bias_hh'] as const) {
    const b = p[name];
    if (b && (!isTensor(b) || b.rank !== 1 || b.shape[0] !== rows)) {
      throw new SeqgradError(op, `${name} has shape ${isTensor(b) ? showShape(b.shape) : typeof b} but needs [${rows}]`);
    }
  }
};

/** `b` with gate block `block` (of width `width`) set to `value` (a fresh tensor; `b` is untouched). @internal */
export const setBlock = (b: Tensor, block: number, width: number, value: number): Tensor => {
  const data = Float64Array.from(b.data);
  data.fill(value, block * width, (block + 1) * width);
  return tensor(data, { shape: b.shape, dtype: b.dtype });
};
