/**
 * Batched Cholesky factorisation on the cpu.
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import { allocFloat, checkFloatDType, type FloatArray, matrixGeometry } from "./common.ts";

/**
 * Lower Cholesky factor `L` (`L Lᵀ = A`, upper part zero) of each matrix of
 * `a: [..., n, n]`, reading only the lower triangle. As JAX does, a matrix
 * whose factorisation meets a non-positive (or NaN) pivot comes back all NaN;
 * it never throws for values.
 *
 * Row-oriented Cholesky–Banachiewicz (Golub & Van Loan Alg. 4.2.1, dot-product
 * form) in float64, so the inner loops run over contiguous rows of `L`.
 *
 * @example
 * ```ts
 * import { choleskyKernel } from "./cholesky.ts";
 * const l = choleskyKernel(new Float64Array([4, 2, 2, 3]), [2, 2], "float64");
 * console.assert(l[0] === 2 && l[1] === 0 && l[2] === 1);
 * ```
 */
export function choleskyKernel(
  a: FloatArray,
  shape: readonly number[],
  dtype: DType,
): FloatArray {
  checkFloatDType("cholesky", dtype);
  const { batch, rows: n } = matrixGeometry("cholesky", "a", a, shape, true);
  const out = allocFloat(dtype, batch * n * n);
  const l = new Float64Array(n * n);
  for (let b = 0; b < batch; b++) {
    const base = b * n * n;
    if (factor(a, base, n, l)) {
      for (let i = 0; i < n * n; i++) out[base + i] = l[i];
    } else {
      out.fill(NaN, base, base + n * n);
    }
  }
  return out;
}

/** Factor one matrix into `l` (row-major, zero upper part); false on a bad pivot. */
function factor(a: FloatArray, base: number, n: number, l: Float64Array): boolean {
  l.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sum = a[base + ri + j];
      for (let k = 0; k < j; k++) sum -= l[ri + k] * l[rj + k];
      if (j < i) {
        l[ri + j] = sum / l[rj + j];
      } else {
        if (!(sum > 0)) return false; // non-SPD or NaN: JAX returns NaNs
        l[ri + i] = Math.sqrt(sum);
      }
    }
  }
  return true;
}
