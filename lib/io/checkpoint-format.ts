/**
 * Checkpoints as bytes: parameters and optimizer state as one safetensors file, each
 * tensor named by its tree path within its group (`params/layers[0].w`, `opt/mu.w`),
 * with io-ts-validated metadata (step, epoch, config, PRNG key, optimizer, CRC-32s) in
 * `__metadata__`. No file system here, so this half runs anywhere; checkpoint.ts adds
 * the atomic file writes. Loading is strict on purpose: every tensor is checked against
 * the caller's template (missing, extra, shape, dtype, checksum) and all problems are
 * reported together, so a resumed run never starts from a silently wrong state.
 *
 * @module
 */
import { flatten, unflatten } from '../tree/index.js';
import { scalar } from '../tensor/create.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Key } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { CheckpointMetaCodec, decodeOrThrow, type CheckpointMeta, type JsonObject } from './codecs.js';
import { expectBytes } from './args.js';
import { crc32Hex } from './crc32.js';
import { decodeSafetensors, encodeSafetensors, littleEndianBytes } from './safetensors.js';
import { flattenState, unflattenState, type StateLeaf } from '../tree/state.js';

/** What the caller says about a checkpoint when saving it. */
export interface CheckpointInfo {
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** Epochs completed so far. */
  readonly epoch: number;
  /** The run's configuration (any JSON object); `{}` when omitted. */
  readonly config?: JsonObject;
  /** The PRNG key to resume from. */
  readonly key: Key;
  /** The optimizer's name, e.g. `adam`. */
  readonly optimizer: string;
  /** When the checkpoint was made (ISO 8601); now when omitted. */
  readonly created?: string;
}

/** Everything a checkpoint holds. */
export interface CheckpointContents<P, S> {
  /** The parameter tree (tensors only). */
  readonly params: P;
  /** The optimizer state tree (tensors and plain numbers). */
  readonly optState: S;
  /** Step, epoch, config, key and optimizer name. */
  readonly meta: CheckpointInfo;
}

/** Trees whose structure, shapes and dtypes a loaded checkpoint must match. */
export interface CheckpointTemplates<P, S> {
  /** A parameter tree of the expected structure (e.g. a freshly initialised model). */
  readonly params: P;
  /** An optimizer state of the expected structure (e.g. `optimizer.init(params)`). */
  readonly optState: S;
}

/** A loaded checkpoint: trees shaped like the templates, and the decoded metadata. */
export interface LoadedCheckpoint<P, S> {
  /** The parameters, structured like the params template. */
  readonly params: P;
  /** The optimizer state, structured like the optState template. */
  readonly optState: S;
  /** The validated metadata. */
  readonly meta: CheckpointMeta;
}

/** The `__metadata__` entry that holds the checkpoint metadata as JSON. */
export const META_KEY = 'seqgrad.checkpoint';

/**
 * The `__metadata__` entry that holds the CRC-32 of the metadata JSON's UTF-8 bytes:
 * without it a flipped bit in the header could change the step, epoch or config and
 * still decode.
 */
export const META_CHECKSUM_KEY = 'seqgrad.checkpoint.crc32';

/** How many template mismatches an error lists before summarising the rest. */
const SHOWN = 8;

// ---------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------

/**
 * Encodes a checkpoint as safetensors bytes. Numbers in the optimizer state become
 * float64 scalars (exact for any JS number) and are listed in `meta.numbers`. The
 * metadata is validated before anything is produced, so a bad key or a config that is
 * not JSON fails the save rather than the later load.
 *
 * @example
 * ```ts
 * const params = { w: zeros([2, 3]) };
 * const optState = adam().init(params);
 * const bytes = encodeCheckpoint({ params, optState, meta: { step: 100, epoch: 2, key: k, optimizer: 'adam' } });
 * ```
 */
export const encodeCheckpoint = <P, S>(contents: CheckpointContents<P, S>, source = '(checkpoint)'): Uint8Array => {
  expectContents('encodeCheckpoint', contents);
  const op = 'saveCheckpoint';
  const tensors = new Map<string, Tensor>();
  const add = (name: string, t: Tensor): void => {
    if (tensors.has(name)) throw new SeqgradError(op, `${source}: two leaves share the path "${name}" (a key containing '.' or '['?)`);
    tensors.set(name, t);
  };
  const params = flatten(contents.params, op);
  const state = flattenState(contents.optState, op);
  for (const { path, leaf } of params) add(`params/${path}`, leaf);
  for (const { path, leaf } of state) add(`opt/${path}`, typeof leaf === 'number' ? scalar(leaf, { dtype: 'float64' }) : leaf);
  const checksums: Record<string, string> = {};
  for (const [name, t] of tensors) checksums[name] = crc32Hex(littleEndianBytes(t));
  const { step, epoch, config = {}, key, optimizer, created = new Date().toISOString() } = contents.meta;
  const meta = decodeOrThrow(CheckpointMetaCodec, {
    format: 'seqgrad-checkpoint',
    version: 1,
    step,
    epoch,
    config,
    key: Array.isArray(key) ? [...key] : key,
    optimizer,
    created,
    tensors: { params: params.map((p) => p.path), opt: state.map((p) => p.path) },
    numbers: state.filter((p) => typeof p.leaf === 'number').map((p) => p.path),
    checksums,
  }, op, `${source}: metadata`);
  const json = JSON.stringify(meta);
  return encodeSafetensors(tensors, { [META_KEY]: json, [META_CHECKSUM_KEY]: metaChecksum(json) });
};

// ---------------------------------------------------------------------------
// decoding
// ---------------------------------------------------------------------------

/**
 * Decodes checkpoint bytes against templates. Refuses, naming `source`, the tensor and
 * the problem: a corrupt file, metadata that fails its codec, a tensor whose CRC-32
 * does not match, and any tensor missing, extra, or of another shape or dtype than the
 * template's. The templates are only read, never changed.
 *
 * @example
 * ```ts
 * const init = { w: zeros([2, 3]) };          // a tree of the saved shapes
 * const opt = adam();
 * const { params, optState, meta } = decodeCheckpoint(bytes, { params: init, optState: opt.init(init) }, path);
 * ```
 */
export const decodeCheckpoint = <P, S>(bytes: Uint8Array, templates: CheckpointTemplates<P, S>, source = '(checkpoint)'): LoadedCheckpoint<P, S> => {
  expectBytes('decodeCheckpoint', bytes);
  const file = decodeSafetensors(bytes, source);
  const meta = readMeta(file.metadata, source);
  checkContents(file.tensors, meta, source);
  const problems: string[] = [];
  const paramLeaves = flatten(templates.params, 'loadCheckpoint');
  const stateLeaves = flattenState(templates.optState, 'loadCheckpoint');
  const params = paramLeaves.map(({ path, leaf }) => readParam(path, leaf, file.tensors, problems));
  const numbers = new Set(meta.numbers);
  const state = stateLeaves.map(({ path, leaf }) => readStateLeaf(path, leaf, file.tensors, numbers, problems));
  const expected = new Set([...paramLeaves.map((p) => `params/${p.path}`), ...stateLeaves.map((p) => `opt/${p.path}`)]);
  for (const name of file.tensors.keys()) if (!expected.has(name)) problems.push(`${name}: in the file but not in the template`);
  if (problems.length > 0) {
    const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : '';
    throw new SeqgradError('loadCheckpoint', `${source}: does not match the template (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${problems.slice(0, SHOWN).join('; ')}${more}`);
  }
  return { params: unflatten(templates.params, params, 'loadCheckpoint'), optState: unflattenState(templates.optState, state, 'loadCheckpoint'), meta };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** CRC-32 of a metadata string's UTF-8 bytes, as 8 hex digits. @internal */
const metaChecksum = (json: string): string => crc32Hex(new TextEncoder().encode(json));

const describe = (t: Tensor): string => `${t.dtype} ${showShape(t.shape)}`;

/** The metadata entry, parsed and decoded by its codec. @internal */
const readMeta = (metadata: Readonly<Record<string, string>>, source: string): CheckpointMeta => {
  const raw = metadata[META_KEY];
  if (raw === undefined) throw new SeqgradError('loadCheckpoint', `${source}: not a seqgrad checkpoint (its __metadata__ has no "${META_KEY}" entry)`);
  const stored = metadata[META_CHECKSUM_KEY];
  if (stored === undefined) throw new SeqgradError('loadCheckpoint', `${source}: its __metadata__ has no "${META_CHECKSUM_KEY}" entry, so the metadata cannot be verified (damaged, or written by another tool)`);
  const actual = metaChecksum(raw);
  if (actual !== stored) {
    throw new SeqgradError('loadCheckpoint', `${source}: metadata "${META_KEY}" is corrupted: its CRC-32 is ${actual}, the file says ${showValue(stored)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new SeqgradError('loadCheckpoint', `${source}: metadata "${META_KEY}" is not valid JSON (${(e as Error).message})`);
  }
  return decodeOrThrow(CheckpointMetaCodec, json, 'loadCheckpoint', `${source}: metadata`);
};

/** The file's tensors are exactly those its metadata lists, each with a matching CRC-32. @internal */
/** Refuses contents that are not `{ params, optState, meta }`, naming `op`. @internal */
export const expectContents = (op: string, contents: unknown): void => {
  const c = contents as Partial<CheckpointContents<unknown, unknown>> | null;
  if (typeof c !== 'object' || c === null || c.params === undefined || c.optState === undefined || typeof c.meta !== 'object' || c.meta === null) {
    throw new SeqgradError(op, `contents must be { params, optState, meta: { step, epoch, key, ... } }, got ${showValue(contents)}`);
  }
};

const checkContents = (tensors: ReadonlyMap<string, Tensor>, meta: CheckpointMeta, source: string): void => {
  const fail = (message: string): never => {
    throw new SeqgradError('loadCheckpoint', `${source}: ${message}`);
  };
  const listed = [...meta.tensors.params.map((p) => `params/${p}`), ...meta.tensors.opt.map((p) => `opt/${p}`)];
  const listedSet = new Set(listed);
  for (const name of listed) if (!tensors.has(name)) fail(`tensor "${name}" is listed in the metadata but missing from the file`);
  for (const [name, t] of tensors) {
    if (!listedSet.has(name)) fail(`tensor "${name}" is in the file but not listed in its metadata`);
    const stored = meta.checksums[name];
    if (stored === undefined) fail(`tensor "${name}" has no checksum in the metadata`);
    const actual = crc32Hex(littleEndianBytes(t));
    if (actual !== stored) fail(`tensor "${name}" (${describe(t)}) is corrupted: its CRC-32 is ${actual}, the metadata says ${stored}`);
  }
  for (const path of meta.numbers) {
    const t = tensors.get(`opt/${path}`);
    if (t === undefined || t.dtype !== 'float64' || t.rank !== 0) fail(`metadata lists opt/${path} as a number, but the file holds ${t ? describe(t) : 'no such tensor'}`);
  }
};

/** Whether a file tensor fits its template leaf; records the problem if not. @internal */
const matches = (name: string, found: Tensor, want: Tensor, problems: string[]): boolean => {
  const ok = found.dtype === want.dtype && shapesEqual(found.shape, want.shape);
  if (!ok) problems.push(`${name}: the file has ${describe(found)}, the template wants ${describe(want)}`);
  return ok;
};

/** One parameter as stored, or the template's leaf after recording why not. @internal */
const readParam = (path: string, want: Tensor, tensors: ReadonlyMap<string, Tensor>, problems: string[]): Tensor => {
  const name = `params/${path}`;
  const found = tensors.get(name);
  if (found === undefined) problems.push(`${name}: missing from the file (the template wants ${describe(want)})`);
  return found && matches(name, found, want, problems) ? found : want;
};

/** One optimizer-state leaf: a tensor as stored, or a number read back from its float64 scalar. @internal */
const readStateLeaf = (path: string, want: StateLeaf, tensors: ReadonlyMap<string, Tensor>, numbers: ReadonlySet<string>, problems: string[]): StateLeaf => {
  const name = `opt/${path}`;
  const found = tensors.get(name);
  const wantText = typeof want === 'number' ? 'a number' : describe(want);
  if (found === undefined) {
    problems.push(`${name}: missing from the file (the template wants ${wantText})`);
    return want;
  }
  const isNumber = numbers.has(path);
  if (typeof want === 'number' || isNumber) {
    if (typeof want === 'number' && isNumber) return found.item();
    problems.push(`${name}: the file has ${isNumber ? 'a number' : describe(found)}, the template wants ${wantText}`);
    return want;
  }
  return matches(name, found, want, problems) ? found : want;
};
