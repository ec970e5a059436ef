/**
 * Argument checks the byte and file functions share, so a wrong argument is refused
 * at the top of the function, in its own name, before any byte is read or written.
 *
 * @module
 * @internal
 */
import { SeqgradError, showValue } from '../tensor/errors.js';

/** Refuses anything but a Uint8Array, naming `op` and the argument. @internal */
export const expectBytes = (op: string, bytes: unknown, name = 'bytes'): Uint8Array => {
  if (!(bytes instanceof Uint8Array)) throw new SeqgradError(op, `${name} must be a Uint8Array, got ${showValue(bytes)}`);
  return bytes;
};

/** Refuses anything but a non-empty string, naming `op` and the argument (`what`: file or directory). @internal */
export const expectPath = (op: string, path: unknown, name = 'path', what: 'file' | 'directory' = 'file'): string => {
  if (typeof path !== 'string' || path === '') throw new SeqgradError(op, `${name} must be a ${what} path, got ${showValue(path)}`);
  return path;
};
