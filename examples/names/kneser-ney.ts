/**
 * The baseline the names model must beat: a character 3-gram language model with
 * interpolated Kneser-Ney smoothing (Chen & Goodman 1998, one discount D for every
 * order). The highest order uses counts; the lower orders use continuation counts
 * (in how many distinct contexts a string follows), and the unigram level is
 * interpolated with the uniform distribution so that every token has probability > 0.
 * Each name is scored as its characters and the end token after two begin tokens.
 */

/** A fitted 3-gram model. */
export interface KneserNey {
  /** P(w | u v) for tokens u, v (context) and w. */
  readonly prob: (u: number, v: number, w: number) => number;
  /** The ids it predicts over (characters and the end token). */
  readonly outcomes: readonly number[];
}

const k2 = (a: number, b: number): string => `${a},${b}`;
const bump = (m: Map<string | number, number>, k: string | number, by = 1): void => void m.set(k, (m.get(k) ?? 0) + by);

/**
 * Fits the model on `names` (each the ids of its characters, without begin or end
 * tokens), with `bos` and `eos` the begin and end ids and discount `D`.
 */
export const fitKneserNey = (names: readonly (readonly number[])[], bos: number, eos: number, D = 0.75): KneserNey => {
  const trigrams = new Map<string, number>();
  for (const name of names) {
    const s = [bos, bos, ...name, eos];
    for (let i = 2; i < s.length; i++) bump(trigrams, `${s[i - 2]},${s[i - 1]},${s[i]}`);
  }
  const outcomes = [...new Set(names.flat()), eos].sort((a, b) => a - b);
  // order 3: c(uv·) and the number of distinct w after uv
  const ctx3 = new Map<string, number>();
  const types3 = new Map<string, number>();
  // order 2 (continuation): N1+(·vw), N1+(·v·), distinct w after v
  const cont2 = new Map<string, number>();
  for (const [key, n] of trigrams) {
    const [u, v, w] = key.split(',').map(Number) as [number, number, number];
    bump(ctx3, k2(u, v), n);
    bump(types3, k2(u, v));
    bump(cont2, k2(v, w));
  }
  const ctx2 = new Map<string | number, number>();
  const types2 = new Map<string | number, number>();
  const cont1 = new Map<string | number, number>();
  for (const [key, n] of cont2) {
    const [v, w] = key.split(',').map(Number) as [number, number];
    bump(ctx2, v, n);
    bump(types2, v);
    bump(cont1, w);
  }
  const total1 = [...cont1.values()].reduce((a, b) => a + b, 0);
  const p1 = (w: number): number => Math.max((cont1.get(w) ?? 0) - D, 0) / total1 + (D * cont1.size) / total1 / outcomes.length;
  const p2 = (v: number, w: number): number => {
    const c = ctx2.get(v) ?? 0;
    return c === 0 ? p1(w) : Math.max((cont2.get(k2(v, w)) ?? 0) - D, 0) / c + ((D * types2.get(v)!) / c) * p1(w);
  };
  const prob = (u: number, v: number, w: number): number => {
    const c = ctx3.get(k2(u, v)) ?? 0;
    return c === 0 ? p2(v, w) : Math.max((trigrams.get(`${u},${v},${w}`) ?? 0) - D, 0) / c + ((D * types3.get(k2(u, v))!) / c) * p2(v, w);
  };
  return { prob, outcomes };
};

/** Mean negative log-likelihood in nats per predicted token (characters and the end of each name). */
export const kneserNeyNll = (model: KneserNey, names: readonly (readonly number[])[], bos: number, eos: number): number => {
  let total = 0;
  let count = 0;
  for (const name of names) {
    const s = [bos, bos, ...name, eos];
    for (let i = 2; i < s.length; i++) {
      total -= Math.log(model.prob(s[i - 2]!, s[i - 1]!, s[i]!));
      count++;
    }
  }
  return total / count;
};
