/**
 * Models for use, as bytes: the parameters, the configuration that rebuilds the model
 * and the vocabulary, in one safetensors file, without any optimizer state. Tensor
 * names follow PyTorch's state_dict convention (`embed.weight`, `layers.0.weight_ih_l0`:
 * record keys and array indices joined by dots), so a `torch.*` model's parameters
 * keep their PyTorch names. seqgrad's metadata (config, vocab, a CRC-32 per tensor)
 * sits in `__metadata__`; when present it is checked, and a plain safetensors file
 * without it (one PyTorch wrote, say) still loads, with names, shapes and dtypes
 * checked against a template when one is given. No `node:` import: runs in a browser.
 *
 * @module
 */
import * as t from 'io-ts';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { flatten, unflatten } from '../tree/index.js';
import { decodeOrThrow, Json, JsonObjectCodec, type JsonObject, type JsonValue } from './codecs.js';
import { crc32Hex } from './crc32.js';
import { decodeSafetensors, encodeSafetensors, littleEndianBytes } from './safetensors.js';

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
  /** Whether seqgrad's metadata was present (and so its checksums verified). */
  readonly checked: boolean;
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
 * config, vocabulary and checksums in the metadata.
 *
 * @example
 * ```ts
 * const params = { w: zeros([128, 32]) };
 * const bytes = encodeModel({ params, config: { hidden: 128 }, vocab });
 * const { params: again, config } = decodeModel(bytes, { template: params });
 * ```
 */
export const encodeModel = <P>(contents: ModelContents<P>): Uint8Array => {
  const op = 'encodeModel';
  if (typeof contents !== 'object' || contents === null) throw new SeqgradError(op, `contents must be { params, config?, vocab? }, got ${contents === null ? 'null' : typeof contents}`);
  const tensors = new Map<string, Tensor>();
  for (const { path, leaf } of flatten(contents.params, op)) {
    const name = tensorName(path);
    if (tensors.has(name)) throw new SeqgradError(op, `two parameters share the name "${name}"`);
    tensors.set(name, leaf);
  }
  if (tensors.size === 0) throw new SeqgradError(op, 'params holds no tensors');
  const checksums: Record<string, string> = {};
  for (const [name, tensor] of tensors) checksums[name] = crc32Hex(littleEndianBytes(tensor));
  const vocab = contents.vocab === undefined ? undefined : JSON.parse(JSON.stringify(contents.vocab)) as unknown;
  const meta = decodeOrThrow(ModelMetaCodec, { format: 'seqgrad-model', version: 1, config: contents.config ?? {}, checksums, ...(vocab === undefined ? {} : { vocab }) }, op, 'metadata');
  return encodeSafetensors(tensors, { [MODEL_META_KEY]: JSON.stringify(meta) });
};

/**
 * Decodes a model file. With seqgrad metadata, each tensor's CRC-32 and the list of
 * tensors are verified; with a template, every name, shape and dtype must match it
 * (all problems are reported together); without one the tree is rebuilt from the names.
 *
 * @example
 * ```ts
 * declare const init: (k: Key) => { w: Tensor };   // the model's initializer: a tree of the saved shapes
 * const { params, config, vocab } = decodeModel(bytes, { template: init(key(0)) });
 * const v = vocabFromJson(vocab);
 * ```
 */
export const decodeModel = <P = unknown>(bytes: Uint8Array, options: DecodeModelOptions<P> = {}): DecodedModel<P> => {
  const source = options.source ?? '(bytes)';
  if (!(bytes instanceof Uint8Array)) throw new SeqgradError('decodeModel', `bytes must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  const file = decodeSafetensors(bytes, source);
  const raw = file.metadata[MODEL_META_KEY];
  const meta = raw === undefined ? undefined : readMeta(raw, source);
  if (meta !== undefined) verify(file.tensors, meta.checksums, source);
  const params = options.template === undefined ? rebuild(file.tensors) as P : fromTemplate(options.template, file.tensors, source);
  return { params, config: meta?.config ?? {}, ...(meta?.vocab === undefined ? {} : { vocab: meta.vocab }), tensors: file.tensors, checked: meta !== undefined };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** A tree path as a state_dict name: `layers[0].w` becomes `layers.0.w`. @internal */
export const tensorName = (path: string): string => {
  if (typeof path !== 'string') throw new SeqgradError('tensorName', `path must be a string, got ${showValue(path)}`);
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
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

const verify = (tensors: ReadonlyMap<string, Tensor>, checksums: Readonly<Record<string, string>>, source: string): void => {
  const fail = (message: string): never => {
    throw new SeqgradError('decodeModel', `${source}: ${message}`);
  };
  for (const name of Object.keys(checksums)) if (!tensors.has(name)) fail(`tensor "${name}" is listed in the metadata but missing from the file`);
  for (const [name, tensor] of tensors) {
    const stored = checksums[name];
    if (stored === undefined) fail(`tensor "${name}" is in the file but not listed in its metadata`);
    const actual = crc32Hex(littleEndianBytes(tensor));
    if (actual !== stored) fail(`tensor "${name}" (${tensor.dtype} ${showShape(tensor.shape)}) is corrupted: its CRC-32 is ${actual}, the metadata says ${stored}`);
  }
};

const fromTemplate = <P>(template: P, tensors: ReadonlyMap<string, Tensor>, source: string): P => {
  const problems: string[] = [];
  const wanted = flatten(template, 'decodeModel').map(({ path, leaf }) => ({ name: tensorName(path), leaf }));
  const values = wanted.map(({ name, leaf }) => {
    const found = tensors.get(name);
    if (found === undefined) problems.push(`${name}: missing from the file (the template wants ${leaf.dtype} ${showShape(leaf.shape)})`);
    else if (found.dtype !== leaf.dtype || !shapesEqual(found.shape, leaf.shape)) problems.push(`${name}: the file has ${found.dtype} ${showShape(found.shape)}, the template wants ${leaf.dtype} ${showShape(leaf.shape)}`);
    return found ?? leaf;
  });
  const names = new Set(wanted.map((w) => w.name));
  for (const name of tensors.keys()) if (!names.has(name)) problems.push(`${name}: in the file but not in the template`);
  if (problems.length > 0) throw new SeqgradError('decodeModel', `${source}: does not match the template (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? '; ...' : ''}`);
  return unflatten(template, values, 'decodeModel');
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
