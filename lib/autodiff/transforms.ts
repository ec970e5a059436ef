/**
 * The user-facing transformations: `grad`, `valueAndGrad` and `vjp` differentiate a
 * function of a parameter tree; `stopGradient` cuts the tape. Each call traces its
 * own leaves (a fresh token, no global state), runs the function, and runs one
 * backward pass whose cotangents live only in that pass.
 *
 * Nesting works: a `grad` inside another `grad` keeps its cotangents traced when its
 * graph reaches the enclosing trace's leaves, so grad-of-grad (Hessian-vector
 * products, say) differentiates through the inner backward pass.
 *
 * @module
 */
import { onesLike, zerosLike } from '../tensor/create.js';
import { recyclingAfter } from '../tensor/pool.js';
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { flatten, mapTree, walkTree, type PathLeaf } from '../tree/index.js';
import { detach } from './primitive.js';
import { backward, reachesEnclosingTrace } from './tape.js';

// ---------------------------------------------------------------------------
// transformations
// ---------------------------------------------------------------------------

/**
 * The gradient of a scalar-valued `f` with respect to its first argument, a parameter
 * tree; further arguments are passed through undifferentiated. The result has the
 * tree's structure.
 *
 * @example
 * ```ts
 * const loss = (p: { w: Tensor }, x: Tensor) => sum(square(matmul(x, p.w)));
 * const g = grad(loss)({ w }, x);   // { w: Tensor }
 * ```
 */
export const grad = <T, A extends unknown[]>(f: (params: T, ...args: A) => Tensor, options: GradOptions = {}) => {
  const run = differentiate('grad', f, options);
  return (params: T, ...args: A): T => run(params, ...args)[1];
};

/**
 * Like `grad`, but also returns the value of `f`.
 *
 * @example
 * ```ts
 * const [loss, g] = valueAndGrad(lossFn)(params, batch);
 * ```
 */
export const valueAndGrad = <T, A extends unknown[]>(f: (params: T, ...args: A) => Tensor, options: GradOptions = {}) =>
  differentiate('valueAndGrad', f, options);

/**
 * Runs `f` on `x` and returns its (untraced) outputs together with a pullback that maps
 * cotangents of the outputs (a tree of the same structure) to cotangents of `x`.
 *
 * @example
 * ```ts
 * const [y, pullback] = vjp((p) => ({ h: tanh(p.x) }), { x });
 * const { x: dx } = pullback({ h: ones([3]) });
 * ```
 */
export const vjp = <T, Y>(f: (x: T) => Y, x: T, options: GradOptions = {}): [Y, (cotangent: Y) => T] => {
  checkTransform('vjp', f, options);
  const [y, pullback] = traceAndPull(f, x, 'vjp', options);
  // the pullback may run any number of times, so its passes never recycle their arrays
  return [y, (cotangent: Y) => pullback(cotangent)];
};

/** Options of the transformations. */
export interface GradOptions {
  /**
   * Check every recorded tensor and every VJP result for NaN and ±Infinity, and throw
   * an error naming the op that first produced one from finite inputs — and, inside
   * `scan`, the time step (costs a pass over the data; off by default).
   */
  readonly checkNaN?: boolean;
}

/** grad and valueAndGrad, with errors naming the one the caller used. */
const differentiate = <T, A extends unknown[]>(op: string, f: (params: T, ...args: A) => Tensor, options: GradOptions) => {
  checkTransform(op, f, options);
  return (params: T, ...args: A): [Tensor, T] => {
    const [value, pullback] = traceAndPull((p: T) => f(p, ...args), params, op, options);
    if (!(value instanceof Tensor) || value.size !== 1) {
      const got = value instanceof Tensor ? `shape ${showShape(value.shape)}` : showValue(value);
      throw new SeqgradError(op, `the function must return a one-element tensor (a scalar loss), got ${got}; use vjp for other outputs`);
    }
    return [value, pullback(onesLike(value), true)];
  };
};

const checkTransform = (op: string, f: unknown, options: GradOptions): void => {
  if (typeof f !== 'function') throw new SeqgradError(op, `argument f must be a function, got ${showValue(f)}`);
  if (typeof options !== 'object' || options === null) throw new SeqgradError(op, `options must be an object, got ${showValue(options)}`);
};

const traceAndPull = <T, Y>(f: (x: T) => Y, x: T, op: string, options: GradOptions): [Y, (cotangent: Y, once?: boolean) => T] => {
  // a tree without tensors has nothing to differentiate; returning it unchanged hid the mistake
  if (flatten(x, op).length === 0) {
    throw new SeqgradError(op, `the differentiated argument holds no tensors (got ${showValue(x)}); pass a Tensor or a tree of tensors`);
  }
  const trace = {};
  const traced = mapTree(x, (leaf, path) => traceLeaf(op, leaf, path, trace), op);
  const out = f(traced);
  const outputs = outputLeaves(out, op);
  // Outputs stay traced only when they depend on an enclosing trace (a nested grad).
  const nested = reachesEnclosingTrace(outputs.map((o) => o.leaf), trace);
  const pullback = (cotangent: Y, once = false): T => {
    const seeds = matchCotangents(op, outputs, flatten(cotangent, op));
    const pass = (): Map<Tensor, Tensor> => backward(outputs.map((o) => o.leaf), seeds, trace, options.checkNaN ?? false);
    // a pass run once that builds no graph leaves nothing alive but its gradients: the
    // rest of what it allocated is reused by later allocations (tensor/pool.ts)
    const grads = once && !nested ? recyclingAfter(pass, (g) => [...g.values()].map((t) => t.data)) : pass();
    return mapTree(traced, (leaf) => grads.get(leaf) ?? zerosLike(leaf), op);
  };
  return [nested ? out : mapTree(out, detach, op), pullback];
};

/**
 * The same values with no gradient flowing back through them.
 *
 * @example
 * ```ts
 * const target = stopGradient(teacherOutput);
 * ```
 */
export const stopGradient = (x: Tensor): Tensor => {
  if (!(x instanceof Tensor)) throw new SeqgradError('stopGradient', `argument x must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  return detach(x);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const traceLeaf = (op: string, leaf: Tensor, path: string, trace: object): Tensor => {
  if (!isFloat(leaf.dtype)) {
    throw new SeqgradError(op, `leaf ${path} has dtype ${leaf.dtype}; only floating tensors can be differentiated (pass integer inputs as extra arguments)`);
  }
  const inputs = leaf.node === null ? [] : [leaf];
  return new Tensor(leaf.data, leaf.shape, { name: 'leaf', inputs, vjp: (dy) => [dy], trace });
};

/** The tensors of the function's output with their paths; anything else is named as the output's fault, not the parameters'. */
const outputLeaves = (out: unknown, op: string): PathLeaf[] => {
  const found: PathLeaf[] = [];
  const isLeaf = (node: unknown): node is Tensor => node instanceof Tensor;
  // walked under the name 'output' so a bad leaf reads as the output's; paths are then taken relative to it, as a cotangent's are
  const relative = (path: string): string => path.replace(/^output\.?/, '') || '(root)';
  walkTree(out, 'output', op, isLeaf, (leaf, path) => (found.push({ path: relative(path), leaf }), leaf), ', not a Tensor; the function must return a tensor or a tree of tensors');
  return found;
};

/**
 * One cotangent per output, matched by path rather than by position, so a cotangent
 * `{ b, a }` for an output `{ a, b }` still seeds `a` with its own value; a missing or
 * extra path, or a cotangent of another shape or dtype, is refused naming the path.
 */
const matchCotangents = (op: string, outputs: readonly PathLeaf[], seeds: readonly PathLeaf[]): Tensor[] => {
  const byPath = new Map(seeds.map((s) => [s.path, s.leaf]));
  const wanted = new Set(outputs.map((o) => o.path));
  const extra = seeds.find((s) => !wanted.has(s.path));
  if (extra !== undefined) throw new SeqgradError(op, `the cotangent has a leaf at ${extra.path}, which the output does not have`);
  return outputs.map(({ path, leaf: y }) => {
    const s = byPath.get(path);
    if (s === undefined) throw new SeqgradError(op, `the cotangent has no leaf at ${path} (the output there is ${y.dtype} ${showShape(y.shape)})`);
    if (!shapesEqual(s.shape, y.shape) || s.dtype !== y.dtype) {
      throw new SeqgradError(op, `the cotangent at ${path} is ${s.dtype} ${showShape(s.shape)} but the output there is ${y.dtype} ${showShape(y.shape)}`);
    }
    return s;
  });
};
