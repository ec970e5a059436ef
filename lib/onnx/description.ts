/**
 * What `exportOnnx` exports, as JSON: the configuration of a `torch.rnn`, `torch.lstm`
 * or `torch.gru` module, an optional embedding before it and an optional dense head
 * after it, and whether the sequences are batch-first. A description is plain data
 * (it can sit in a model file's config and be exported later), so it is decoded with
 * an io-ts codec whose errors name the bad field, then checked for what the codec
 * cannot see: sizes that must agree, a field that applies to another kind (a GRU's
 * `convention`), and the parts ONNX's operators cannot express.
 *
 * @module
 */
import * as t from 'io-ts';
import { decodeOrThrow } from '../io/codecs.js';
import { resolveConfig, type ResolvedConfig, type TorchConfig, type TorchKind } from '../nn/torch/layout.js';
import type { GruConvention } from '../nn/cells/gru.js';
import { SeqgradError } from '../tensor/errors.js';

/**
 * The recurrent part of a description: `kind` plus the torch builder's `TorchConfig`.
 * Of its fields, `projSize` is accepted so that the error can say why it cannot be
 * exported (ONNX's LSTM has no projection), and `dropout`, which only acts while
 * training, is accepted and left out.
 */
export interface OnnxRecurrentDescription extends TorchConfig {
  /** Which module: `torch.rnn`, `torch.lstm` or `torch.gru`. */
  readonly kind: TorchKind;
  /**
   * GRU only: where the reset gate acts, as in seqgrad's `gru({ convention })` cell.
   * `reset-after` (the default; PyTorch's `torch.nn.GRU`, Keras `reset_after=True`) is
   * exported with ONNX's `linear_before_reset = 1`; `reset-before` (Keras
   * `reset_after=False`, ONNX's own default) with `linear_before_reset = 0`. The
   * parameters keep the state_dict layout either way.
   */
  readonly convention?: GruConvention;
}

/**
 * A model `exportOnnx` can write: `embed` (ids to vectors) → `rnn` → `head` (dense),
 * the first and last optional. Parameters come as `{ embed?, rnn, head? }` with the
 * same keys.
 *
 * @example
 * ```ts
 * // examples/names: embedding → LSTM → dense to one logit per character
 * const description: OnnxDescription = {
 *   embed: { vocabSize: 30, dim: 16 },
 *   rnn: { kind: 'LSTM', inputSize: 16, hiddenSize: 64 },
 *   head: { outputSize: 30 },
 * };
 * ```
 */
export interface OnnxDescription {
  /** The recurrent module. */
  readonly rnn: OnnxRecurrentDescription;
  /** An embedding `[vocabSize, dim]` looked up by int32 ids before the recurrent layers; `dim` must equal `rnn.inputSize`. */
  readonly embed?: {
    /** Rows of the table: the number of token ids. */
    readonly vocabSize: number;
    /** Width of each vector. */
    readonly dim: number;
  };
  /** A dense layer on the sequence output (`[out, directions·hiddenSize]` weight), giving `logits`. */
  readonly head?: {
    /** Features out (e.g. one logit per vocabulary entry). */
    readonly outputSize: number;
    /** Whether the head has a bias (default true). */
    readonly bias?: boolean;
  };
  /** Whether the graph's sequences are `[batch, time, ...]` (default true, as seqgrad's) or `[time, batch, ...]`. */
  readonly batchFirst?: boolean;
}

const PositiveInteger = new t.Type<number, number, unknown>(
  'a positive integer', (u): u is number => Number.isSafeInteger(u) && (u as number) > 0,
  (u, c) => (Number.isSafeInteger(u) && (u as number) > 0 ? t.success(u as number) : t.failure(u, c)), t.identity,
);

/** A field that may be left out; when present it must be `codec`'s (the failure keeps the field's path and `codec`'s name). */
const optional = <A>(codec: t.Type<A, A, unknown>): t.Type<A | undefined, A | undefined, unknown> =>
  new t.Type<A | undefined, A | undefined, unknown>(
    codec.name, (u): u is A | undefined => u === undefined || codec.is(u),
    // the field's context entry names `codec` itself, so a failing union reports as one union, not branch by branch
    (u, c) => (u === undefined ? t.success(undefined) : codec.validate(u, [...c.slice(0, -1), { ...c[c.length - 1]!, type: codec }])), t.identity,
  );

/**
 * A record of exactly these fields: an unknown key fails at its own path (io-ts's
 * `exact` would drop it silently, so a misspelt `batch_first` would be ignored).
 */
const strict = <P extends t.Props>(props: P, name: string): t.Type<t.TypeOf<t.TypeC<P>>, t.TypeOf<t.TypeC<P>>, unknown> => {
  const inner = t.type(props, name);
  const noSuchField = new t.Type<never>(`no such field (known: ${Object.keys(props).join(', ')})`, (_u): _u is never => false, t.failure, t.identity);
  // t.type's own `is` wants every key present, even one whose codec takes undefined
  const is = (u: unknown): u is t.TypeOf<t.TypeC<P>> => typeof u === 'object' && u !== null
    && Object.keys(u).every((k) => Object.hasOwn(props, k)) && Object.entries(props).every(([k, codec]) => codec.is((u as Record<string, unknown>)[k]));
  return new t.Type(name, is, (u, c) => {
    const extra = typeof u === 'object' && u !== null ? Object.entries(u).filter(([k]) => !Object.hasOwn(props, k)) : [];
    if (extra.length === 0) return inner.validate(u, c);
    return t.failures(extra.map(([k, v]) => ({ value: v, context: [...c, { key: k, type: noSuchField, actual: v }] })));
  }, t.identity);
};

const RecurrentCodec = strict({
  kind: t.union([t.literal('RNN'), t.literal('LSTM'), t.literal('GRU')], '"RNN" | "LSTM" | "GRU"'),
  inputSize: PositiveInteger,
  hiddenSize: PositiveInteger,
  numLayers: optional(PositiveInteger),
  bidirectional: optional(t.boolean),
  bias: optional(t.boolean),
  nonlinearity: optional(t.union([t.literal('tanh'), t.literal('relu')], '"tanh" | "relu"')),
  projSize: optional(t.number),
  dropout: optional(t.number),
  convention: optional(t.union([t.literal('reset-after'), t.literal('reset-before')], '"reset-after" | "reset-before"')),
}, 'a recurrent module { kind, inputSize, hiddenSize, ... }');

/** The io-ts codec of an `OnnxDescription`: checks every field's type and refuses unknown keys. */
export const OnnxDescriptionCodec: t.Type<OnnxDescription, OnnxDescription, unknown> = strict({
  rnn: RecurrentCodec,
  embed: optional(strict({ vocabSize: PositiveInteger, dim: PositiveInteger }, 'an embedding { vocabSize, dim }')),
  head: optional(strict({ outputSize: PositiveInteger, bias: optional(t.boolean) }, 'a dense head { outputSize, bias? }')),
  batchFirst: optional(t.boolean),
}, 'an ONNX model description { rnn, embed?, head?, batchFirst? }') as t.Type<OnnxDescription, OnnxDescription, unknown>;

/** The recurrent part, resolved: the torch configuration and, for a GRU, its convention (null for RNN and LSTM). @internal */
export type ResolvedRecurrent = ResolvedConfig & { readonly convention: GruConvention | null };

/** A checked description with its defaults filled in. @internal */
export interface ResolvedDescription {
  readonly rnn: ResolvedRecurrent;
  readonly embed: { readonly vocabSize: number; readonly dim: number } | null;
  readonly head: { readonly inputSize: number; readonly outputSize: number; readonly bias: boolean } | null;
  readonly batchFirst: boolean;
}

// ---------------------------------------------------------------------------
// checking
// ---------------------------------------------------------------------------

/**
 * Decodes and checks a description (any JSON value, e.g. a model file's config),
 * filling its defaults; throws a SeqgradError from `op` naming the field at fault.
 * @internal
 */
export const resolveDescription = (op: string, value: unknown): ResolvedDescription => {
  const d = decodeOrThrow(OnnxDescriptionCodec, value, op, 'description');
  const { kind, convention, ...config } = d.rnn;
  if (convention !== undefined && kind !== 'GRU') {
    throw new SeqgradError(op, `description.rnn.convention applies to GRU only (where the reset gate acts), but rnn.kind is ${kind}; leave convention out`);
  }
  if ((config.projSize ?? 0) !== 0) {
    throw new SeqgradError(op, `description.rnn.projSize ${config.projSize} cannot be exported: ONNX's LSTM operator has no projection (weight_hr), and PyTorch's own ONNX exporter refuses proj_size too; export an LSTM without projSize`);
  }
  const rnn = { ...inOp(op, 'description.rnn', () => resolveConfig(kind, config)), convention: kind === 'GRU' ? convention ?? 'reset-after' : null };
  if (d.embed && d.embed.dim !== rnn.inputSize) {
    throw new SeqgradError(op, `description.embed.dim ${d.embed.dim} must equal description.rnn.inputSize ${rnn.inputSize}: the embedding's vectors are the recurrent layers' input`);
  }
  const width = rnn.directions * rnn.hiddenSize;
  return {
    rnn,
    embed: d.embed ? { vocabSize: d.embed.vocabSize, dim: d.embed.dim } : null,
    head: d.head ? { inputSize: width, outputSize: d.head.outputSize, bias: d.head.bias ?? true } : null,
    batchFirst: d.batchFirst ?? true,
  };
};

/** Runs a check of a lower layer and restates its error as `op`'s, prefixed by the field it was about. @internal */
export const inOp = <A>(op: string, field: string, check: () => A): A => {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof SeqgradError)) throw e;
    throw new SeqgradError(op, `${field}: ${e.message}`);
  }
};
