/**
 * The names corpus as pure functions of the two name lists: lowercasing and
 * deduplication, the seeded split into training and validation (10% held out, as the
 * PyTorch anchor in bench/WORKLOADS.md), the character vocabulary, and batches of
 * `[bos, c1..cn]` inputs against `[c1..cn, eos]` targets (padding targets are -100,
 * which the loss ignores), grouped by length. It imports nothing of Node, so the browser
 * demo (examples/browser) trains on exactly what the Node example trains on; data.ts
 * reads the lists from their packages.
 */
import { buildVocab, bucketBatches, key, padBatch, splitData, splitKey, type Key, type Tensor, type Vocab } from '../../lib/index.js';

/** A training batch. */
export interface Batch {
  /** Inputs `[B, T]`: bos then the characters. */
  readonly ids: Tensor;
  /** Targets `[B, T]`: the characters then eos; -100 past each length. */
  readonly targets: Tensor;
  /** Each row's length (characters + 1), int32 `[B]`. */
  readonly lengths: Tensor;
}

/** The split names and their vocabulary. */
export interface NamesData {
  /** Training names. */
  readonly train: string[];
  /** Held-out names. */
  readonly validation: string[];
  /** The character vocabulary (of all names: only 27 characters occur). */
  readonly vocab: Vocab;
}

/** The two name lists, each lowercased and deduplicated. */
export interface NameLists {
  /** Female first names. */
  readonly female: string[];
  /** Male first names. */
  readonly male: string[];
}

/** A raw list lowercased, without repeats. */
export const normaliseList = (names: readonly string[]): string[] => [...new Set(names.map((n) => n.toLowerCase()))];

/** Both lists as one set of names, split by `seed`; `limit` keeps only that many (smoke tests). */
export const splitNames = (lists: NameLists, seed: number, limit?: number): NamesData => {
  const all = [...new Set([...lists.female, ...lists.male])].sort();
  const { train, validation } = splitData(key(seed), all, { validation: 0.1 });
  const cut = (xs: string[], n: number | undefined): string[] => (n === undefined ? xs : xs.slice(0, n));
  return { train: cut(train, limit), validation: cut(validation, limit === undefined ? undefined : Math.ceil(limit / 4)), vocab: buildVocab(all) };
};

/** One batch from names. */
export const toBatch = (vocab: Vocab, names: readonly string[]): Batch => {
  const encoded = names.map((n) => vocab.encode(n, { bos: true, eos: true }));
  const { ids, lengths } = padBatch(encoded.map((e) => e.slice(0, -1)));
  const { ids: targets } = padBatch(encoded.map((e) => e.slice(1)), { pad: -100 });
  return { ids, targets, lengths };
};

/** Length-bucketed, shuffled batches for each epoch, drawn from `shuffle`. */
export const trainBatches = (vocab: Vocab, names: readonly string[], batchSize: number, shuffle: Key, epochs: number) => {
  const keys = splitKey(shuffle, Math.max(1, epochs));
  return (epoch: number): Batch[] =>
    bucketBatches(keys[epoch % keys.length]!, names.map((n) => n.length), batchSize).map((rows) => toBatch(vocab, rows.map((i) => names[i]!)));
};

/** Validation batches: sorted by length, so each pads little; fixed order. */
export const evalBatches = (vocab: Vocab, names: readonly string[], batchSize = 256): Batch[] => {
  const sorted = [...names].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const out: Batch[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) out.push(toBatch(vocab, sorted.slice(i, i + batchSize)));
  return out;
};
