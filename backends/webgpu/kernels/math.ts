/**
 * WGSL float32 math library. WGSL leaves NaN/Inf behaviour and the accuracy
 * of built-ins loose (sin/cos to 2^-11 absolute, atan to 4096 ulp), so the
 * transcendental functions are written out: Cephes-style polynomials for
 * exp, log, sin, cos, tan, asin, acos, atan (with Cody–Waite argument
 * reduction and, for |x| > 4096, a Payne–Hanek reduction in 32-bit integer
 * arithmetic), careful log1p/expm1 and the hyperbolic family, erf (the
 * Eigen/XLA rational fit) and erfinv (XLA's Giles approximation, as the cpu
 * backend's float32 path). NaN and infinities are tested by bit pattern.
 *
 * Functions are named `m_*`; {@link mathFor} returns only those a kernel uses
 * (with their dependencies), which keeps shader compilation cheap.
 *
 * @module
 */

const FNS: Record<string, string> = {
  m_nan: "fn m_nan() -> f32 { return bitcast<f32>(0x7fc00000u); }",
  m_inf: "fn m_inf() -> f32 { return bitcast<f32>(0x7f800000u); }",
  m_isnan: "fn m_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }",
  m_isinf: "fn m_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }",
  m_isfinite:
    "fn m_isfinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }",
  m_signbit: "fn m_signbit(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }",
  m_copysign: `fn m_copysign(x: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(x) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}`,
  // Cephes expf: e^x = 2^n e^r, |r| ≤ ln2/2, r by a two-part ln2.
  m_exp: `fn m_exp(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  if (x > 88.72284) { return m_inf(); }
  if (x < -103.97209) { return 0.0; }
  let z = floor(1.44269504088896341 * x + 0.5);
  var r = x - z * 0.693359375;
  r = r - z * -2.12194440e-4;
  let r2 = r * r;
  var p = 1.9875691500e-4;
  p = p * r + 1.3981999507e-3;
  p = p * r + 8.3334519073e-3;
  p = p * r + 4.1665795894e-2;
  p = p * r + 1.6666665459e-1;
  p = p * r + 5.0000001201e-1;
  let y = p * r2 + r + 1.0;
  let n = i32(z);
  if (n > 127) { return ldexp(ldexp(y, 127), n - 127); }
  if (n < -120) { return ldexp(ldexp(y, -120), n + 120); }
  return ldexp(y, n);
}`,
  // Cephes logf: x = m·2^e, m in [√½, √2), log(m) by a polynomial in m - 1.
  m_log: `fn m_log(x0: f32) -> f32 {
  if (m_isnan(x0) || x0 < 0.0) { return m_nan(); }
  if (x0 == 0.0) { return -m_inf(); }
  if (m_isinf(x0)) { return x0; }
  var x = x0;
  var e0 = 0;
  if (x < 1.17549435e-38) { x = x * 16777216.0; e0 = -24; }
  let fr = frexp(x);
  var m = fr.fract;
  var e = fr.exp + e0;
  if (m < 0.707106781186547524) { e = e - 1; m = m + m - 1.0; } else { m = m - 1.0; }
  let z = m * m;
  var y = 7.0376836292e-2;
  y = y * m - 1.1514610310e-1;
  y = y * m + 1.1676998740e-1;
  y = y * m - 1.2420140846e-1;
  y = y * m + 1.4249322787e-1;
  y = y * m - 1.6668057665e-1;
  y = y * m + 2.0000714765e-1;
  y = y * m - 2.4999993993e-1;
  y = y * m + 3.3333331174e-1;
  y = y * m * z;
  let fe = f32(e);
  y = y + -2.12194440e-4 * fe;
  y = y - 0.5 * z;
  return m + y + 0.693359375 * fe;
}`,
  m_log2: `fn m_log2(x: f32) -> f32 {
  if (m_isnan(x) || x < 0.0) { return m_nan(); }
  if (x == 0.0) { return -m_inf(); }
  if (m_isinf(x)) { return x; }
  let fr = frexp(x);
  if (fr.fract == 0.5) { return f32(fr.exp - 1); }
  return m_log(x) * 1.44269504088896341;
}`,
  m_sqrt: `fn m_sqrt(x: f32) -> f32 {
  if (m_isnan(x) || x < 0.0) { return m_nan(); }
  if (m_isinf(x) || x == 0.0) { return x; }
  return sqrt(x);
}`,
  m_log1p: `fn m_log1p(x: f32) -> f32 {
  if (m_isnan(x) || x < -1.0) { return m_nan(); }
  if (x == -1.0) { return -m_inf(); }
  if (m_isinf(x)) { return x; }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return m_log(u) - ((u - 1.0) - x) / u;
}`,
  m_expm1: `fn m_expm1(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  if (x > 88.72284) { return m_inf(); }
  if (x < -17.0) { return -1.0; }
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = m_exp(x);
  let um1 = u - 1.0;
  if (um1 == 0.0) { return x; }
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / m_log(u);
}`,
  m_sinh: `fn m_sinh(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a < 1.0) {
    let e = m_expm1(a);
    r = 0.5 * (e + e / (e + 1.0));
  } else if (a > 89.5) {
    r = m_inf();
  } else {
    let h = m_exp(0.5 * a);
    r = (0.5 * h) * h - 0.5 / (h * h);
  }
  return m_copysign(r, x);
}`,
  m_cosh: `fn m_cosh(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  let a = abs(x);
  if (a > 89.5) { return m_inf(); }
  let h = m_exp(0.5 * a);
  return (0.5 * h) * h + 0.5 / (h * h);
}`,
  m_tanh: `fn m_tanh(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  let a = abs(x);
  var r: f32 = 1.0;
  if (a < 9.1) {
    let e = m_expm1(2.0 * a);
    r = e / (e + 2.0);
  }
  return m_copysign(r, x);
}`,
  m_sigmoid: `fn m_sigmoid(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  return 1.0 / (1.0 + m_exp(-x));
}`,
  m_asinh: `fn m_asinh(x: f32) -> f32 {
  if (m_isnan(x) || m_isinf(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a > 1e18) {
    r = m_log(a) + 0.6931471805599453;
  } else {
    let a2 = a * a;
    r = m_log1p(a + a2 / (1.0 + sqrt(1.0 + a2)));
  }
  return m_copysign(r, x);
}`,
  m_acosh: `fn m_acosh(x: f32) -> f32 {
  if (m_isnan(x) || x < 1.0) { return m_nan(); }
  if (m_isinf(x)) { return x; }
  if (x > 1e18) { return m_log(x) + 0.6931471805599453; }
  let t = x - 1.0;
  return m_log1p(t + sqrt(t * (x + 1.0)));
}`,
  m_atanh: `fn m_atanh(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  let a = abs(x);
  if (a > 1.0) { return m_nan(); }
  if (a == 1.0) { return m_copysign(m_inf(), x); }
  return m_copysign(0.5 * m_log1p(2.0 * a / (1.0 - a)), x);
}`,
  // 32×32 → 64-bit product as (lo, hi).
  m_mulwide: `fn m_mulwide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}`,
  // |x| = n·π/2 + r, |r| ≤ π/4: returns (r, n mod 4 as f32). Cody–Waite up to 4096, else Payne–Hanek.
  m_rempio2: `fn m_rempio2(ax: f32) -> vec2<f32> {
  if (ax <= 4096.0) {
    let j = floor(ax * 0.636619772367581343 + 0.5);
    let r = ((ax - j * 1.5703125) - j * 4.837512969970703e-4) - j * 7.549790126404332e-8;
    return vec2<f32>(r, f32(u32(j) & 3u));
  }
  var T = array<u32, 6>(0x3c439041u, 0xdb629599u, 0xf534ddc0u, 0xfc2757d1u, 0x4e441529u, 0xa2f9836eu);
  let ia = bitcast<u32>(ax);
  let mant = (ia << 8u) | 0x80000000u;
  var res: array<u32, 7>;
  var carry = 0u;
  for (var i = 0u; i < 6u; i++) {
    let p = m_mulwide(mant, T[i]);
    let lo = p.x + carry;
    res[i] = lo;
    carry = p.y + select(0u, 1u, lo < p.x);
  }
  res[6] = carry;
  let eb = ((ia >> 23u) & 0xffu) - 128u;
  let q = eb >> 5u;
  let e = eb & 31u;
  var hi = res[6u - q];
  var lo = res[5u - q];
  if (e != 0u) {
    let x3 = res[4u - q];
    hi = (hi << e) | (lo >> (32u - e));
    lo = (lo << e) | (x3 >> (32u - e));
  }
  var n = hi >> 30u;
  hi = (hi << 2u) | (lo >> 30u);
  lo = lo << 2u;
  var sgn = 1.0;
  if ((hi & 0x80000000u) != 0u) { n = n + 1u; hi = ~hi; lo = ~lo; sgn = -1.0; }
  let f = f32(hi) * 2.3283064365386963e-10 + f32(lo) * 5.421010862427522e-20;
  return vec2<f32>(sgn * f * 1.5707963267948966, f32(n & 3u));
}`,
  m_sinpoly: `fn m_sinpoly(r: f32) -> f32 {
  let z = r * r;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
}`,
  m_cospoly: `fn m_cospoly(r: f32) -> f32 {
  let z = r * r;
  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
}`,
  m_sin: `fn m_sin(x: f32) -> f32 {
  if (!m_isfinite(x)) { return m_nan(); }
  if (abs(x) < 1e-4) { return x; }
  let rn = m_rempio2(abs(x));
  let n = u32(rn.y);
  var v: f32;
  if (n == 0u) { v = m_sinpoly(rn.x); } else if (n == 1u) { v = m_cospoly(rn.x); }
  else if (n == 2u) { v = -m_sinpoly(rn.x); } else { v = -m_cospoly(rn.x); }
  return select(v, -v, x < 0.0);
}`,
  m_cos: `fn m_cos(x: f32) -> f32 {
  if (!m_isfinite(x)) { return m_nan(); }
  let rn = m_rempio2(abs(x));
  let n = u32(rn.y);
  if (n == 0u) { return m_cospoly(rn.x); }
  if (n == 1u) { return -m_sinpoly(rn.x); }
  if (n == 2u) { return -m_cospoly(rn.x); }
  return m_sinpoly(rn.x);
}`,
  m_tan: `fn m_tan(x: f32) -> f32 {
  if (!m_isfinite(x)) { return m_nan(); }
  if (abs(x) < 1e-4) { return x; }
  let rn = m_rempio2(abs(x));
  let r = rn.x;
  let z = r * r;
  var p = 9.38540185543e-3;
  p = p * z + 3.11992232697e-3;
  p = p * z + 2.44301354525e-2;
  p = p * z + 5.34112807005e-2;
  p = p * z + 1.33387994085e-1;
  p = p * z + 3.33331568548e-1;
  var t = p * z * r + r;
  if ((u32(rn.y) & 1u) == 1u) { t = -1.0 / t; }
  return select(t, -t, x < 0.0);
}`,
  m_atan: `fn m_atan(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  var a = abs(x);
  var y = 0.0;
  if (a > 2.414213562373095) { y = 1.5707963267948966; a = -1.0 / a; }
  else if (a > 0.4142135623730950) { y = 0.7853981633974483; a = (a - 1.0) / (a + 1.0); }
  let z = a * a;
  y = y + (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * a + a;
  return m_copysign(y, x);
}`,
  m_atan2: `fn m_atan2(y: f32, x: f32) -> f32 {
  if (m_isnan(x) || m_isnan(y)) { return m_nan(); }
  let pi = 3.141592653589793;
  if (m_isinf(y)) {
    if (m_isinf(x)) { return m_copysign(select(0.75 * pi, 0.25 * pi, x > 0.0), y); }
    return m_copysign(0.5 * pi, y);
  }
  if (m_isinf(x)) {
    if (x > 0.0) { return m_copysign(0.0, y); }
    return m_copysign(pi, y);
  }
  if (y == 0.0) {
    if (m_signbit(x)) { return m_copysign(pi, y); }
    return y;
  }
  if (x == 0.0) { return m_copysign(0.5 * pi, y); }
  let t = m_atan(abs(y / x));
  var r: f32;
  if (x > 0.0) { r = t; } else { r = pi - t; }
  return m_copysign(r, y);
}`,
  m_asin: `fn m_asin(x: f32) -> f32 {
  if (m_isnan(x) || abs(x) > 1.0) { return m_nan(); }
  let a = abs(x);
  var z: f32; var s: f32; var big = false;
  if (a > 0.5) { z = 0.5 * (1.0 - a); s = sqrt(z); big = true; } else { s = a; z = a * a; }
  var p = 4.2163199048e-2;
  p = p * z + 2.4181311049e-2;
  p = p * z + 4.5470025998e-2;
  p = p * z + 7.4953002686e-2;
  p = p * z + 1.6666752422e-1;
  var r = p * z * s + s;
  if (big) { r = 1.5707963267948966 - (r + r); }
  return m_copysign(r, x);
}`,
  m_acos: `fn m_acos(x: f32) -> f32 {
  if (m_isnan(x) || abs(x) > 1.0) { return m_nan(); }
  if (x < -0.5) { return 3.141592653589793 - 2.0 * m_asin(sqrt(0.5 * (1.0 + x))); }
  if (x > 0.5) { return 2.0 * m_asin(sqrt(0.5 * (1.0 - x))); }
  return 1.5707963267948966 - m_asin(x);
}`,
  m_erf: `fn m_erf(x0: f32) -> f32 {
  if (m_isnan(x0)) { return x0; }
  let x = clamp(x0, -4.0, 4.0);
  let x2 = x * x;
  var p = x2 * -2.72614225801306e-10 + 2.77068142495902e-08;
  p = x2 * p + -2.10102402082508e-06;
  p = x2 * p + -5.69250639462346e-05;
  p = x2 * p + -7.34990630326855e-04;
  p = x2 * p + -2.95459980854025e-03;
  p = x2 * p + -1.60960333262415e-02;
  p = x * p;
  var q = x2 * -1.45660718464996e-05 + -2.13374055278905e-04;
  q = x2 * q + -1.68282697438203e-03;
  q = x2 * q + -7.37332916720468e-03;
  q = x2 * q + -1.42647390514189e-02;
  return clamp(p / q, -1.0, 1.0);
}`,
  m_erfinv: `fn m_erfinv(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax > 1.0) { return m_nan(); }
  if (ax == 1.0) { return m_copysign(m_inf(), x); }
  var w = -m_log1p(-(x * x));
  var p: f32;
  if (w < 5.0) {
    w = w - 2.5;
    p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w;
    p = -3.5233877e-06 + p * w;
    p = -4.39150654e-06 + p * w;
    p = 2.1858087e-04 + p * w;
    p = -1.25372503e-03 + p * w;
    p = -4.17768164e-03 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = sqrt(w) - 3.0;
    p = -2.00214257e-04;
    p = 1.00950558e-04 + p * w;
    p = 1.34934322e-03 + p * w;
    p = -3.67342844e-03 + p * w;
    p = 5.73950773e-03 + p * w;
    p = -7.6224613e-03 + p * w;
    p = 9.43887047e-03 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  return p * x;
}`,
  m_max: `fn m_max(a: f32, b: f32) -> f32 {
  if (m_isnan(a) || m_isnan(b)) { return m_nan(); }
  if (a == b) { return select(a, b, m_signbit(a)); }
  return select(b, a, a > b);
}`,
  m_min: `fn m_min(a: f32, b: f32) -> f32 {
  if (m_isnan(a) || m_isnan(b)) { return m_nan(); }
  if (a == b) { return select(b, a, m_signbit(a)); }
  return select(b, a, a < b);
}`,
  // Exact fmod by binary long division (each subtraction is exact).
  m_fmod: `fn m_fmod(x: f32, y: f32) -> f32 {
  if (m_isnan(x) || m_isnan(y) || m_isinf(x) || y == 0.0) { return m_nan(); }
  if (m_isinf(y)) { return x; }
  let ax = abs(x);
  let ay = abs(y);
  if (ax < ay) { return x; }
  var t = ay;
  loop {
    if (t > ax * 0.5) { break; }
    t = t * 2.0;
  }
  var r = ax;
  loop {
    if (r >= t) { r = r - t; }
    if (t == ay) { break; }
    t = t * 0.5;
  }
  return m_copysign(r, x);
}`,
  m_floordiv: `fn m_floordiv(x: f32, y: f32) -> f32 {
  let m = m_fmod(x, y);
  var d = (x - m) / y;
  if (m != 0.0 && (y < 0.0) != (m < 0.0)) { d = d - 1.0; }
  if (m_isnan(d) || m_isinf(d)) { return d; }
  return m_copysign(round(abs(d)), d);
}`,
  m_mod: `fn m_mod(x: f32, y: f32) -> f32 {
  let m = m_fmod(x, y);
  if (m != 0.0 && (m < 0.0) != (y < 0.0)) { return m + y; }
  return m;
}`,
  // C pow: exact by squaring for small integer exponents, else exp(y·log|x|).
  m_pow: `fn m_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (m_isnan(x) || m_isnan(y)) { return m_nan(); }
  let ay = abs(y);
  let yint = floor(y) == y;
  let yodd = yint && ay < 16777216.0 && (i32(ay) & 1) == 1;
  if (m_isinf(y)) {
    let ax = abs(x);
    if (ax == 1.0) { return 1.0; }
    if ((ax > 1.0) == (y > 0.0)) { return m_inf(); }
    return 0.0;
  }
  if (x == 0.0) {
    if (y > 0.0) { return select(0.0, x, yodd); }
    return select(m_inf(), m_copysign(m_inf(), x), yodd);
  }
  if (m_isinf(x)) {
    if (x > 0.0) { return select(0.0, m_inf(), y > 0.0); }
    let r = select(0.0, m_inf(), y > 0.0);
    return select(r, -r, yodd);
  }
  if (x < 0.0 && !yint) { return m_nan(); }
  let ax = abs(x);
  var r: f32;
  if (yint && ay <= 64.0) {
    var base = ax;
    var e = u32(ay);
    r = 1.0;
    loop {
      if ((e & 1u) == 1u) { r = r * base; }
      e = e >> 1u;
      if (e == 0u) { break; }
      base = base * base;
    }
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = m_exp(y * m_log(ax));
  }
  if (x < 0.0 && yodd) { r = -r; }
  return r;
}`,
};

/**
 * The WGSL definitions of every `m_*` function named in `code`, with their
 * dependencies, in dependency order.
 *
 * @example
 * ```ts
 * import { mathFor } from "./math.ts";
 * const src = mathFor("out0[gid] = m_tanh(x);");
 * console.assert(src.includes("fn m_expm1") && !src.includes("fn m_sin("));
 * ```
 */
export function mathFor(code: string): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !(name in FNS)) return;
    seen.add(name);
    const src = FNS[name];
    for (const dep of src.matchAll(/\bm_[a-z0-9]+/g)) if (dep[0] !== name) visit(dep[0]);
    out.push(src);
  };
  for (const m of code.matchAll(/\bm_[a-z0-9]+/g)) visit(m[0]);
  return out.join("\n");
}
