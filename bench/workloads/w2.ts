/**
 * W2: W1 with a GRU. Compared in tfjs's convention, reset-before (tfjs-layers' GRU
 * throws on `resetAfter: true`, and the tfjs-core version is written the same way);
 * seqgrad's default reset-after convention (PyTorch's) is timed as an extra row,
 * `seqgrad reset-after`, that no ratio uses.
 */
import type { Impl } from '../harness/types.js';
import { buildClassifier, type BuildOptions, type ClassifierSizes } from './classifier.js';

/** The benchmark's sizes. */
export const FULL: ClassifierSizes = { batch: 32, seq: 50, input: 64, hidden: 128, classes: 10 };

/** seqgrad (both conventions) and the peers for W2 at `sizes`. */
export const build = (sizes: ClassifierSizes, options: BuildOptions): Promise<Impl[]> => buildClassifier('W2', 'gru', sizes, options);
