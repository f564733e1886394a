/**
 * One-sided Jacobi orthogonalisation and basis completion, the engine of
 * the cpu SVD.
 *
 * @module
 */

/** Sweeps before giving up (convergence is quadratic; typical runs take 6–12). */
const MAX_SWEEPS = 60;

/**
 * Orthogonalise the `p` rows (length `q`) of `w` in place by plane rotations
 * (Hestenes one-sided Jacobi, cyclic by rows; Demmel & Veselić 1992,
 * Alg. 4.1), accumulating them into `vr` (p × p, set to the identity first),
 * so that on return `w_in = vrᵀ · w` (rows) and the rows of `w` are mutually
 * orthogonal to `sqrt(q)·eps` relative to their norms.
 *
 * @example
 * ```ts
 * import { hestenes } from "./jacobi.ts";
 * const w = new Float64Array([1, 1, 0, 1]);
 * const vr = new Float64Array(4);
 * hestenes(w, 2, 2, vr);
 * console.assert(Math.abs(w[0] * w[2] + w[1] * w[3]) < 1e-15);
 * ```
 */
export function hestenes(w: Float64Array, p: number, q: number, vr: Float64Array): void {
  vr.fill(0);
  for (let i = 0; i < p; i++) vr[i * p + i] = 1;
  const norms = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let ss = 0;
    for (let t = i * q; t < i * q + q; t++) ss += w[t] * w[t];
    norms[i] = ss;
  }
  const tol = Math.sqrt(Math.max(q, 1)) * 2 ** -52;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    sortByNorm(w, p, q, vr, norms);
    if (!sweepOnce(w, p, q, vr, norms, tol)) return;
  }
}

/** One cyclic-by-rows sweep over all pairs; true when some pair was rotated. */
function sweepOnce(
  w: Float64Array,
  p: number,
  q: number,
  vr: Float64Array,
  norms: Float64Array,
  tol: number,
): boolean {
  let rotated = false;
  for (let i = 0; i < p - 1; i++) {
    for (let j = i + 1; j < p; j++) {
      const alpha = norms[i];
      const beta = norms[j];
      const gamma = dot(w, i * q, j * q, q);
      if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
      rotated = true;
      // Rotation that zeroes the (i, j) entry of the 2 × 2 Gram matrix.
      const zeta = (beta - alpha) / (2 * gamma);
      const az = Math.abs(zeta);
      const tan = (zeta >= 0 ? 1 : -1) / (az > 1e150 ? 2 * az : az + Math.sqrt(1 + zeta * zeta));
      const c = 1 / Math.sqrt(1 + tan * tan);
      const s = c * tan;
      rotate(w, i * q, j * q, q, c, s, norms, i, j);
      rotate(vr, i * p, j * p, p, c, s, null, i, j);
    }
  }
  return rotated;
}

/** Dot product of `w[ri, ri + len)` and `w[rj, rj + len)`. */
function dot(w: Float64Array, ri: number, rj: number, len: number): number {
  let d = 0;
  for (let t = 0; t < len; t++) d += w[ri + t] * w[rj + t];
  return d;
}

/**
 * Rows (x, y) ← (c x − s y, s x + c y) at offsets ri, rj; store their new
 * squared norms at `norms[i]`, `norms[j]` when `norms` is given.
 */
function rotate(
  w: Float64Array,
  ri: number,
  rj: number,
  len: number,
  c: number,
  s: number,
  norms: Float64Array | null,
  i: number,
  j: number,
): void {
  let ni = 0, nj = 0;
  for (let t = 0; t < len; t++) {
    const x = w[ri + t], y = w[rj + t];
    const xn = c * x - s * y;
    const yn = s * x + c * y;
    w[ri + t] = xn;
    w[rj + t] = yn;
    ni += xn * xn;
    nj += yn * yn;
  }
  if (norms !== null) {
    norms[i] = ni;
    norms[j] = nj;
  }
}

/**
 * Euclidean norm of `w[offset, offset + len)`, scaled by the largest
 * magnitude so that tiny or huge entries neither underflow nor overflow.
 *
 * @example
 * ```ts
 * import { scaledNorm } from "./jacobi.ts";
 * console.assert(scaledNorm(new Float64Array([3e-200, 4e-200]), 0, 2) === 5e-200);
 * ```
 */
export function scaledNorm(w: Float64Array, offset: number, len: number): number {
  let mx = 0;
  for (let t = offset; t < offset + len; t++) mx = Math.max(mx, Math.abs(w[t]));
  if (mx === 0) return 0;
  let ss = 0;
  for (let t = offset; t < offset + len; t++) {
    const x = w[t] / mx;
    ss += x * x;
  }
  return mx * Math.sqrt(ss);
}

/**
 * Fill rows `filled .. p-1` of `w` (p rows of length q, p ≤ q; rows
 * `0 .. filled-1` orthonormal) with further orthonormal rows: unit vectors
 * e_c taken in order, each orthogonalised by two passes of modified
 * Gram–Schmidt (Björck 1967, "twice is enough") and kept when its residual
 * norm is at least 1/(2√q) — such an e_c always remains, since the residuals
 * of all q unit vectors square-sum to q − filled ≥ 1.
 *
 * @example
 * ```ts
 * import { completeRows } from "./jacobi.ts";
 * const w = new Float64Array([0.6, 0.8, 0, 0]);
 * completeRows(w, 2, 2, 1);
 * console.assert(Math.abs(w[0] * w[2] + w[1] * w[3]) < 1e-15);
 * ```
 */
export function completeRows(w: Float64Array, p: number, q: number, filled: number): void {
  const minNorm = 1 / (2 * Math.sqrt(q));
  let c = 0;
  for (let r = filled; r < p; r++) {
    const rr = r * q;
    for (; c < q; c++) {
      w.fill(0, rr, rr + q);
      w[rr + c] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let o = 0; o < r; o++) {
          const ro = o * q;
          let d = 0;
          for (let t = 0; t < q; t++) d += w[ro + t] * w[rr + t];
          for (let t = 0; t < q; t++) w[rr + t] -= d * w[ro + t];
        }
      }
      const nrm = scaledNorm(w, rr, q);
      if (nrm >= minNorm) {
        for (let t = 0; t < q; t++) w[rr + t] /= nrm;
        c++;
        break;
      }
    }
  }
}

/**
 * Order the rows of `w` (and of `vr`) by descending norm before a sweep
 * (de Rijk 1989): fewer sweeps, and the result comes out nearly sorted.
 */
function sortByNorm(
  w: Float64Array,
  p: number,
  q: number,
  vr: Float64Array,
  norms: Float64Array,
): void {
  for (let i = 0; i < p - 1; i++) {
    let k = i;
    for (let j = i + 1; j < p; j++) if (norms[j] > norms[k]) k = j;
    if (k === i) continue;
    const t = norms[i];
    norms[i] = norms[k];
    norms[k] = t;
    swapRows(w, i * q, k * q, q);
    swapRows(vr, i * p, k * p, p);
  }
}

/** Swap `w[ri, ri + len)` and `w[rk, rk + len)`. */
function swapRows(w: Float64Array, ri: number, rk: number, len: number): void {
  for (let t = 0; t < len; t++) {
    const y = w[ri + t];
    w[ri + t] = w[rk + t];
    w[rk + t] = y;
  }
}
