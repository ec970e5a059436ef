/**
 * `exportOnnx`: a recurrent model (an optional embedding, a `torch.rnn`, `torch.lstm`
 * or `torch.gru` module, an optional dense head) as an ONNX model's bytes, for ONNX
 * Runtime and the other ONNX consumers. The description is checked, the parameters are
 * checked against it, the graph is built as plain data, and onnx-proto writes it.
 *
 * @module
 */
import { SeqgradError, showValue } from '../tensor/errors.js';
import { buildGraph } from './build.js';
import { resolveDescription, type OnnxDescription } from './description.js';
import { encodeGraph, loadOnnxProto, type ProtoLoader } from './proto.js';
import { checkParams, type OnnxParams } from './weights.js';

/** The opsets `exportOnnx` writes: the recurrent operators' semantics are the same across them. */
export const ONNX_OPSETS = {
  /** The lowest opset written. */
  min: 14,
  /** The highest opset written. */
  max: 21,
  /** The opset written when none is asked for. */
  default: 17,
} as const;

/** Options of `exportOnnx`. */
export interface OnnxExportOptions {
  /** The ONNX opset (default 17; from `ONNX_OPSETS.min` to `ONNX_OPSETS.max`). */
  readonly opset?: number;
  /** Take an int32 `lengths [batch]` input for padded batches (ONNX's `sequence_lens`; default true). */
  readonly lengths?: boolean;
  /** Take initial states `h0` (and `c0` for an LSTM) `[layers·directions, batch, hidden]` (default false: zeros). */
  readonly initialState?: boolean;
  /** The graph's name (default `seqgrad`). */
  readonly name?: string;
}

const OP = 'exportOnnx';

/**
 * Exports a model as ONNX bytes, using ONNX's RNN, LSTM and GRU operators.
 *
 * The graph's inputs are `ids` (int32 `[batch, time]`, with an embedding) or `x`
 * (float32 `[batch, time, inputSize]`), then `lengths` (int32 `[batch]`, unless
 * `lengths: false`), then `h0` and `c0` with `initialState`. Its outputs are `y`
 * (`[batch, time, directions·hiddenSize]`, zero past each length), `logits` (with a
 * head: `[batch, time, outputSize]`) and the final states `hn` (and `cn`)
 * `[layers·directions, batch, hiddenSize]`, in PyTorch's layout. With `batchFirst:
 * false` the sequences are `[time, batch, ...]` instead. Batch and time are dynamic.
 * Values are float32. A GRU is reset-after (PyTorch's, ONNX's `linear_before_reset =
 * 1`) unless the description's `rnn.convention` is `reset-before` (`gru({ convention:
 * 'reset-before' })`'s, `linear_before_reset = 0`). Not exportable: an LSTM with `projSize` (ONNX's LSTM has no
 * projection). Needs the optional package `onnx-proto`.
 *
 * @example
 * ```ts
 * const description: OnnxDescription = { embed: { vocabSize: 30, dim: 16 }, rnn: { kind: 'LSTM', inputSize: 16, hiddenSize: 64 }, head: { outputSize: 30 } };
 * const params = {
 *   embed: initEmbedding(key(1), { vocabSize: 30, dim: 16 }),
 *   rnn: torch.lstm({ inputSize: 16, hiddenSize: 64 }).init(key(2)),
 *   head: initDense(key(3), { inputSize: 64, outputSize: 30 }),
 * };
 * const bytes = await exportOnnx(description, params, { opset: 17 });   // inputs ids, lengths; outputs y, logits, hn, cn
 * ```
 */
export const exportOnnx = (description: OnnxDescription, params: OnnxParams, options: OnnxExportOptions = {}): Promise<Uint8Array> =>
  exportOnnxWith(undefined)(description, params, options);

/** `exportOnnx` with onnx-proto loaded by `loadProto` (the default import when undefined), so a spec can make it missing. @internal */
export const exportOnnxWith = (loadProto: ProtoLoader | undefined) =>
  async (description: OnnxDescription, params: OnnxParams, options: OnnxExportOptions = {}): Promise<Uint8Array> => {
    const { opset, lengths, initialState, name } = checkOptions(options);
    const d = resolveDescription(OP, description);
    checkParams(OP, d, params);
    const graph = buildGraph(d, params, { lengths, initialState });
    const onnx = await loadOnnxProto(OP, loadProto);
    return encodeGraph(onnx, graph, opset, name);
  };

const checkOptions = (options: OnnxExportOptions): Required<OnnxExportOptions> => {
  if (typeof options !== 'object' || options === null) throw new SeqgradError(OP, `options must be { opset?, lengths?, initialState?, name? }, got ${showValue(options)}`);
  const { opset = ONNX_OPSETS.default, lengths = true, initialState = false, name = 'seqgrad' } = options;
  if (!Number.isInteger(opset) || opset < ONNX_OPSETS.min || opset > ONNX_OPSETS.max) {
    throw new SeqgradError(OP, `options.opset must be an integer from ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}, got ${showValue(opset)}`);
  }
  for (const [field, value] of Object.entries({ lengths, initialState })) {
    if (typeof value !== 'boolean') throw new SeqgradError(OP, `options.${field} must be a boolean, got ${showValue(value)}`);
  }
  if (typeof name !== 'string' || name === '') throw new SeqgradError(OP, `options.name must be a non-empty string, got ${showValue(name)}`);
  return { opset, lengths, initialState, name };
};
