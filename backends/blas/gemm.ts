/**
 * Batched matmul through `cblas_sgemm` / `cblas_dgemm` (row-major CBLAS, so
 * no transposition of the operands is ever copied).
 *
 * @module
 */

import type { TensorInfo } from "../backend.ts";
import { planBatch } from "./batch.ts";
import { type BlasSymbols, CBLAS } from "./ffi.ts";
import {
  checkFloatOperand,
  checkMatrixSize,
  checkShape,
  checkSpan,
  type FloatArray,
  fmtShape,
  INT32_MAX,
} from "./validate.ts";

/** Result of {@link blasMatmul}. */
export interface MatmulResult {
  /** Output values, row-major. */
  readonly values: FloatArray;
  /** Output shape `[...batch, m, n]`. */
  readonly shape: number[];
}

/**
 * `a @ b` over the last two axes with NumPy broadcasting of the batch dims;
 * `transposeA`/`transposeB` use `aᵀ`/`bᵀ` of each matrix. Validates every
 * operand, then calls one GEMM per output matrix — or a single GEMM when `b`
 * is one matrix shared by the whole batch and `a` is not transposed (the batch
 * folds into the rows of `a`). The output comes from `alloc` (default: a new
 * array); its old contents are irrelevant since GEMM runs with `beta = 0`.
 *
 * @example
 * ```ts ignore
 * // needs a loaded OpenBLAS: see createBlasBackend()
 * const r = blasMatmul(lib.symbols, a, b, false, false);
 * ```
 */
export function blasMatmul(
  sym: BlasSymbols,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  alloc: (dtype: "float32" | "float64", size: number) => FloatArray = newArray,
): MatmulResult {
  const fn = "matmul";
  const A = checkFloatOperand(fn, "a", a, 2);
  const B = checkFloatOperand(fn, "b", b, 2);
  if (A.dtype !== B.dtype) {
    throw new TypeError(`${fn}(): a and b must share a dtype, got ${A.dtype} and ${B.dtype}`);
  }
  const ra = A.shape.length, rb = B.shape.length;
  const m = transposeA ? A.shape[ra - 1] : A.shape[ra - 2];
  const k = transposeA ? A.shape[ra - 2] : A.shape[ra - 1];
  const kb = transposeB ? B.shape[rb - 1] : B.shape[rb - 2];
  const n = transposeB ? B.shape[rb - 2] : B.shape[rb - 1];
  if (k !== kb) {
    throw new TypeError(
      `${fn}(): inner dims differ: a ${fmtShape(A.shape)}${transposeA ? "ᵀ" : ""} and b ${
        fmtShape(B.shape)
      }${transposeB ? "ᵀ" : ""} (${k} vs ${kb})`,
    );
  }
  const batch = planBatch(fn, A.shape.slice(0, -2), B.shape.slice(0, -2));
  const shape = [...batch.shape, m, n];
  const size = checkShape(fn, "output", shape);
  const out = alloc(A.dtype, size); // may hold stale values: every element is written below
  if (size === 0 || k === 0) return { values: out.fill(0), shape };
  checkMatrixSize(fn, "a", m, k);
  checkMatrixSize(fn, "b", k, n);
  checkMatrixSize(fn, "output", m, n);

  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  const ta = transposeA ? CBLAS.trans : CBLAS.noTrans;
  const tb = transposeB ? CBLAS.trans : CBLAS.noTrans;
  const gemm = A.dtype === "float64" ? sym.cblas_dgemm : sym.cblas_sgemm;
  const call = (
    av: FloatArray,
    bv: FloatArray,
    cv: FloatArray,
    rows: number,
  ): void => {
    checkSpan(fn, "a", av, 0, transposeA ? k : rows, transposeA ? rows : k, lda);
    checkSpan(fn, "b", bv, 0, transposeB ? n : k, transposeB ? k : n, ldb);
    checkSpan(fn, "output", cv, 0, rows, n, n);
    gemm(CBLAS.rowMajor, ta, tb, rows, n, k, 1, av, lda, bv, ldb, 0, cv, n);
  };

  // One GEMM when b is shared by the whole batch: a's matrices stack into rows.
  const total = batch.count * m;
  const foldable = batch.countB === 1 && !transposeA && batch.countA === batch.count &&
    total * Math.max(k, n) <= INT32_MAX;
  if (foldable) {
    call(A.values, B.values, out, total);
    return { values: out, shape };
  }
  const sa = m * k, sb = k * n, sc = m * n;
  for (let i = 0; i < batch.count; i++) {
    const oa = batch.indexA[i] * sa, ob = batch.indexB[i] * sb, oc = i * sc;
    call(
      A.values.subarray(oa, oa + sa),
      B.values.subarray(ob, ob + sb),
      out.subarray(oc, oc + sc),
      m,
    );
  }
  return { values: out, shape };
}

function newArray(dtype: "float32" | "float64", size: number): FloatArray {
  return dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
}
