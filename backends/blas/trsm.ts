/**
 * Batched triangular solves through `cblas_strsm` / `cblas_dtrsm` (row-major
 * CBLAS: the `lower` flag refers to the row-major matrix as given).
 *
 * @module
 */

import type { TensorInfo, TriangularSolveOptions } from "../backend.ts";
import { planBatch } from "./batch.ts";
import { type BlasSymbols, CBLAS } from "./ffi.ts";
import {
  checkFloatOperand,
  checkMatrixSize,
  checkSpan,
  type FloatArray,
  fmtShape,
} from "./validate.ts";

/**
 * Solve `op(A) X = B` (`leftSide`, `b: [..., n, m]`) or `X op(A) = B`
 * (`b: [..., m, n]`) for triangular `a: [..., n, n]`; `a`'s batch dims
 * broadcast to `b`'s. Returns the solution with `b`'s shape. A zero on the
 * diagonal gives Inf/NaN (as LAPACK), never a throw.
 *
 * @example
 * ```ts ignore
 * // needs a loaded OpenBLAS: see createBlasBackend()
 * const x = blasTriangularSolve(lib.symbols, a, b, { lower: true, leftSide: true, transposeA: false, unitDiagonal: false });
 * ```
 */
export function blasTriangularSolve(
  sym: BlasSymbols,
  a: TensorInfo,
  b: TensorInfo,
  options: TriangularSolveOptions,
): FloatArray {
  const fn = "triangularSolve";
  const A = checkFloatOperand(fn, "a", a, 2);
  const B = checkFloatOperand(fn, "b", b, 2);
  if (A.dtype !== B.dtype) {
    throw new TypeError(`${fn}(): a and b must share a dtype, got ${A.dtype} and ${B.dtype}`);
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${fn}(): options must be an object`);
  }
  const n = A.shape[A.shape.length - 1];
  const rows = B.shape[B.shape.length - 2];
  const cols = B.shape[B.shape.length - 1];
  const solved = options.leftSide ? rows : cols;
  if (A.shape[A.shape.length - 2] !== n || solved !== n) {
    throw new TypeError(
      `${fn}(): a ${fmtShape(A.shape)} and b ${fmtShape(B.shape)} do not match for a ${
        options.leftSide ? "left" : "right"
      }-side solve`,
    );
  }
  const bBatch = B.shape.slice(0, -2);
  const batch = planBatch(fn, A.shape.slice(0, -2), bBatch);
  if (batch.count !== batch.countB || batch.shape.length !== bBatch.length) {
    throw new TypeError(
      `${fn}(): batch dims of a ${fmtShape(A.shape)} must broadcast to those of b ${
        fmtShape(B.shape)
      }`,
    );
  }
  const out = B.values.slice();
  if (out.length === 0) return out;
  checkMatrixSize(fn, "a", n, n);
  checkMatrixSize(fn, "b", rows, cols);

  const trsm = A.dtype === "float64" ? sym.cblas_dtrsm : sym.cblas_strsm;
  const side = options.leftSide ? CBLAS.left : CBLAS.right;
  const uplo = options.lower ? CBLAS.lower : CBLAS.upper;
  const trans = options.transposeA ? CBLAS.trans : CBLAS.noTrans;
  const diag = options.unitDiagonal ? CBLAS.unit : CBLAS.nonUnit;
  const sa = n * n, sb = rows * cols;
  for (let i = 0; i < batch.count; i++) {
    const oa = batch.indexA[i] * sa, ob = i * sb;
    const av = A.values.subarray(oa, oa + sa);
    const bv = out.subarray(ob, ob + sb);
    checkSpan(fn, "a", av, 0, n, n, n);
    checkSpan(fn, "b", bv, 0, rows, cols, cols);
    trsm(CBLAS.rowMajor, side, uplo, trans, diag, rows, cols, 1, av, n, bv, cols);
  }
  return out;
}
