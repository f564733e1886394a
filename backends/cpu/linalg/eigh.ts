/**
 * Batched symmetric eigendecomposition on the cpu.
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

/** Result of {@link eighKernel}. */
export interface EighResult {
  /** Ascending eigenvalues, `[..., n]`. */
  readonly values: FloatArray;
  /** Orthonormal eigenvectors as columns, `[..., n, n]`. */
  readonly vectors: FloatArray;
}

/**
 * Eigendecomposition `A = V diag(w) Vᵀ` of each symmetric matrix of
 * `a: [..., n, n]`, reading only the lower triangle: eigenvalues ascending,
 * eigenvectors orthonormal columns. A matrix with a NaN or infinite entry
 * comes back all NaN (no throw).
 *
 * Householder tridiagonalisation then the implicit QL algorithm, after the
 * EISPACK routines tred2/tql2 (Bowdler, Martin, Reinsch & Wilkinson, Handbook
 * for Automatic Computation II/2–3; as in JAMA), in float64.
 *
 * @example
 * ```ts
 * import { eighKernel } from "./eigh.ts";
 * const { values } = eighKernel(new Float64Array([2, 1, 1, 2]), [2, 2], "float64");
 * console.assert(Math.abs(values[0] - 1) < 1e-12 && Math.abs(values[1] - 3) < 1e-12);
 * ```
 */
export function eighKernel(a: FloatArray, shape: readonly number[], dtype: DType): EighResult {
  checkFloatDType("eigh", dtype);
  const { batch, rows: n } = matrixGeometry("eigh", "a", a, shape, true);
  const values = allocFloat(dtype, batch * n);
  const vectors = allocFloat(dtype, batch * n * n);
  const v = new Float64Array(n * n);
  const vt = new Float64Array(n * n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let b = 0; b < batch; b++) {
    const base = b * n * n;
    if (!lowerFinite(a, base, n)) {
      values.fill(NaN, b * n, (b + 1) * n);
      vectors.fill(NaN, base, base + n * n);
      continue;
    }
    // Symmetrise from the lower triangle.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const x = a[base + i * n + j];
        v[i * n + j] = x;
        v[j * n + i] = x;
      }
    }
    tred2(v, n, d, e);
    // tql2 rotates columns of V; hold them as rows of vt so each rotation is contiguous.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j];
    }
    tql2(vt, n, d, e);
    for (let i = 0; i < n; i++) values[b * n + i] = d[i];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) vectors[base + i * n + j] = vt[j * n + i];
    }
  }
  return { values, vectors };
}

/** True when the lower triangle of the matrix at `base` is finite. */
function lowerFinite(a: FloatArray, base: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    if (!allFinite(a, base + i * n, i + 1)) return false;
  }
  return true;
}

/**
 * Householder reduction of the symmetric `v` (row-major n × n) to tridiagonal
 * form: on return `d` is the diagonal, `e[1..]` the subdiagonal and `v` the
 * accumulated orthogonal transformation (EISPACK tred2).
 */
function tred2(v: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  if (n === 0) return;
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      // Generate the Householder vector.
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k];
          e[k] += v[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
        for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j];
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Most QL sweeps per eigenvalue before accepting the current value (EISPACK uses 30). */
const MAX_QL_ITER = 60;

/**
 * Implicit QL with implicit shifts on the tridiagonal (`d`, `e`),
 * rotating the eigenvector rows of `vt` (row i = eigenvector i), then sort
 * ascending (EISPACK tql2).
 */
function tql2(vt: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  if (n === 0) return;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    // Find a small subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        // Implicit shift.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL transformation.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Accumulate the rotation on eigenvector rows i and i + 1.
          const ri = i * n;
          const rj = ri + n;
          for (let k = 0; k < n; k++) {
            const x = vt[rj + k];
            const y = vt[ri + k];
            vt[rj + k] = s * y + c * x;
            vt[ri + k] = c * y - s * x;
          }
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1 && iter < MAX_QL_ITER);
    }
    d[l] += f;
    e[l] = 0;
  }
  // Selection sort of the eigenpairs, ascending.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = vt[i * n + j];
        vt[i * n + j] = vt[k * n + j];
        vt[k * n + j] = t;
      }
    }
  }
}
