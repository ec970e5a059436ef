/**
 * The article's worked example, step by step: 2 input features over 3 steps, a hidden
 * state of 3, one sigmoid output, h_0 = 0, with PyTorch's parameters and inputs from
 * spec/fixtures/torch/article. The forward pass and the closed-form BPTT are written
 * here with plain numbers (no tensors, no tape), so they are an independent check of
 * the tape's gradients. With z_t the hidden pre-activation and o_t the output's:
 *
 *   δo_t = (y_t − ŷ_t) · y_t (1 − y_t)            (σ′(o_t) = y_t (1 − y_t))
 *   δh_t = W_hyᵀ δo_t + W_hhᵀ δz_{t+1},   δz_t = δh_t ⊙ (1 − h_t²)
 *   ∂L/∂W_hy = Σ δo_t h_tᵀ, ∂L/∂b_y = Σ δo_t, ∂L/∂W_xh = Σ δz_t x_tᵀ, ∂L/∂W_hh = Σ δz_t h_{t−1}ᵀ, ∂L/∂b_h = Σ δz_t
 *
 * The article as written drops σ′ (δo_t = y_t − ŷ_t) and multiplies the tanh
 * derivative of step t+1 in a second time; `article` computes exactly that, so the
 * printout shows both slips beside the right numbers.
 */
import { readFileSync } from 'node:fs';

type Matrix = number[][];
/** The five parameters, as row-major matrices (biases as one-column matrices). */
export type Grads = Record<'W_xh' | 'W_hh' | 'b_h' | 'W_hy' | 'b_y', Matrix>;

interface Stored { readonly shape: number[]; readonly data: number[] }
/** The PyTorch reference file's fields used here. */
export interface Fixture {
  readonly params: Record<keyof Grads, Stored>;
  readonly inputs: { readonly x: Stored; readonly target: Stored };
  readonly outputs: { readonly h: Stored; readonly y: Stored };
  readonly loss: number;
  readonly grads: Record<keyof Grads, Stored>;
}

/** The reference file, read from the repository. */
export const readFixture = (): Fixture =>
  JSON.parse(readFileSync(new URL('../../spec/fixtures/torch/article/worked_example_T3.json', import.meta.url), 'utf8')) as Fixture;

/** A stored tensor as rows (a vector becomes one column). */
export const rows = ({ shape, data }: Stored): Matrix => {
  const cols = shape.length === 1 ? 1 : shape[1]!;
  return Array.from({ length: data.length / cols }, (_, r) => data.slice(r * cols, (r + 1) * cols));
};

const matVec = (m: Matrix, v: readonly number[]): number[] => m.map((row) => row.reduce((s, w, j) => s + w * v[j]!, 0));
const transpose = (m: Matrix): Matrix => m[0]!.map((_, j) => m.map((row) => row[j]!));
const outer = (a: readonly number[], b: readonly number[]): Matrix => a.map((ai) => b.map((bj) => ai * bj));
const addInto = (acc: Matrix, m: Matrix): void => acc.forEach((row, i) => row.forEach((_, j) => (row[j]! += m[i]![j]!)));
const zerosLike = (m: Matrix): Matrix => m.map((row) => row.map(() => 0));

/** One step of the forward pass. */
export interface Step { readonly x: number[]; readonly h: number[]; readonly o: number; readonly y: number; readonly target: number }

/** The forward pass with plain numbers: every h_t, o_t, y_t, and the loss 1/2 Σ (y_t − ŷ_t)². */
export const forward = (f: Fixture): { steps: Step[]; loss: number } => {
  const P = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, rows(v)])) as Grads;
  const xs = rows(f.inputs.x);
  const targets = rows(f.inputs.target).map((r) => r[0]!);
  let h = [0, 0, 0];
  const steps = xs.map((x, t) => {
    const z = matVec(P.W_xh, x).map((v, i) => v + matVec(P.W_hh, h)[i]! + P.b_h[i]![0]!);
    h = z.map(Math.tanh);
    const o = matVec(P.W_hy, h)[0]! + P.b_y[0]![0]!;
    return { x, h, o, y: 1 / (1 + Math.exp(-o)), target: targets[t]! };
  });
  return { steps, loss: 0.5 * steps.reduce((s, st) => s + (st.y - st.target) ** 2, 0) };
};

/** BPTT in closed form; `article` reproduces the article's two slips. */
export const bptt = (f: Fixture, variant: 'correct' | 'article'): Grads => {
  const P = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, rows(v)])) as Grads;
  const { steps } = forward(f);
  const g: Grads = { W_xh: zerosLike(P.W_xh), W_hh: zerosLike(P.W_hh), b_h: zerosLike(P.b_h), W_hy: zerosLike(P.W_hy), b_y: zerosLike(P.b_y) };
  let dzNext = [0, 0, 0];
  for (let t = steps.length - 1; t >= 0; t--) {
    const { x, h, y, target } = steps[t]!;
    const dO = variant === 'correct' ? (y - target) * y * (1 - y) : y - target;
    const hPrev = t > 0 ? steps[t - 1]!.h : [0, 0, 0];
    // the article multiplies δz_{t+1} by (1 − h_{t+1}²) once more
    const carried = variant === 'correct' || t === steps.length - 1 ? dzNext : dzNext.map((d, i) => d * (1 - steps[t + 1]!.h[i]! ** 2));
    const dh = matVec(transpose(P.W_hy), [dO]).map((v, i) => v + matVec(transpose(P.W_hh), carried)[i]!);
    const dz = dh.map((d, i) => d * (1 - h[i]! ** 2));
    addInto(g.W_hy, outer([dO], h));
    addInto(g.b_y, [[dO]]);
    addInto(g.W_xh, outer(dz, x));
    addInto(g.W_hh, outer(dz, hPrev));
    addInto(g.b_h, dz.map((d) => [d]));
    dzNext = dz;
  }
  return g;
};

const fmt = (v: number): string => (v >= 0 ? ' ' : '') + v.toExponential(4);

/** The walk-through as lines: the forward steps, the loss, then each gradient four ways. */
export const describeWorked = (f: Fixture, tape: Grads): string[] => {
  const { steps, loss } = forward(f);
  const correct = bptt(f, 'correct');
  const article = bptt(f, 'article');
  const torch = Object.fromEntries(Object.entries(f.grads).map(([k, v]) => [k, rows(v)])) as Grads;
  const lines = ['The article\'s worked example (T = 3, input 2, hidden 3, sigmoid output, h_0 = 0):', ''];
  steps.forEach((s, t) => {
    lines.push(`t = ${t + 1}: x = [${s.x.map(fmt).join(',')}]  h = [${s.h.map(fmt).join(',')}]`);
    lines.push(`        o = ${fmt(s.o)}  y = sigmoid(o) = ${fmt(s.y)}  target = ${fmt(s.target)}  σ′(o) = y(1−y) = ${fmt(s.y * (1 - s.y))}`);
  });
  lines.push('', `loss = 1/2 Σ_t (y_t − target_t)² = ${loss.toFixed(12)} (PyTorch: ${f.loss.toFixed(12)})`, '');
  lines.push('gradients: tape | closed-form BPTT | PyTorch | the article as written (no σ′, tanh′ of t+1 twice)');
  for (const name of Object.keys(tape) as (keyof Grads)[]) {
    tape[name].forEach((row, i) => row.forEach((v, j) => {
      lines.push(`  ${`${name}[${i},${j}]`.padEnd(10)} ${fmt(v)} | ${fmt(correct[name][i]![j]!)} | ${fmt(torch[name][i]![j]!)} | ${fmt(article[name][i]![j]!)}`);
    }));
  }
  return lines;
};

/** The largest absolute difference between two sets of gradients. */
export const maxDiff = (a: Grads, b: Grads): number =>
  Math.max(...(Object.keys(a) as (keyof Grads)[]).flatMap((k) => a[k].flatMap((row, i) => row.map((v, j) => Math.abs(v - b[k][i]![j]!)))));
