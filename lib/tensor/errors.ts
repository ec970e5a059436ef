/**
 * Errors seqgrad throws. Every message names the operation first, then the argument
 * and the offending shapes or values, so a failure deep in a model reads in the
 * caller's terms.
 *
 * @module
 */

/** An error raised by a seqgrad operation; `op` names the operation that refused its input. */
export class SeqgradError extends Error {
  /** The operation (primitive, layer, file reader, ...) that raised the error. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'SeqgradError';
    this.op = op;
  }
}

/** Formats a shape the way error messages print it: `[2, 3]`. */
export const showShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
