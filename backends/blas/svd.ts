/**
 * Batched thin SVD through LAPACK `sgesdd` / `dgesdd` (`jobz = 'S'`).
 *
 * A row-major `m × n` matrix `A` read column-major is `Aᵀ` (`n × m`). Its SVD
 * `Aᵀ = U' S VT'` gives `A = VT'ᵀ S U'ᵀ`, and a column-major `VT'` (`k × m`)
 * read row-major is `VT'ᵀ` (`m × k`): the `u` we want; likewise column-major
 * `U'` (`n × k`) read row-major is `vh` (`k × n`). So LAPACK writes `u` and
 * `vh` straight into the output buffers, with no transposition.
 *
 * @module
 */

import type { TensorInfo } from "../backend.ts";
import type { BlasSymbols } from "./ffi.ts";
import { allFinite, checkInfo, fchar, fint, floatWorkspace, need } from "./lapack.ts";
import {
  checkFloatOperand,
  checkMatrixSize,
  checkShape,
  checkSpan,
  type FloatArray,
} from "./validate.ts";

/** Result of {@link lapackSvd}. */
export interface BlasSvdResult {
  /** Left singular vectors as columns, `[..., m, k]`. */
  readonly u: FloatArray;
  /** Singular values, descending, `[..., k]`. */
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
 * Thin SVD of each matrix of `a: [..., m, n]`, k = min(m, n). A matrix with a
 * NaN or infinite entry, or on which LAPACK does not converge, comes back all
 * NaN (no throw).
 *
 * @example
 * ```ts ignore
 * // needs a loaded OpenBLAS: see createBlasBackend()
 * const { u, s, vh } = lapackSvd(lib.symbols, a);
 * ```
 */
export function lapackSvd(sym: BlasSymbols, a: TensorInfo): BlasSvdResult {
  const fn = "svd";
  const A = checkFloatOperand(fn, "a", a, 2);
  const r = A.shape.length;
  const m = A.shape[r - 2], n = A.shape[r - 1], k = Math.min(m, n);
  const batchShape = A.shape.slice(0, -2);
  const uShape = [...batchShape, m, k], sShape = [...batchShape, k];
  const vhShape = [...batchShape, k, n];
  const f64 = A.dtype === "float64";
  const alloc = (shape: number[]) => {
    const size = checkShape(fn, "output", shape);
    return f64 ? new Float64Array(size) : new Float32Array(size);
  };
  const u = alloc(uShape), s = alloc(sShape), vh = alloc(vhShape);
  const result = { u, s, vh, uShape, sShape, vhShape };
  if (k === 0 || s.length === 0) return result;
  checkMatrixSize(fn, "a", m, n);
  const gesdd = f64 ? need(fn, "dgesdd_", sym.dgesdd_) : need(fn, "sgesdd_", sym.sgesdd_);

  // Column-major problem: M' = n rows, N' = m columns.
  const jobz = fchar("S"), mm = fint(fn, n), nn = fint(fn, m), ldvt = fint(fn, k);
  const info = new Int32Array(1), iwork = new Int32Array(8 * k);
  const work0 = f64 ? new Float64Array(m * n) : new Float32Array(m * n);
  const query = f64 ? new Float64Array(1) : new Float32Array(1);
  gesdd(jobz, mm, nn, work0, mm, s, vh, mm, u, ldvt, query, fint(fn, -1), iwork, info, 1n);
  checkInfo(fn, "gesdd", info);
  const work = floatWorkspace(fn, A.dtype, query, 1);
  const lwork = fint(fn, work.length);

  const size = m * n;
  for (let b = 0; b * size < A.values.length; b++) {
    const sb = s.subarray(b * k, b * k + k);
    const ub = u.subarray(b * m * k, (b + 1) * m * k);
    const vb = vh.subarray(b * k * n, (b + 1) * k * n);
    if (!allFinite(A.values, b * size, size)) {
      nanAll(sb, ub, vb);
      continue;
    }
    work0.set(A.values.subarray(b * size, (b + 1) * size));
    checkSpan(fn, "a", work0, 0, m, n, n); // n × m column-major, lda n
    checkSpan(fn, "vh", vb, 0, k, n, n); // U': n × k column-major, ldu n
    checkSpan(fn, "u", ub, 0, m, k, k); // VT': k × m column-major, ldvt k
    gesdd(jobz, mm, nn, work0, mm, sb, vb, mm, ub, ldvt, work, lwork, iwork, info, 1n);
    if (checkInfo(fn, "gesdd", info) > 0) nanAll(sb, ub, vb);
  }
  return result;
}

function nanAll(...xs: FloatArray[]): void {
  for (const x of xs) x.fill(NaN);
}
