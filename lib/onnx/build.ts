/**
 * The exported graph. ONNX's recurrent operators take time-major `[time, batch,
 * features]` input and return `Y [time, directions, batch, hidden]` and the final states
 * `[directions, batch, hidden]`, so the graph is: an optional Gather (embedding); a
 * Transpose to time-major when the model is batch-first; one RNN/LSTM/GRU node per
 * layer, each layer's Y transposed and reshaped to `[time, batch, directions·hidden]`
 * (PyTorch's concatenated directions) for the next; the last layer's Y back in the
 * model's layout as `y`; an optional MatMul+Add head giving `logits`; and each layer's
 * final states concatenated into PyTorch's `[layers·directions, batch, hidden]`. Batch
 * and time are dynamic axes.
 *
 * @module
 */
import { range, type ResolvedConfig } from '../nn/torch/layout.js';
import type { ResolvedDescription, ResolvedRecurrent } from './description.js';
import { graphBuilder, type Graph, type GraphBuilder, type ValueInfo } from './graph.js';
import { float32, layerWeights, type OnnxParams } from './weights.js';

/** Which optional inputs the graph takes. @internal */
export interface GraphInputs {
  readonly lengths: boolean;
  readonly initialState: boolean;
}

const BATCH = 'batch';
const TIME = 'time';

/** The graph of a checked description and its checked parameters. @internal */
export const buildGraph = (d: ResolvedDescription, params: OnnxParams, inputs: GraphInputs): Graph => {
  const g = graphBuilder();
  const c = d.rnn;
  const graphInputs = inputsOf(d, inputs);
  let x = graphInputs[0]!.name;
  if (d.embed) {
    g.node('Gather', [g.constant('embed.weight', [d.embed.vocabSize, d.embed.dim], float32(params.embed!.weight)), x], ['embedded'], { axis: 0 });
    x = 'embedded';
  }
  if (d.batchFirst) {
    g.node('Transpose', [x], ['x_time_major'], { perm: [1, 0, 2] });
    x = 'x_time_major';
  }
  const finals = range(c.numLayers).map((l) => {
    const layer = recurrentLayer(g, c, params, l, x, inputs);
    const last = l === c.numLayers - 1;
    // [T, D, B, H] → [T, B, D, H] (or [B, T, D, H] for a batch-first output), then D and H merge
    const out = last && !d.head ? 'y' : `y_l${l}`;
    g.node('Transpose', [layer.Y], [`${out}_split`], { perm: last && d.batchFirst ? [2, 0, 1, 3] : [0, 2, 1, 3] });
    g.node('Reshape', [`${out}_split`, g.int64s(`merge_directions_l${l}`, [0, 0, -1])], [out]);
    x = out;
    return layer;
  });
  if (d.head) denseHead(g, d.head, params, x);
  for (const [i, name] of stateNames(c).entries()) g.node('Concat', finals.map((f) => f.states[i]!), [`${name}n`], { axis: 0 });
  return { nodes: g.nodes, initializers: g.initializers, inputs: graphInputs, outputs: outputsOf(d) };
};

// ---------------------------------------------------------------------------
// the graph's interface
// ---------------------------------------------------------------------------

/** A sequence's dims in the model's layout, batch and time dynamic. */
const sequence = (d: ResolvedDescription, ...rest: number[]): (string | number)[] => [...(d.batchFirst ? [BATCH, TIME] : [TIME, BATCH]), ...rest];

/** `[layers·directions, batch, hidden]`, PyTorch's layout of h0, c0, hn and cn. */
const stateDims = (c: ResolvedConfig): (string | number)[] => [c.numLayers * c.directions, BATCH, c.hiddenSize];

/** `ids` or `x`, then `lengths`, then `h0` and `c0`, as asked. */
const inputsOf = (d: ResolvedDescription, inputs: GraphInputs): ValueInfo[] => [
  d.embed ? { name: 'ids', elemType: 'int32', dims: sequence(d) } : { name: 'x', elemType: 'float32', dims: sequence(d, d.rnn.inputSize) },
  ...(inputs.lengths ? [{ name: 'lengths', elemType: 'int32' as const, dims: [BATCH] }] : []),
  ...(inputs.initialState ? stateNames(d.rnn).map((s) => ({ name: `${s}0`, elemType: 'float32' as const, dims: stateDims(d.rnn) })) : []),
];

/** `y`, then `logits` with a head, then `hn` and (an LSTM's) `cn`. */
const outputsOf = (d: ResolvedDescription): ValueInfo[] => [
  { name: 'y', elemType: 'float32', dims: sequence(d, d.rnn.directions * d.rnn.hiddenSize) },
  ...(d.head ? [{ name: 'logits', elemType: 'float32' as const, dims: sequence(d, d.head.outputSize) }] : []),
  ...stateNames(d.rnn).map((s) => ({ name: `${s}n`, elemType: 'float32' as const, dims: stateDims(d.rnn) })),
];

/** `logits = x · weightᵀ (+ bias)`, with weightᵀ stored so that MatMul needs no Transpose; `y` is the head's input. */
const denseHead = (g: GraphBuilder, h: NonNullable<ResolvedDescription['head']>, params: OnnxParams, x: string): void => {
  const wT = transpose(float32(params.head!.weight), h.outputSize, h.inputSize);
  g.node('MatMul', [x, g.constant('head.weight_t', [h.inputSize, h.outputSize], wT)], [h.bias ? 'logits_no_bias' : 'logits']);
  if (h.bias) g.node('Add', ['logits_no_bias', g.constant('head.bias', [h.outputSize], float32(params.head!.bias!))], ['logits']);
  g.node('Identity', [x], ['y']);
};

// ---------------------------------------------------------------------------
// one layer
// ---------------------------------------------------------------------------

/** The state names of a kind: h, and c for an LSTM. */
const stateNames = (c: ResolvedConfig): readonly ('h' | 'c')[] => (c.kind === 'LSTM' ? ['h', 'c'] : ['h']);

/** One RNN/LSTM/GRU node for layer `l` reading the time-major `x`; returns its Y and final-state names. */
const recurrentLayer = (g: GraphBuilder, c: ResolvedRecurrent, params: OnnxParams, l: number, x: string, inputs: GraphInputs) => {
  const w = layerWeights(c, params.rnn, l);
  const initial = stateNames(c).map((s) => (inputs.initialState ? layerSlice(g, c, `${s}0`, l) : ''));
  const operands = [
    x,
    g.constant(`W_l${l}`, w.wDims, w.W),
    g.constant(`R_l${l}`, w.rDims, w.R),
    w.B ? g.constant(`B_l${l}`, w.bDims, w.B) : '',
    inputs.lengths ? 'lengths' : '',
    ...initial,
  ];
  const states = stateNames(c).map((s) => `${s}n_l${l}`);
  const Y = `Y_l${l}`;
  g.node(c.kind, trimEmpty(operands), [Y, ...states], attributesOf(c));
  return { Y, states };
};

/**
 * The operator's attributes. A reset-after GRU (PyTorch's) applies the reset gate to
 * the hidden product with its bias, ONNX's `linear_before_reset = 1`; a reset-before
 * GRU applies it to h before the product, ONNX's default `linear_before_reset = 0`,
 * whose Rbh is added outside the product as seqgrad adds b_hh, so B is [Wb, Rb] in
 * both (weights.ts).
 */
const attributesOf = (c: ResolvedRecurrent) => ({
  hidden_size: c.hiddenSize,
  direction: c.directions === 2 ? 'bidirectional' : 'forward',
  ...(c.kind === 'RNN' ? { activations: range(c.directions).map(() => (c.nonlinearity === 'relu' ? 'Relu' : 'Tanh')) } : {}),
  ...(c.kind === 'GRU' ? { linear_before_reset: c.convention === 'reset-before' ? 0 : 1 } : {}),
});

/** Layer `l`'s rows `[l·D, (l+1)·D)` of an initial state `[layers·D, batch, hidden]`. */
const layerSlice = (g: GraphBuilder, c: ResolvedConfig, state: string, l: number): string => {
  if (c.numLayers === 1) return state;
  const out = `${state}_l${l}`;
  g.node('Slice', [state, g.int64s(`${out}_start`, [l * c.directions]), g.int64s(`${out}_end`, [(l + 1) * c.directions]), g.int64s(`${out}_axes`, [0])], [out]);
  return out;
};

/** Optional operator inputs left out at the end are dropped; those before a given one stay as '' (ONNX's "absent"). */
const trimEmpty = (names: readonly string[]): string[] => {
  const out = [...names];
  while (out[out.length - 1] === '') out.pop();
  return out;
};

/** A row-major `[rows, cols]` matrix transposed. */
const transpose = (data: Float32Array, rows: number, cols: number): Float32Array => {
  const out = new Float32Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
};
