// exp, log, tanh and the logistic function on four lanes at once. WebAssembly has no
// vector transcendental instructions, and a scalar call per lane would throw the
// vector width away, so each is a range reduction plus a short polynomial, accurate
// to a few float32 ulps (about 1e-7 relative), with NaN, ±Infinity, zero and
// subnormal inputs answered as Math.* answers them.

import { choose } from './lanes';

const LOG2E: f32 = 1.44269504;
// ln 2 split so that n·LN2_HI is exact for |n| ≤ 150 (Cody and Waite)
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_MAX: f32 = 88.7228394; // ln(FLT_MAX): above it exp overflows
const EXP_MIN: f32 = -104.0; // below it exp rounds to zero even as a subnormal

/** e^x per lane. */
@inline export function vexp(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(EXP_MAX)), f32x4.splat(EXP_MIN));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  // Taylor to r^7 on |r| ≤ ln2/2: truncation below 1e-8 relative
  let p = f32x4.splat(1.0 / 5040.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2^n as two normal powers of two, so n from -150 (subnormal results) to 128 fits
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  let y = f32x4.mul(f32x4.mul(p, s1), s2);
  y = choose(f32x4.gt(x, f32x4.splat(EXP_MAX)), f32x4.splat(Infinity), y);
  return choose(f32x4.ne(x, x), x, y);
}

/** ln x per lane (NaN below zero, -Infinity at zero). */
@inline export function vlog(x: v128): v128 {
  // subnormals are scaled into the normal range first, and the exponent corrected
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = choose(tiny, f32x4.mul(x, f32x4.splat(8388608.0)), x);
  // x = 2^k · m with m in [√½, √2), so log m is small and its series short
  let ix = i32x4.add(xs, i32x4.splat(0x3f800000 - 0x3f3504f3));
  let k = i32x4.sub(i32x4.shr_s(ix, 23), i32x4.splat(0x7f));
  k = i32x4.sub(k, v128.and(tiny, i32x4.splat(23)));
  ix = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const f = f32x4.sub(ix, f32x4.splat(1.0));
  // log(1 + f) = 2·atanh(s), s = f / (2 + f), |s| ≤ 0.172
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2.0), f));
  const z = f32x4.mul(s, s);
  let q = f32x4.splat(2.0 / 9.0);
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(2.0 / 7.0));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(2.0 / 5.0));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(2.0 / 3.0));
  q = f32x4.mul(q, z);
  const logm = f32x4.add(f32x4.add(s, s), f32x4.mul(s, q));
  const kf = f32x4.convert_i32x4_s(k);
  // ln 2 split as in musl's logf, so k·LOG_HI is exact
  let y = f32x4.add(f32x4.mul(kf, f32x4.splat(0.693145752)), f32x4.add(logm, f32x4.mul(kf, f32x4.splat(1.42860677e-6))));
  y = choose(f32x4.eq(x, f32x4.splat(0)), f32x4.splat(-Infinity), y);
  y = choose(f32x4.lt(x, f32x4.splat(0)), f32x4.splat(NaN), y);
  return choose(v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(Infinity))), x, y);
}

/** The logistic function per lane; exp only of -|x|, so it cannot overflow. */
@inline export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(f32x4.splat(1.0), e);
  return choose(f32x4.ge(x, f32x4.splat(0)), f32x4.div(f32x4.splat(1.0), d), f32x4.div(e, d));
}

/** tanh per lane: a series near zero (where 1 - e^-2|x| would cancel), exp elsewhere. */
@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  // Taylor to x^13 on |x| < 0.5: truncation below 1e-7 relative
  let p = f32x4.splat(21844.0 / 6081075.0);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1382.0 / 155925.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(62.0 / 2835.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-17.0 / 315.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(x, f32x4.mul(x, f32x4.mul(p, z)));
  const e = vexp(f32x4.mul(ax, f32x4.splat(-2.0)));
  const large = f32x4.div(f32x4.sub(f32x4.splat(1.0), e), f32x4.add(f32x4.splat(1.0), e));
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  return choose(f32x4.lt(ax, f32x4.splat(0.5)), small, signed);
}
