/**
 * The shape check of a training history, shared by the plots and the terminal chart so
 * a wrong argument is named before any drawing starts.
 *
 * @module
 * @internal
 */
import { SeqgradError, showValue } from '../tensor/errors.js';
import type { History } from './types.js';

/** Refuses anything but `{ steps: [...], epochs: [...] }`, naming `op`. @internal */
export const checkHistory = (op: string, history: History): History => {
  if (!Array.isArray(history?.steps) || !Array.isArray(history?.epochs)) {
    throw new SeqgradError(op, `history must be { steps, epochs } (fit's result.history), got ${showValue(history)}`);
  }
  return history;
};
