/**
 * The article's worked example (`npm run example:article`), step by step and then
 * trained. First the exact example of the article: h_t, y_t and the loss at each of its
 * three steps, and every parameter's gradient four ways: from the tape (seqgrad's
 * grad), from the closed-form BPTT formulas (worked.ts, plain numbers), from PyTorch's
 * autograd (the reference file), and from the article's formulas as written, which
 * drop the sigmoid′ factor y(1−y) of the output gradient. Then the same network
 * trained on a task that needs memory (train.ts), against the best memoryless rule.
 * Writes metrics.json, model.safetensors, loss.svg and accuracy.svg into --out.
 *
 * Run: npm run example:article -- [--steps 300] [--out runs/article]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { add, matmul, mul, scan, sigmoid, square, sub, sum, tanh, tensor, valueAndGrad, zeros, type Tensor } from '../../lib/index.js';
import { saveModel } from '../../lib/io/node.js';
import { writeLossPlot, type EpochRecord, type History } from '../../lib/train/index.js';
import { writeBaselinePlot } from '../support/plots.js';
import { writeJson } from '../support/run.js';
import { trainArticle, type LogPoint } from './train.js';
import { bptt, describeWorked, maxDiff, readFixture, rows, type Fixture, type Grads } from './worked.js';

/** The tape's gradients of the worked example (float64, scan over the three steps). */
export const tapeGradients = (f: Fixture): { loss: number; grads: Grads } => {
  const t = (name: keyof Grads) => tensor(f.params[name].data, { shape: f.params[name].shape, dtype: 'float64' });
  const params = { W_xh: t('W_xh'), W_hh: t('W_hh'), b_h: t('b_h'), W_hy: t('W_hy'), b_y: t('b_y') };
  const x = tensor(f.inputs.x.data, { shape: [1, ...f.inputs.x.shape], dtype: 'float64' });
  const target = tensor(f.inputs.target.data, { shape: [1, ...f.inputs.target.shape], dtype: 'float64' });
  const lossOf = (p: typeof params): Tensor => {
    const step = (h: Tensor, xt: Tensor): [Tensor, Tensor] => {
      const next = tanh(add(add(matmul(xt, p.W_xh, { transposeB: true }), matmul(h, p.W_hh, { transposeB: true })), p.b_h));
      return [next, sigmoid(add(matmul(next, p.W_hy, { transposeB: true }), p.b_y))];
    };
    const y = scan(step, zeros([1, 3], { dtype: 'float64' }), x)[1];
    return mul(sum(square(sub(y, target))), 0.5);
  };
  const [loss, g] = valueAndGrad(lossOf)(params);
  const asRows = (v: Tensor): number[][] => rows({ shape: [...v.shape], data: Array.from(v.data) });
  return { loss: loss.item(), grads: { W_xh: asRows(g.W_xh), W_hh: asRows(g.W_hh), b_h: asRows(g.b_h), W_hy: asRows(g.W_hy), b_y: asRows(g.b_y) } };
};

/** Runs both parts, prints through `say`, writes the run folder; returns the metrics. */
export const runArticle = async (steps: number, out: string, say: (line: string) => void): Promise<Record<string, number>> => {
  const fixture = readFixture();
  const tape = tapeGradients(fixture);
  describeWorked(fixture, tape.grads).forEach(say);
  const torch = Object.fromEntries(Object.entries(fixture.grads).map(([k, v]) => [k, rows(v)])) as Grads;
  const diffs = { tapeVsTorch: maxDiff(tape.grads, torch), closedFormVsTorch: maxDiff(bptt(fixture, 'correct'), torch), articleVsTorch: maxDiff(bptt(fixture, 'article'), torch) };
  say(`\nlargest difference from PyTorch: tape ${diffs.tapeVsTorch.toExponential(1)}, closed form ${diffs.closedFormVsTorch.toExponential(1)}, the article's formulas ${diffs.articleVsTorch.toExponential(1)}\n`);
  say(`training the article's RNN (input 2, hidden 3, sigmoid output) for ${steps} steps`);
  const trained = trainArticle(steps, say);
  const last = trained.log[trained.log.length - 1]!;
  say(`test accuracy ${(100 * last.accuracy).toFixed(1)}% vs ${(100 * trained.baseline).toFixed(1)}% for the best memoryless rule [x_t[0] > 0]`);
  const metrics = { workedLoss: tape.loss, ...diffs, testLoss: last.testLoss, accuracy: last.accuracy, 'baseline.memoryless.accuracy': trained.baseline, steps };
  await writeJson(join(out, 'metrics.json'), { task: 'article', metrics, log: trained.log });
  await saveModel(join(out, 'model.safetensors'), { params: trained.params, config: { input: 2, hidden: 3, output: 1 } });
  await writeLossPlot(join(out, 'loss.svg'), historyOf(trained.log), { title: 'article RNN: loss' });
  await writeBaselinePlot(join(out, 'accuracy.svg'), epochsOf(trained.log), (e) => e.val?.['accuracy'], { name: 'memoryless [x_t[0] > 0]', value: trained.baseline }, { title: 'article RNN: test accuracy', y: 'accuracy' });
  return metrics;
};

/** Logged points as fit's history shape, so the shared loss plot draws them. */
const historyOf = (log: readonly LogPoint[]): History => ({
  steps: log.map((p) => ({ step: p.step, epoch: 1, batch: p.step - 1, loss: p.trainLoss, gradNorm: Number.NaN, metrics: {} })),
  epochs: epochsOf(log),
});
const epochsOf = (log: readonly LogPoint[]): EpochRecord[] =>
  log.map((p, i) => ({ epoch: i + 1, step: p.step, train: { loss: p.trainLoss }, val: { loss: p.testLoss, accuracy: p.accuracy } }));

const isMain = process.argv[1] !== undefined && /examples[\\/]article[\\/]main\.ts$/.test(process.argv[1]);
if (isMain) {
  const { values } = parseArgs({ options: { steps: { type: 'string', default: '300' }, out: { type: 'string', default: 'runs/article' } } });
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got ${values.steps}`);
  await runArticle(steps, values.out!, (line) => console.log(line));
  console.log(`run folder: ${values.out}`);
}
