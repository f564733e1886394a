/**
 * Batched symmetric eigendecomposition through LAPACK `ssyevd` / `dsyevd`
 * (divide and conquer, `jobz = 'V'`).
 *
 * A row-major `n × n` buffer read column-major is `Aᵀ`, whose upper triangle
 * is the row-major lower triangle of `A`: `?syevd('U')` on it uses exactly the
 * lower triangle. The eigenvectors come back as column-major columns, so each
 * matrix is transposed once (O(n²)) into row-major columns.
 *
 * @module
 */

import type { TensorInfo } from "../backend.ts";
import type { BlasSymbols } from "./ffi.ts";
import { allFinite, checkInfo, fchar, fint, floatWorkspace, need } from "./lapack.ts";
import {
  checkFloatOperand,
  checkMatrixSize,
  checkSpan,
  type FloatArray,
  fmtShape,
  INT32_MAX,
} from "./validate.ts";

/** Result of {@link lapackEigh}. */
export interface BlasEighResult {
  /** Eigenvalues ascending, `[..., n]`. */
  readonly values: FloatArray;
  /** Orthonormal eigenvectors as columns, `[..., n, n]`. */
  readonly vectors: FloatArray;
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix
 * of `a: [..., n, n]`, reading only the lower triangle. A matrix with a NaN or
 * infinite entry in that triangle, or on which LAPACK does not converge, comes
 * back all NaN (no throw).
 *
 * @example
 * ```ts ignore
 * // needs a loaded OpenBLAS: see createBlasBackend()
 * const { values, vectors } = lapackEigh(lib.symbols, a);
 * ```
 */
export function lapackEigh(sym: BlasSymbols, a: TensorInfo): BlasEighResult {
  const fn = "eigh";
  const A = checkFloatOperand(fn, "a", a, 2);
  const n = A.shape[A.shape.length - 1];
  if (A.shape[A.shape.length - 2] !== n) {
    throw new TypeError(`${fn}(): a must be square in its last two dims, got ${fmtShape(A.shape)}`);
  }
  const f64 = A.dtype === "float64";
  const size = n * n;
  const count = size === 0 ? 0 : A.values.length / size;
  const values = f64 ? new Float64Array(count * n) : new Float32Array(count * n);
  const vectors = f64 ? new Float64Array(A.values.length) : new Float32Array(A.values.length);
  if (size === 0) return { values, vectors };
  checkMatrixSize(fn, "a", n, n);
  const syevd = f64 ? need(fn, "dsyevd_", sym.dsyevd_) : need(fn, "ssyevd_", sym.ssyevd_);

  const jobz = fchar("V"), uplo = fchar("U"), nn = fint(fn, n), info = new Int32Array(1);
  const z = f64 ? new Float64Array(size) : new Float32Array(size);
  const query = f64 ? new Float64Array(1) : new Float32Array(1);
  const iquery = new Int32Array(1);
  const w = values.subarray(0, n);
  syevd(jobz, uplo, nn, z, nn, w, query, fint(fn, -1), iquery, fint(fn, -1), info, 1n, 1n);
  checkInfo(fn, "syevd", info);
  const work = floatWorkspace(fn, A.dtype, query, 1);
  if (!(iquery[0] >= 1 && iquery[0] <= INT32_MAX)) {
    throw new RangeError(`${fn}(): syevd reported an invalid integer workspace ${iquery[0]}`);
  }
  const iwork = new Int32Array(iquery[0]);
  const lwork = fint(fn, work.length), liwork = fint(fn, iwork.length);

  for (let b = 0; b < count; b++) {
    const base = b * size;
    const vb = values.subarray(b * n, b * n + n);
    const out = vectors.subarray(base, base + size);
    if (!lowerFinite(A.values, base, n)) {
      vb.fill(NaN);
      out.fill(NaN);
      continue;
    }
    z.set(A.values.subarray(base, base + size));
    checkSpan(fn, "a", z, 0, n, n, n);
    syevd(jobz, uplo, nn, z, nn, vb, work, lwork, iwork, liwork, info, 1n, 1n);
    if (checkInfo(fn, "syevd", info) > 0) {
      vb.fill(NaN);
      out.fill(NaN);
      continue;
    }
    // z holds eigenvector j at z[j*n .. j*n+n); row-major columns: out[i*n + j].
    for (let j = 0; j < n; j++) {
      const col = j * n;
      for (let i = 0; i < n; i++) out[i * n + j] = z[col + i];
    }
  }
  return { values, vectors };
}

/** True when the row-major lower triangle of the matrix at `base` is finite. */
function lowerFinite(a: FloatArray, base: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    if (!allFinite(a, base + i * n, i + 1)) return false;
  }
  return true;
}
