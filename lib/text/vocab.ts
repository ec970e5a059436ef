/**
 * A vocabulary: the map between tokens (characters or words) and the integer ids a
 * model embeds. Ids 0-3 are the specials pad, bos (begin), eos (end) and unk
 * (unknown), in that order, so padding is always id 0; the corpus's tokens follow in
 * code-point order, which makes the ids a pure function of the token set (the same
 * corpus gives the same ids on every machine, whatever order it was read in). A
 * vocabulary is plain data (`toJSON`/`vocabFromJson`), so it can be stored inside a
 * model file and a loaded model encodes text exactly as it did in training.
 *
 * @module
 */
import { SeqgradError, showValue } from '../tensor/errors.js';

/** Whether a text is split into characters or given as tokens. */
export type VocabKind = 'char' | 'token';

/** The four special tokens' strings, placed at ids 0-3. */
export const SPECIALS = ['<pad>', '<bos>', '<eos>', '<unk>'] as const;

/** A vocabulary as JSON: what `toJSON` writes and `vocabFromJson` reads. */
export interface VocabJson {
  /** `char` (a text is a string of characters) or `token` (an array of tokens). */
  readonly kind: VocabKind;
  /** Every token by id, the four specials first. */
  readonly tokens: readonly string[];
}

/** Options of `encode`. */
export interface EncodeOptions {
  /** Put the bos id first (default false). */
  readonly bos?: boolean;
  /** Put the eos id last (default false). */
  readonly eos?: boolean;
}

/** Options of `decode`. */
export interface DecodeOptions {
  /** Stop at the first eos (default true). */
  readonly stopAtEos?: boolean;
  /** Leave out pad, bos, eos and unk (default true); when kept they print as `<pad>` etc. */
  readonly skipSpecials?: boolean;
}

/** A vocabulary: token ↔ id, with the special ids. Build one with `buildVocab`. */
export interface Vocab {
  /** `char` or `token`. */
  readonly kind: VocabKind;
  /** Every token by id, specials first. */
  readonly tokens: readonly string[];
  /** Number of ids (specials included): the embedding's and output layer's size. */
  readonly size: number;
  /** The padding id (0). */
  readonly pad: number;
  /** The begin-of-sequence id (1). */
  readonly bos: number;
  /** The end-of-sequence id (2). */
  readonly eos: number;
  /** The unknown-token id (3): what tokens outside the vocabulary become. */
  readonly unk: number;
  /** The id of one token (unk when unknown). */
  readonly id: (token: string) => number;
  /** A text (a string for `char`, an array of tokens for `token`; a `token` string is split on whitespace) as ids. */
  readonly encode: (text: string | readonly string[], options?: EncodeOptions) => number[];
  /** The tokens of `ids`. */
  readonly decodeTokens: (ids: Iterable<number>, options?: DecodeOptions) => string[];
  /** The text of `ids`: characters joined, or tokens joined by spaces. */
  readonly decode: (ids: Iterable<number>, options?: DecodeOptions) => string;
  /** Plain data for storage beside a model. */
  readonly toJSON: () => VocabJson;
}

/** Options of `buildVocab`. */
export interface BuildVocabOptions {
  /** `char` (default) or `token`. */
  readonly kind?: VocabKind;
  /** Keep only tokens seen at least this often (default 1). */
  readonly minCount?: number;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * A vocabulary of every token in `texts` (each a string; for `token`, a string split
 * on whitespace or an array of tokens).
 *
 * @example
 * ```ts
 * const v = buildVocab(['anna', 'bob']);
 * v.encode('bob', { bos: true, eos: true }); // [1, 5, 6, 5, 2]: bos b o b eos
 * v.decode([5, 6, 5, 2, 0]);                // 'bob'
 * ```
 */
export const buildVocab = (texts: Iterable<string | readonly string[]>, options: BuildVocabOptions = {}): Vocab => {
  if (typeof (texts as Iterable<unknown>)?.[Symbol.iterator] !== 'function') {
    throw new SeqgradError('buildVocab', `texts must be an iterable of strings (or of token arrays), got ${showValue(texts)}`);
  }
  const kind = options.kind ?? 'char';
  const minCount = options.minCount ?? 1;
  if (kind !== 'char' && kind !== 'token') throw new SeqgradError('buildVocab', `kind must be 'char' or 'token', got ${String(kind)}`);
  if (!Number.isInteger(minCount) || minCount < 1) throw new SeqgradError('buildVocab', `minCount must be a positive integer, got ${minCount}`);
  if (typeof texts !== 'object' || texts === null || !(Symbol.iterator in texts)) throw new SeqgradError('buildVocab', `texts must be an iterable of strings or token arrays, got ${texts === null ? 'null' : typeof texts}`);
  const counts = new Map<string, number>();
  let row = 0;
  for (const text of texts) {
    for (const token of split('buildVocab', kind, text, `texts[${row}]`)) counts.set(token, (counts.get(token) ?? 0) + 1);
    row++;
  }
  const special = new Set<string>(SPECIALS);
  const kept = [...counts].filter(([t, n]) => n >= minCount && !special.has(t)).map(([t]) => t);
  // code-point order, not localeCompare: the ids must not depend on the machine's locale
  kept.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return makeVocab(kind, [...SPECIALS, ...kept]);
};

/**
 * The vocabulary stored by `toJSON`. Checks the kind, that the specials come first
 * and that no token repeats.
 *
 * @example
 * ```ts
 * const again = vocabFromJson(JSON.parse(JSON.stringify(vocab.toJSON())));
 * ```
 */
export const vocabFromJson = (json: unknown): Vocab => {
  const fail = (message: string): never => {
    throw new SeqgradError('vocabFromJson', message);
  };
  if (typeof json !== 'object' || json === null) return fail(`json must be { kind, tokens }, got ${json === null ? 'null' : typeof json}`);
  const { kind, tokens } = json as Record<string, unknown>;
  if (kind !== 'char' && kind !== 'token') fail(`kind must be 'char' or 'token', got ${JSON.stringify(kind)}`);
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) return fail('tokens must be an array of strings');
  SPECIALS.forEach((s, i) => {
    if (tokens[i] !== s) fail(`tokens[${i}] must be the special ${s}, got ${JSON.stringify(tokens[i])}`);
  });
  if (new Set(tokens).size !== tokens.length) fail('tokens repeat');
  return makeVocab(kind as VocabKind, tokens as string[]);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const split = (op: string, kind: VocabKind, text: string | readonly string[], name: string): readonly string[] => {
  if (typeof text === 'string') return kind === 'char' ? Array.from(text) : text.split(/\s+/).filter((t) => t.length > 0);
  if (Array.isArray(text) && text.every((t) => typeof t === 'string')) return text;
  throw new SeqgradError(op, `${name} must be a string or an array of strings, got ${typeof text}`);
};

const makeVocab = (kind: VocabKind, tokens: readonly string[]): Vocab => {
  const ids = new Map(tokens.map((t, i) => [t, i]));
  const id = (token: string): number => ids.get(token) ?? 3;
  const decodeTokens = (seq: Iterable<number>, options: DecodeOptions = {}): string[] => {
    const out: string[] = [];
    for (const i of seq) {
      if (!Number.isInteger(i) || i < 0 || i >= tokens.length) throw new SeqgradError('decode', `id ${i} is outside the vocabulary [0, ${tokens.length})`);
      if (i === 2 && options.stopAtEos !== false) break;
      if (i < SPECIALS.length && options.skipSpecials !== false) continue;
      out.push(tokens[i]!);
    }
    return out;
  };
  return {
    kind, tokens, size: tokens.length, pad: 0, bos: 1, eos: 2, unk: 3, id, decodeTokens,
    encode: (text, options = {}) => [
      ...(options.bos ? [1] : []),
      ...split('encode', kind, text, 'text').map(id),
      ...(options.eos ? [2] : []),
    ],
    decode: (seq, options) => decodeTokens(seq, options).join(kind === 'char' ? '' : ' '),
    toJSON: () => ({ kind, tokens: [...tokens] }),
  };
};
