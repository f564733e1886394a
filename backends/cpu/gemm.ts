/**
 * General matrix multiply on flat typed arrays (BLAS `?gemm`, row-major):
 * `C ← alpha·op(A)·op(B) + beta·C`. The cpu matmul and conv kernels use it,
 * and the blas backend can fall back to it.
 *
 * Large products run a GotoBLAS-style blocked loop: a `KC × NC` block of
 * op(B) is packed into `NR`-column panels and an `MC × KC` block of op(A)
 * into `MR`-row panels (both Float64Array, zero-padded at the edges, so the
 * micro-kernel needs no bounds logic and no float32 → float64 conversions);
 * a 4 × 4 micro-kernel then keeps 16 partial sums in local variables over the
 * whole `KC` panel. Products with one or two rows or one column take a plain
 * loop nest instead, where packing would cost more than it saves.
 *
 * Float32 products of at least 32³ multiply-adds can instead run the
 * WebAssembly SIMD kernel of `simd/gemm.ts` (float32 accumulation, bounded by
 * `γ_k·Σ|a||b|`, as XLA on CPU); it is on by default and
 * `setSimdGemmEnabled(false)` returns to this float64-accumulating path.
 *
 * @module
 */

import { sgemmSimd } from "./simd/gemm.ts";

/** Float arrays gemm reads and writes. */
export type FloatArray = Float32Array | Float64Array;

/** Rows of op(A) per micro-tile (register block height). */
const MR = 4;
/** Columns of op(B) per micro-tile (register block width). */
const NR = 4;
/** Depth of a packed block (a 4-wide B panel of KC doubles is 8 KiB: L1). */
const KC = 256;
/** Rows of a packed A block (MC·KC doubles = 256 KiB: L2). */
const MC = 128;
/** Columns of a packed B block (KC·NC doubles = 2 MiB: L3). */
const NC = 1024;
/**
 * Products with fewer rows than this (or a single column) take the plain
 * loop: packing would waste most of each 4 × 4 tile (measured: blocking wins
 * from 3 rows and 2 columns on, even for 4 × 4 × 4 products).
 */
const PLAIN_M = 3;

/** In the plain loop, op(B) with fewer columns than this is read by dot products. */
const DOT_N = 2;

/** Packed op(A) block, grown on demand and reused (single-threaded). */
let packA = new Float64Array(0);
/** Packed op(B) block, grown on demand and reused. */
let packB = new Float64Array(0);
/** Scratch tile for the partial micro-tiles at the right and bottom edges. */
const edge = new Float64Array(MR * NR);
/** Row accumulator of the plain loop (float64 sums for float32 outputs). */
let rowAcc = new Float64Array(0);

/**
 * Row-major `C ← alpha·op(A)·op(B) + beta·C`, with `op(X) = Xᵀ` when the
 * transpose flag is set. `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is
 * `m × n`; each matrix starts at its offset and steps its leading dimension
 * between rows (as stored, i.e. before the transpose). Sums run in float64;
 * a float32 `C` is rounded on store (once per 256-deep block of `k`).
 * `beta = 0` overwrites `C` (NaN in `C` does not propagate, as BLAS).
 *
 * @throws {RangeError} when a size, offset or leading dimension is negative,
 *   too small, or makes a matrix run past the end of its array.
 *
 * @example
 * ```ts
 * import { gemm } from "./gemm.ts";
 * const a = new Float32Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const b = new Float32Array([5, 6, 7, 8]); // [[5, 6], [7, 8]]
 * const c = new Float32Array(4);
 * gemm(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);
 * console.assert(c.join() === "19,22,43,50");
 * ```
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  lda: number,
  b: FloatArray,
  bOff: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  gemmUnchecked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
}

/**
 * {@link gemm} without argument validation, for callers that have already
 * validated shapes (the matmul and conv kernels call it once per batch entry,
 * where validating again would dominate tiny products). Out-of-range
 * arguments read `undefined` (NaN) instead of throwing.
 *
 * @example
 * ```ts
 * import { gemmUnchecked } from "./gemm.ts";
 * const a = new Float64Array([1, 2]); // [[1, 2]]
 * const c = new Float64Array(1);
 * gemmUnchecked(false, true, 1, 1, 2, 1, a, 0, 2, a, 0, 2, 0, c, 0, 1);
 * console.assert(c[0] === 5);
 * ```
 */
export function gemmUnchecked(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  lda: number,
  b: FloatArray,
  bOff: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  if (m === 0 || n === 0) return;
  scaleC(m, n, beta, c, cOff, ldc);
  if (k === 0 || alpha === 0) return;
  if (m < PLAIN_M || n < 2) {
    plainGemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  } else if (
    !sgemmSimd(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc)
  ) {
    blockedGemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }
}

/** Validate sizes, offsets and leading dimensions (a bad one would read garbage). */
function checkGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  lda: number,
  b: FloatArray,
  bOff: number,
  ldb: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  checkCount("m", m);
  checkCount("n", n);
  checkCount("k", k);
  checkCount("aOff", aOff);
  checkCount("bOff", bOff);
  checkCount("cOff", cOff);
  // Stored shapes: A is (rows × cols) = op(A) or its transpose, same for B.
  checkSpan("a", a, aOff, lda, transA ? k : m, transA ? m : k);
  checkSpan("b", b, bOff, ldb, transB ? n : k, transB ? k : n);
  checkSpan("c", c, cOff, ldc, m, n);
}

/** A size or offset must be an integer >= 0. */
function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) {
    throw new RangeError(`gemm(): ${name} must be an integer >= 0, got ${v}`);
  }
}

/** One stored matrix `rows × cols` at `off` with leading dimension `ld` must fit in `x`. */
function checkSpan(
  name: string,
  x: FloatArray,
  off: number,
  ld: number,
  rows: number,
  cols: number,
): void {
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new RangeError(
      `gemm(): ld${name} must be an integer >= max(1, ${cols}), got ${ld}`,
    );
  }
  if (rows === 0 || cols === 0) return;
  const end = off + (rows - 1) * ld + cols;
  if (end > x.length) {
    throw new RangeError(
      `gemm(): ${name} (${rows} x ${cols}, offset ${off}, ld ${ld}) needs ${end} elements, ` +
        `array has ${x.length}`,
    );
  }
}

/** `C ← beta·C` (beta = 0 writes zeros, beta = 1 is a no-op). */
function scaleC(
  m: number,
  n: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  if (beta === 1) return;
  for (let i = 0, r = cOff; i < m; i++, r += ldc) {
    if (beta === 0) c.fill(0, r, r + n);
    else for (let j = r; j < r + n; j++) c[j] *= beta;
  }
}

/**
 * Plain loop nest, `C += alpha·op(A)·op(B)` with float64 sums:
 * row-times-matrix (`i, p, j`) when op(B) rows are contiguous, else dot
 * products (`i, j, p`) along the contiguous rows of B.
 */
function plainGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  lda: number,
  b: FloatArray,
  bOff: number,
  ldb: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  // op(A)[i, p] = a[aOff + i*ars + p*acs].
  const ars = transA ? 1 : lda;
  const acs = transA ? lda : 1;
  if (transB || n < DOT_N) {
    // Dot products: op(B)[p, j] = b[bOff + p*brs + j*bcs] (contiguous in p
    // when transposed; short rows otherwise).
    const brs = transB ? 1 : ldb;
    const bcs = transB ? ldb : 1;
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * ars;
      const ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, q = ai, r = bOff + j * bcs; p < k; p++, q += acs, r += brs) {
          s += a[q] * b[r];
        }
        c[ci + j] += alpha * s;
      }
    }
    return;
  }
  if (rowAcc.length < n) rowAcc = new Float64Array(n);
  const acc = rowAcc;
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    const ai = aOff + i * ars;
    for (let p = 0; p < k; p++) {
      const aip = a[ai + p * acs];
      const bp = bOff + p * ldb;
      for (let j = 0; j < n; j++) acc[j] += aip * b[bp + j];
    }
    const ci = cOff + i * ldc;
    for (let j = 0; j < n; j++) c[ci + j] += alpha * acc[j];
  }
}

/** Blocked, packed `C += alpha·op(A)·op(B)` (loop order of GotoBLAS: jc, pc, ic, jr, ir). */
function blockedGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  lda: number,
  b: FloatArray,
  bOff: number,
  ldb: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, n);
  const needA = kcMax * (Math.ceil(Math.min(MC, m) / MR) * MR);
  const needB = kcMax * (Math.ceil(ncMax / NR) * NR);
  if (packA.length < needA) packA = new Float64Array(needA);
  if (packB.length < needB) packB = new Float64Array(needB);
  const pa = packA;
  const pb = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      if (transB) packBTrans(b, bOff, ldb, pc, kc, jc, nc, pb);
      else packBRows(b, bOff, ldb, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        if (transA) packATrans(a, aOff, lda, ic, mc, pc, kc, alpha, pa);
        else packARows(a, aOff, lda, ic, mc, pc, kc, alpha, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const ci = cOff + (ic + ir) * ldc + jc + jr;
            if (mr === MR && nr === NR) {
              kernel4x4(kc, pa, ir * kc, pb, jr * kc, c, ci, ldc);
            } else {
              edge.fill(0);
              kernel4x4(kc, pa, ir * kc, pb, jr * kc, edge, 0, NR);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) c[ci + i * ldc + j] += edge[i * NR + j];
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Pack `alpha·A[ic:ic+mc, pc:pc+kc]` (A stored row-major, not transposed)
 * into MR-row panels: `pa[ir·kc + p·MR + r] = alpha·A[ic+ir+r, pc+p]`,
 * zero rows past `mc`.
 */
function packARows(
  a: FloatArray,
  aOff: number,
  lda: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  alpha: number,
  pa: Float64Array,
): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const base = ir * kc;
    if (ir + MR <= mc) {
      let s0 = aOff + (ic + ir) * lda + pc;
      let s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
      for (let q = base, e = base + kc * MR; q < e; q += MR) {
        pa[q] = alpha * a[s0++];
        pa[q + 1] = alpha * a[s1++];
        pa[q + 2] = alpha * a[s2++];
        pa[q + 3] = alpha * a[s3++];
      }
    } else {
      for (let r = 0; r < MR; r++) {
        const row = ir + r;
        const src = aOff + (ic + row) * lda + pc;
        for (let p = 0, q = base + r; p < kc; p++, q += MR) {
          pa[q] = row < mc ? alpha * a[src + p] : 0;
        }
      }
    }
  }
}

/**
 * Pack `alpha·op(A)[ic:ic+mc, pc:pc+kc]` where A is stored transposed
 * (`op(A)[i, p] = a[aOff + p·lda + i]`): contiguous reads along each stored row.
 */
function packATrans(
  a: FloatArray,
  aOff: number,
  lda: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  alpha: number,
  pa: Float64Array,
): void {
  const full = mc - (mc % MR);
  for (let p = 0; p < kc; p++) {
    const src = aOff + (pc + p) * lda + ic;
    let q = p * MR;
    for (let ir = 0; ir < full; ir += MR, q += kc * MR) {
      const s = src + ir;
      pa[q] = alpha * a[s];
      pa[q + 1] = alpha * a[s + 1];
      pa[q + 2] = alpha * a[s + 2];
      pa[q + 3] = alpha * a[s + 3];
    }
    if (full < mc) {
      for (let r = 0; r < MR; r++) pa[q + r] = full + r < mc ? alpha * a[src + full + r] : 0;
    }
  }
}

/**
 * Pack `B[pc:pc+kc, jc:jc+nc]` (B stored row-major, not transposed) into
 * NR-column panels: `pb[jr·kc + p·NR + j] = B[pc+p, jc+jr+j]`, zero columns
 * past `nc`.
 */
function packBRows(
  b: FloatArray,
  bOff: number,
  ldb: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  pb: Float64Array,
): void {
  const full = nc - (nc % NR);
  for (let p = 0; p < kc; p++) {
    const src = bOff + (pc + p) * ldb + jc;
    let q = p * NR;
    for (let jr = 0; jr < full; jr += NR, q += kc * NR) {
      const s = src + jr;
      pb[q] = b[s];
      pb[q + 1] = b[s + 1];
      pb[q + 2] = b[s + 2];
      pb[q + 3] = b[s + 3];
    }
    if (full < nc) {
      for (let j = 0; j < NR; j++) pb[q + j] = full + j < nc ? b[src + full + j] : 0;
    }
  }
}

/**
 * Pack `op(B)[pc:pc+kc, jc:jc+nc]` where B is stored transposed
 * (`op(B)[p, j] = b[bOff + j·ldb + p]`): contiguous reads along each stored row.
 */
function packBTrans(
  b: FloatArray,
  bOff: number,
  ldb: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  pb: Float64Array,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const base = jr * kc;
    if (jr + NR <= nc) {
      let s0 = bOff + (jc + jr) * ldb + pc;
      let s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
      for (let q = base, e = base + kc * NR; q < e; q += NR) {
        pb[q] = b[s0++];
        pb[q + 1] = b[s1++];
        pb[q + 2] = b[s2++];
        pb[q + 3] = b[s3++];
      }
    } else {
      for (let j = 0; j < NR; j++) {
        const col = jr + j;
        const src = bOff + (jc + col) * ldb + pc;
        for (let p = 0, q = base + j; p < kc; p++, q += NR) {
          pb[q] = col < nc ? b[src + p] : 0;
        }
      }
    }
  }
}

/**
 * The 4 × 4 micro-kernel: `C[0:4, 0:4] += Σ_p pa[p, 0:4]ᵀ · pb[p, 0:4]` over
 * `kc` packed steps, with the 16 sums in locals (one load of each operand
 * element per 4 multiply-adds).
 */
function kernel4x4(
  kc: number,
  pa: Float64Array,
  ia: number,
  pb: Float64Array,
  ib: number,
  c: FloatArray,
  ci: number,
  ldc: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let q = ia, e = ia + MR * kc, r = ib; q < e; q += MR, r += NR) {
    const a0 = pa[q], a1 = pa[q + 1], a2 = pa[q + 2], a3 = pa[q + 3];
    const b0 = pb[r], b1 = pb[r + 1], b2 = pb[r + 2], b3 = pb[r + 3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  c[ci] += c00;
  c[ci + 1] += c01;
  c[ci + 2] += c02;
  c[ci + 3] += c03;
  ci += ldc;
  c[ci] += c10;
  c[ci + 1] += c11;
  c[ci + 2] += c12;
  c[ci + 3] += c13;
  ci += ldc;
  c[ci] += c20;
  c[ci + 1] += c21;
  c[ci + 2] += c22;
  c[ci + 3] += c23;
  ci += ldc;
  c[ci] += c30;
  c[ci + 1] += c31;
  c[ci + 2] += c32;
  c[ci + 3] += c33;
}
