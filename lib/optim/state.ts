/**
 * Optimizer state as named tensors, for checkpoints. A state is plain data — nested
 * arrays and records of tensors and numbers (step counts) — so it flattens to a flat
 * record of tensors named by their dotted path (`1.mu.layers.0.weight_ih`), numbers
 * becoming float64 scalars, and rebuilds from such a record given a template state
 * from `init`, which fixes the structure, shapes and dtypes. Anything missing,
 * misshapen or left over is refused with an error naming the tensor, so a checkpoint
 * from another configuration cannot be loaded by accident.
 *
 * @module
 */
import { scalar } from '../tensor/create.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Flattens a state into tensors named by their path; numbers (step counts) become
 * float64 scalars. Tensors are shared, not copied.
 *
 * @example
 * ```ts
 * const opt = adam({ lr: 1e-3 });
 * const named = stateToTensors(opt.init({ w }));   // { '0.count': scalar, '0.mu.w': ..., '0.nu.w': ..., '1.count': scalar }
 * ```
 */
export const stateToTensors = (state: unknown): Record<string, Tensor> => {
  const out: Record<string, Tensor> = {};
  visit(state, [], 'stateToTensors', (name, leaf) => {
    if (name in out) throw new SeqgradError('stateToTensors', `two entries of the state are both named ${JSON.stringify(name)} (a key contains a dot?)`);
    out[name] = typeof leaf === 'number' ? scalar(leaf, { dtype: 'float64' }) : leaf;
    return leaf;
  });
  return out;
};

/**
 * Rebuilds a state from named tensors (as `stateToTensors` makes them), with the
 * structure, shapes and dtypes of `template` (a state from the same optimizer's
 * `init`).
 *
 * @throws SeqgradError naming the tensor when one is missing, has the wrong shape or
 * dtype, or is not part of the template.
 *
 * @example
 * ```ts
 * const state = stateFromTensors(opt.init(params), loadedTensors);
 * ```
 */
export const stateFromTensors = <S>(template: S, tensors: Readonly<Record<string, Tensor>>): S => {
  const op = 'stateFromTensors';
  const used = new Set<string>();
  const state = visit(template, [], op, (name, leaf) => {
    const t = tensors[name];
    if (!isTensor(t)) throw new SeqgradError(op, `missing tensor ${JSON.stringify(name)} (the template has ${describe(leaf)})`);
    used.add(name);
    if (typeof leaf === 'number') {
      if (t.size !== 1) throw new SeqgradError(op, `tensor ${JSON.stringify(name)} holds a number and must have one element, got shape ${showShape(t.shape)}`);
      return t.item();
    }
    if (t.dtype !== leaf.dtype || t.rank !== leaf.rank || t.shape.some((d, i) => d !== leaf.shape[i])) {
      throw new SeqgradError(op, `tensor ${JSON.stringify(name)} is ${describe(t)} but the template has ${describe(leaf)}`);
    }
    return t;
  });
  const extra = Object.keys(tensors).filter((k) => !used.has(k));
  if (extra.length > 0) throw new SeqgradError(op, `tensors not in the template's state: ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  return state as S;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

type StateLeaf = Tensor | number;

const describe = (leaf: StateLeaf): string => (typeof leaf === 'number' ? 'a number' : `${leaf.dtype} ${showShape(leaf.shape)}`);

/** Rebuilds `node` (frozen) with every tensor or number leaf replaced by `f(name, leaf)`. */
const visit = (node: unknown, path: readonly string[], op: string, f: (name: string, leaf: StateLeaf) => StateLeaf): unknown => {
  if (node === null || node === undefined) return node;
  if (isTensor(node) || typeof node === 'number') return f(path.length ? path.join('.') : 'state', node);
  if (Array.isArray(node)) return Object.freeze(node.map((child, i) => visit(child, [...path, String(i)], op, f)));
  if (typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(node)) out[k] = visit(child, [...path, k], op, f);
    return Object.freeze(out);
  }
  throw new SeqgradError(op, `the state holds a ${typeof node} at ${path.join('.') || '(root)'}; states hold only tensors, numbers, arrays and plain records`);
};
