/**
 * Elementwise kernels against index arithmetic written in spec/support: every
 * broadcasting pair (each fast path and the general odometer), three operands, and
 * broadcastInto; inputs are never written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastInto, mapBinary, mapTernary, mapUnary } from '../../../lib/kernels/reference/elementwise.js';
import { broadcastPairArb, shapeArb } from '../../../lib/testing/index.js';
import { broadcastRead, unravel } from '../../support/reference.js';

const size = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** The NumPy broadcast of two shapes that are known to broadcast (a 0 extent against a 1 stays 0). */
const broadcastOf = (a: readonly number[], b: readonly number[]): number[] => {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    return x === 1 ? b[b.length - rank + i] ?? 1 : x;
  });
};
/** Distinct values 1, 2, 3, ... (offset by `from`), so a wrong read shows. */
const counting = (n: number, from: number): Float64Array => Float64Array.from({ length: n }, (_, i) => from + i + 1);

describe('mapUnary', () => {
  it('applies f to each element', () => {
    const out = new Float32Array(3);
    mapUnary(new Float32Array([1, 4, 9]), out, Math.sqrt);
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });
});

describe('mapBinary', () => {
  it('reads each operand at its broadcast index, on every path', () => {
    fc.assert(fc.property(broadcastPairArb({ maxRank: 4, maxDim: 3, minDim: 0 }), ([sa, sb]) => {
      const shape = broadcastOf(sa, sb);
      const a = counting(size(sa), 0);
      const b = counting(size(sb), 100);
      const before = [Array.from(a), Array.from(b)];
      const out = new Float64Array(size(shape));
      mapBinary(a, sa, b, sb, out, shape, (x, y) => x * 1000 + y);
      out.forEach((v, i) => {
        const idx = unravel(shape, i);
        expect(v).toBe(a[broadcastRead(sa, shape, idx)]! * 1000 + b[broadcastRead(sb, shape, idx)]!);
      });
      expect([Array.from(a), Array.from(b)]).toEqual(before);
    }), { numRuns: 300 });
  });

  it('takes the scalar fast paths on either side', () => {
    const out = new Float64Array(3);
    mapBinary(new Float64Array([1, 2, 3]), [3], new Float64Array([10]), [], out, [3], (x, y) => x - y);
    expect(Array.from(out)).toEqual([-9, -8, -7]);
    mapBinary(new Float64Array([10]), [1, 1], new Float64Array([1, 2, 3]), [3], out, [1, 3], (x, y) => x - y);
    expect(Array.from(out)).toEqual([9, 8, 7]);
  });

  it('takes the repeated-block path on either side (a bias row against a batch)', () => {
    const out = new Float64Array(6);
    const batch = new Float64Array([1, 2, 3, 4, 5, 6]);
    mapBinary(batch, [2, 3], new Float64Array([10, 20, 30]), [1, 3], out, [2, 3], (x, y) => x - y);
    expect(Array.from(out)).toEqual([-9, -18, -27, -6, -15, -24]);
    mapBinary(new Float64Array([10, 20, 30]), [3], batch, [2, 3], out, [2, 3], (x, y) => x - y);
    expect(Array.from(out)).toEqual([9, 18, 27, 6, 15, 24]);
    // a column [2, 1] does not repeat whole: the odometer reads it
    mapBinary(batch, [2, 3], new Float64Array([10, 20]), [2, 1], out, [2, 3], (x, y) => x - y);
    expect(Array.from(out)).toEqual([-9, -8, -7, -16, -15, -14]);
  });
});

describe('mapTernary and broadcastInto', () => {
  it('mapTernary broadcasts three operands', () => {
    fc.assert(fc.property(shapeArb({ maxRank: 3, maxDim: 3 }), fc.infiniteStream(fc.boolean()), (full, drops) => {
      // each operand keeps some axes of `full` and sets the others to 1
      const shapes = [0, 1, 2].map(() => full.map((d) => (drops.next().value ? 1 : d)));
      const [s0, s1, s2] = shapes as [number[], number[], number[]];
      const ops = [counting(size(s0), 0), counting(size(s1), 10), counting(size(s2), 20)] as const;
      const out = new Float64Array(size(full));
      mapTernary(ops, [s0, s1, s2], out, full, (x, y, z) => x * 10000 + y * 100 + z);
      out.forEach((v, i) => {
        const idx = unravel(full, i);
        const [x, y, z] = shapes.map((s, k) => ops[k]![broadcastRead(s, full, idx)]!);
        expect(v).toBe(x! * 10000 + y! * 100 + z!);
      });
    }), { numRuns: 100 });
  });

  it('broadcastInto repeats along broadcast axes', () => {
    const out = new Float32Array(6);
    broadcastInto(new Float32Array([1, 2]), [2, 1], out, [2, 3]);
    expect(Array.from(out)).toEqual([1, 1, 1, 2, 2, 2]);
    broadcastInto(new Float32Array([1, 2, 3]), [3], out, [2, 3]);
    expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3]);
    broadcastInto(new Float32Array([7]), [], out, [2, 3]);
    expect(Array.from(out)).toEqual([7, 7, 7, 7, 7, 7]);
  });
});
