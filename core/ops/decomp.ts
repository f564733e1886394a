/**
 * Matrix factorisations and triangular solves, batched over leading dims:
 * `cholesky`, `triangularSolve`, `svd`, `eigh`, `qr`. Each wraps one backend
 * primitive with shape checks, float promotion (int/bool → float32) and
 * batch-dim broadcasting.
 *
 * Recorded for autodiff (one node per primitive call):
 * | op | inputs | outputs | attrs |
 * |---|---|---|---|
 * | `"cholesky"` | `[a]` (symmetrised) | `[l]` | — |
 * | `"triangularSolve"` | `[a, b]` (same batch dims) | `[x]` | `{ lower, leftSide, transposeA, unitDiagonal }` |
 * | `"svd"` | `[a]` | `[u, s, vh]` (always thin) | `{ fullMatrices: false, computeUv: true }` |
 * | `"eigh"` | `[a]` (symmetrised) | `[values, vectors]` | — |
 * | `"qr"` | `[a]` | `[q, r]` (always reduced) | `{ mode: "reduced" }` |
 *
 * Symmetrising (`(a + aᵀ)/2`, as JAX's `symmetrize_input=True`), the
 * completion of full/complete bases and 1-D promotion are recorded ops too.
 *
 * @module
 */

import { fmtShape, rangeError, typeError } from "../errors.ts";
import { isRecording, recordOp } from "../engine.ts";
import type { Tensor } from "../tensor.ts";
import { promoteTypes, sameBackend, type TensorLike, toTensor, wrap } from "./convert.ts";
import { broadcastBatch, castTo, checkMatrix, floatOperand, swapLast } from "./linalg_common.ts";
import { kernel, pBinary, pConcat, pFill, pReshape, pSlice, pWrite, scoped } from "./prim.ts";

/** `(a + aᵀ) / 2` over the last two axes. */
function symmetrize(a: Tensor): Tensor {
  const half = pFill(a.backend, [], 0.5, a.dtype);
  return pBinary("mul", pBinary("add", a, swapLast(a)), half);
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor `U = Lᵀ` (`Uᵀ U = a`) instead of `L`. Default false. */
  readonly upper?: boolean;
  /** Factor `(a + aᵀ)/2` (JAX's default) rather than reading the lower triangle only. Default true. */
  readonly symmetrizeInput?: boolean;
}

/**
 * Cholesky factor `L` (lower triangular, `L Lᵀ = a`) of each matrix of
 * `a: [..., n, n]`. As `jnp.linalg.cholesky`, a matrix that is not positive
 * definite gives a factor of NaNs, never a throw. Non-square input is a
 * TypeError.
 *
 * @example
 * ```ts
 * import { cholesky } from "../../mod.ts";
 * using l = cholesky([[4, 2], [2, 3]]);
 * const v = l.dataSync();
 * console.assert(v[0] === 2 && v[1] === 0 && v[2] === 1 && Math.abs(v[3] - Math.SQRT2) < 1e-6);
 * ```
 */
export function cholesky(a: TensorLike, options: CholeskyOptions = {}): Tensor {
  const fn = "cholesky";
  return scoped(() => {
    const t = floatOperand(fn, a);
    checkMatrix(fn, "a", t, true);
    const s = options.symmetrizeInput === false ? t : symmetrize(t);
    const l = kernel("cholesky", [s], s.backend, () => s.backend.cholesky(s.info));
    return options.upper ? swapLast(l) : l;
  });
}

/** Options of {@link triangularSolve}. */
export interface TriangularSolveOpts {
  /** `a` is lower triangular (else upper); only that triangle is read. Default true. */
  readonly lower?: boolean;
  /** Solve `op(a) x = b` (true) or `x op(a) = b` (false). Default true. */
  readonly leftSide?: boolean;
  /** `op(a) = aᵀ` instead of `a`. Default false. */
  readonly transposeA?: boolean;
  /** Assume ones on the diagonal of `a` (the stored diagonal is not read). Default false. */
  readonly unitDiagonal?: boolean;
}

/**
 * Solve a triangular system for each matrix of the batch: `op(a) x = b`
 * (`leftSide`, `b: [..., n, m]`) or `x op(a) = b` (`b: [..., m, n]`), with
 * `a: [..., n, n]` triangular and batch dims broadcast. A 1-D `b` is a vector
 * (the result is 1-D). A zero on the diagonal gives Inf/NaN, never a throw.
 *
 * @example
 * ```ts
 * import { triangularSolve } from "../../mod.ts";
 * using x = triangularSolve([[2, 0], [1, 1]], [4, 3]);
 * console.assert(x.dataSync().join() === "2,1");
 * ```
 */
export function triangularSolve(
  a: TensorLike,
  b: TensorLike,
  options: TriangularSolveOpts = {},
): Tensor {
  const fn = "triangularSolve";
  const opts = {
    lower: options.lower ?? true,
    leftSide: options.leftSide ?? true,
    transposeA: options.transposeA ?? false,
    unitDiagonal: options.unitDiagonal ?? false,
  };
  for (const [k, v] of Object.entries(opts)) {
    if (typeof v !== "boolean") throw typeError(fn, `${k} must be a boolean, got ${typeof v}`);
  }
  return scoped(() => {
    const ta = floatOperand(fn, a);
    const tb = floatOperand(fn, toTensor(b, fn, { backend: ta.backend }));
    sameBackend(fn, ta, tb);
    checkMatrix(fn, "a", ta, true);
    if (tb.rank === 0) {
      throw typeError(fn, `b must have rank >= 1, got shape ${fmtShape(tb.shape)}`);
    }
    const dtype = promoteTypes(ta.dtype, tb.dtype);
    const n = ta.shape[ta.rank - 1];
    const vec = tb.rank === 1;
    const b2 = vec ? pReshape(tb, opts.leftSide ? [tb.shape[0], 1] : [1, tb.shape[0]]) : tb;
    const solved = opts.leftSide ? b2.shape[b2.rank - 2] : b2.shape[b2.rank - 1];
    if (solved !== n) {
      throw typeError(
        fn,
        `a ${fmtShape(ta.shape)} and b ${fmtShape(tb.shape)} do not match for a ${
          opts.leftSide ? "left" : "right"
        }-side solve (b needs ${n} ${opts.leftSide ? "rows" : "columns"}, has ${solved})`,
      );
    }
    const [a3, b3] = broadcastBatch(fn, castTo(ta, dtype), castTo(b2, dtype), 2, 2);
    const x = kernel(
      "triangularSolve",
      [a3, b3],
      a3.backend,
      () => a3.backend.triangularSolve(a3.info, b3.info, opts),
      () => ({ ...opts }),
    );
    return vec ? pReshape(x, x.shape.slice(0, -2).concat([n])) : x;
  });
}

/**
 * Complete orthonormal columns `u: [..., m, k]` (k < m) to an orthonormal
 * basis `[..., m, m]` whose first k columns are `u`: the last m − k columns
 * of Q in the QR of `[u | I]` span the orthogonal complement of `u`.
 */
function completeColumns(fn: string, u: Tensor): Tensor {
  const r = u.rank, m = u.shape[r - 2], k = u.shape[r - 1];
  const eyeVals = new Float64Array(m * m);
  for (let i = 0; i < m; i++) eyeVals[i * m + i] = 1;
  const eye = pWrite(
    u.backend,
    u.dtype === "float64" ? eyeVals : new Float32Array(eyeVals),
    [m, m],
    u.dtype,
  );
  const [uu, ee] = broadcastBatch(fn, u, eye, 2, 2);
  const { q } = qrPrimitive(pConcat([uu, ee], r - 1));
  const begin = new Array<number>(r).fill(0);
  begin[r - 1] = k;
  const size = [...q.shape];
  size[r - 1] = m - k;
  const tail = pSlice(q, begin, size, new Array<number>(r).fill(1));
  return pConcat([u, tail], r - 1);
}

/** Thin SVD result of {@link svd}. */
export interface SvdResult {
  /** Left singular vectors as columns, `[..., m, k]` (`[..., m, m]` with `fullMatrices`). */
  readonly u: Tensor;
  /** Singular values, descending, non-negative, `[..., k]`, k = min(m, n). */
  readonly s: Tensor;
  /** Right singular vectors as rows, `[..., k, n]` (`[..., n, n]` with `fullMatrices`). */
  readonly vh: Tensor;
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Square `u` (m × m) and `vh` (n × n), completed with an orthonormal basis. Default false. */
  readonly fullMatrices?: boolean;
  /** Compute `u` and `vh`; when false only `{ s }` is returned. Default true. */
  readonly computeUv?: boolean;
}

/**
 * Singular value decomposition `a = u · diag(s) · vh` of each matrix of
 * `a: [..., m, n]` (`jnp.linalg.svd`, thin by default). `s` is descending and
 * non-negative. With `computeUv: false` the result is `{ s }`. A matrix with
 * a NaN or infinite entry gives NaNs. Singular vectors are unique only up to
 * sign (and rotation within repeated singular values).
 *
 * @example
 * ```ts
 * import { svd } from "../../mod.ts";
 * const { u, s, vh } = svd([[3, 0], [0, -4]]);
 * console.assert(s.dataSync().join() === "4,3");
 * u.dispose(); s.dispose(); vh.dispose();
 * const only = svd([[1, 0], [0, 2]], { computeUv: false });
 * console.assert(only.s.dataSync().join() === "2,1");
 * only.s.dispose();
 * ```
 */
export function svd(
  a: TensorLike,
  options: SvdOptions & { readonly computeUv: false },
): { s: Tensor };
/** {@link svd} with `u` and `vh` (the default): `{ u, s, vh }`. */
export function svd(a: TensorLike, options?: SvdOptions & { readonly computeUv?: true }): SvdResult;
/** {@link svd} when `computeUv` is only known at run time. */
export function svd(a: TensorLike, options?: SvdOptions): SvdResult | { s: Tensor };
export function svd(a: TensorLike, options: SvdOptions = {}): SvdResult | { s: Tensor } {
  const fn = "svd";
  return scoped(() => {
    const t = floatOperand(fn, a);
    checkMatrix(fn, "a", t, false);
    const raw = t.backend.svd(t.info);
    const u = wrap(t.backend, raw.u), s = wrap(t.backend, raw.s), vh = wrap(t.backend, raw.vh);
    if (isRecording()) recordOp("svd", [t], [u, s, vh], { fullMatrices: false, computeUv: true });
    if (options.computeUv === false) return { s };
    if (!options.fullMatrices) return { u, s, vh };
    const m = t.shape[t.rank - 2], n = t.shape[t.rank - 1], k = Math.min(m, n);
    const uFull = m > k ? completeColumns(fn, u) : u;
    const vhFull = n > k ? swapLast(completeColumns(fn, swapLast(vh))) : vh;
    return { u: uFull, s, vh: vhFull };
  });
}

/** Result of {@link eigh}. */
export interface EighResult {
  /** Eigenvalues in ascending order, `[..., n]`. */
  readonly values: Tensor;
  /** Unit eigenvectors as columns, `[..., n, n]`: `a · vectors[:, i] = values[i] · vectors[:, i]`. */
  readonly vectors: Tensor;
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Decompose `(a + aᵀ)/2` (JAX's default) rather than reading the lower triangle only. Default true. */
  readonly symmetrizeInput?: boolean;
}

/**
 * Eigendecomposition of each symmetric matrix of `a: [..., n, n]`
 * (`jnp.linalg.eigh`): ascending eigenvalues and orthonormal eigenvectors as
 * columns. Non-square input is a TypeError.
 *
 * @example
 * ```ts
 * import { eigh } from "../../mod.ts";
 * const { values, vectors } = eigh([[2, 1], [1, 2]]);
 * const v = values.dataSync();
 * console.assert(Math.abs(v[0] - 1) < 1e-6 && Math.abs(v[1] - 3) < 1e-6);
 * values.dispose(); vectors.dispose();
 * ```
 */
export function eigh(a: TensorLike, options: EighOptions = {}): EighResult {
  const fn = "eigh";
  return scoped(() => {
    const t = floatOperand(fn, a);
    checkMatrix(fn, "a", t, true);
    const sym = options.symmetrizeInput === false ? t : symmetrize(t);
    const raw = sym.backend.eigh(sym.info);
    const values = wrap(sym.backend, raw.values), vectors = wrap(sym.backend, raw.vectors);
    if (isRecording()) recordOp("eigh", [sym], [values, vectors], {});
    return { values, vectors };
  });
}

/** Result of {@link qr}. */
export interface QrResult {
  /** Orthonormal columns: `[..., m, k]` (reduced) or `[..., m, m]` (complete). */
  readonly q: Tensor;
  /** Upper triangular (trapezoidal): `[..., k, n]` (reduced) or `[..., m, n]` (complete). */
  readonly r: Tensor;
}

/** Options of {@link qr}. */
export interface QrOptions {
  /** `"reduced"` (k = min(m, n); default) or `"complete"` (square Q). */
  readonly mode?: "reduced" | "complete";
}

/** The recorded reduced-QR primitive on a float matrix tensor. */
function qrPrimitive(t: Tensor): { q: Tensor; r: Tensor } {
  const raw = t.backend.qr(t.info);
  const q = wrap(t.backend, raw.q), r = wrap(t.backend, raw.r);
  if (isRecording()) recordOp("qr", [t], [q, r], { mode: "reduced" });
  return { q, r };
}

/**
 * QR decomposition `a = q · r` of each matrix of `a: [..., m, n]`
 * (`jnp.linalg.qr`): `q` with orthonormal columns, `r` upper triangular.
 * Householder reflections with LAPACK's sign convention (so `r`'s diagonal
 * may be negative). `mode: "complete"` extends `q` to a square orthogonal
 * matrix and pads `r` with zero rows.
 *
 * @example
 * ```ts
 * import { qr } from "../../mod.ts";
 * const { q, r } = qr([[3], [4]]);
 * const [qv, rv] = [q.dataSync(), r.dataSync()];
 * console.assert(Math.abs(Math.abs(rv[0]) - 5) < 1e-6 && Math.abs(qv[0] * rv[0] - 3) < 1e-6);
 * q.dispose(); r.dispose();
 * ```
 */
export function qr(a: TensorLike, options: QrOptions = {}): QrResult {
  const fn = "qr";
  const mode = options.mode ?? "reduced";
  if (mode !== "reduced" && mode !== "complete") {
    throw rangeError(fn, `mode must be "reduced" or "complete", got ${JSON.stringify(mode)}`);
  }
  return scoped(() => {
    const t = floatOperand(fn, a);
    checkMatrix(fn, "a", t, false);
    const { q, r } = qrPrimitive(t);
    const m = t.shape[t.rank - 2], n = t.shape[t.rank - 1];
    if (mode === "reduced" || m <= n) return { q, r };
    const zeroRows = pFill(t.backend, [...t.shape.slice(0, -2), m - n, n], 0, t.dtype);
    return { q: completeColumns(fn, q), r: pConcat([r, zeroRows], t.rank - 2) };
  });
}
