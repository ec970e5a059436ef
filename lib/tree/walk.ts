/**
 * The one walk over trees that mapTree, flatten and the state-tree functions share:
 * arrays, plain records and null/undefined are structure; the caller says what a leaf
 * is. Kept in its own file so lib/tree's modules import it without importing each other.
 *
 * @module
 * @internal
 */
import { SeqgradError } from '../tensor/errors.js';

/**
 * Walks a tree, calling `f` on each leaf that `isLeaf` accepts; arrays, plain records
 * and null/undefined are structure; anything else is an error naming its path, followed
 * by `expected`, which says what the caller's trees may hold.
 *
 * @internal
 */
export const walkTree = <L>(
  node: unknown, path: string, op: string,
  isLeaf: (node: unknown) => node is L, f: (leaf: L, path: string) => L, expected: string,
  ancestors: Set<unknown> | null = null,
): unknown => {
  if (node === null || node === undefined) return node;
  if (isLeaf(node)) return f(node, path || '(root)');
  const structure = Array.isArray(node) || isRecord(node);
  // made on the first structure node only: scan walks a bare tensor carry at every step
  if (structure && ancestors === null) return walkTree(node, path, op, isLeaf, f, expected, new Set());
  // a tree that contains itself would recurse until the stack overflows (a RangeError naming nothing)
  if (structure && ancestors!.has(node)) throw new SeqgradError(op, `the tree is cyclic: ${path || '(root)'} contains itself`);
  if (Array.isArray(node)) {
    ancestors!.add(node);
    const out = node.map((child, i) => walkTree(child, `${path}[${i}]`, op, isLeaf, f, expected, ancestors));
    ancestors!.delete(node);
    return out;
  }
  if (isRecord(node)) {
    ancestors!.add(node);
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(node)) {
      // defineProperty, not assignment: a key named __proto__ (say, from a parsed file) stays an own key
      const value = walkTree(child, path ? `${path}.${k}` : k, op, isLeaf, f, expected, ancestors);
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    ancestors!.delete(node);
    return out;
  }
  const kind = typeof node === 'object' ? (node as object).constructor?.name ?? 'object' : typeof node;
  throw new SeqgradError(op, `leaf at ${path || '(root)'} is a ${kind}${expected}`);
};

/** A plain record: made by a literal, JSON.parse or Object.create(null) (a dictionary without a prototype). */
const isRecord = (node: unknown): node is object => {
  if (typeof node !== 'object' || node === null) return false;
  const proto = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
};
