/**
 * Tuple-typed results: `splitKey` and `split` with a literal count, and a primitive's
 * inputs with a literal arity, come back as tuples of that length, so destructuring
 * needs no non-null assertion under noUncheckedIndexedAccess. The type assertions are
 * checked by tsc (part of `npm test`); the run-time ones check the lengths agree.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  definePrimitive, key, split, splitKey, tensor, type Key, type PrimitiveInputs, type Tensor, type Tuple,
} from '../../lib/index.js';

describe('Tuple', () => {
  it('is a tuple for a literal count and an array otherwise', () => {
    expectTypeOf<Tuple<Key, 3>>().toEqualTypeOf<[Key, Key, Key]>();
    expectTypeOf<Tuple<Key, 0>>().toEqualTypeOf<[]>();
    expectTypeOf<Tuple<Key, number>>().toEqualTypeOf<Key[]>();
    // a count no call can have (negative, fractional) or too long to spell out stays an array
    expectTypeOf<Tuple<Key, -1>>().toEqualTypeOf<Key[]>();
    expectTypeOf<Tuple<Key, 1.5>>().toEqualTypeOf<Key[]>();
    expectTypeOf<Tuple<Key, 100>>().toEqualTypeOf<Key[]>();
    expectTypeOf<Tuple<Key, 99>['length']>().toEqualTypeOf<99>();
  });
});

describe('splitKey', () => {
  it('types a literal count as a tuple of that many keys', () => {
    const three = splitKey(key(0), 3);
    expectTypeOf(three).toEqualTypeOf<[Key, Key, Key]>();
    expect(three).toHaveLength(3);
    const two = splitKey(key(0));
    expectTypeOf(two).toEqualTypeOf<[Key, Key]>();
    expect(two).toHaveLength(2);
  });

  it('types a count known only at run time as an array', () => {
    const n: number = 4;
    const keys = splitKey(key(0), n);
    expectTypeOf(keys).toEqualTypeOf<Key[]>();
    expect(keys).toHaveLength(4);
  });
});

describe('split', () => {
  const x = tensor([[1, 2, 3, 4, 5, 6]]);

  it('types a literal count as a tuple of that many tensors', () => {
    const parts = split(x, 3, -1);
    expectTypeOf(parts).toEqualTypeOf<[Tensor, Tensor, Tensor]>();
    const [a, b, c] = parts;
    expect([a.toArray(), b.toArray(), c.toArray()]).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
  });

  it('types a literal list of sizes by its length', () => {
    const [head, rest, ...none] = split(x, [1, 5], 1);
    expectTypeOf(head).toEqualTypeOf<Tensor>();
    expectTypeOf(none).toEqualTypeOf<[]>();
    expect([head.toArray(), rest.toArray()]).toEqual([[[1]], [[2, 3, 4, 5, 6]]]);
  });

  it('types sizes known only at run time as an array', () => {
    const sizes: number[] = [2, 4];
    const parts = split(x, sizes, 1);
    expectTypeOf(parts).toEqualTypeOf<Tensor[]>();
    expect(parts.map((p) => p.shape)).toEqual([[1, 2], [1, 4]]);
  });
});

describe('definePrimitive arity', () => {
  it('hands forward and VJP a tuple of the declared arity', () => {
    const difference = definePrimitive<void, 2>({
      name: 'difference',
      forward: ([a, b]) => {
        expectTypeOf(a).toEqualTypeOf<Tensor>();
        expectTypeOf(b).toEqualTypeOf<Tensor>();
        return tensor(Array.from(a.data, (v, i) => v - (b.data[i] ?? Number.NaN)));
      },
      vjp: (dy) => [dy, null],
    });
    expectTypeOf<Parameters<typeof difference>[0]>().toEqualTypeOf<PrimitiveInputs<2>>();
    expect(difference([tensor([5, 7]), tensor([2, 3])], undefined).toArray()).toEqual([3, 4]);
  });
});
