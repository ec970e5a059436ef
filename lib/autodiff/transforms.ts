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
 * The signatures of `grad`: with `{ hasAux: true }`, `f` returns `[value, aux]` and
 * the result is `[grads, aux]`, as JAX's `grad(f, has_aux=True)`.
 */
export interface Grad {
  /** `f` returns `[value, aux]`; the differentiated function returns `[grads, aux]`. */
  <T, A extends unknown[], Aux>(f: (params: T, ...args: A) => readonly [Tensor, Aux], options: AuxOptions): (params: T, ...args: A) => [T, Aux];
  /** `f` returns the scalar value; the differentiated function returns the gradient. */
  <T, A extends unknown[]>(f: (params: T, ...args: A) => Tensor, options?: NoAuxOptions): (params: T, ...args: A) => T;
}

/**
 * The signatures of `valueAndGrad`: with `{ hasAux: true }`, `f` returns
 * `[value, aux]` and the result is `[[value, aux], grads]`, the shape of JAX's
 * `value_and_grad(f, has_aux=True)`.
 */
export interface ValueAndGrad {
  /** `f` returns `[value, aux]`; the differentiated function returns `[[value, aux], grads]`. */
  <T, A extends unknown[], Aux>(f: (params: T, ...args: A) => readonly [Tensor, Aux], options: AuxOptions): (params: T, ...args: A) => [[Tensor, Aux], T];
  /** `f` returns the scalar value; the differentiated function returns `[value, grads]`. */
  <T, A extends unknown[]>(f: (params: T, ...args: A) => Tensor, options?: NoAuxOptions): (params: T, ...args: A) => [Tensor, T];
}

/**
 * The gradient of a scalar-valued `f` with respect to its first argument, a parameter
 * tree; further arguments are passed through undifferentiated. The result has the
 * tree's structure. With `{ hasAux: true }`, `f` returns `[value, aux]` and the
 * result is `[grads, aux]`.
 *
 * @example
 * ```ts
 * const w = normal(key(0), [2, 3]);
 * const loss = (p: { w: Tensor }, x: Tensor) => sum(square(matmul(x, p.w)));
 * const g = grad(loss)({ w }, x);   // { w: Tensor }
 * ```
 */
export const grad: Grad = (<T, A extends unknown[]>(f: (params: T, ...args: A) => unknown, options: GradOptions = {}) => {
  const run = differentiate('grad', f, options);
  return (params: T, ...args: A) => {
    const [value, grads] = run(params, ...args);
    return value.aux === NO_AUX ? grads : [grads, value.aux];
  };
}) as Grad;

/**
 * Like `grad`, but also returns the value of `f`. With `{ hasAux: true }`, `f` returns
 * `[value, aux]` (anything: numbers, records, tensors) and the result is
 * `[[value, aux], grads]`, as in JAX; tensors in `aux` come back untraced, and only
 * `value` is differentiated.
 *
 * @example
 * ```ts
 * declare const lossFn: (p: { w: Tensor }, batch: { x: Tensor; y: Tensor }) => Tensor;
 * declare const model: (p: { w: Tensor }, x: Tensor) => Tensor;
 * const params = { w: zeros([2, 3]) }, batch = { x, y };
 * const [loss, g] = valueAndGrad(lossFn)(params, batch);
 * const [[loss2, { accuracy }], g2] = valueAndGrad((p: typeof params) => {
 *   const logits = model(p, batch.x);
 *   const hits = astype(equal(argmax(logits, -1), batch.y), 'float32');
 *   return [crossEntropy(logits, batch.y), { accuracy: mean(hits).item() }];
 * }, { hasAux: true })(params);
 * ```
 */
export const valueAndGrad: ValueAndGrad = (<T, A extends unknown[]>(f: (params: T, ...args: A) => unknown, options: GradOptions = {}) => {
  const run = differentiate('valueAndGrad', f, options);
  return (params: T, ...args: A) => {
    const [value, grads] = run(params, ...args);
    return value.aux === NO_AUX ? [value.value, grads] : [[value.value, value.aux], grads];
  };
}) as ValueAndGrad;

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
  // vjp already returns any output tree, so auxiliary data needs no flag; ignoring one would hide the mistake
  if (options.hasAux === true) throw new SeqgradError('vjp', 'options.hasAux is for grad and valueAndGrad; vjp returns any output tree, so return the extra data as part of it');
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
  /**
   * `grad` and `valueAndGrad` only: `f` returns `[value, aux]`, and `aux` (any value,
   * not differentiated) is returned beside the results, as JAX's `has_aux`.
   */
  readonly hasAux?: boolean;
}

/** Options of `grad` and `valueAndGrad` when `f` returns `[value, aux]`. */
export interface AuxOptions extends GradOptions {
  /** `f` returns `[value, aux]`. */
  readonly hasAux: true;
}

/** Options of `grad` and `valueAndGrad` when `f` returns the value alone. */
export interface NoAuxOptions extends GradOptions {
  /** `f` returns the value alone (the default). */
  readonly hasAux?: false;
}

/** Marks a result without auxiliary data (aux itself may be undefined). */
const NO_AUX: unique symbol = Symbol('no aux');

/** The value of `f` with its auxiliary data, or NO_AUX without `hasAux`. */
interface Outcome { readonly value: Tensor; readonly aux: unknown }

/** grad and valueAndGrad, with errors naming the one the caller used. */
const differentiate = <T, A extends unknown[]>(op: string, f: (params: T, ...args: A) => unknown, options: GradOptions) => {
  checkTransform(op, f, options);
  const hasAux = options.hasAux === true;
  return (params: T, ...args: A): [Outcome, T] => {
    const { traced, trace, out } = traceCall(op, (p: T) => f(p, ...args), params);
    const [raw, aux] = hasAux ? splitAux(op, out) : [out, NO_AUX];
    const [value, pullback] = pullAndRelease(op, options, traced, trace, raw);
    if (!(value instanceof Tensor) || value.size !== 1) {
      const got = value instanceof Tensor ? `shape ${showShape(value.shape)}` : showValue(value);
      throw new SeqgradError(op, `the function must return a one-element tensor (a scalar loss)${hasAux ? ' as the first of [value, aux]' : ''}, got ${got}; use vjp for other outputs`);
    }
    return [{ value, aux: aux === NO_AUX ? NO_AUX : releaseAux(aux, trace) }, pullback(onesLike(value), true)];
  };
};

/** The `[value, aux]` pair a `hasAux` function returns, refusing anything else. */
const splitAux = (op: string, out: unknown): [unknown, unknown] => {
  if (!Array.isArray(out) || out.length !== 2) {
    throw new SeqgradError(op, `with hasAux the function must return [value, aux], got ${out instanceof Tensor ? `a Tensor ${showShape(out.shape)}` : showValue(out)}`);
  }
  return [out[0], out[1]];
};

/**
 * `aux` with its tensors untraced, unless they depend on an enclosing trace (a nested
 * grad differentiates through them). Arrays and plain records are rebuilt; anything
 * else is returned as it is.
 */
const releaseAux = (aux: unknown, trace: object): unknown => {
  const tensors: Tensor[] = [];
  const visit = (v: unknown, f: (t: Tensor) => Tensor): unknown => {
    if (v instanceof Tensor) return f(v);
    if (Array.isArray(v)) return v.map((e) => visit(e, f));
    if (isPlainRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, visit(e, f)]));
    return v;
  };
  visit(aux, (t) => (tensors.push(t), t));
  if (tensors.length === 0 || reachesEnclosingTrace(tensors, trace)) return aux;
  return visit(aux, detach);
};

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const checkTransform = (op: string, f: unknown, options: GradOptions): void => {
  if (typeof f !== 'function') throw new SeqgradError(op, `argument f must be a function, got ${showValue(f)}`);
  if (typeof options !== 'object' || options === null) throw new SeqgradError(op, `options must be an object, got ${showValue(options)}`);
  if (options.hasAux !== undefined && typeof options.hasAux !== 'boolean') throw new SeqgradError(op, `options.hasAux must be a boolean, got ${showValue(options.hasAux)}`);
};

const traceAndPull = <T, Y>(f: (x: T) => Y, x: T, op: string, options: GradOptions): [Y, Pullback<Y, T>] => {
  const { traced, trace, out } = traceCall(op, f, x);
  return pullAndRelease(op, options, traced, trace, out);
};

/** Traces the tensor leaves of `x` under a fresh trace and runs `f` on them. */
const traceCall = <T, R>(op: string, f: (x: T) => R, x: T): { traced: T; trace: object; out: R } => {
  // a tree without tensors has nothing to differentiate; returning it unchanged hid the mistake
  if (flatten(x, op).length === 0) {
    throw new SeqgradError(op, `the differentiated argument holds no tensors (got ${showValue(x)}); pass a Tensor or a tree of tensors`);
  }
  const trace = {};
  const traced = mapTree(x, (leaf, path) => traceLeaf(op, leaf, path, trace), op);
  return { traced, trace, out: f(traced) };
};

/** A pullback; `once` says it runs a single time, so its pass may recycle what it allocated and does not return. */
type Pullback<Y, T> = (cotangent: Y, once?: boolean) => T;

/** The output of a traced call, untraced unless nested, and the pullback to the traced leaves. */
const pullAndRelease = <T, Y>(op: string, options: GradOptions, traced: T, trace: object, out: Y): [Y, Pullback<Y, T>] => {
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
 * declare const teacherOutput: Tensor;
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
