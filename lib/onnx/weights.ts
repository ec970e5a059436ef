/**
 * Parameters in ONNX's layout. The parameter tree is checked against the description
 * (names and shapes, with errors naming the field), then each layer's state_dict
 * tensors become the W, R and B inputs of ONNX's RNN, LSTM and GRU operators: both
 * directions stacked on a leading axis, gate blocks reordered (PyTorch's LSTM rows are
 * i, f, g, o and ONNX's i, o, f, c; PyTorch's GRU rows r, z, n and ONNX's z, r, h), and
 * the two biases concatenated as [Wb, Rb]. That holds for both GRU conventions: ONNX's
 * Rbh sits where seqgrad's b_hn does, inside the reset gate's product for reset-after
 * (`linear_before_reset = 1`) and added outside it for reset-before
 * (`linear_before_reset = 0`). Values are written as float32, the type ONNX Runtime's
 * recurrent kernels take.
 *
 * @module
 */
import { checkStateDict, paramName, range, type BaseName, type ResolvedConfig, type StateDict } from '../nn/torch/layout.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { inOp, type ResolvedDescription } from './description.js';

/**
 * The parameter tree `exportOnnx` reads: the same keys as the description, with
 * PyTorch's layouts (`Embedding.weight [vocab, dim]`, the module's state_dict,
 * `Linear`'s `weight [out, in]` and `bias [out]`), as `initEmbedding`, `torch.*.init`
 * and `initDense` make them.
 */
export interface OnnxParams {
  /** The embedding, when the description has one. */
  readonly embed?: {
    /** `[vocabSize, dim]`. */
    readonly weight: Tensor;
  };
  /**
   * The recurrent module's state_dict (`weight_ih_l0`, ..., `_reverse` for the backward
   * direction). A model built from seqgrad cells (e.g. `gru({ convention: 'reset-before' })`
   * per layer and direction) names each cell's `weight_ih`, `weight_hh`, `bias_ih` and
   * `bias_hh` this way.
   */
  readonly rnn: StateDict;
  /** The dense head, when the description has one (`bias` null or absent when `head.bias` is false). */
  readonly head?: {
    /** `[outputSize, directions·hiddenSize]`, applied as `y · weightᵀ`. */
    readonly weight: Tensor;
    /** `[outputSize]`. */
    readonly bias?: Tensor | null;
  };
}

/** One layer's operator inputs, `[directions, rows, ...]` each, rows in ONNX's gate order. @internal */
export interface LayerWeights {
  readonly W: Float32Array;
  readonly R: Float32Array;
  readonly B: Float32Array | null;
  readonly wDims: readonly number[];
  readonly rDims: readonly number[];
  readonly bDims: readonly number[];
}

/** Where each ONNX gate block comes from in PyTorch's row order. */
const GATE_ORDER = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] } as const;

// ---------------------------------------------------------------------------
// checking
// ---------------------------------------------------------------------------

/** Checks the parameter tree against the description, naming the field at fault. @internal */
export const checkParams = (op: string, d: ResolvedDescription, params: OnnxParams): void => {
  if (typeof params !== 'object' || params === null) throw new SeqgradError(op, `params must be { embed?, rnn, head? }, got ${showValue(params)}`);
  const unknown = Object.keys(params).filter((k) => !['embed', 'rnn', 'head'].includes(k));
  if (unknown.length > 0) throw new SeqgradError(op, `params has ${unknown.join(', ')}; it takes only embed, rnn and head`);
  for (const part of ['embed', 'head'] as const) {
    if (params[part] !== undefined && d[part] === null) throw new SeqgradError(op, `params.${part} is given but the description has no ${part}`);
  }
  inOp(op, 'params.rnn', () => checkStateDict(d.rnn, params.rnn));
  for (const [name, t] of Object.entries(params.rnn)) if (t.dtype === 'int32') throw new SeqgradError(op, `params.rnn.${name} must be a float32 or float64 tensor, got int32`);
  if (d.embed) checkTensor(op, 'params.embed.weight', params.embed?.weight, [d.embed.vocabSize, d.embed.dim]);
  if (d.head) {
    checkTensor(op, 'params.head.weight', params.head?.weight, [d.head.outputSize, d.head.inputSize]);
    const bias = params.head?.bias ?? null;
    if (d.head.bias) checkTensor(op, 'params.head.bias', bias, [d.head.outputSize]);
    else if (bias !== null) throw new SeqgradError(op, 'params.head.bias is given but description.head.bias is false');
  }
};

const checkTensor = (op: string, field: string, t: unknown, shape: readonly number[]): void => {
  if (!isTensor(t)) throw new SeqgradError(op, `${field} must be a ${showShape(shape)} tensor, got ${showValue(t)}`);
  if (t.dtype === 'int32') throw new SeqgradError(op, `${field} must be a float32 or float64 tensor, got int32`);
  if (t.rank !== shape.length || t.shape.some((n, i) => n !== shape[i])) {
    throw new SeqgradError(op, `${field} has shape ${showShape(t.shape)} but the description needs ${showShape(shape)}`);
  }
};

// ---------------------------------------------------------------------------
// conversion
// ---------------------------------------------------------------------------

/** A tensor's values as float32 (a float64 parameter is rounded, as ONNX Runtime computes in float32). @internal */
export const float32 = (t: Tensor): Float32Array => (t.data instanceof Float32Array ? t.data : Float32Array.from(t.data));

/** `[rows, cols]` → the same with its row blocks of `hidden` rows taken in ONNX's gate order. */
const reorderGates = (c: ResolvedConfig, data: ArrayLike<number>, cols: number): Float32Array => {
  const block = c.hiddenSize * cols;
  const out = new Float32Array(data.length);
  GATE_ORDER[c.kind].forEach((from, to) => out.set(Array.prototype.slice.call(data, from * block, (from + 1) * block) as number[], to * block));
  return out;
};

/** Layer `l`'s W, R and B: both directions stacked, gates in ONNX's order, biases as [Wb, Rb]. @internal */
export const layerWeights = (c: ResolvedConfig, params: StateDict, l: number): LayerWeights => {
  const get = (b: BaseName, d: number): Tensor => params[paramName(b, l, d)]!;
  const directions = range(c.directions);
  const w0 = get('weight_ih', 0);
  const rows = w0.shape[0]!;
  const input = w0.shape[1]!;
  const stackDirections = (parts: Float32Array[]): Float32Array => {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  };
  const W = stackDirections(directions.map((d) => reorderGates(c, get('weight_ih', d).data, input)));
  const R = stackDirections(directions.map((d) => reorderGates(c, get('weight_hh', d).data, c.hiddenSize)));
  const B = c.bias
    ? stackDirections(directions.flatMap((d) => [reorderGates(c, get('bias_ih', d).data, 1), reorderGates(c, get('bias_hh', d).data, 1)]))
    : null;
  return { W, R, B, wDims: [c.directions, rows, input], rDims: [c.directions, rows, c.hiddenSize], bDims: [c.directions, 2 * rows] };
};
