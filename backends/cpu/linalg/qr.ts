/**
 * Batched reduced QR on the cpu (Householder).
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import { allocFloat, checkFloatDType, type FloatArray, matrixGeometry } from "./common.ts";

/** Result of {@link qrKernel}. */
export interface QrResult {
  /** Orthonormal columns, `[..., m, k]`. */
  readonly q: FloatArray;
  /** Upper triangular (trapezoidal) factor, `[..., k, n]`. */
  readonly r: FloatArray;
  /** Shape of `q`. */
  readonly qShape: number[];
  /** Shape of `r`. */
  readonly rShape: number[];
}

/**
 * Reduced QR `A = Q R` of each matrix of `a: [..., m, n]`, k = min(m, n):
 * `q: [..., m, k]` with orthonormal columns, `r: [..., k, n]` upper
 * triangular. Householder reflectors with LAPACK's `dlarfg` sign convention
 * (so `r`'s diagonal may be negative), then `Q` formed backwards as `dorg2r`
 * does (Golub & Van Loan Alg. 5.2.1 and §5.1.6).
 *
 * The work matrix is stored transposed so every column the reflectors touch
 * is contiguous.
 *
 * @example
 * ```ts
 * import { qrKernel } from "./qr.ts";
 * const { q, r } = qrKernel(new Float64Array([3, 4]), [2, 1], "float64");
 * console.assert(Math.abs(Math.abs(r[0]) - 5) < 1e-12 && Math.abs(q[0] * r[0] - 3) < 1e-12);
 * ```
 */
export function qrKernel(a: FloatArray, shape: readonly number[], dtype: DType): QrResult {
  checkFloatDType("qr", dtype);
  const { batch, rows: m, cols: n, batchShape } = matrixGeometry("qr", "a", a, shape, false);
  const k = Math.min(m, n);
  const q = allocFloat(dtype, batch * m * k);
  const r = allocFloat(dtype, batch * k * n);
  const at = new Float64Array(n * m); // column c of A at at[c*m .. c*m+m)
  const tau = new Float64Array(k);
  const qt = new Float64Array(k * m); // column c of Q at qt[c*m ..)
  for (let b = 0; b < batch; b++) {
    const base = b * m * n;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) at[c * m + i] = a[base + i * n + c];
    }
    householder(at, m, n, k, tau);
    const rb = b * k * n;
    for (let i = 0; i < k; i++) {
      for (let c = i; c < n; c++) r[rb + i * n + c] = at[c * m + i];
    }
    formQ(at, m, k, tau, qt);
    const qb = b * m * k;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < k; c++) q[qb + i * k + c] = qt[c * m + i];
    }
  }
  return { q, r, qShape: [...batchShape, m, k], rShape: [...batchShape, k, n] };
}

/**
 * In-place Householder QR of the transposed work matrix `at` (n columns of
 * length m): on return the upper triangle holds R and, below the diagonal,
 * the essential parts of the reflectors `v` (v[j] = 1 implicit), as `dgeqr2`.
 */
function householder(at: Float64Array, m: number, n: number, k: number, tau: Float64Array) {
  for (let j = 0; j < k; j++) {
    const cj = j * m;
    // dlarfg: H = I - tau v vᵀ with H x = beta e1, beta = -sign(alpha) ||x||.
    const alpha = at[cj + j];
    let xnorm = 0;
    let scale = 0;
    for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(at[cj + i]));
    if (scale > 0) {
      let ss = 0;
      for (let i = j + 1; i < m; i++) {
        const v = at[cj + i] / scale;
        ss += v * v;
      }
      xnorm = scale * Math.sqrt(ss);
    } else if (scale !== 0) {
      xnorm = NaN; // NaN in the column propagates
    }
    if (xnorm === 0) {
      tau[j] = 0; // H = I
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) at[cj + i] *= inv;
    at[cj + j] = beta;
    // Apply H to the remaining columns: c ← c − tau v (vᵀ c).
    const t = tau[j];
    for (let c = j + 1; c < n; c++) {
      const cc = c * m;
      let w = at[cc + j];
      for (let i = j + 1; i < m; i++) w += at[cj + i] * at[cc + i];
      w *= t;
      at[cc + j] -= w;
      for (let i = j + 1; i < m; i++) at[cc + i] -= w * at[cj + i];
    }
  }
}

/** Form the first k columns of Q = H_0 ⋯ H_{k-1} into `qt` (transposed), as `dorg2r`. */
function formQ(at: Float64Array, m: number, k: number, tau: Float64Array, qt: Float64Array) {
  qt.fill(0);
  for (let c = 0; c < k; c++) qt[c * m + c] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const t = tau[j];
    if (t === 0) continue;
    const cj = j * m;
    // Columns c < j are e_c, untouched by H_j (it acts on rows ≥ j).
    for (let c = j; c < k; c++) {
      const cc = c * m;
      let w = qt[cc + j];
      for (let i = j + 1; i < m; i++) w += at[cj + i] * qt[cc + i];
      w *= t;
      qt[cc + j] -= w;
      for (let i = j + 1; i < m; i++) qt[cc + i] -= w * at[cj + i];
    }
  }
}
