/**
 * W1: one training step of an LSTM sequence classifier. LSTM(input 64, hidden 128)
 * over batch 32 × sequence 50, the last hidden state through dense 10, softmax
 * cross-entropy, SGD(0.01): forward, backward and update, loss read back.
 */
import type { Impl } from '../harness/types.js';
import { buildClassifier, type BuildOptions, type ClassifierSizes } from './classifier.js';

/** The benchmark's sizes. */
export const FULL: ClassifierSizes = { batch: 32, seq: 50, input: 64, hidden: 128, classes: 10 };

/** seqgrad and the peers for W1 at `sizes` (the smoke spec passes tiny ones). */
export const build = (sizes: ClassifierSizes, options: BuildOptions): Promise<Impl[]> => buildClassifier('W1', 'lstm', sizes, options);
