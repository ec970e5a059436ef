/**
 * Decoding by search over any step-wise decoder: greedy decoding and beam search. A
 * decoder is just `step(state, tokens) => [state, logits]`, where every tensor of the
 * state tree has one row per hypothesis on axis 0, so the same search drives a
 * seq2seq model or a hand-built table of logits. Search runs outside any gradient
 * trace: it is inference, and reads numbers out of tensors to make its choices.
 *
 * Beam search keeps `width` live hypotheses; at each step it ranks every one-token
 * extension by total log-probability, sets aside extensions ending in the end token
 * that rank within the top `width`, and refills the live set with the best of the
 * rest. It stops when `width` hypotheses have ended or after `maxLength` tokens, when
 * the live ones join the result unfinished. Results are ranked by the normalised score
 * `logProb / length^alpha` (length counts generated tokens, the end token included).
 *
 * @module
 */
import { gather } from '../../ops/indexing.js';
import { argmax } from '../../ops/reduce.js';
import { logSoftmax } from '../../ops/softmax.js';
import { tensor } from '../../tensor/create.js';
import { SeqgradError, showShape, showValue } from '../../tensor/errors.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { mapTree } from '../../tree/index.js';
import { checkSize } from '../init.js';

/**
 * One step of a decoder: `tokens` (int32 `[n]`) are the previous tokens of `n`
 * hypotheses; returns the next state and the logits `[n, vocab]` of the next token.
 */
export type DecoderStep<S> = (state: S, tokens: Tensor) => readonly [S, Tensor];

/** Options shared by greedy decoding and beam search. */
export interface SearchOptions {
  /** The token fed at the first step. */
  readonly start: number;
  /** The token that ends a hypothesis. */
  readonly end: number;
  /** The most tokens to generate (the end token included). */
  readonly maxLength: number;
  /** Length-normalisation exponent: score = logProb / length^alpha (default 1; 0 ranks by raw log-probability). */
  readonly alpha?: number;
}

/** Options of beam search. */
export interface BeamOptions extends SearchOptions {
  /** How many hypotheses to keep at each step (and to return at most). */
  readonly width: number;
}

/** A decoded sequence. */
export interface Hypothesis {
  /** The generated tokens, the end token included when it was produced (the start token excluded). */
  readonly tokens: readonly number[];
  /** Total log-probability of the tokens. */
  readonly logProb: number;
  /** The normalised score `logProb / length^alpha`. */
  readonly score: number;
  /** True when the hypothesis ended in the end token, false when it stopped at `maxLength`. */
  readonly finished: boolean;
}

// ---------------------------------------------------------------------------
// searches
// ---------------------------------------------------------------------------

/**
 * Greedy decoding of a batch: at each step every unfinished row takes its most likely
 * token (the lowest id on ties). Returns one hypothesis per row of `state`.
 *
 * @example
 * ```ts
 * declare const step: DecoderStep<Tensor>, state: Tensor;   // a decoder's step and its state for a batch
 * const [best] = greedySearch(step, state, { start: 1, end: 2, maxLength: 20 });
 * best?.tokens; // e.g. [7, 4, 2]
 * ```
 */
export const greedySearch = <S>(step: DecoderStep<S>, state: S, options: SearchOptions, op = 'greedySearch'): Hypothesis[] => {
  const { start, end, maxLength, alpha = 1 } = checkSearch(op, step, options);
  const rows = batchOf(op, state);
  const tokens: number[][] = Array.from({ length: rows }, () => []);
  const logProbs = new Array<number>(rows).fill(0);
  const done = new Array<boolean>(rows).fill(false);
  let s = state;
  let fed = new Array<number>(rows).fill(start);
  for (let t = 0; t < maxLength && done.includes(false); t++) {
    const [next, logits] = step(s, tensor(fed, { dtype: 'int32' }));
    // picked from the log-probabilities beam search ranks, so ties break alike in both
    const logProbsT = logProbsOf(op, logits, rows, options);
    const lp = logProbsT.data;
    const vocab = lp.length / rows;
    const picks = argmax(logProbsT, -1).data;
    fed = fed.map((prev, b) => {
      if (done[b]) return end;
      const best = picks[b]!;
      tokens[b]!.push(best);
      logProbs[b]! += lp[b * vocab + best]!;
      done[b] = best === end;
      return best;
    });
    s = next;
  }
  return tokens.map((tk, b) => hypothesis(tk, logProbs[b]!, done[b]!, alpha));
};

/**
 * Beam search for one sequence (`state` has one row): returns up to `width`
 * hypotheses, best normalised score first.
 *
 * @example
 * ```ts
 * declare const step: DecoderStep<Tensor>, state: Tensor;
 * const hyps = beamSearch(step, state, { start: 1, end: 2, maxLength: 20, width: 4, alpha: 0.7 });
 * hyps[0]?.tokens; // the best sequence
 * ```
 */
export const beamSearch = <S>(step: DecoderStep<S>, state: S, options: BeamOptions, op = 'beamSearch'): Hypothesis[] => {
  const { start, end, maxLength, alpha = 1, width } = checkSearch(op, step, options);
  checkSize(op, 'width', width);
  const rows = batchOf(op, state);
  if (rows !== 1) throw new SeqgradError(op, `state must hold one sequence (one row on axis 0), got ${rows}`);
  let live: Beam[] = [{ tokens: [], logProb: 0 }];
  let s = state;
  const finished: Hypothesis[] = [];
  for (let t = 0; t < maxLength && live.length > 0 && finished.length < width; t++) {
    const fed = live.map((b) => b.tokens[b.tokens.length - 1] ?? start);
    const [next, logits] = step(s, tensor(fed, { dtype: 'int32' }));
    const ranked = rankExtensions(live, logProbsOf(op, logits, live.length, options).data, width);
    const kept: Candidate[] = [];
    ranked.forEach((c, rank) => {
      if (c.token === end) {
        if (rank < width) finished.push(hypothesis([...live[c.parent]!.tokens, end], c.logProb, true, alpha));
      } else if (kept.length < width) kept.push(c);
    });
    const parents = tensor(kept.map((c) => c.parent), { dtype: 'int32' });
    live = kept.map((c) => ({ tokens: [...live[c.parent]!.tokens, c.token], logProb: c.logProb }));
    s = kept.length > 0 ? mapTree(next, (x) => gather(x, parents, 0), op) : next;
  }
  if (finished.length < width) live.forEach((b) => finished.push(hypothesis(b.tokens, b.logProb, false, alpha)));
  return finished.sort((a, b) => b.score - a.score).slice(0, width);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

interface Beam { readonly tokens: readonly number[]; readonly logProb: number }
interface Candidate { readonly parent: number; readonly token: number; readonly logProb: number }

/** The best `2·width` one-token extensions of the live beams, best first (ties: earlier beam, lower id). */
const rankExtensions = (live: readonly Beam[], lp: ArrayLike<number>, width: number): Candidate[] => {
  const vocab = lp.length / live.length;
  // each beam has one end extension at most, so the best 2·width always hold width that go on
  const keep = 2 * width;
  const all: Candidate[] = [];
  live.forEach((beam, parent) => {
    // no beam can place more than `keep` extensions among the global best `keep`
    const ids = Array.from({ length: vocab }, (_, v) => v).sort((a, b) => lp[parent * vocab + b]! - lp[parent * vocab + a]! || a - b);
    for (const token of ids.slice(0, keep)) all.push({ parent, token, logProb: beam.logProb + lp[parent * vocab + token]! });
  });
  return all.sort((a, b) => b.logProb - a.logProb || a.parent - b.parent || a.token - b.token).slice(0, keep);
};

const hypothesis = (tokens: readonly number[], logProb: number, finished: boolean, alpha: number): Hypothesis => ({
  tokens,
  logProb,
  score: tokens.length === 0 ? logProb : logProb / tokens.length ** alpha,
  finished,
});

/** Log-probabilities of `logits [rows, vocab]`, as a flat array; the start and end tokens must lie in the vocabulary. */
const logProbsOf = (op: string, logits: Tensor, rows: number, tokens: SearchOptions): Tensor => {
  if (!isTensor(logits) || logits.rank !== 2 || logits.shape[0] !== rows) {
    throw new SeqgradError(op, `the decoder step must return logits [${rows}, vocab], got ${isTensor(logits) ? showShape(logits.shape) : String(logits)}`);
  }
  checkTokens(op, tokens, logits.shape[1]!);
  return logSoftmax(logits, -1);
};

const batchOf = (op: string, state: unknown): number => {
  let rows = -1;
  mapTree(state, (x, path) => {
    if (x.rank === 0 || (rows >= 0 && x.shape[0] !== rows)) {
      throw new SeqgradError(op, `every tensor of the state needs the same rows on axis 0; ${path} has shape ${showShape(x.shape)}`);
    }
    rows = x.shape[0]!;
    return x;
  }, op);
  if (rows < 0) throw new SeqgradError(op, 'the state holds no tensors (it needs one row per hypothesis on axis 0)');
  return rows;
};

/**
 * Checks that the start and end tokens are ids of a vocabulary of `vocab` tokens (an
 * end token outside it would never be produced, and the search would run to maxLength).
 *
 * @internal
 */
export const checkTokens = (op: string, { start, end }: SearchOptions, vocab: number): void => {
  for (const [name, id] of [['start', start], ['end', end]] as const) {
    if (id >= vocab) throw new SeqgradError(op, `${name} must be a token id in [0, ${vocab}) (the decoder's vocabulary), got ${id}`);
  }
};

const checkSearch = <O extends SearchOptions>(op: string, step: unknown, options: O): O => {
  if (typeof step !== 'function') throw new SeqgradError(op, `step must be a decoder step function (state, tokens) => [state, logits], got ${showValue(step)}`);
  const { start, end, maxLength, alpha = 1 } = options ?? ({} as O);
  if (!Number.isInteger(start) || start < 0) throw new SeqgradError(op, `start must be a token id (a non-negative integer), got ${start}`);
  if (!Number.isInteger(end) || end < 0) throw new SeqgradError(op, `end must be a token id (a non-negative integer), got ${end}`);
  checkSize(op, 'maxLength', maxLength);
  if (!Number.isFinite(alpha) || alpha < 0) throw new SeqgradError(op, `alpha must be a finite number >= 0, got ${alpha}`);
  return options;
};
