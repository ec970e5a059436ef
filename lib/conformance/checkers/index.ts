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
import { trainChecker } from './train.js';

/** Every known checker. */
export const CHECKERS: readonly Checker[] = [
  articleChecker,
  rnnChecker,
  cellChecker,
  lossChecker,
  optimChecker,
  trainChecker,
];
