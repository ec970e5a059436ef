/**
 * The seqgrad side of the workloads, written as a new user would write it from the
 * examples and docs: the public entry (`lib/index.js`), `valueAndGrad` for the loss and
 * its gradient, an optimizer's `update` and `applyUpdates`. Nothing here reaches into
 * seqgrad's internals, so the figures are what a user gets from the default
 * configuration. The input data are made here too and handed to the peers as the same
 * floats, so both sides train on identical batches.
 */
import {
  applyUpdates, key, normal, splitKey, tensor, uniform, valueAndGrad,
  type GradientTransformation, type Key, type Tensor,
} from '../../lib/index.js';

/** Sequence-classification inputs: features `[batch, seq, input]` and int32 labels `[batch]`. */
export interface ClassificationData {
  readonly x: Tensor;
  readonly labels: Tensor;
}

// ---------------------------------------------------------------------------
// data
// ---------------------------------------------------------------------------

/** Standard-normal features and uniformly drawn labels from a fixed seed. */
export const classificationData = (seed: number, batch: number, seq: number, input: number, classes: number): ClassificationData => {
  const [kx, ky] = splitKey(key(seed));
  return { x: normal(kx!, [batch, seq, input]), labels: randomIds(ky!, [batch], classes) };
};

/** Uniform integer ids in [0, n) as an int32 tensor. */
export const randomIds = (k: Key, shape: number[], n: number): Tensor =>
  tensor(Int32Array.from(uniform(k, shape).data, (u) => Math.min(n - 1, Math.floor(u * n))), { shape, dtype: 'int32' });

/** One-hot float32 rows `[...ids.shape, n]` of integer ids: input data, so built once, outside the step. */
export const oneHotData = (ids: Tensor, n: number): Tensor => {
  const out = new Float32Array(ids.size * n);
  ids.data.forEach((id, i) => { out[i * n + id] = 1; });
  return tensor(out, { shape: [...ids.shape, n] });
};

// ---------------------------------------------------------------------------
// training step
// ---------------------------------------------------------------------------

/**
 * A training loop's body as a closure over its state: loss and gradient by
 * `valueAndGrad`, the optimizer's update, the new parameters; returns the loss read
 * back with `item()`.
 *
 * @example
 * ```ts
 * const step = trainer((p) => crossEntropy(model(p, x), y), init, sgd({ lr: 0.01 }));
 * step(); // the loss before this step's update
 * ```
 */
export const trainer = <P, S>(loss: (params: P) => Tensor, init: P, optimizer: GradientTransformation<S>): (() => number) => {
  let params = init;
  let state = optimizer.init(params);
  const lossAndGrad = valueAndGrad(loss);
  return () => {
    const [value, grads] = lossAndGrad(params);
    const [updates, next] = optimizer.update(grads, state, params);
    params = applyUpdates(params, updates);
    state = next;
    return value.item();
  };
};

// ---------------------------------------------------------------------------
// backend
// ---------------------------------------------------------------------------

/**
 * The name of the kernel backend seqgrad chose (`wasm` or `js`). Looked up
 * dynamically because `backendName` is new in lib/kernels: without it, seqgrad has
 * only the TypeScript reference kernels.
 */
export const seqgradBackend = async (): Promise<string> => {
  const kernels: Record<string, unknown> = await import('../../lib/kernels/index.js');
  const name = kernels['backendName'];
  return typeof name === 'function' ? String(name()) : 'js';
};
