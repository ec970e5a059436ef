/**
 * Parameter trees: nested readonly records and arrays whose leaves are tensors. The
 * parameter tree is the model, so optimizers, checkpoints and `grad` all work on any
 * tree through these few functions. `null` and `undefined` are empty subtrees (an
 * absent bias, say) and pass through unchanged.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
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
 * const halved = mapTree(params, (w) => mul(w, scalar(0.5)));
 * ```
 */
export const mapTree = <T>(tree: T, f: (leaf: Tensor, path: string) => Tensor, op = 'mapTree'): T =>
  walk(tree, '', op, f) as T;

/** Maps matching leaves of several trees of the same structure. */
export const zipTrees = <T>(trees: readonly T[], f: (leaves: Tensor[], path: string) => Tensor, op = 'zipTrees'): T => {
  const flat = trees.map((t) => flatten(t, op));
  const first = flat[0] ?? [];
  flat.forEach((leaves, i) => {
    const k = firstDifference(leaves, first);
    if (k >= 0) {
      const at = (l: PathLeaf | undefined): string => l?.path ?? 'nothing';
      throw new SeqgradError(op, `tree ${i} has a different structure from tree 0 (${leaves.length} leaves vs ${first.length} leaves): leaf ${k} is ${at(leaves[k])} there but ${at(first[k])} in tree 0`);
    }
  });
  let k = 0;
  return mapTree(trees[0] as T, (_, path) => {
    const out = f(flat.map((leaves) => leaves[k]!.leaf), path);
    k++;
    return out;
  }, op);
};

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

/** The first index at which two flattened trees hold different paths, or -1 when they match. */
const firstDifference = (a: readonly PathLeaf[], b: readonly PathLeaf[]): number => {
  for (let k = 0; k < Math.max(a.length, b.length); k++) if (a[k]?.path !== b[k]?.path) return k;
  return -1;
};

const walk = (node: unknown, path: string, op: string, f: (leaf: Tensor, path: string) => Tensor): unknown =>
  walkTree(node, path, op, isTensor, f, ', not a Tensor; parameter trees hold only tensors, arrays, plain records and null');

export * from './state.js';
export { walkTree } from './walk.js';
