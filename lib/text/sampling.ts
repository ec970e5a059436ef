/**
 * Drawing tokens from a model's logits, and generating sequences from a language
 * model step by step. Sampling is not differentiated, so it reads the logits' numbers
 * directly (in float64) instead of recording ops: temperature scales the logits, top-k
 * keeps the k most likely tokens, top-p (nucleus) keeps the smallest set whose
 * probability reaches p, and one uniform number per row from the key picks a token by
 * the inverse of the renormalised distribution's cumulative sum.
 *
 * @module
 */
import { SeqgradError, showShape } from '../tensor/errors.js';
import { checkKey, splitKey, uniform, type Key } from '../tensor/random.js';
import { isTensor, Tensor } from '../tensor/tensor.js';

/** Options of `categorical`. */
export interface SamplingOptions {
  /** Divides the logits: below 1 sharpens, above 1 flattens; 0 takes the most likely token (default 1). */
  readonly temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  readonly topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p, in (0, 1] (default 1). */
  readonly topP?: number;
}

/** A language model as `generate` drives it: a carry for a batch, and one step from token ids to next-token logits. */
export interface LanguageModel<C> {
  /** The carry before the first token, for `batch` rows. */
  readonly init: (batch: number) => C;
  /** Feeds ids int32 `[batch]`; returns the next carry and logits `[batch, vocab]` for the following token. */
  readonly step: (carry: C, ids: Tensor) => readonly [C, Tensor];
}

/** Options of `generate`. */
export interface GenerateOptions extends SamplingOptions {
  /** Ids fed before sampling starts, e.g. `[vocab.bos]` (at least one). */
  readonly prompt: readonly number[];
  /** Tokens to sample at most, after the prompt. */
  readonly maxLength: number;
  /** Stop a row when it samples this id (it is not included in the output). */
  readonly endToken?: number;
  /** The key every draw is split from. */
  readonly key: Key;
  /** Sequences to generate in one batch (default 1). */
  readonly samples?: number;
}

// ---------------------------------------------------------------------------
// sampling
// ---------------------------------------------------------------------------

/**
 * One token id per row of `logits` `[..., vocab]`, drawn from softmax(logits / temperature)
 * restricted by `topK` and `topP`; returns int32 `[...]`.
 *
 * @example
 * ```ts
 * const next = categorical(key(0), logits, { temperature: 0.8, topK: 10 }); // logits [batch, V] -> [batch]
 * ```
 */
export const categorical = (key: Key, logits: Tensor, options: SamplingOptions = {}): Tensor => {
  checkKey('categorical', key);
  const { temperature = 1, topK, topP = 1 } = options;
  if (!isTensor(logits)) throw new SeqgradError('categorical', `argument logits must be a Tensor, got ${logits === null ? 'null' : typeof logits}`);
  if (logits.rank === 0 || logits.dtype === 'int32') throw new SeqgradError('categorical', `logits must be a floating tensor [..., vocab], got ${logits.dtype} ${showShape(logits.shape)}`);
  if (!(temperature >= 0 && Number.isFinite(temperature))) throw new SeqgradError('categorical', `temperature must be a finite number >= 0, got ${temperature}`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new SeqgradError('categorical', `topK must be a positive integer, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new SeqgradError('categorical', `topP must lie in (0, 1], got ${topP}`);
  const vocab = logits.shape[logits.rank - 1]!;
  const rows = logits.size / vocab;
  const u = uniform(key, [rows], { dtype: 'float64' }).data;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(logits.data.subarray(r * vocab, (r + 1) * vocab));
    // a NaN makes Math.max NaN: refuse rather than return an arbitrary token
    if (!Number.isFinite(Math.max(...row))) throw new SeqgradError('categorical', `row ${r} of logits has no finite maximum (a NaN, +Infinity or only -Infinity)`);
    out[r] = temperature === 0 ? argmaxOf(row) : drawRow(row, temperature, topK ?? vocab, topP, u[r]!);
  }
  return new Tensor(out, logits.shape.slice(0, -1));
};

/**
 * Generates sequences from a language model: feeds the prompt, then samples a token,
 * feeds it back, and repeats until every row has sampled `endToken` or `maxLength`
 * tokens. Returns each row's sampled ids (prompt and end token left out).
 *
 * @example
 * ```ts
 * declare const model: LanguageModel<Tensor>;   // a trained language model
 * const names = generate(model, { prompt: [vocab.bos], endToken: vocab.eos, maxLength: 20, temperature: 0.8, key: key(1), samples: 5 })
 *   .map((ids) => vocab.decode(ids));
 * ```
 */
export const generate = <C>(model: LanguageModel<C>, options: GenerateOptions): number[][] => {
  const { prompt, maxLength, endToken, samples = 1 } = options;
  if (typeof model?.init !== 'function' || typeof model?.step !== 'function') throw new SeqgradError('generate', 'model must be { init(batch), step(carry, ids) }');
  if (!Array.isArray(prompt) || prompt.length === 0 || !prompt.every(Number.isInteger)) throw new SeqgradError('generate', 'prompt must be a non-empty array of integer ids');
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new SeqgradError('generate', `maxLength must be a positive integer, got ${maxLength}`);
  if (!Number.isInteger(samples) || samples < 1) throw new SeqgradError('generate', `samples must be a positive integer, got ${samples}`);
  const keys = splitKey(checkKey('generate', options.key), maxLength);
  let carry = model.init(samples);
  let logits: Tensor | undefined;
  for (const id of prompt) [carry, logits] = model.step(carry, new Tensor(new Int32Array(samples).fill(id), [samples]));
  const out: number[][] = Array.from({ length: samples }, () => []);
  const done = new Array<boolean>(samples).fill(false);
  for (let t = 0; t < maxLength && !done.every(Boolean); t++) {
    const next = categorical(keys[t]!, logits!, options);
    next.data.forEach((id, b) => {
      if (done[b]) return;
      if (id === endToken) done[b] = true;
      else out[b]!.push(id);
    });
    if (t + 1 < maxLength) [carry, logits] = model.step(carry, next);
  }
  return out;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const argmaxOf = (row: readonly number[]): number => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);

/** One draw from a row of logits under temperature, top-k and top-p, with the uniform number `u`. */
const drawRow = (row: readonly number[], temperature: number, topK: number, topP: number, u: number): number => {
  const top = Math.max(...row);
  const weights = row.map((z) => Math.exp((z - top) / temperature));
  const order = weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const total = weights.reduce((s, w) => s + w, 0);
  const kept: number[] = [];
  let mass = 0;
  for (const i of order) {
    if (kept.length >= topK || (kept.length > 0 && mass >= topP * total)) break;
    kept.push(i);
    mass += weights[i]!;
  }
  let acc = 0;
  for (const i of kept) {
    acc += weights[i]!;
    if (u * mass < acc) return i;
  }
  return kept[kept.length - 1]!;
};
