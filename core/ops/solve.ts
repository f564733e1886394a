/**
 * Composite linear algebra built from ops (so gradients come from the
 * recorded primitives): `pinv`, `slogdet`, `det`, `solve`, `inv`.
 *
 * - `pinv`: SVD with JAX's cutoff (singular values ≤ rcond · s_max dropped).
 * - `slogdet`/`det`: LU with partial pivoting written with ops (`lu.ts`; no LU
 *   primitive exists), so an exactly singular matrix gives sign 0 and
 *   log|det| = −∞ as NumPy/JAX do.
 * - `solve`/`inv`: QR (`x = R⁻¹ Qᵀ b` by a triangular solve).
 *
 * @module
 */

import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { promoteTypes, sameBackend, type TensorLike, toTensor } from "./convert.ts";
import type { DType } from "../../backends/backend.ts";
import { abs, add, div, greater, log, mod, mul, sign, sub, where } from "./elementwise.ts";
import { castTo, checkMatrix, epsOf, floatOperand, swapLast } from "./linalg_common.ts";
import { matmul } from "./matmul.ts";
import { qr, svd, triangularSolve } from "./decomp.ts";
import { luFactor } from "./lu.ts";
import { pFill, pReduce, pReshape, pSlice, scoped } from "./prim.ts";

/** Options of {@link pinv}. */
export interface PinvOptions {
  /**
   * Relative cutoff: singular values ≤ rcond · s_max count as zero. Default
   * `10 · max(m, n) · eps` with the dtype's machine epsilon (JAX's default).
   */
  readonly rcond?: number;
}

/**
 * Moore–Penrose pseudo-inverse of each matrix of `a: [..., m, n]` →
 * `[..., n, m]`, from the SVD: `pinv(a) = V · diag(1/s) · Uᵀ` where singular
 * values at or below the cutoff are treated as zero (as `jnp.linalg.pinv`).
 *
 * @example
 * ```ts
 * import { pinv } from "../../mod.ts";
 * using p = pinv([[1, 2], [2, 4]]);
 * const v = p.dataSync(); // rank 1: a / 25
 * console.assert(Math.abs(v[0] - 0.04) < 1e-6 && Math.abs(v[3] - 0.16) < 1e-6);
 * ```
 */
export function pinv(a: TensorLike, options: PinvOptions = {}): Tensor {
  const fn = "pinv";
  const rcondIn = options.rcond;
  if (
    rcondIn !== undefined &&
    (typeof rcondIn !== "number" || !(rcondIn >= 0) || rcondIn === Infinity)
  ) {
    throw rangeError(fn, `rcond must be a finite number >= 0, got ${rcondIn}`);
  }
  return scoped(() => {
    const t = floatOperand(fn, a);
    checkMatrix(fn, "a", t, false);
    const r = t.rank, m = t.shape[r - 2], n = t.shape[r - 1], k = Math.min(m, n);
    const batch = t.shape.slice(0, -2);
    if (k === 0) return pFill(t.backend, [...batch, n, m], 0, t.dtype);
    const rcond = rcondIn ?? 10 * Math.max(m, n) * epsOf(t.dtype);
    const { u, s, vh } = svd(t);
    const sMax = pSlice(
      s,
      new Array<number>(r - 1).fill(0),
      [...batch, 1],
      new Array<number>(r - 1).fill(1),
    );
    const cutoff = mul(sMax, rcond);
    // JAX: s ≤ cutoff → ∞, so 1/s → 0 without a division by zero.
    const sSafe = where(greater(s, cutoff), s, Infinity);
    const scaledVh = div(vh, pReshape(sSafe, [...batch, k, 1]));
    return matmul(scaledVh, u, { transposeA: true, transposeB: true });
  });
}

/** det P = (−1)^swaps, in `dtype`. */
function swapSign(swaps: Tensor, dtype: DType): Tensor {
  return castTo(sub(1, mul(2, mod(swaps, 2))), dtype);
}

/** Result of {@link slogdet}. */
export interface SlogdetResult {
  /** Sign of the determinant: −1, 0 or 1, `[...]`. */
  readonly sign: Tensor;
  /** `log|det|` (−Infinity for a singular matrix), `[...]`. */
  readonly logabsdet: Tensor;
}

function squareFloat(fn: string, a: TensorLike): Tensor {
  const t = floatOperand(fn, a);
  checkMatrix(fn, "a", t, true);
  return t;
}

/**
 * Sign and natural log of the absolute determinant of each matrix of
 * `a: [..., n, n]` (`jnp.linalg.slogdet`), from an LU factorisation with
 * partial pivoting: `det = sign(P) · Π u_ii`. A singular matrix gives sign 0
 * and logabsdet −Infinity.
 *
 * @example
 * ```ts
 * import { slogdet } from "../../mod.ts";
 * const { sign, logabsdet } = slogdet([[0, 1, 2], [1, 0, 3], [4, -3, 8]]);
 * console.assert(sign.dataSync()[0] === -1 && Math.abs(logabsdet.dataSync()[0] - Math.LN2) < 1e-6);
 * sign.dispose(); logabsdet.dispose();
 * ```
 */
export function slogdet(a: TensorLike): SlogdetResult {
  const fn = "slogdet";
  return scoped(() => {
    const t = squareFloat(fn, a);
    const { d, swaps } = luFactor(t);
    const last = [t.rank - 2];
    const s = mul(swapSign(swaps, t.dtype), pReduce("prod", sign(d), last));
    const logabsdet = pReduce("sum", log(abs(d)), last);
    // + 0 turns a −0 sign (a −0 pivot) into +0, as NumPy reports.
    return { sign: add(s, 0), logabsdet };
  });
}

/**
 * Determinant of each matrix of `a: [..., n, n]` (`jnp.linalg.det`): the
 * product of U's diagonal of an LU factorisation with partial pivoting, times
 * the permutation's sign. For large matrices prefer {@link slogdet}
 * (no overflow).
 *
 * @example
 * ```ts
 * import { det } from "../../mod.ts";
 * using d = det([[1, 2], [3, 4]]);
 * console.assert(Math.abs(d.dataSync()[0] + 2) < 1e-6);
 * ```
 */
export function det(a: TensorLike): Tensor {
  const fn = "det";
  return scoped(() => {
    const t = squareFloat(fn, a);
    const { d, swaps } = luFactor(t);
    return mul(swapSign(swaps, t.dtype), pReduce("prod", d, [t.rank - 2]));
  });
}

/**
 * Solve `a x = b` for each matrix of `a: [..., n, n]` (`jnp.linalg.solve`,
 * NumPy 2 rules): a 1-D `b: [n]` is one right-hand side (result `[..., n]`),
 * otherwise `b: [..., n, k]` holds k columns; batch dims broadcast. Uses QR:
 * `x = R⁻¹ (Qᵀ b)`. A singular `a` gives Inf/NaN, never a throw.
 *
 * @example
 * ```ts
 * import { solve } from "../../mod.ts";
 * using x = solve([[3, 1], [1, 2]], [9, 8]);
 * const v = x.dataSync();
 * console.assert(Math.abs(v[0] - 2) < 1e-5 && Math.abs(v[1] - 3) < 1e-5);
 * ```
 */
export function solve(a: TensorLike, b: TensorLike): Tensor {
  const fn = "solve";
  return scoped(() => {
    const ta = squareFloat(fn, a);
    const tb0 = toTensor(b, fn, { backend: ta.backend });
    sameBackend(fn, ta, tb0);
    const tb = floatOperand(fn, tb0);
    if (tb.rank === 0) {
      throw typeError(fn, `b must have rank >= 1, got shape ${fmtShape(tb.shape)}`);
    }
    const n = ta.shape[ta.rank - 1];
    const vec = tb.rank === 1;
    const rows = vec ? tb.shape[0] : tb.shape[tb.rank - 2];
    if (rows !== n) {
      throw typeError(
        fn,
        `a ${fmtShape(ta.shape)} and b ${
          fmtShape(tb.shape)
        } do not match: b needs ${n} rows, has ${rows}`,
      );
    }
    const dtype = promoteTypes(ta.dtype, tb.dtype);
    const b2 = vec ? pReshape(tb, [n, 1]) : tb;
    const { q, r } = qr(castTo(ta, dtype));
    const y = matmul(q, castTo(b2, dtype), { transposeA: true });
    const x = triangularSolve(r, y, { lower: false });
    return vec ? pReshape(x, x.shape.slice(0, -1)) : x;
  });
}

/**
 * Inverse of each matrix of `a: [..., n, n]` (`jnp.linalg.inv`) by QR:
 * `inv(a) = R⁻¹ Qᵀ`. A singular `a` gives Inf/NaN, never a throw.
 *
 * @example
 * ```ts
 * import { inv } from "../../mod.ts";
 * using i = inv([[2, 0], [0, 4]]);
 * const v = i.dataSync();
 * console.assert(Math.abs(v[0] - 0.5) < 1e-6 && Math.abs(v[3] - 0.25) < 1e-6 && Math.abs(v[1]) < 1e-6);
 * ```
 */
export function inv(a: TensorLike): Tensor {
  const fn = "inv";
  return scoped(() => {
    const t = squareFloat(fn, a);
    const { q, r } = qr(t);
    return triangularSolve(r, swapLast(q), { lower: false });
  });
}
