/**
 * The article's worked example, trained: an Elman RNN with 2-d inputs, a hidden state
 * of 3 and one sigmoid output per step,
 *
 *   h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),   y_t = sigmoid(W_hy h_t + b_y),   h_0 = 0,
 *
 * with the article's loss L = 1/2 Σ_t (y_t - target_t)². The task needs memory: the
 * target at step t is 1 when x_t[0] + x_{t-1}[1] > 0, so the network must carry the
 * previous input in h. Gradients come from the tape (no hand-written BPTT); the update
 * is plain gradient descent so the example depends on nothing but the core.
 *
 * Run: npm run example   (or: npx tsx examples/article/main.ts [steps])
 */
import {
  add, grad, greater, key, matmul, mul, normal, pad, scan, sigmoid, slice, splitKey, square, sub, sum, tanh,
  uniform, zeros, zipTrees, type Key, type Tensor,
} from '../../lib/index.js';

interface Params {
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
  return { W_xh: u(a!, [HIDDEN, INPUT]), W_hh: u(b!, [HIDDEN, HIDDEN]), b_h: u(c!, [HIDDEN]), W_hy: u(d!, [1, HIDDEN]), b_y: u(e!, [1]) };
};

/** A batch of sequences and their targets: target_t = [x_t[0] + x_{t-1}[1] > 0]. */
const batch = (k: Key): { x: Tensor; target: Tensor } => {
  const x = normal(k, [BATCH, TIME, INPUT]);
  const now = slice(x, [0, 0, 0], [BATCH, TIME, 1]);
  const before = pad(slice(x, [0, 0, 1], [BATCH, TIME - 1, 1]), [[0, 0], [1, 0], [0, 0]]);
  return { x, target: greater(add(now, before), 0) };
};

/** The article's forward pass: one step of the recurrence per time step, via scan. */
const forward = (p: Params, x: Tensor): Tensor => {
  const step = (h: Tensor, xt: Tensor): [Tensor, Tensor] => {
    const hNext = tanh(add(add(matmul(xt, p.W_xh, { transposeB: true }), matmul(h, p.W_hh, { transposeB: true })), p.b_h));
    return [hNext, sigmoid(add(matmul(hNext, p.W_hy, { transposeB: true }), p.b_y))];
  };
  return scan(step, zeros([x.shape[0]!, HIDDEN]), x)[1];
};

/** L = 1/2 Σ_t (y_t - target_t)², averaged over the batch. */
const loss = (p: Params, x: Tensor, target: Tensor): Tensor => mul(sum(square(sub(forward(p, x), target))), 0.5 / BATCH);

/** The fraction of steps whose output falls on the target's side of 0.5. */
const accuracy = (p: Params, x: Tensor, target: Tensor): number => {
  const predicted = greater(forward(p, x), 0.5);
  const hits = sum(mul(predicted, target)).item() + sum(mul(sub(1, predicted), sub(1, target))).item();
  return hits / target.size;
};

const main = (): void => {
  const steps = Number(process.argv[2] ?? 300);
  const [initKey, dataKey, testKey] = splitKey(key(0), 3);
  let params = init(initKey!);
  const test = batch(testKey!);
  const dataKeys = splitKey(dataKey!, steps);
  console.log(`training the article's RNN (input ${INPUT}, hidden ${HIDDEN}, sigmoid output) for ${steps} steps`);
  for (let s = 0; s < steps; s++) {
    const { x, target } = batch(dataKeys[s]!);
    const g = grad(loss)(params, x, target);
    const learningRate = 0.5 / (1 + s / 50); // decays so the loss settles instead of bouncing
    params = zipTrees([params, g], ([p, d]) => sub(p!, mul(d!, learningRate)));
    if (s % 25 === 0 || s === steps - 1) {
      const l = loss(params, test.x, test.target).item();
      console.log(`step ${String(s).padStart(4)}  loss ${l.toFixed(4)}  accuracy ${(100 * accuracy(params, test.x, test.target)).toFixed(1)}%`);
    }
  }
};

main();
