/**
 * Batched Cholesky through LAPACK `spotrf` / `dpotrf`.
 *
 * A row-major `n × n` buffer read column-major is `Aᵀ`; `?potrf('U')` on it
 * reads its upper triangle (the row-major lower triangle of `A`) and writes
 * `U` with `Uᵀ U = A`, which read back row-major is the lower factor `L = Uᵀ`.
 * So the factor comes out in place with no transposition.
 *
 * @module
 */

import type { TensorInfo } from "../backend.ts";
import type { BlasSymbols } from "./ffi.ts";
import { checkInfo, fchar, fint, need } from "./lapack.ts";
import {
  checkFloatOperand,
  checkMatrixSize,
  checkSpan,
  type FloatArray,
  fmtShape,
} from "./validate.ts";

/**
 * Lower Cholesky factor of each matrix of `a: [..., n, n]`, reading only the
 * lower triangle, upper part zero. A matrix that is not positive definite (or
 * whose factor would hold a NaN) comes back all NaN, as JAX; never throws for
 * values.
 *
 * @example
 * ```ts ignore
 * // needs a loaded OpenBLAS: see createBlasBackend()
 * const l = lapackCholesky(lib.symbols, a);
 * ```
 */
export function lapackCholesky(sym: BlasSymbols, a: TensorInfo): FloatArray {
  const fn = "cholesky";
  const A = checkFloatOperand(fn, "a", a, 2);
  const n = A.shape[A.shape.length - 1];
  if (A.shape[A.shape.length - 2] !== n) {
    throw new TypeError(`${fn}(): a must be square in its last two dims, got ${fmtShape(A.shape)}`);
  }
  const out = A.values.slice();
  if (out.length === 0) return out;
  checkMatrixSize(fn, "a", n, n);
  const potrf = A.dtype === "float64"
    ? need(fn, "dpotrf_", sym.dpotrf_)
    : need(fn, "spotrf_", sym.spotrf_);
  const uplo = fchar("U"), nn = fint(fn, n), info = new Int32Array(1);
  const size = n * n;
  for (let off = 0; off < out.length; off += size) {
    const m = out.subarray(off, off + size);
    checkSpan(fn, "a", m, 0, n, n, n);
    potrf(uplo, nn, m, nn, info, 1n);
    let ok = checkInfo(fn, "potrf", info) === 0;
    for (let i = 0; i < n && ok; i++) {
      const row = i * n;
      for (let j = 0; j <= i; j++) {
        const v = m[row + j];
        if (v !== v) {
          ok = false;
          break;
        }
      }
      m.fill(0, row + i + 1, row + n);
    }
    if (!ok) m.fill(NaN);
  }
  return out;
}
