/**
 * Parameter trees: nested readonly records and arrays whose leaves are tensors. The
 * parameter tree is the model, so optimizers, checkpoints and `grad` all work on any
 * tree through these few functions. `null` and `undefined` are empty subtrees (an
 * absent bias, say) and pass through unchanged.
 *
 * @module
 */
import { SeqgradError, showValue } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import type { Tuple } from '../tensor/tuple.js';
import { walkTree } from './walk.js';

/** A tree of tensors: a tensor, an array of trees, a record of trees, or empty (null/undefined). */
export type Tree = Tensor | null | undefined | readonly Tree[] | { readonly [key: string]: Tree };

/** A leaf with its path, e.g. `layers[0].weight_ih`. */
export interface PathLeaf {
  /** Where the leaf sits, e.g. `layers[0].weight_ih`. */
  readonly path: string;
  /** The tensor. */
  readonly leaf: Tensor;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Maps every tensor leaf of `tree`, keeping its structure (and its static type).
 *
 * @example
 * ```ts
 * const params = { w: ones([2, 3]), b: zeros([3]) };
 * const halved = mapTree(params, (w) => mul(w, scalar(0.5)));
 * ```
 */
export const mapTree = <T>(tree: T, f: (leaf: Tensor, path: string) => Tensor, op = 'mapTree'): T =>
  walk(tree, '', op, f) as T;

/**
 * The signatures of `zipTrees`: a literal list of trees hands `f` a tuple of that many
 * leaves (so `([a, b]) => add(a, b)` needs no non-null assertions); any other array of
 * trees hands it an array.
 */
export interface ZipTrees {
  /** Zips a literal list of trees; `f` gets one leaf per tree as a tuple. */
  <const Ts extends readonly [unknown, ...unknown[]]>(trees: Ts, f: (leaves: Tuple<Tensor, Ts['length']>, path: string) => Tensor, op?: string): Ts[0];
  /** Zips an array of trees whose count is known only at run time; `f` gets an array of leaves. */
  <T>(trees: readonly T[], f: (leaves: Tensor[], path: string) => Tensor, op?: string): T;
}

/**
 * Maps matching leaves of several trees of the same structure. Leaves are matched by
 * path, not by position, so `{ a, b }` and `{ b, a }` zip key to key; a path present
 * in one tree and not in another is an error naming the path. The result has the
 * first tree's structure and key order.
 *
 * @example
 * ```ts
 * const p = { w: ones([2]) }, q = { w: ones([2]) };
 * const sum = zipTrees([p, q], ([a, b]) => add(a, b));
 * ```
 */
// The leaves array has one entry per tree, so it satisfies either signature's view of it.
export const zipTrees: ZipTrees = (<T>(trees: readonly T[], f: (leaves: Tensor[], path: string) => Tensor, op = 'zipTrees'): T => {
  if (!Array.isArray(trees) || trees.length === 0) throw new SeqgradError(op, `trees must be a non-empty array of trees, got ${showValue(trees)}`);
  if (typeof f !== 'function') throw new SeqgradError(op, `f must be a function, got ${showValue(f)}`);
  const flat = trees.map((t) => flatten(t, op));
  const byPath = flat.map((leaves) => new Map(leaves.map((l) => [l.path, l.leaf])));
  const first = byPath[0]!;
  byPath.forEach((paths, i) => {
    if (i === 0) return;
    const missing = [...first.keys()].find((p) => !paths.has(p));
    if (missing !== undefined) throw new SeqgradError(op, `tree ${i} has no leaf at ${missing}, which tree 0 has (${paths.size} leaves vs ${first.size})`);
    const extra = [...paths.keys()].find((p) => !first.has(p));
    if (extra !== undefined) throw new SeqgradError(op, `tree ${i} has a leaf at ${extra}, which tree 0 does not have (${paths.size} leaves vs ${first.size})`);
  });
  return mapTree(trees[0] as T, (_, path) => f(byPath.map((paths) => paths.get(path)!), path), op);
}) as ZipTrees;

/** The tensor leaves of `tree` in a fixed order (record keys in insertion order, arrays by index). */
export const leaves = (tree: unknown, op = 'leaves'): Tensor[] => flatten(tree, op).map((p) => p.leaf);

/** The tensor leaves of `tree` with their paths. */
export const flatten = (tree: unknown, op = 'flatten'): PathLeaf[] => {
  const out: PathLeaf[] = [];
  walk(tree, '', op, (leaf, path) => {
    out.push({ path, leaf });
    return leaf;
  });
  return out;
};

/** Rebuilds `template`'s structure with `values` as its leaves, in `leaves` order. */
export const unflatten = <T>(template: T, values: readonly Tensor[], op = 'unflatten'): T => {
  let k = 0;
  const out = mapTree(template, () => {
    const v = values[k++];
    if (v === undefined) throw new SeqgradError(op, `needs ${leaves(template).length} leaves, got ${values.length}`);
    return v;
  }, op);
  if (k !== values.length) throw new SeqgradError(op, `needs ${k} leaves, got ${values.length}`);
  return out;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const walk = (node: unknown, path: string, op: string, f: (leaf: Tensor, path: string) => Tensor): unknown =>
  walkTree(node, path, op, isTensor, f, ', not a Tensor; parameter trees hold only tensors, arrays, plain records and null');

export * from './state.js';
export { walkTree } from './walk.js';
