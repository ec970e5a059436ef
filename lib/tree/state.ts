/**
 * State trees: like a parameter tree, but leaves may also be plain numbers (an
 * optimizer's step count, a schedule's position). Parameter trees refuse numbers,
 * rightly, so optimizer state is walked here, with exactly the same paths
 * (`mu.layers[0].w`), so that both groups of a checkpoint read alike.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { walkTree } from './walk.js';

/** A leaf of an optimizer-state tree: a tensor or a plain number. */
export type StateLeaf = Tensor | number;

/** A state leaf with its path. */
export interface StatePathLeaf {
  /** Where the leaf sits, in lib/tree's path syntax. */
  readonly path: string;
  /** The tensor or number. */
  readonly leaf: StateLeaf;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * The tensor and number leaves of a state tree with their paths, records in key order
 * and arrays by index (lib/tree's order). Any other leaf is an error naming its path.
 *
 * @example
 * ```ts
 * const w = zeros([2]);
 * flattenState({ count: 3, mu: { w } }); // [{ path: 'count', leaf: 3 }, { path: 'mu.w', leaf: w }]
 * ```
 */
export const flattenState = (tree: unknown, op = 'flattenState'): StatePathLeaf[] => {
  const out: StatePathLeaf[] = [];
  walk(tree, '', op, (leaf, path) => {
    out.push({ path, leaf });
    return leaf;
  });
  return out;
};

/** Rebuilds `template`'s structure with `values` as its leaves, in `flattenState` order. */
export const unflattenState = <T>(template: T, values: readonly StateLeaf[], op = 'unflattenState'): T => {
  let k = 0;
  const out = walk(template, '', op, () => {
    if (k >= values.length) throw new SeqgradError(op, `more leaves in the template than the ${values.length} values given`);
    return values[k++]!;
  });
  if (k !== values.length) throw new SeqgradError(op, `the template has ${k} leaves, got ${values.length} values`);
  return out as T;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const isStateLeaf = (node: unknown): node is StateLeaf => isTensor(node) || typeof node === 'number';

const walk = (node: unknown, path: string, op: string, f: (leaf: StateLeaf, path: string) => StateLeaf): unknown =>
  walkTree(node, path, op, isStateLeaf, f, '; optimizer state holds only tensors, numbers, arrays, plain records and null');
