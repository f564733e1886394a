/**
 * Batched reduced QR through LAPACK `sgeqrf` + `sorgqr` (d-versions for
 * float64).
 *
 * The QR of a row-major `A` cannot be read off a routine applied to its
 * column-major view `Aᵀ` (that would be an LQ), so each matrix is transposed
 * into a column-major work array first (O(mn), against O(mn·k) for the
 * factorization), and `q` is transposed back.
 *
 * @module
 */

import type { TensorInfo } from "../backend.ts";
import type { BlasSymbols } from "./ffi.ts";
import { checkInfo, fint, floatWorkspace, need } from "./lapack.ts";
import {
  checkFloatOperand,
  checkMatrixSize,
  checkShape,
  checkSpan,
  type FloatArray,
} from "./validate.ts";

/** Result of {@link lapackQr}. */
export interface BlasQrResult {
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
 * Reduced QR `A = Q R` of each matrix of `a: [..., m, n]`, k = min(m, n).
 * LAPACK's sign convention: `r`'s diagonal may be negative.
 *
 * @example
 * ```ts ignore
 * // needs a loaded OpenBLAS: see createBlasBackend()
 * const { q, r } = lapackQr(lib.symbols, a);
 * ```
 */
export function lapackQr(sym: BlasSymbols, a: TensorInfo): BlasQrResult {
  const fn = "qr";
  const A = checkFloatOperand(fn, "a", a, 2);
  const rank = A.shape.length;
  const m = A.shape[rank - 2], n = A.shape[rank - 1], k = Math.min(m, n);
  const batchShape = A.shape.slice(0, -2);
  const qShape = [...batchShape, m, k], rShape = [...batchShape, k, n];
  const f64 = A.dtype === "float64";
  const alloc = (name: string, shape: number[]): FloatArray => {
    const size = checkShape(fn, name, shape);
    return f64 ? new Float64Array(size) : new Float32Array(size);
  };
  const q = alloc("q", qShape), r = alloc("r", rShape);
  const result = { q, r, qShape, rShape };
  if (k === 0 || q.length === 0) return result;
  checkMatrixSize(fn, "a", m, n);
  const geqrf = f64 ? need(fn, "dgeqrf_", sym.dgeqrf_) : need(fn, "sgeqrf_", sym.sgeqrf_);
  const orgqr = f64 ? need(fn, "dorgqr_", sym.dorgqr_) : need(fn, "sorgqr_", sym.sorgqr_);

  const mm = fint(fn, m), nn = fint(fn, n), kk = fint(fn, k), info = new Int32Array(1);
  const at = f64 ? new Float64Array(m * n) : new Float32Array(m * n); // column-major m × n
  const tau = f64 ? new Float64Array(k) : new Float32Array(k);
  const q1 = f64 ? new Float64Array(1) : new Float32Array(1);
  const q2 = f64 ? new Float64Array(1) : new Float32Array(1);
  geqrf(mm, nn, at, mm, tau, q1, fint(fn, -1), info);
  checkInfo(fn, "geqrf", info);
  orgqr(mm, kk, kk, at, mm, tau, q2, fint(fn, -1), info);
  checkInfo(fn, "orgqr", info);
  const work = floatWorkspace(fn, A.dtype, q1[0] >= q2[0] ? q1 : q2, n);
  const lwork = fint(fn, work.length);

  const count = A.values.length / (m * n);
  for (let b = 0; b < count; b++) {
    const base = b * m * n;
    for (let i = 0; i < m; i++) {
      const row = base + i * n;
      for (let c = 0; c < n; c++) at[c * m + i] = A.values[row + c];
    }
    checkSpan(fn, "a", at, 0, n, m, m); // m × n column-major, lda m
    geqrf(mm, nn, at, mm, tau, work, lwork, info);
    checkInfo(fn, "geqrf", info);
    const rb = b * k * n;
    for (let i = 0; i < k; i++) {
      for (let c = i; c < n; c++) r[rb + i * n + c] = at[c * m + i];
    }
    orgqr(mm, kk, kk, at, mm, tau, work, lwork, info);
    checkInfo(fn, "orgqr", info);
    const qb = b * m * k;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < k; c++) q[qb + i * k + c] = at[c * m + i];
    }
  }
  return result;
}
