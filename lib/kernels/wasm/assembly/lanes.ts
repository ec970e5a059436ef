// Lane helpers shared by the kernels. Every loop runs whole f32x4 vectors and finishes
// a ragged tail through loadPart/storePart, so each kernel's arithmetic is written once
// (as a vector expression) and the tail cannot disagree with the body.

/** Loads `count` (1..4) floats into the low lanes of a vector; the other lanes are zero. */
@inline export function loadv(p: usize, count: i32): v128 {
  return count == 4 ? v128.load(p) : loadPart(p, count);
}

/** Stores the low `count` (1..4) lanes of `v` at `p`. */
@inline export function storev(p: usize, v: v128, count: i32): void {
  if (count == 4) v128.store(p, v);
  else storePart(p, v, count);
}

function loadPart(p: usize, count: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

function storePart(p: usize, v: v128, count: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** `mask ? a : b` lane by lane (mask lanes are all ones or all zeros). */
@inline export function choose(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/** The sum of the four lanes. */
@inline export function laneSum(v: v128): f32 {
  const h = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(h, v128.shuffle<f32>(h, h, 1, 0, 3, 2)), 0);
}

/** max that lets NaN win, lane by lane, as the reference's maxNaN: a > b or a is NaN gives a. */
@inline export function maxNaN(a: v128, b: v128): v128 {
  return choose(v128.or(f32x4.gt(a, b), f32x4.ne(a, a)), a, b);
}

/** min with the same NaN rule. */
@inline export function minNaN(a: v128, b: v128): v128 {
  return choose(v128.or(f32x4.lt(a, b), f32x4.ne(a, a)), a, b);
}
