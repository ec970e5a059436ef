/**
 * Errors seqgrad throws. Every message names the operation first, then the argument
 * and the offending shapes or values, so a failure deep in a model reads in the
 * caller's terms.
 *
 * @module
 */

// defined beside the kernels, which raise it too and may import nothing of seqgrad
export { SeqgradError } from '../kernels/errors.js';

/**
 * Formats a shape the way error messages print it: `[2, 3]`. Total, like `showValue`
 * (which formats anything that is not an array), so building a message never throws.
 */
export const showShape = (shape: readonly number[]): string => (Array.isArray(shape) ? `[${shape.join(', ')}]` : showValue(shape));

/**
 * Formats any value the way error messages quote what the caller passed: strings in
 * quotes (so `'7'` does not read as the number 7), numbers as written (NaN and Infinity
 * too, which JSON would print as null), arrays element by element, and other objects by
 * their kind.
 *
 * @example
 * ```ts
 * showValue('7');          // '"7"'
 * showValue([NaN, 2]);     // '[NaN, 2]'
 * ```
 */
export const showValue = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length > 16 ? `an array of ${value.length} elements` : `[${value.map(showValue).join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const kind = (value as object).constructor?.name;
  return kind && kind !== 'Object' ? `a ${kind}` : 'an object';
};
