/**
 * The WebAssembly elementwise kernels, reductions and argmax against the reference:
 * every opcode on random float32 data salted with NaN, ±Infinity, ±0, subnormals and
 * large magnitudes; lengths below the delegation threshold, at it and past it with
 * ragged vector tails; the broadcasting shapes the module handles (equal, scalar,
 * trailing block) and one it hands back (the general walk).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BinaryOpcode, UnaryOpcode } from '../../../lib/kernels/backend.js';
import { referenceKernels as ref } from '../../../lib/kernels/reference/index.js';
import { expectAllClose, freshWasm, randomF32 } from '../../support/kernels.js';

const UNARY: readonly UnaryOpcode[] = ['neg', 'exp', 'log', 'tanh', 'sigmoid', 'relu', 'sqrt', 'abs'];
const BINARY: readonly BinaryOpcode[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 1e-30, 88.7, 88.8, -87.5, -103, -110, 1e30, -1e30, 0.49, 0.51, 1, -1, 20];
const LENGTHS = [1, 5, 63, 64, 65, 67, 1000];

/** Random values over many magnitudes, with the special values mixed in. */
const salted = (size: number, seed: number): Float32Array => {
  const x = randomF32(size, seed, 1);
  const scales = randomF32(size, seed + 1, 6);
  for (let i = 0; i < size; i++) x[i] = x[i]! * Math.exp(scales[i]!);
  for (let i = 0; i < size; i += 3) x[i] = SPECIAL[(i / 3 + seed) % SPECIAL.length]!;
  return x;
};

describe('wasm unary', () => {
  const wasm = freshWasm();
  it.each(UNARY)('%s matches the reference (NaN, ±Infinity, subnormals, large values)', (op) => {
    for (const n of LENGTHS) {
      const x = salted(n, n);
      const got = new Float32Array(n);
      const want = new Float32Array(n);
      wasm.unary(op, x, got);
      ref.unary(op, x, want);
      expectAllClose(got, want, 1e-5, 1e-30, `${op} n=${n}`);
    }
  });

  it('exp, log, tanh and sigmoid stay within 1e-5 relative on arbitrary float32 inputs', () => {
    fc.assert(fc.property(fc.float32Array({ minLength: 64, maxLength: 200 }), fc.constantFrom(...UNARY), (x, op) => {
      const got = new Float32Array(x.length);
      const want = new Float32Array(x.length);
      wasm.unary(op, x, got);
      ref.unary(op, x, want);
      expectAllClose(got, want, 1e-5, 1e-37, op);
    }), { numRuns: 200 });
  });

  it('saturates tanh and sigmoid and keeps their signs', () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 1 : -1) * (i + 20));
    const t = new Float32Array(64);
    const s = new Float32Array(64);
    wasm.unary('tanh', x, t);
    wasm.unary('sigmoid', x, s);
    for (let i = 0; i < 64; i++) {
      expect(t[i]).toBe(Math.sign(x[i]!));
      if (x[i]! > 0) expect(s[i]).toBe(1);
      else expect(Math.abs(s[i]! / Math.exp(x[i]!) - 1)).toBeLessThan(1e-6);
    }
  });
});

describe('wasm binary', () => {
  const wasm = freshWasm();
  const shapes: readonly (readonly [number[], number[], number[]])[] = [
    [[100], [100], [100]],
    [[7, 13], [7, 13], [7, 13]],
    [[70], [1], [70]],
    [[1], [70], [70]],
    [[9, 11], [11], [9, 11]],
    [[2, 5, 7], [1, 7], [2, 5, 7]],
    [[13], [6, 13], [6, 13]],
    [[1, 1, 33], [4, 2, 33], [4, 2, 33]],
    [[9, 1], [1, 11], [9, 11]],
    [[4, 1, 20], [4, 20], [4, 4, 20]],
    [[3], [3], [3]],
  ];
  it.each(BINARY)('%s matches the reference on every broadcasting shape', (op) => {
    shapes.forEach(([aDims, bDims, outDims], s) => {
      const size = (d: number[]): number => d.reduce((p, e) => p * e, 1);
      const a = salted(size(aDims), 3 * s + 1);
      const b = salted(size(bDims), 3 * s + 2);
      // equal values in places, so the comparisons see ties
      for (let i = 0; i < Math.min(a.length, b.length); i += 5) b[i] = a[i]!;
      const got = new Float32Array(size(outDims));
      const want = new Float32Array(size(outDims));
      wasm.binary(op, a, aDims, b, bDims, got, outDims);
      ref.binary(op, a, aDims, b, bDims, want, outDims);
      expectAllClose(got, want, 0, 0, `${op} ${aDims}·${bDims}`);
    });
  });
});

describe('wasm select, addInto, reduce, argmax', () => {
  const wasm = freshWasm();
  it('select matches the reference with full, scalar and broadcast operands and NaN conditions', () => {
    const n = 90;
    const cond = randomF32(n, 1).map((v, i) => (i % 3 === 0 ? 0 : i % 7 === 0 ? NaN : v));
    for (const [xn, yn] of [[n, n], [1, n], [n, 1], [1, 1]] as const) {
      const x = randomF32(xn, 2);
      const y = randomF32(yn, 3);
      const got = new Float32Array(n);
      const want = new Float32Array(n);
      wasm.select(cond, [n], x, [xn], y, [yn], got, [n]);
      ref.select(cond, [n], x, [xn], y, [yn], want, [n]);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    const got = new Float32Array(90);
    const want = new Float32Array(90);
    wasm.select(randomF32(9, 4), [9, 1], randomF32(10, 5), [1, 10], new Float32Array([2]), [1], got, [9, 10]);
    ref.select(randomF32(9, 4), [9, 1], randomF32(10, 5), [1, 10], new Float32Array([2]), [1], want, [9, 10]);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('addInto matches the reference', () => {
    for (const n of [...LENGTHS, 511, 512, 515, 4096]) {
      const x = salted(n, 9);
      const got = salted(n, 10);
      const want = Float32Array.from(got);
      wasm.addInto(got, x);
      ref.addInto(want, x);
      expectAllClose(got, want, 0, 0, `addInto n=${n}`);
    }
  });

  it('reduce (sum and max) matches the reference over contiguous and scattered axes, NaN included', () => {
    const dims = [3, 17, 5, 6];
    const x = randomF32(3 * 17 * 5 * 6, 21, 3);
    x[40] = NaN;
    const axesList = [[0], [1], [3], [2, 3], [1, 2], [0, 1, 2, 3], [0, 2], [1, 3]];
    for (const reducer of ['sum', 'max'] as const) {
      for (const axes of axesList) {
        const size = dims.reduce((p, d, i) => (axes.includes(i) ? p : p * d), 1);
        const got = new Float32Array(size);
        const want = new Float32Array(size);
        wasm.reduce(x, dims, axes, got, reducer);
        ref.reduce(x, dims, axes, want, reducer);
        expectAllClose(got, want, 1e-5, 1e-5, `${reducer} over ${axes}`);
      }
    }
  });

  it('argmax matches the reference: first on ties, NaN counts as largest', () => {
    const dims = [4, 30, 3];
    const x = randomF32(360, 8).map((v) => Math.round(v * 4));
    x[7 * 3 + 1] = NaN;
    for (const axis of [0, 1, 2]) {
      const size = 360 / dims[axis]!;
      const got = new Int32Array(size);
      const want = new Int32Array(size);
      wasm.argmax(x, dims, axis, got);
      ref.argmax(x, dims, axis, want);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});
