/**
 * The registry of conformance checkers, tried in order; the first that accepts a file
 * recomputes it.
 *
 * @module
 */
import type { Checker } from '../types.js';
import { articleChecker } from './article.js';

/** Every known checker. */
export const CHECKERS: readonly Checker[] = [
  articleChecker,
];
