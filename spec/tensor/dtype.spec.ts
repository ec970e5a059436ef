/**
 * Element types: storage per dtype, and the rule that floating ops never promote
 * silently (mixed or integer dtypes are errors naming the op and the argument).
 */
import { describe, expect, it } from 'vitest';
import { allocate, commonFloatDType, dtypeOf, isFloat, SeqgradError } from '../../lib/index.js';

describe('dtypes', () => {
  it('allocate gives zero-filled storage of the right kind', () => {
    expect(allocate('float32', 3)).toEqual(new Float32Array(3));
    expect(allocate('float64', 2)).toBeInstanceOf(Float64Array);
    expect(allocate('int32', 1)).toBeInstanceOf(Int32Array);
  });

  it('dtypeOf reads the storage back', () => {
    expect(dtypeOf(new Float32Array(1))).toBe('float32');
    expect(dtypeOf(new Float64Array(1))).toBe('float64');
    expect(dtypeOf(new Int32Array(1))).toBe('int32');
  });

  it('isFloat is true for float32 and float64 only', () => {
    expect(isFloat('float32')).toBe(true);
    expect(isFloat('float64')).toBe(true);
    expect(isFloat('int32')).toBe(false);
  });

  it('commonFloatDType accepts one floating dtype', () => {
    expect(commonFloatDType('add', ['float64', 'float64'])).toBe('float64');
    expect(commonFloatDType('exp', ['float32'])).toBe('float32');
  });

  it('commonFloatDType refuses mixing or integers, naming the op and the argument', () => {
    expect(() => commonFloatDType('add', ['float32', 'float64'])).toThrow(SeqgradError);
    expect(() => commonFloatDType('add', ['float32', 'float64'])).toThrow('add: dtypes differ: argument 0 is float32, argument 1 is float64; cast one with astype()');
    expect(() => commonFloatDType('exp', ['int32'])).toThrow('exp: argument 0 has dtype int32; a floating dtype (float32 or float64) is required');
    expect(() => commonFloatDType('mul', ['float64', 'int32'])).toThrow(/^mul: argument 1 has dtype int32/);
  });
});
