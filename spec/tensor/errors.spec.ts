/**
 * SeqgradError: the op comes first in the message and as a property, so a failure deep
 * in a model reads in the caller's terms.
 */
import { describe, expect, it } from 'vitest';
import { SeqgradError, showShape } from '../../lib/index.js';

describe('SeqgradError', () => {
  it('is an Error whose message starts with the op', () => {
    const e = new SeqgradError('matmul', 'inner dimensions differ');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SeqgradError');
    expect(e.op).toBe('matmul');
    expect(e.message).toBe('matmul: inner dimensions differ');
  });

  it('showShape prints shapes as error messages do', () => {
    expect(showShape([2, 3])).toBe('[2, 3]');
    expect(showShape([])).toBe('[]');
  });
});
