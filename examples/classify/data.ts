/**
 * The classification data: a first name and the list it appears in (female 0, male 1),
 * names listed in both dropped, split by seed 80/10/10 into train, validation and test.
 * The majority baseline predicts the training split's most common class.
 */
import { buildVocab, bucketBatches, key, padBatch, splitData, splitKey, tensor, type Key, type Tensor, type Vocab } from '../../lib/index.js';
import { loadLists, PACKAGES } from '../names/data.js';

export { PACKAGES };

/** Class names by label. */
export const CLASSES = ['female', 'male'] as const;

/** A labelled name. */
export interface Example {
  /** The lowercased name. */
  readonly name: string;
  /** 0 female, 1 male. */
  readonly label: number;
}

/** A batch: ids `[B, T]`, lengths `[B]` and labels `[B]`, all int32. */
export interface Batch {
  /** Character ids, padded with 0. */
  readonly ids: Tensor;
  /** Name lengths. */
  readonly lengths: Tensor;
  /** Class labels. */
  readonly labels: Tensor;
}

/** The split examples, the vocabulary and how many names both lists share. */
export interface ClassifyData {
  /** Training examples. */
  readonly train: Example[];
  /** Validation examples (model selection). */
  readonly validation: Example[];
  /** Test examples (the reported figures). */
  readonly test: Example[];
  /** Characters of every name. */
  readonly vocab: Vocab;
  /** Names dropped because both lists hold them. */
  readonly dropped: number;
}

/** Loads both lists, drops shared names, splits by `seed`; `limit` keeps a few (smoke tests). */
export const loadExamples = (seed: number, limit?: number): ClassifyData => {
  const { female, male } = loadLists();
  const maleSet = new Set(male);
  const both = new Set(female.filter((n) => maleSet.has(n)));
  const all = [...female.map((name) => ({ name, label: 0 })), ...male.map((name) => ({ name, label: 1 }))]
    .filter((e) => !both.has(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.label - b.label));
  const split = splitData(key(seed), all, { validation: 0.1, test: 0.1 });
  const cut = (xs: Example[], n: number | undefined): Example[] => (n === undefined ? xs : xs.slice(0, n));
  const small = limit === undefined ? undefined : Math.ceil(limit / 4);
  return { train: cut(split.train, limit), validation: cut(split.validation, small), test: cut(split.test, small), vocab: buildVocab(all.map((e) => e.name)), dropped: both.size };
};

/** One batch. */
export const toBatch = (vocab: Vocab, examples: readonly Example[]): Batch => {
  const { ids, lengths } = padBatch(examples.map((e) => vocab.encode(e.name)));
  return { ids, lengths, labels: tensor(examples.map((e) => e.label), { dtype: 'int32' }) };
};

/** Length-bucketed, shuffled batches per epoch. */
export const trainBatches = (vocab: Vocab, examples: readonly Example[], batchSize: number, shuffle: Key, epochs: number) => {
  const keys = splitKey(shuffle, Math.max(1, epochs));
  return (epoch: number): Batch[] =>
    bucketBatches(keys[epoch % keys.length]!, examples.map((e) => e.name.length), batchSize).map((rows) => toBatch(vocab, rows.map((i) => examples[i]!)));
};

/** Evaluation batches in a fixed order, sorted by length. */
export const evalBatches = (vocab: Vocab, examples: readonly Example[], batchSize = 256): Batch[] => {
  const sorted = [...examples].sort((a, b) => a.name.length - b.name.length);
  const out: Batch[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) out.push(toBatch(vocab, sorted.slice(i, i + batchSize)));
  return out;
};

/** The majority class of `examples` and its share of `scored`. */
export const majorityBaseline = (examples: readonly Example[], scored: readonly Example[]): { label: number; accuracy: number } => {
  const males = examples.filter((e) => e.label === 1).length;
  const label = males * 2 > examples.length ? 1 : 0;
  return { label, accuracy: scored.filter((e) => e.label === label).length / scored.length };
};
