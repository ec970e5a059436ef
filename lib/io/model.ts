/**
 * Models for use, as bytes: the parameters, the configuration that rebuilds the model
 * and the vocabulary, in one safetensors file, without any optimizer state. Tensor
 * names follow PyTorch's state_dict convention (`embed.weight`, `layers.0.weight_ih_l0`:
 * record keys and array indices joined by dots), so a `torch.*` model's parameters
 * keep their PyTorch names. seqgrad's metadata (config, vocab, a CRC-32 per tensor)
 * sits in `__metadata__`; when present it is checked, and a plain safetensors file
 * without it (a state_dict PyTorch saved, say, in float32, float16 or bfloat16) still
 * loads, with names, shapes and dtypes checked against a template when one is given,
 * under PyTorch's `strict` rules and with a `prefix` for one module of a larger
 * model. Parameters can be written in float16 or bfloat16 on request. No `node:`
 * import: runs in a browser.
 *
 * @module
 */
import * as t from 'io-ts';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { flatten } from '../tree/index.js';
import { decodeOrThrow, Json, JsonObjectCodec, type JsonObject, type JsonValue } from './codecs.js';
import { crc32Hex } from './crc32.js';
import { decodeSafetensors, type EncodeTensorsOptions } from './safetensors.js';
import { writeSafetensors } from './safetensors-write.js';
import { parseHeader, type SafetensorsDType } from './safetensors-header.js';
import { checkEncodeOptions, storedTensor } from './safetensors-dtypes.js';
import { loadIntoTemplate, selectUnder, tensorName } from './state-dict.js';

export { tensorName } from './state-dict.js';

/** What a model file holds. */
export interface ModelContents<P> {
  /** The parameter tree. */
  readonly params: P;
  /** What rebuilds the model (sizes, kind, task): any JSON object; `{}` when omitted. */
  readonly config?: JsonObject;
  /** The vocabulary: its JSON (e.g. a `Vocab`, which serialises itself with `toJSON`). */
  readonly vocab?: JsonValue | Serialisable;
}

/** A value that serialises itself to JSON, as a `Vocab` does. */
export interface Serialisable {
  /** Its JSON form. */
  readonly toJSON: () => unknown;
}

/** Options of `decodeModel`. */
export interface DecodeModelOptions<P> {
  /** A parameter tree of the expected structure: names, shapes and dtypes are checked against it and the result takes its shape. */
  readonly template?: P;
  /** Names the bytes in errors (usually the file path). */
  readonly source?: string;
  /**
   * Load only the tensors under this module path, without it: `'rnn'` reads
   * `rnn.weight_ih_l0` as `weight_ih_l0`, as `model.rnn.load_state_dict(...)` would
   * from a whole model's state_dict. Tensors elsewhere in the file are left alone.
   */
  readonly prefix?: string;
  /**
   * As PyTorch's `load_state_dict(strict=...)` (default true): when false, a name the
   * template has and the file lacks keeps the template's tensor, and a name only the
   * file has is skipped; both are listed in the result. Shapes and dtypes are checked
   * either way.
   */
  readonly strict?: boolean;
}

/** A decoded model file. */
export interface DecodedModel<P> {
  /** The parameters: shaped like the template, or rebuilt from the tensor names (numeric parts become arrays). */
  readonly params: P;
  /** The stored configuration (`{}` for a file without seqgrad metadata). */
  readonly config: JsonObject;
  /** The stored vocabulary JSON (pass to `vocabFromJson`), when there is one. */
  readonly vocab?: JsonValue;
  /** Every tensor by its file name. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** Each tensor's dtype as stored in the file (`F16` for a tensor loaded as float32, say), by file name. */
  readonly dtypes: ReadonlyMap<string, SafetensorsDType>;
  /** Whether seqgrad's metadata was present (and so its checksums verified). */
  readonly checked: boolean;
  /** With a template and `strict: false`: the template's names the file lacks (full file names, prefix included). */
  readonly missingKeys: readonly string[];
  /** With a template and `strict: false`: the file's names the template lacks (full file names, prefix included). */
  readonly unexpectedKeys: readonly string[];
}

/** The `__metadata__` entry holding a model file's metadata as JSON. */
export const MODEL_META_KEY = 'seqgrad.model';

const ModelMetaCodec = t.intersection([
  t.type({ format: t.literal('seqgrad-model'), version: t.literal(1), config: JsonObjectCodec, checksums: t.record(t.string, t.string) }),
  t.partial({ vocab: Json }),
]);

// ---------------------------------------------------------------------------
// encoding and decoding
// ---------------------------------------------------------------------------

/**
 * A model as safetensors bytes: parameters under state_dict-style names, with the
 * config, vocabulary and checksums in the metadata. `options.dtype` stores the
 * floating-point parameters as float16 or bfloat16 (as `encodeSafetensors` does);
 * each checksum is the CRC-32 of the tensor's bytes as stored, so a narrowed tensor's
 * is that of its 2-byte elements.
 *
 * @example
 * ```ts
 * const params = { w: zeros([128, 32]) };
 * const bytes = encodeModel({ params, config: { hidden: 128 }, vocab });
 * const { params: again, config } = decodeModel(bytes, { template: params });
 * ```
 */
export const encodeModel = <P>(contents: ModelContents<P>, options: EncodeTensorsOptions = {}): Uint8Array => {
  const op = 'encodeModel';
  if (typeof contents !== 'object' || contents === null) throw new SeqgradError(op, `contents must be { params, config?, vocab? }, got ${contents === null ? 'null' : typeof contents}`);
  const half = checkEncodeOptions(op, options);
  const tensors = new Map<string, Tensor>();
  for (const { path, leaf } of flatten(contents.params, op)) {
    const name = tensorName(path);
    if (tensors.has(name)) throw new SeqgradError(op, `two parameters share the name "${name}"`);
    tensors.set(name, leaf);
  }
  if (tensors.size === 0) throw new SeqgradError(op, 'params holds no tensors');
  // each tensor converted to its stored form once: the checksums cover those bytes
  const stored = [...tensors].map(([name, tensor]) => ({ name, shape: tensor.shape, ...storedTensor(tensor, half) }));
  const checksums: Record<string, string> = {};
  for (const { name, bytes } of stored) checksums[name] = crc32Hex(bytes);
  const vocab = contents.vocab === undefined ? undefined : JSON.parse(JSON.stringify(contents.vocab)) as unknown;
  const meta = decodeOrThrow(ModelMetaCodec, { format: 'seqgrad-model', version: 1, config: contents.config ?? {}, checksums, ...(vocab === undefined ? {} : { vocab }) }, op, 'metadata');
  return writeSafetensors(stored, { [MODEL_META_KEY]: JSON.stringify(meta) });
};

/**
 * Decodes a model file: one seqgrad wrote, or a state_dict PyTorch saved with
 * safetensors. With seqgrad metadata, each tensor's CRC-32 and the list of tensors are
 * verified; with a template, every name, shape and dtype must match it and all
 * problems are reported together (missing and unexpected names may be let through
 * with `strict: false`, as in PyTorch); without one the tree is rebuilt from the
 * names. F16 and BF16 tensors load as float32, integer ones as int32 (see
 * `decodeSafetensors`). `prefix` loads one module out of a whole model's file.
 *
 * @example
 * ```ts
 * declare const init: (k: Key) => { w: Tensor };   // the model's initializer: a tree of the saved shapes
 * const { params, config, vocab } = decodeModel(bytes, { template: init(key(0)) });
 * const v = vocabFromJson(vocab);
 * // the LSTM of a PyTorch model saved with save_file(model.state_dict(), ...), where model.rnn = nn.LSTM(32, 128)
 * const rnn = decodeModel(bytes, { template: torch.lstm({ inputSize: 32, hiddenSize: 128 }).init(key(0)), prefix: 'rnn' }).params;
 * ```
 */
export const decodeModel = <P = unknown>(bytes: Uint8Array, options: DecodeModelOptions<P> = {}): DecodedModel<P> => {
  if (!(bytes instanceof Uint8Array)) throw new SeqgradError('decodeModel', `bytes must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  const { source, prefix, strict } = checkDecodeOptions(options);
  const file = decodeSafetensors(bytes, source);
  const raw = file.metadata[MODEL_META_KEY];
  const meta = raw === undefined ? undefined : readMeta(raw, source);
  if (meta !== undefined) verify(bytes, file.tensors, meta.checksums, source);
  const selected = selectUnder(file.tensors, prefix);
  const loaded = options.template === undefined
    ? { params: rebuild(selected) as P, missingKeys: [], unexpectedKeys: [] }
    : loadIntoTemplate(options.template, selected, { prefix, strict, source, dtypes: file.dtypes });
  return {
    ...loaded, config: meta?.config ?? {}, ...(meta?.vocab === undefined ? {} : { vocab: meta.vocab }),
    tensors: file.tensors, dtypes: file.dtypes, checked: meta !== undefined,
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const checkDecodeOptions = (options: DecodeModelOptions<unknown>): { source: string; prefix: string; strict: boolean } => {
  const fail = (message: string): never => {
    throw new SeqgradError('decodeModel', message);
  };
  if (typeof options !== 'object' || options === null) fail(`options must be { template?, source?, prefix?, strict? }, got ${showValue(options)}`);
  const { source = '(bytes)', prefix = '', strict = true } = options;
  if (typeof source !== 'string') fail(`options.source must be a string, got ${showValue(source)}`);
  if (typeof prefix !== 'string' || prefix.startsWith('.') || prefix.endsWith('.')) {
    fail(`options.prefix must be a module path such as "rnn" or "encoder.rnn" (no leading or trailing dot), got ${showValue(prefix)}`);
  }
  if (typeof strict !== 'boolean') fail(`options.strict must be true or false, got ${showValue(strict)}`);
  return { source, prefix, strict };
};

const readMeta = (raw: string, source: string) => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new SeqgradError('decodeModel', `${source}: metadata "${MODEL_META_KEY}" is not valid JSON (${(e as Error).message})`);
  }
  return decodeOrThrow(ModelMetaCodec, json, 'decodeModel', `${source}: metadata`);
};

/** Checks each tensor's CRC-32 over its bytes as the file stores them, whatever their dtype. */
const verify = (bytes: Uint8Array, tensors: ReadonlyMap<string, Tensor>, checksums: Readonly<Record<string, string>>, source: string): void => {
  const fail = (message: string): never => {
    throw new SeqgradError('decodeModel', `${source}: ${message}`);
  };
  for (const name of Object.keys(checksums)) if (!tensors.has(name)) fail(`tensor "${name}" is listed in the metadata but missing from the file`);
  const { entries, dataStart } = parseHeader(bytes, source);
  for (const { name, dtype, shape, begin, end } of entries) {
    const stored = checksums[name];
    if (stored === undefined) fail(`tensor "${name}" is in the file but not listed in its metadata`);
    const actual = crc32Hex(bytes.subarray(dataStart + begin, dataStart + end));
    if (actual !== stored) fail(`tensor "${name}" (${dtype} ${showShape(shape)}) is corrupted: its CRC-32 is ${actual}, the metadata says ${stored}`);
  }
};

/** Nested records from dotted names; a record whose keys are exactly 0..n-1 becomes an array. */
const rebuild = (tensors: ReadonlyMap<string, Tensor>): unknown => {
  const root: Record<string, unknown> = Object.create(null);
  for (const [name, tensor] of tensors) {
    const parts = name.split('.');
    let node = root;
    parts.slice(0, -1).forEach((part) => {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = Object.create(null);
      node = node[part] as Record<string, unknown>;
    });
    node[parts[parts.length - 1]!] = tensor;
  }
  return arrays(root);
};

const arrays = (node: unknown): unknown => {
  if (typeof node !== 'object' || node === null || !(Object.getPrototypeOf(node) === null)) return node;
  const entries = Object.entries(node).map(([k, v]) => [k, arrays(v)] as const);
  const isArray = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isArray ? entries.map(([, v]) => v) : Object.fromEntries(entries);
};
