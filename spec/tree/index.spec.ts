/**
 * Parameter trees: mapTree, zipTrees, leaves, flatten and unflatten over nested records
 * and arrays with null/undefined subtrees; leaf order and paths; random trees round-trip
 * through flatten/unflatten; anything that is not a tensor is refused by its path.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { add, flatten, leaves, mapTree, scalar, SeqgradError, tensor, unflatten, zipTrees, type Tensor } from '../../lib/index.js';

const t = (v: number): Tensor => scalar(v, { dtype: 'float64' });

const params = {
  embed: t(1),
  layers: [{ w: t(2), b: null }, { w: t(3), b: t(4) }],
  head: { w: t(5), extra: undefined },
};

/** Random trees of scalars: records (with keys that need no quoting) and arrays, with null and undefined subtrees. */
const treeArb: fc.Arbitrary<unknown> = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -9, max: 9 }).map(t),
    fc.constantFrom(null, undefined),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('w', 'b', 'gate', 'cell'), tie('tree'), { maxKeys: 3 }),
  ),
})).tree;

describe('leaves and flatten', () => {
  it('list tensors in key order and array order, with their paths, skipping empty subtrees', () => {
    expect(flatten(params).map((p) => [p.path, p.leaf.item()])).toEqual([
      ['embed', 1], ['layers[0].w', 2], ['layers[1].w', 3], ['layers[1].b', 4], ['head.w', 5],
    ]);
    expect(leaves(params).map((l) => l.item())).toEqual([1, 2, 3, 4, 5]);
  });

  it('a bare tensor is a tree of one leaf at (root); empty trees have none', () => {
    expect(flatten(t(7))).toEqual([{ path: '(root)', leaf: expect.anything() }]);
    expect(leaves(null)).toEqual([]);
    expect(leaves({ a: [], b: {} })).toEqual([]);
  });

  it('return the very tensors of the tree (no copies)', () => {
    expect(leaves(params)[0]).toBe(params.embed);
  });
});

describe('mapTree', () => {
  it('keeps the structure, passes null and undefined through, and gives each leaf its path', () => {
    const seen: string[] = [];
    const doubled = mapTree(params, (leaf, path) => {
      seen.push(path);
      return add(leaf, leaf);
    });
    expect(seen).toEqual(['embed', 'layers[0].w', 'layers[1].w', 'layers[1].b', 'head.w']);
    expect(doubled.layers[0]!.b).toBeNull();
    expect('extra' in doubled.head).toBe(true);
    expect(doubled.head.extra).toBeUndefined();
    expect(doubled.layers[1]!.b!.item()).toBe(8);
    expect(Array.isArray(doubled.layers)).toBe(true);
  });

  it('builds new containers and leaves the input tree alone', () => {
    const out = mapTree(params, (leaf) => leaf);
    expect(out).not.toBe(params);
    expect(out.layers).not.toBe(params.layers);
    expect(out.embed).toBe(params.embed);
    expect(params.layers[0]!.w.item()).toBe(2);
  });
});

describe('records', () => {
  it('include dictionaries without a prototype', () => {
    const dict = Object.assign(Object.create(null) as Record<string, Tensor>, { w: t(1), b: t(2) });
    expect(flatten(dict).map((p) => p.path)).toEqual(['w', 'b']);
    expect(mapTree(dict, (x) => add(x, x)).b.item()).toBe(4);
  });

  it('keep a key named __proto__ as an ordinary key', () => {
    // as JSON.parse('{"w": ..., "__proto__": ...}') makes it: an own, enumerable key
    const tree: Record<string, unknown> = { w: t(1) };
    Object.defineProperty(tree, '__proto__', { value: t(2), enumerable: true });
    expect(flatten(tree).map((p) => p.path).sort()).toEqual(['__proto__', 'w']);
    const out = mapTree(tree, (x) => add(x, x));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')!.value.item()).toBe(4);
  });
});

describe('unflatten', () => {
  it('inverts flatten on random trees', () => {
    fc.assert(fc.property(treeArb, (tree) => {
      const flat = leaves(tree);
      const rebuilt = unflatten(tree, flat);
      expect(rebuilt).toEqual(tree);
      expect(leaves(rebuilt)).toEqual(flat);
      // mapping with the identity is also the identity
      expect(mapTree(tree, (x) => x)).toEqual(tree);
    }), { numRuns: 200 });
  });

  it('puts new leaves in leaves order', () => {
    const rebuilt = unflatten(params, [t(10), t(20), t(30), t(40), t(50)]);
    expect(rebuilt.layers[1]!.w.item()).toBe(30);
    expect(rebuilt.head.w.item()).toBe(50);
    expect(rebuilt.layers[0]!.b).toBeNull();
  });

  it('refuses too few or too many leaves, naming both counts', () => {
    expect(() => unflatten(params, [t(1)])).toThrow(/^unflatten: needs 5 leaves, got 1/);
    expect(() => unflatten(params, [1, 2, 3, 4, 5, 6].map(t))).toThrow(/^unflatten: needs 5 leaves, got 6/);
  });
});

describe('zipTrees', () => {
  it('combines matching leaves of trees of the same structure', () => {
    const other = mapTree(params, (leaf) => scalar(leaf.item() * 10, { dtype: 'float64' }));
    const paths: string[] = [];
    const sum = zipTrees([params, other], ([a, b], path) => {
      paths.push(path);
      return add(a, b);
    });
    expect(leaves(sum).map((l) => l.item())).toEqual([11, 22, 33, 44, 55]);
    expect(paths).toEqual(['embed', 'layers[0].w', 'layers[1].w', 'layers[1].b', 'head.w']);
    expect(sum.layers[0]!.b).toBeNull();
  });

  it('refuses trees of different structure, naming the tree, the path and the leaf counts', () => {
    const fewer = { ...params, embed: null };
    expect(() => zipTrees([params, fewer], ([a]) => a)).toThrow(SeqgradError);
    expect(() => zipTrees([params, fewer], ([a]) => a)).toThrow(/^zipTrees: tree 1 has no leaf at embed, which tree 0 has \(4 leaves vs 5\)/);
    // same count, different places: the message names where they part, not only the counts (which agree here)
    expect(() => zipTrees<unknown>([{ a: t(1) }, { b: t(1) }], ([a]) => a!, 'adam')).toThrow(/^adam: tree 1 has no leaf at a/);
    expect(() => zipTrees<unknown>([{ a: t(1) }, { a: t(1), b: t(1) }], ([a]) => a!)).toThrow(/^zipTrees: tree 1 has a leaf at b, which tree 0 does not have/);
  });

  it('hands f a tuple of leaves for a literal list of trees, an array otherwise', () => {
    const three = zipTrees([{ a: t(1) }, { a: t(2) }, { a: t(4) }], (ls) => {
      expectTypeOf(ls).toEqualTypeOf<[Tensor, Tensor, Tensor]>();
      const [x, y, z] = ls;
      return add(add(x, y), z);
    });
    expect(three.a.item()).toBe(7);
    const trees: { a: Tensor }[] = [{ a: t(1) }, { a: t(2) }];
    const many = zipTrees(trees, (ls) => {
      expectTypeOf(ls).toEqualTypeOf<Tensor[]>();
      return ls.reduce((acc, l) => add(acc, l));
    });
    expect(many.a.item()).toBe(3);
  });

  it('matches leaves by path, not by key order', () => {
    const out = zipTrees<unknown>([{ a: t(1), b: t(2) }, { b: t(20), a: t(10) }], ([x, y]) => add(x!, y!)) as { a: Tensor; b: Tensor };
    expect(Object.keys(out)).toEqual(['a', 'b']);
    expect([out.a.item(), out.b.item()]).toEqual([11, 22]);
  });
});

describe('non-tensor leaves', () => {
  it('are refused with the path of the offending leaf and what it is', () => {
    expect(() => leaves({ layers: [{ w: t(1), b: 3 }] })).toThrow(SeqgradError);
    expect(() => leaves({ layers: [{ w: t(1), b: 3 }] })).toThrow(/^leaves: leaf at layers\[0\]\.b is a number, not a Tensor/);
    expect(() => flatten([t(1), 'x'])).toThrow(/^flatten: leaf at \[1\] is a string/);
    expect(() => mapTree({ w: new Float32Array(2) }, (x) => x)).toThrow(/^mapTree: leaf at w is a Float32Array/);
    expect(() => mapTree(new Map(), (x) => x)).toThrow(/leaf at \(root\) is a Map/);
    expect(() => unflatten({ a: { b: [true] } }, [])).toThrow(/^unflatten: leaf at a\.b\[0\] is a boolean/);
  });

  it('are refused in the name of the caller when it passes one', () => {
    expect(() => mapTree({ w: 1 }, (x) => x, 'sgd')).toThrow(/^sgd: leaf at w is a number/);
  });

  it('tensors inside class instances are not structure', () => {
    class Holder {
      w = tensor([1]);
    }
    expect(() => leaves({ h: new Holder() })).toThrow(/leaf at h is a Holder/);
  });
});
