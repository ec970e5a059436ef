// Elementwise maps by opcode over float32 buffers in linear memory. The opcode is
// dispatched once per call, outside the loop: each case calls an inlined loop with a
// constant opcode, so after inlining the optimizer folds the per-vector switch away.
// Opcode numbers are the order of the names in the JavaScript glue (opcodes.ts).

import { choose, loadv, maxNaN, minNaN, storev } from './lanes';
import { vexp, vlog, vsigmoid, vtanh } from './math';

@inline function unaryOp(op: i32, x: v128): v128 {
  switch (op) {
    case 0: return f32x4.neg(x);
    case 1: return vexp(x);
    case 2: return vlog(x);
    case 3: return vtanh(x);
    case 4: return vsigmoid(x);
    // relu keeps NaN, as the reference does
    case 5: return choose(v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.ne(x, x)), x, f32x4.splat(0));
    case 6: return f32x4.sqrt(x);
    default: return f32x4.abs(x);
  }
}

@inline function flag(mask: v128): v128 {
  return v128.and(mask, f32x4.splat(1.0));
}

@inline function binaryOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    // 4 (pow) has no vector form and stays with the reference
    case 5: return maxNaN(a, b);
    case 6: return minNaN(a, b);
    case 7: return flag(f32x4.eq(a, b));
    case 8: return flag(f32x4.ne(a, b));
    case 9: return flag(f32x4.lt(a, b));
    case 10: return flag(f32x4.le(a, b));
    case 11: return flag(f32x4.gt(a, b));
    default: return flag(f32x4.ge(a, b));
  }
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const count = min(4, n - i);
    const at = <usize>i << 2;
    storev(out + at, unaryOp(op, loadv(x + at, count)), count);
  }
}

/** out[i] = op(x[i]) for i < n. */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: unaryLoop(0, x, out, n); break;
    case 1: unaryLoop(1, x, out, n); break;
    case 2: unaryLoop(2, x, out, n); break;
    case 3: unaryLoop(3, x, out, n); break;
    case 4: unaryLoop(4, x, out, n); break;
    case 5: unaryLoop(5, x, out, n); break;
    case 6: unaryLoop(6, x, out, n); break;
    default: unaryLoop(7, x, out, n);
  }
}

/**
 * out = op(a, b) over `rows` rows of `cols`: an operand whose `step` is 0 repeats its
 * single row (a bias against a batch), and `cols` = 1 with step 0 is a scalar.
 */
@inline function binaryLoop(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize, rows: i32, cols: i32): void {
  if (cols == 1 && aStep == 0) {
    const x = v128.load32_splat(a);
    const n = rows * bStep;
    for (let i = 0; i < n; i += 4) {
      const count = min(4, n - i);
      const at = <usize>i << 2;
      storev(out + at, binaryOp(op, x, loadv(b + at, count)), count);
    }
  } else if (cols == 1 && bStep == 0) {
    const y = v128.load32_splat(b);
    const n = rows * aStep;
    for (let i = 0; i < n; i += 4) {
      const count = min(4, n - i);
      const at = <usize>i << 2;
      storev(out + at, binaryOp(op, loadv(a + at, count), y), count);
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const ar = a + (<usize>(r * aStep) << 2);
      const br = b + (<usize>(r * bStep) << 2);
      const or = out + (<usize>(r * cols) << 2);
      for (let j = 0; j < cols; j += 4) {
        const count = min(4, cols - j);
        const at = <usize>j << 2;
        storev(or + at, binaryOp(op, loadv(ar + at, count), loadv(br + at, count)), count);
      }
    }
  }
}

/** The binary map over rows (see binaryLoop); steps are in elements. */
export function binary(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize, rows: i32, cols: i32): void {
  switch (op) {
    case 0: binaryLoop(0, a, aStep, b, bStep, out, rows, cols); break;
    case 1: binaryLoop(1, a, aStep, b, bStep, out, rows, cols); break;
    case 2: binaryLoop(2, a, aStep, b, bStep, out, rows, cols); break;
    case 3: binaryLoop(3, a, aStep, b, bStep, out, rows, cols); break;
    case 5: binaryLoop(5, a, aStep, b, bStep, out, rows, cols); break;
    case 6: binaryLoop(6, a, aStep, b, bStep, out, rows, cols); break;
    case 7: binaryLoop(7, a, aStep, b, bStep, out, rows, cols); break;
    case 8: binaryLoop(8, a, aStep, b, bStep, out, rows, cols); break;
    case 9: binaryLoop(9, a, aStep, b, bStep, out, rows, cols); break;
    case 10: binaryLoop(10, a, aStep, b, bStep, out, rows, cols); break;
    case 11: binaryLoop(11, a, aStep, b, bStep, out, rows, cols); break;
    default: binaryLoop(12, a, aStep, b, bStep, out, rows, cols);
  }
}

/** out = cond ≠ 0 ? x : y over n elements; x or y with step 0 is a scalar. */
export function select(cond: usize, x: usize, xStep: i32, y: usize, yStep: i32, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const count = min(4, n - i);
    const at = <usize>i << 2;
    const xv = xStep == 0 ? v128.load32_splat(x) : loadv(x + at, count);
    const yv = yStep == 0 ? v128.load32_splat(y) : loadv(y + at, count);
    // NaN ≠ 0 holds, so a NaN condition picks x, as `c !== 0` does
    storev(out + at, choose(f32x4.ne(loadv(cond + at, count), f32x4.splat(0)), xv, yv), count);
  }
}
