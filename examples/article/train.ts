/**
 * The article's network trained on a task that needs memory: the target at step t is
 * 1 when x_t[0] + x_{t-1}[1] > 0, so the network must carry the previous input in h.
 * Gradients come from the tape; the update is plain gradient descent with a decaying
 * step, so this part depends on nothing but the core. The baseline is the best
 * memoryless rule, [x_t[0] > 0], scored on the same test batch.
 */
import {
  add, greater, key, matmul, mul, normal, pad, scan, sigmoid, slice, splitKey, square, sub, sum, tanh,
  uniform, valueAndGrad, zeros, zipTrees, equal, type Key, type Tensor,
} from '../../lib/index.js';

/** The article's parameters. */
export interface Params {
  readonly W_xh: Tensor;
  readonly W_hh: Tensor;
  readonly b_h: Tensor;
  readonly W_hy: Tensor;
  readonly b_y: Tensor;
}

const INPUT = 2;
const HIDDEN = 3;
const BATCH = 64;
const TIME = 8;

/** PyTorch's default initialisation: uniform(±1/sqrt(hidden)). */
const init = (k: Key): Params => {
  const bound = 1 / Math.sqrt(HIDDEN);
  const [a, b, c, d, e] = splitKey(k, 5);
  const u = (kk: Key, shape: number[]) => uniform(kk, shape, { low: -bound, high: bound });
  return { W_xh: u(a, [HIDDEN, INPUT]), W_hh: u(b, [HIDDEN, HIDDEN]), b_h: u(c, [HIDDEN]), W_hy: u(d, [1, HIDDEN]), b_y: u(e, [1]) };
};

/** A batch of sequences and their targets: target_t = [x_t[0] + x_{t-1}[1] > 0]. */
const batch = (k: Key): { x: Tensor; target: Tensor } => {
  const x = normal(k, [BATCH, TIME, INPUT]);
  const now = slice(x, [0, 0, 0], [BATCH, TIME, 1]);
  const before = pad(slice(x, [0, 0, 1], [BATCH, TIME - 1, 1]), [[0, 0], [1, 0], [0, 0]]);
  return { x, target: greater(add(now, before), 0) };
};

/** The article's forward pass: one step of the recurrence per time step, via scan. */
export const forward = (p: Params, x: Tensor): Tensor => {
  const step = (h: Tensor, xt: Tensor): [Tensor, Tensor] => {
    const hNext = tanh(add(add(matmul(xt, p.W_xh, { transposeB: true }), matmul(h, p.W_hh, { transposeB: true })), p.b_h));
    return [hNext, sigmoid(add(matmul(hNext, p.W_hy, { transposeB: true }), p.b_y))];
  };
  return scan(step, zeros([x.shape[0]!, HIDDEN]), x)[1];
};

/** L = 1/2 Σ_t (y_t - target_t)², averaged over the batch. */
export const loss = (p: Params, x: Tensor, target: Tensor): Tensor => mul(sum(square(sub(forward(p, x), target))), 0.5 / BATCH);

/** The fraction of steps whose output falls on the target's side of 0.5. */
const accuracy = (p: Params, x: Tensor, target: Tensor): number => {
  const predicted = greater(forward(p, x), 0.5);
  const hits = sum(mul(predicted, target)).item() + sum(mul(sub(1, predicted), sub(1, target))).item();
  return hits / target.size;
};

/** A logged point of training. */
export interface LogPoint { readonly step: number; readonly trainLoss: number; readonly testLoss: number; readonly accuracy: number }

/** What training returns. */
export interface Trained { readonly params: Params; readonly log: LogPoint[]; readonly baseline: number }

/** Trains for `steps` steps from key 0, logging every 25 steps (and the last) through `say`. */
export const trainArticle = (steps: number, say: (line: string) => void): Trained => {
  const [initKey, dataKey, testKey] = splitKey(key(0), 3);
  let params = init(initKey);
  const test = batch(testKey);
  const dataKeys = splitKey(dataKey, steps);
  const log: LogPoint[] = [];
  for (let s = 0; s < steps; s++) {
    const { x, target } = batch(dataKeys[s]!);
    const [l, g] = valueAndGrad(loss)(params, x, target);
    const learningRate = 0.5 / (1 + s / 50); // decays so the loss settles instead of bouncing
    params = zipTrees([params, g], ([p, d]) => sub(p, mul(d, learningRate)));
    if (s % 25 === 0 || s === steps - 1) {
      const point = { step: s + 1, trainLoss: l.item(), testLoss: loss(params, test.x, test.target).item(), accuracy: accuracy(params, test.x, test.target) };
      log.push(point);
      say(`step ${String(s + 1).padStart(4)}  loss ${point.testLoss.toFixed(4)}  accuracy ${(100 * point.accuracy).toFixed(1)}%`);
    }
  }
  return { params, log, baseline: memorylessAccuracy(test.x, test.target) };
};

/** Accuracy of the best rule that sees only x_t: [x_t[0] > 0]. */
const memorylessAccuracy = (x: Tensor, target: Tensor): number => {
  const guess = greater(slice(x, [0, 0, 0], [BATCH, TIME, 1]), 0);
  return sum(equal(guess, target)).item() / target.size;
};
