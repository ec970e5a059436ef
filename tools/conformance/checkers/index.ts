/**
 * The registry of conformance checkers, tried in order; the first that accepts a file
 * recomputes it.
 *
 * @module
 */
import type { Checker } from '../types.js';
import { articleChecker } from './article.js';
import { cellChecker } from './cell.js';
import { lossChecker } from './loss.js';
import { optimChecker } from './optim.js';
import { rnnChecker } from './rnn.js';
import { seq2seqChecker } from './seq2seq.js';
import { trainChecker } from './train.js';

/** Every known checker. */
export const CHECKERS: readonly Checker[] = [
  articleChecker,
  seq2seqChecker,
  rnnChecker,
  cellChecker,
  lossChecker,
  optimChecker,
  trainChecker,
];
