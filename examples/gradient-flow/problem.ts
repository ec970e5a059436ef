/**
 * The adding problem (Hochreiter & Schmidhuber 1997): each step carries a random value
 * in [0, 1) and a marker; exactly two steps are marked, one in each half, and the target
 * is the sum of their values. Solving it means carrying information across ~T/2 steps,
 * which is what vanishing gradients forbid. Always predicting 1 scores MSE 1/6 (the
 * variance of a sum of two uniforms): the baseline a model must beat.
 */
import { tensor, uniform, type Key, type Tensor } from '../../lib/index.js';

/** A batch of adding problems: `x [n, steps, 2]` (value, marker) and `y [n, 1]`. */
export interface AddingBatch { readonly x: Tensor; readonly y: Tensor }

/** The mean squared error of always answering 1. */
export const BASELINE_MSE = 1 / 6;

/** `n` adding problems of `steps` steps, drawn from `k`. */
export const addingProblems = (k: Key, n: number, steps: number): AddingBatch => {
  const draws = uniform(k, [n, steps + 2]).data;
  const x = new Float32Array(n * steps * 2);
  const y = new Float32Array(n);
  const half = Math.floor(steps / 2);
  for (let b = 0; b < n; b++) {
    const row = draws.subarray(b * (steps + 2), (b + 1) * (steps + 2));
    // the last two draws of the row pick the marked positions, one in each half
    const marks = [Math.floor(row[steps]! * half), half + Math.floor(row[steps + 1]! * (steps - half))];
    for (let t = 0; t < steps; t++) x[(b * steps + t) * 2] = row[t]!;
    for (const t of marks) {
      x[(b * steps + t) * 2 + 1] = 1;
      y[b]! += row[t]!;
    }
  }
  return { x: tensor(x, { shape: [n, steps, 2] }), y: tensor(y, { shape: [n, 1] }) };
};
