/**
 * io-ts codecs for what seqgrad reads back from disk, chiefly checkpoint metadata, and
 * a reporter that folds io-ts decode errors into one sentence naming each bad field's
 * path, what was expected and what was found. Metadata is data from outside the
 * program (a file may be old, hand-edited or someone else's), so it is decoded, never
 * cast.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Key } from '../tensor/random.js';
import { SeqgradError, showValue } from '../tensor/errors.js';

/** A JSON value: what `JSON.parse` can return. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object, e.g. a model or training config. */
export type JsonObject = { readonly [key: string]: JsonValue };

// ---------------------------------------------------------------------------
// building blocks
// ---------------------------------------------------------------------------

const refine = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);

/** A non-negative safe integer (a step or epoch count). */
export const NonNegativeInteger = refine('a non-negative integer', (u): u is number => Number.isSafeInteger(u) && (u as number) >= 0);

/** An unsigned 32-bit integer. */
export const Uint32 = refine('an integer in [0, 2^32)', (u): u is number => Number.isInteger(u) && (u as number) >= 0 && (u as number) < 2 ** 32);

/** A PRNG key: a pair of unsigned 32-bit words. */
export const KeyCodec: t.Type<Key, Key, unknown> = refine(
  'a PRNG key [uint32, uint32]',
  (u): u is Key => Array.isArray(u) && u.length === 2 && u.every((w) => Uint32.is(w)),
);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time string with a zone, as `Date.prototype.toISOString` writes. */
export const IsoDate = refine('an ISO 8601 date-time', (u): u is string => typeof u === 'string' && ISO_DATE.test(u) && !Number.isNaN(Date.parse(u)));

/** Any JSON value (finite numbers only: JSON has no NaN or Infinity). */
export const Json: t.Type<JsonValue> = t.recursion('JSON value', () =>
  t.union([t.null, t.boolean, refine('a finite number', (u): u is number => Number.isFinite(u)), t.string, t.readonlyArray(Json), jsonRecord('JSON object')]),
);

/** A JSON object: a plain record of JSON values (not an array, null, Date or class instance). */
export const JsonObjectCodec: t.Type<JsonObject> = t.recursion('a JSON object', () => jsonRecord('a JSON object'));

/** A plain record of JSON values; io-ts's own record accepts any object, Dates included. @internal */
function jsonRecord(name: string): t.Type<JsonObject> {
  const inner = t.record(t.string, Json);
  const isPlain = (u: unknown): boolean =>
    typeof u === 'object' && u !== null && [Object.prototype, null].includes(Object.getPrototypeOf(u));
  return new t.Type<JsonObject>(name, (u): u is JsonObject => isPlain(u) && inner.is(u), (u, c) => (isPlain(u) ? inner.validate(u, c) : t.failure(u, c)), t.identity);
}

// ---------------------------------------------------------------------------
// checkpoint metadata
// ---------------------------------------------------------------------------

/**
 * Checkpoint metadata as decoded, stored as JSON in the safetensors `__metadata__`.
 * Tensor names are listed by group without the `params/` or `opt/` prefix.
 */
export interface CheckpointMeta {
  /** Always `seqgrad-checkpoint`: tells a checkpoint apart from other safetensors files. */
  readonly format: 'seqgrad-checkpoint';
  /** Format version, 1; a later format bumps it so old readers refuse rather than misread. */
  readonly version: 1;
  /** Optimizer steps taken when the checkpoint was made. */
  readonly step: number;
  /** Epochs completed when the checkpoint was made. */
  readonly epoch: number;
  /** The run's configuration. */
  readonly config: JsonObject;
  /** The PRNG key to resume from. */
  readonly key: Key;
  /** The optimizer's name. */
  readonly optimizer: string;
  /** When the checkpoint was made (ISO 8601). */
  readonly created: string;
  /** Tensor paths by group. */
  readonly tensors: {
    /** Paths of the parameter tensors (`params/<path>` in the file). */
    readonly params: readonly string[];
    /** Paths of the optimizer-state leaves (`opt/<path>` in the file). */
    readonly opt: readonly string[];
  };
  /** Optimizer-state paths whose leaves were plain numbers (stored as float64 scalars). */
  readonly numbers: readonly string[];
  /** CRC-32 of each tensor's stored bytes, by full tensor name (8 hex digits). */
  readonly checksums: { readonly [name: string]: string };
}

/** The codec of checkpoint metadata. */
export const CheckpointMetaCodec: t.Type<CheckpointMeta, CheckpointMeta, unknown> = t.readonly(
  t.type({
    format: t.literal('seqgrad-checkpoint'),
    version: t.literal(1),
    step: NonNegativeInteger,
    epoch: NonNegativeInteger,
    config: JsonObjectCodec,
    key: KeyCodec,
    optimizer: t.string,
    created: IsoDate,
    tensors: t.readonly(t.type({ params: t.readonlyArray(t.string), opt: t.readonlyArray(t.string) })),
    numbers: t.readonlyArray(t.string),
    checksums: t.record(t.string, refine('a CRC-32 as 8 hex digits', (u): u is string => typeof u === 'string' && /^[0-9a-f]{8}$/.test(u))),
  }),
  'checkpoint metadata (a JSON object)',
);

// ---------------------------------------------------------------------------
// reporting
// ---------------------------------------------------------------------------

/**
 * One readable message for io-ts decode errors: each failure as `path: expected X,
 * got Y`, joined by semicolons. Failures of a union's branches collapse to the union.
 *
 * @example
 * ```ts
 * const decoded = CheckpointMetaCodec.decode({ step: -1 });
 * if (decoded._tag === 'Left') formatDecodeErrors(decoded.left);   // "step: expected a non-negative integer, got -1; ..."
 * ```
 */
export const formatDecodeErrors = (errors: t.Errors): string => {
  if (!Array.isArray(errors)) throw new SeqgradError('formatDecodeErrors', `errors must be an array of io-ts validation errors, got ${showValue(errors)}`);
  const found = errors.map((error) => ({ path: pathOf(error.context), expected: expectedOf(error.context), actual: error.value }));
  // a failed union fails once per branch, at every depth; the deepest failure explains it
  const deepest = found.filter((f) => !found.some((g) => g.path !== f.path && (g.path.startsWith(`${f.path}.`) || g.path.startsWith(`${f.path}[`))));
  return [...new Set(deepest.map((f) => `${f.path || '(root)'}: expected ${f.expected}, got ${show(f.actual)}`))].join('; ');
};

/** True when a context entry is a union (possibly behind `t.recursion`), whose child entry is a branch index. @internal */
const isUnion = (entry: t.ContextEntry | undefined): boolean =>
  entry !== undefined && (entry.type instanceof t.UnionType || (entry.type instanceof t.RecursiveType && entry.type.type instanceof t.UnionType));

/** The field path of a decode context, e.g. `tensors.params[0]`, skipping union branch indices. @internal */
const pathOf = (context: t.Context): string => {
  let path = '';
  context.forEach((entry, i) => {
    const parent = context[i - 1];
    if (i === 0 || entry.key === '' || isUnion(parent)) return;
    const isIndex = /^\d+$/.test(entry.key) && (parent?.type instanceof t.ArrayType || parent?.type instanceof t.ReadonlyArrayType || parent?.type instanceof t.TupleType);
    path += isIndex ? `[${entry.key}]` : path ? `.${entry.key}` : entry.key;
  });
  return path;
};

/** What the failing codec wanted; a union's own name when the failure is one of its branches. @internal */
const expectedOf = (context: t.Context): string => {
  const n = context.length;
  const owner = isUnion(context[n - 2]) ? context[n - 2] : context[n - 1];
  return owner?.type.name ?? 'a value';
};

/**
 * Decodes `value` with `codec` or throws a SeqgradError from `op` whose message names
 * `what` (e.g. the file) and every bad field.
 */
export const decodeOrThrow = <A>(codec: t.Decoder<unknown, A>, value: unknown, op: string, what: string): A => {
  if (typeof codec?.decode !== 'function') throw new SeqgradError('decodeOrThrow', `codec must be an io-ts decoder, got ${showValue(codec)}`);
  return pipe(
    codec.decode(value),
    E.getOrElse<t.Errors, A>((errors) => {
      throw new SeqgradError(op, `${what}: ${formatDecodeErrors(errors)}`);
    }),
  );
};

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing (field missing)';
  if (typeof value === 'number' || typeof value === 'function') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
