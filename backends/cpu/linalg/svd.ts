/**
 * Batched thin SVD on the cpu (one-sided Jacobi).
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import {
  allFinite,
  allocFloat,
  checkFloatDType,
  type FloatArray,
  matrixGeometry,
} from "./common.ts";
import { completeRows, hestenes, scaledNorm } from "./jacobi.ts";

/** Result of {@link svdKernel}. */
export interface SvdResult {
  /** Left singular vectors as columns, `[..., m, k]`. */
  readonly u: FloatArray;
  /** Singular values, descending and non-negative, `[..., k]`. */
  readonly s: FloatArray;
  /** Right singular vectors as rows, `[..., k, n]`. */
  readonly vh: FloatArray;
  /** Shape of `u`. */
  readonly uShape: number[];
  /** Shape of `s`. */
  readonly sShape: number[];
  /** Shape of `vh`. */
  readonly vhShape: number[];
}

/**
 * Thin SVD `A = U diag(s) Vh` of each matrix of `a: [..., m, n]`,
 * k = min(m, n): `s` descending and non-negative, `u` and `vh` with
 * orthonormal columns / rows (completed against unit vectors where a
 * singular value is zero). A matrix with a NaN or infinite entry comes back
 * all NaN (no throw).
 *
 * One-sided Jacobi (Hestenes 1958; Demmel & Veselić 1992) on the k vectors
 * that are the columns of A (m ≥ n) or of Aᵀ (m < n), in float64 after
 * scaling A to max |a| = 1, which gives singular values to high relative
 * accuracy, also for ill-conditioned and rank-deficient matrices.
 *
 * @example
 * ```ts
 * import { svdKernel } from "./svd.ts";
 * const { s } = svdKernel(new Float64Array([3, 0, 0, -4]), [2, 2], "float64");
 * console.assert(s[0] === 4 && s[1] === 3);
 * ```
 */
export function svdKernel(a: FloatArray, shape: readonly number[], dtype: DType): SvdResult {
  checkFloatDType("svd", dtype);
  const { batch, rows: m, cols: n, batchShape } = matrixGeometry("svd", "a", a, shape, false);
  const k = Math.min(m, n);
  const q = Math.max(m, n);
  const u = allocFloat(dtype, batch * m * k);
  const s = allocFloat(dtype, batch * k);
  const vh = allocFloat(dtype, batch * k * n);
  const w = new Float64Array(k * q); // k vectors of length q, as rows
  const vr = new Float64Array(k * k); // accumulated rotations, as rows
  const sig = new Float64Array(k);
  const order: number[] = [];
  const wn = new Float64Array(k * q); // w's rows normalised, in descending order
  for (let b = 0; b < batch; b++) {
    const base = b * m * n;
    const ub = b * m * k, vb = b * k * n;
    if (!allFinite(a, base, m * n)) {
      u.fill(NaN, ub, ub + m * k);
      s.fill(NaN, b * k, b * k + k);
      vh.fill(NaN, vb, vb + k * n);
      continue;
    }
    // Rows of w: columns of A when m ≥ n, else rows of A (the columns of Aᵀ).
    let amax = 0;
    for (let i = 0; i < m * n; i++) amax = Math.max(amax, Math.abs(a[base + i]));
    const inv = amax > 0 ? 1 / amax : 1;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) {
        const x = a[base + i * n + c] * inv;
        if (m >= n) w[c * q + i] = x;
        else w[i * q + c] = x;
      }
    }
    hestenes(w, k, q, vr);
    for (let i = 0; i < k; i++) sig[i] = scaledNorm(w, i * q, q);
    order.length = 0;
    for (let i = 0; i < k; i++) order.push(i);
    order.sort((x, y) => sig[y] - sig[x] || x - y);
    for (let r = 0; r < k; r++) {
      const i = order[r];
      s[b * k + r] = sig[i] * amax;
      const scale = sig[i] > 0 ? 1 / sig[i] : 0;
      for (let t = 0; t < q; t++) wn[r * q + t] = w[i * q + t] * scale;
    }
    let filled = 0;
    while (filled < k && sig[order[filled]] > 0) filled++;
    completeRows(wn, k, q, filled);
    // m ≥ n: U = normalised w (as columns), Vh = rows of vr.
    // m < n: A = vr-columns · Σ · (normalised w), so U = vr rows as columns, Vh = w rows.
    for (let r = 0; r < k; r++) {
      const i = order[r];
      if (m >= n) {
        for (let t = 0; t < m; t++) u[ub + t * k + r] = wn[r * q + t];
        for (let t = 0; t < n; t++) vh[vb + r * n + t] = vr[i * k + t];
      } else {
        for (let t = 0; t < m; t++) u[ub + t * k + r] = vr[i * k + t];
        for (let t = 0; t < n; t++) vh[vb + r * n + t] = wn[r * q + t];
      }
    }
  }
  return {
    u,
    s,
    vh,
    uShape: [...batchShape, m, k],
    sShape: [...batchShape, k],
    vhShape: [...batchShape, k, n],
  };
}
