/**
 * Metrics for predicted sequences scored against references: Levenshtein edit
 * distance, the token error rate built on it (phoneme error rate when the tokens are
 * phonemes, the speech-recognition word error rate when they are words), exact match
 * and its complement, the sequence error rate (grapheme-to-phoneme's "word error
 * rate": a word is wrong unless its whole pronunciation is right). Every item may have
 * several correct references (a dictionary word with two pronunciations); a prediction
 * is scored against the closest one. They work on plain arrays and strings, off the
 * tape, since a metric is never differentiated.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';

/** A sequence of tokens: a string (its characters) or an array of tokens compared with `===`. */
export type TokenSequence<T = string> = string | readonly T[];

/** What `errorRate` returns: the rate and the counts it is made of. */
export interface ErrorRate {
  /** `errors / length` (0 when there are no reference tokens). */
  readonly rate: number;
  /** Σ edit distance to each item's closest reference. */
  readonly errors: number;
  /** Σ length of each item's closest reference. */
  readonly length: number;
}

// ---------------------------------------------------------------------------
// distances
// ---------------------------------------------------------------------------

/**
 * The Levenshtein distance: the fewest insertions, deletions and substitutions (each
 * costing 1) that turn `a` into `b`. O(|a|·|b|) time, O(|b|) memory.
 *
 * @example
 * ```ts
 * editDistance('kitten', 'sitting');            // 3
 * editDistance(['K', 'AE', 'T'], ['K', 'AA', 'T']); // 1
 * ```
 */
export const editDistance = <T>(a: TokenSequence<T>, b: TokenSequence<T>): number => {
  checkSequence('editDistance', 'a', a);
  checkSequence('editDistance', 'b', b);
  // one row of the dynamic-programming table: row[j] = distance(a[0..i), b[0..j))
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min(substitute, row[j]! + 1, next[j - 1]! + 1));
    }
    row = next;
  }
  return row[b.length]!;
};

/**
 * The reference closest to `prediction` by edit distance (the shorter one on ties, so
 * a rate never flatters itself with a longer denominator), with the distance.
 *
 * @example
 * ```ts
 * closestReference(['T', 'AH'], [['T', 'AH', 'M'], ['T', 'AA']]); // { index: 0, distance: 1 }
 * ```
 */
export const closestReference = <T>(prediction: TokenSequence<T>, references: readonly TokenSequence<T>[]): {
  /** Position of the closest reference in `references`. */
  readonly index: number;
  /** Its edit distance to `prediction`. */
  readonly distance: number;
} => {
  if (!Array.isArray(references) || references.length === 0) {
    throw new SeqgradError('closestReference', 'references must be a non-empty array of alternatives');
  }
  let best = { index: -1, distance: Infinity };
  references.forEach((r, index) => {
    const distance = editDistance(prediction, r);
    const better = distance < best.distance || (distance === best.distance && r.length < references[best.index]!.length);
    if (better) best = { index, distance };
  });
  return best;
};

// ---------------------------------------------------------------------------
// corpus rates
// ---------------------------------------------------------------------------

/**
 * The token error rate of a corpus: Σ edit distance to each item's closest reference
 * over Σ that reference's length. With phonemes as tokens this is the phoneme error
 * rate (PER); with words, speech recognition's word error rate. `references[i]` lists
 * the correct alternatives for `predictions[i]`.
 *
 * @example
 * ```ts
 * errorRate([['K', 'AE', 'T']], [[['K', 'AE', 'T', 'S'], ['K', 'AA', 'T']]]).rate; // 1/3
 * ```
 */
export const errorRate = <T>(predictions: readonly TokenSequence<T>[], references: readonly (readonly TokenSequence<T>[])[]): ErrorRate => {
  checkCorpus('errorRate', predictions, references);
  let errors = 0;
  let length = 0;
  predictions.forEach((p, i) => {
    const refs = references[i]!;
    const { index, distance } = closestReference(p, refs);
    errors += distance;
    length += refs[index]!.length;
  });
  return { rate: length === 0 ? 0 : errors / length, errors, length };
};

/**
 * The fraction of items whose prediction equals one of its references token for token.
 *
 * @example
 * ```ts
 * exactMatch(['ab', 'cd'], [['ab'], ['ce', 'cf']]); // 0.5
 * ```
 */
export const exactMatch = <T>(predictions: readonly TokenSequence<T>[], references: readonly (readonly TokenSequence<T>[])[]): number => {
  checkCorpus('exactMatch', predictions, references);
  if (predictions.length === 0) return 0;
  const hits = predictions.filter((p, i) => references[i]!.some((r) => sameTokens(p, r))).length;
  return hits / predictions.length;
};

/**
 * `1 - exactMatch`: the fraction of items with any error. In grapheme-to-phoneme work
 * this is the "word error rate": a word counts wrong unless its whole pronunciation
 * matches one listed for it.
 *
 * @example
 * ```ts
 * sequenceErrorRate([['HH', 'AY']], [[['HH', 'AY'], ['HH', 'EY']]]); // 0
 * ```
 */
export const sequenceErrorRate = <T>(predictions: readonly TokenSequence<T>[], references: readonly (readonly TokenSequence<T>[])[]): number =>
  (checkCorpus('sequenceErrorRate', predictions, references), predictions.length === 0 ? 0 : 1 - exactMatch(predictions, references));

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const sameTokens = <T>(a: TokenSequence<T>, b: TokenSequence<T>): boolean =>
  a.length === b.length && Array.from({ length: a.length }).every((_, i) => a[i] === b[i]);

const checkSequence = (op: string, name: string, s: unknown): void => {
  if (typeof s !== 'string' && !Array.isArray(s)) throw new SeqgradError(op, `${name} must be a string or an array of tokens, got ${s === null ? 'null' : typeof s}`);
};

const checkCorpus = (op: string, predictions: unknown, references: unknown): void => {
  if (!Array.isArray(predictions) || !Array.isArray(references)) throw new SeqgradError(op, 'predictions and references must be arrays');
  if (predictions.length !== references.length) {
    throw new SeqgradError(op, `predictions has ${predictions.length} items but references has ${references.length}`);
  }
  references.forEach((r: unknown, i) => {
    if (!Array.isArray(r) || r.length === 0) throw new SeqgradError(op, `references[${i}] must be a non-empty array of alternatives (wrap a single reference in [ ])`);
  });
};
