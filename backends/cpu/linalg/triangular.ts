/**
 * Batched triangular solves on the cpu.
 *
 * @module
 */

import type { DType, TriangularSolveOptions } from "../../backend.ts";
import {
  allocFloat,
  checkFloatDType,
  type FloatArray,
  fmtShape,
  matrixGeometry,
} from "./common.ts";

/**
 * Solve `op(A) X = B` (`leftSide`, `b: [..., n, m]`) or `X op(A) = B`
 * (`b: [..., m, n]`) for each matrix of the batch, where `op(A)` is `A` or
 * `Aᵀ` and `A: [..., n, n]` is triangular (only the `lower`/upper triangle is
 * read; `unitDiagonal` assumes ones on the diagonal). `a` and `b` carry the
 * same batch dims. The result has `b`'s shape. A zero on the diagonal gives
 * Inf/NaN, as LAPACK's `trsm` does, never a throw.
 *
 * Forward/back substitution (Golub & Van Loan Alg. 3.1.1/3.1.2), written as
 * row updates (axpy over contiguous rows) for cache friendliness.
 *
 * @example
 * ```ts
 * import { triangularSolveKernel } from "./triangular.ts";
 * const x = triangularSolveKernel(
 *   new Float64Array([2, 0, 1, 1]), [2, 2],
 *   new Float64Array([4, 3]), [2, 1], "float64",
 *   { lower: true, leftSide: true, transposeA: false, unitDiagonal: false },
 * );
 * console.assert(x[0] === 2 && x[1] === 1);
 * ```
 */
export function triangularSolveKernel(
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  dtype: DType,
  options: TriangularSolveOptions,
): FloatArray {
  const fn = "triangularSolve";
  checkFloatDType(fn, dtype);
  const ga = matrixGeometry(fn, "a", a, aShape, true);
  const gb = matrixGeometry(fn, "b", b, bShape, false);
  const n = ga.rows;
  const sameBatch = ga.batchShape.length === gb.batchShape.length &&
    ga.batchShape.every((d, i) => d === gb.batchShape[i]);
  const solvedDim = options.leftSide ? gb.rows : gb.cols;
  if (!sameBatch || solvedDim !== n) {
    throw new TypeError(
      `${fn}(): a ${fmtShape(aShape)} and b ${fmtShape(bShape)} do not match for a ${
        options.leftSide ? "left" : "right"
      }-side solve`,
    );
  }
  const size = gb.rows * gb.cols;
  const out = allocFloat(dtype, gb.batch * size);
  const t = new Float64Array(n * n);
  const x = new Float64Array(size);
  // op(A) is lower triangular when exactly one of (lower, transposeA) holds.
  const effLower = options.lower !== options.transposeA;
  for (let bi = 0; bi < gb.batch; bi++) {
    loadOp(a, bi * n * n, n, options, t);
    for (let i = 0; i < size; i++) x[i] = b[bi * size + i];
    if (options.leftSide) solveLeft(t, n, x, gb.cols, effLower);
    else solveRight(t, n, x, gb.rows, effLower);
    out.set(x, bi * size);
  }
  return out;
}

/** Copy the used triangle of `op(A)` into `t` (other triangle zero, unit diagonal applied). */
function loadOp(
  a: FloatArray,
  base: number,
  n: number,
  { lower, transposeA, unitDiagonal }: TriangularSolveOptions,
  t: Float64Array,
): void {
  t.fill(0);
  for (let i = 0; i < n; i++) {
    const j0 = lower ? 0 : i + 1;
    const j1 = lower ? i : n;
    for (let j = j0; j < j1; j++) {
      const v = a[base + i * n + j];
      if (transposeA) t[j * n + i] = v;
      else t[i * n + j] = v;
    }
    t[i * n + i] = unitDiagonal ? 1 : a[base + i * n + i];
  }
}

/** Solve `T X = B` in place (`x` holds B, n × m): row i of X from rows already solved. */
function solveLeft(t: Float64Array, n: number, x: Float64Array, m: number, lower: boolean) {
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const ri = i * m;
    const k0 = lower ? 0 : i + 1;
    const k1 = lower ? i : n;
    for (let k = k0; k < k1; k++) {
      const tik = t[i * n + k];
      const rk = k * m;
      for (let c = 0; c < m; c++) x[ri + c] -= tik * x[rk + c];
    }
    const d = t[i * n + i];
    for (let c = 0; c < m; c++) x[ri + c] /= d;
  }
}

/**
 * Solve `X T = B` in place (`x` holds B, m × n), one row `x` at a time:
 * `x T = b` is `Tᵀ xᵀ = bᵀ`; once `x[i]` is final, row i of T updates the rest.
 */
function solveRight(t: Float64Array, n: number, x: Float64Array, m: number, lower: boolean) {
  for (let r = 0; r < m; r++) {
    const rr = r * n;
    for (let s = 0; s < n; s++) {
      const i = lower ? n - 1 - s : s;
      const xi = (x[rr + i] /= t[i * n + i]);
      const ri = i * n;
      const j0 = lower ? 0 : i + 1;
      const j1 = lower ? i : n;
      for (let j = j0; j < j1; j++) x[rr + j] -= xi * t[ri + j];
    }
  }
}
