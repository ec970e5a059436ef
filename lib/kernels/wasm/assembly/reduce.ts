// Reductions of a buffer viewed as [outer, reduced, inner] (the reduced axes
// contiguous), and argmax along one axis. With inner = 1 each row is folded four
// lanes at a time and the lanes combined at the end; otherwise whole rows are folded
// into the output row, vector by vector, in the reference's order.

import { laneSum, loadv, maxNaN, storev } from './lanes';

@inline function fold(isMax: bool, acc: v128, v: v128): v128 {
  return isMax ? maxNaN(acc, v) : f32x4.add(acc, v);
}

@inline function reduceLoop(isMax: bool, x: usize, outer: i32, reduced: i32, inner: i32, out: usize): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const row = x + (<usize>(o * reduced) << 2);
      // the ragged tail is folded as a splat of its first element, harmless to both sum and max
      let acc = isMax ? v128.load32_splat(row) : f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= reduced; j += 4) acc = fold(isMax, acc, v128.load(row + (<usize>j << 2)));
      let r: f32;
      if (isMax) {
        for (; j < reduced; j++) acc = fold(true, acc, v128.load32_splat(row + (<usize>j << 2)));
        const h = maxNaN(acc, v128.shuffle<f32>(acc, acc, 2, 3, 0, 1));
        r = f32x4.extract_lane(maxNaN(h, v128.shuffle<f32>(h, h, 1, 0, 3, 2)), 0);
      } else {
        r = laneSum(acc);
        for (; j < reduced; j++) r += load<f32>(row + (<usize>j << 2));
      }
      store<f32>(out + (<usize>o << 2), r);
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * reduced * inner) << 2);
    const orow = out + (<usize>(o * inner) << 2);
    for (let i = 0; i < inner; i += 4) {
      const count = min(4, inner - i);
      const at = <usize>i << 2;
      let acc = loadv(base + at, count);
      for (let r = 1; r < reduced; r++) acc = fold(isMax, acc, loadv(base + (<usize>(r * inner) << 2) + at, count));
      storev(orow + at, acc, count);
    }
  }
}

/** out[o, i] = sum or max of x[o, :, i] (reduced ≥ 1). */
export function reduce(x: usize, outer: i32, reduced: i32, inner: i32, out: usize, isMax: bool): void {
  if (isMax) reduceLoop(true, x, outer, reduced, inner, out);
  else reduceLoop(false, x, outer, reduced, inner, out);
}

/** out[o, i] (int32) = the first index of the largest x[o, :, i]; a NaN counts as largest. */
export function argmax(x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>(o * n * inner + i) << 2);
      let best = 0;
      let bestValue = load<f32>(base);
      for (let j = 1; j < n && bestValue == bestValue; j++) {
        const v = load<f32>(base + (<usize>(j * inner) << 2));
        if (v > bestValue || v != v) {
          best = j;
          bestValue = v;
        }
      }
      store<i32>(out + (<usize>(o * inner + i) << 2), best);
    }
  }
}

/** out[i] += x[i] for i < n. */
export function addInto(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const count = min(4, n - i);
    const at = <usize>i << 2;
    storev(out + at, f32x4.add(loadv(out + at, count), loadv(x + at, count)), count);
  }
}
