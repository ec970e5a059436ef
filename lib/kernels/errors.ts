/**
 * The error class of seqgrad, defined at the bottom layer so the kernels (which import
 * nothing of seqgrad) can raise it too; `lib/tensor/errors.ts` re-exports it with the
 * formatting helpers messages use.
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
