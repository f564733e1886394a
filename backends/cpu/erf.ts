/**
 * Error function family for the cpu kernels: `erf`/`erfc` in double precision
 * (W. J. Cody's rational Chebyshev approximations, Math. Comp. 23 (1969) 631,
 * as in the public-domain SPECFUN routine CALERF), `erfinv` for float64
 * (initial guess refined by Halley / Newton steps) and XLA's float32 `erfinv`
 * (M. Giles, "Approximating the erfinv function", GPU Computing Gems, 2011),
 * emulated in float32 with `Math.fround` so `normal` samples match JAX.
 *
 * @module
 */

const fround = Math.fround;

// Cody's coefficients. A/B: erf on |x| <= 0.46875; C/D: erfc on (0.46875, 4];
// P/Q: erfc on (4, ∞) as an expansion in 1/x².
const A0 = 3.16112374387056560e00;
const A1 = 1.13864154151050156e02;
const A2 = 3.77485237685302021e02;
const A3 = 3.20937758913846947e03;
const A4 = 1.85777706184603153e-1;
const B0 = 2.36012909523441209e01;
const B1 = 2.44024637934444173e02;
const B2 = 1.28261652607737228e03;
const B3 = 2.84423683343917062e03;
const C = [
  5.64188496988670089e-1,
  8.88314979438837594e00,
  6.61191906371416295e01,
  2.98635138197400131e02,
  8.81952221241769090e02,
  1.71204761263407058e03,
  2.05107837782607147e03,
  1.23033935479799725e03,
  2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e01,
  1.17693950891312499e02,
  5.37181101862009858e02,
  1.62138957456669019e03,
  3.29079923573345963e03,
  4.36261909014324716e03,
  3.43936767414372164e03,
  1.23033935480374942e03,
];
const P = [
  3.05326634961232344e-1,
  3.60344899949804439e-1,
  1.25781726111229246e-1,
  1.60837851487422766e-2,
  6.58749161529837803e-4,
  1.63153871373020978e-2,
];
const Q = [
  2.56852019228982242e00,
  1.87295284992346047e00,
  5.27905102951428412e-1,
  6.05183413124413191e-2,
  2.33520497626869185e-3,
];
/** 1/√π. */
const INV_SQRT_PI = 5.6418958354775628695e-1;
/** 2/√π, the derivative of erf at 0. */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** Beyond this erfc(x) underflows to 0 in double precision. */
const X_BIG = 26.543;
const THRESH = 0.46875;

/** erf(y)/y-style kernel on |x| <= 0.46875: erf(x) = x·A(x²)/B(x²). */
function erfSmall(x: number): number {
  const z = x * x;
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
  const den = (((z + B0) * z + B1) * z + B2) * z + B3;
  return x * num / den;
}

/** erfc(y) for y > 0.46875 (y = |x|), Cody's second and third intervals. */
function erfcLarge(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    r = (num + C[7]) / (den + D[7]);
  } else {
    if (y >= X_BIG) return y === y ? 0 : y;
    const z = 1 / (y * y);
    let num = P[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * z;
      den = (den + Q[i]) * z;
    }
    r = (INV_SQRT_PI - z * (num + P[4]) / (den + Q[4])) / y;
  }
  // exp(-y²) split as exp(-s²)·exp(-(y-s)(y+s)) with s = y rounded down to
  // 1/16, so that the large part of y² is exact (Cody's trick).
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * r;
}

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^{-t²} dt, accurate to a few ulp in
 * double precision (Cody 1969).
 *
 * @example
 * ```ts
 * import { erf } from "./erf.ts";
 * console.assert(Math.abs(erf(1) - 0.8427007929497149) < 1e-15);
 * ```
 */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESH) return erfSmall(x);
  const r = (0.5 - erfcLarge(y)) + 0.5;
  return x < 0 ? -r : r;
}

/**
 * The complementary error function erfc(x) = 1 - erf(x), without
 * cancellation for large x (Cody 1969).
 *
 * @example
 * ```ts
 * import { erfc } from "./erf.ts";
 * console.assert(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1) < 1e-14);
 * ```
 */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

// Giles' single-precision coefficients (highest degree first), as in XLA.
const GILES_LT5 = [
  2.81022636e-08,
  3.43273939e-07,
  -3.5233877e-06,
  -4.39150654e-06,
  2.1858087e-04,
  -1.25372503e-03,
  -4.17768164e-03,
  0.246640727,
  1.50140941,
];
const GILES_GE5 = [
  -2.00214257e-04,
  1.00950558e-04,
  1.34934322e-03,
  -3.67342844e-03,
  5.73950773e-03,
  -7.6224613e-03,
  9.43887047e-03,
  1.00167406,
  2.83297682,
];
const GILES_LT5_F32 = new Float32Array(GILES_LT5);
const GILES_GE5_F32 = new Float32Array(GILES_GE5);

/**
 * XLA's float32 erfinv (Giles): `w = -log1p(-x·x)`; for w < 5 a Horner
 * polynomial in w - 2.5, else in √w - 3; result `p·x`, ±Infinity at |x| = 1,
 * NaN outside [-1, 1]. Every step is rounded to float32 as XLA computes it.
 * XLA's code (ErfInv32) uses `log1p(-x·x)`, not the `log((1-x)(1+x))` of its
 * comment (and of spec/conventions-random.md §4.4); the two differ by up to
 * ~64 float32 ulp for |x| near 1, and this follows the code.
 *
 * @example
 * ```ts
 * import { erfinvF32 } from "./erf.ts";
 * console.assert(Math.abs(erfinvF32(0.5) - 0.4769362762) < 1e-6);
 * ```
 */
export function erfinvF32(x: number): number {
  x = fround(x);
  if (x === 1 || x === -1) return x * Infinity;
  let w = -fround(Math.log1p(fround(-(x * x))));
  let c: Float32Array;
  if (w < 5) {
    w = fround(w - 2.5);
    c = GILES_LT5_F32;
  } else {
    w = fround(fround(Math.sqrt(w)) - 3);
    c = GILES_GE5_F32;
  }
  let p = c[0];
  for (let i = 1; i < 9; i++) p = fround(c[i] + fround(p * w));
  return fround(p * x);
}

/** Giles' approximation evaluated in double: a starting point good to ~1e-7 for |y| < 1 - 1e-7. */
function gilesGuess(y: number): number {
  let w = -Math.log1p(-y * y);
  let c: number[];
  if (w < 5) {
    w -= 2.5;
    c = GILES_LT5;
  } else {
    w = Math.sqrt(w) - 3;
    c = GILES_GE5;
  }
  let p = c[0];
  for (let i = 1; i < 9; i++) p = c[i] + p * w;
  return p * y;
}

/**
 * Inverse error function in double precision. For |y| <= 0.5 Halley steps on
 * `erf(x) - y` (dx = f / (f' + x·f), f' = 2/√π·e^{-x²}); beyond, Newton steps
 * on `log erfc(x) - log(1 - |y|)`, which stay well conditioned in the tail
 * (1 - |y| is exact there). Accurate to a few ulp.
 *
 * @example
 * ```ts
 * import { erfinv } from "./erf.ts";
 * console.assert(Math.abs(erfinv(0.5) - 0.47693627620446987) < 1e-15);
 * ```
 */
export function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (!(ay < 1)) return ay === 1 ? y * Infinity : NaN;
  if (ay === 0) return y;
  let x: number;
  if (ay <= 0.5) {
    x = gilesGuess(ay);
    for (let i = 0; i < 2; i++) {
      const f = erf(x) - ay;
      x -= f / (TWO_OVER_SQRT_PI * Math.exp(-x * x) + x * f);
    }
  } else {
    const t = 1 - ay; // exact (Sterbenz) for ay >= 0.5
    const logT = Math.log(t);
    // Giles' float32 fit covers 1 - |y| down to ~1e-7; further out start from
    // the asymptote erfc(x) ≈ e^{-x²}/(x√π).
    x = t > 1e-7 ? gilesGuess(ay) : Math.sqrt(-logT - Math.log(Math.sqrt(-logT * Math.PI)));
    for (let i = 0; i < 8; i++) {
      const e = erfc(x);
      // d/dx log erfc(x) = -f'(x)/erfc(x)
      const dx = (Math.log(e) - logT) * e / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
      x += dx;
      if (Math.abs(dx) <= 1e-16 * x) break;
    }
  }
  return y < 0 ? -x : x;
}
