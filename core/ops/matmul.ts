/**
 * Matrix products: `matmul` (NumPy semantics with optional transposes),
 * `dot`, `outer` and `trace`.
 *
 * Recorded for autodiff: `"matmul"` with inputs `[a, b]` (both rank ≥ 2, one
 * float dtype, batch dims broadcast by the kernel) and attrs
 * `{ transposeA, transposeB }`. The 1-D promotion and squeeze around it are
 * recorded `reshape`s, the int→float promotion a recorded `cast`.
 *
 * @module
 */

import { broadcastShapes, sizeOf } from "../../backends/backend.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import {
  binaryOperands,
  isFloat,
  normalizeAxis,
  promoteTypes,
  sameBackend,
  type TensorLike,
  toTensor,
} from "./convert.ts";
import { castTo } from "./linalg_common.ts";
import {
  kernel,
  pBinary,
  pCast,
  pFill,
  pReduce,
  pReshape,
  pSelect,
  pTranspose,
  pWrite,
  scoped,
} from "./prim.ts";

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two axes (ignored for a 1-D `a`). Default false. */
  readonly transposeA?: boolean;
  /** Use the transpose of `b`'s last two axes (ignored for a 1-D `b`). Default false. */
  readonly transposeB?: boolean;
}

/**
 * Matrix product with NumPy `matmul` semantics: `a: [..., m, k]`,
 * `b: [..., k, n]` → `[..., m, n]`, batch dims broadcast. A 1-D `a` is
 * treated as a row vector `[1, k]` and a 1-D `b` as a column `[k, 1]`; the
 * added axis is removed from the result. Integer and bool inputs give float32.
 * `transposeA`/`transposeB` use the transposed last two axes without copying
 * the operand first.
 *
 * @example
 * ```ts
 * import { matmul } from "../../mod.ts";
 * using c = matmul([[1, 2], [3, 4]], [[5], [6]]);
 * console.assert(c.dataSync().join() === "17,39");
 * using d = matmul([[1, 2], [3, 4]], [1, 1], { transposeA: true });
 * console.assert(d.shape.join() === "2" && d.dataSync().join() === "4,6");
 * ```
 */
export function matmul(a: TensorLike, b: TensorLike, options: MatmulOptions = {}): Tensor {
  const fn = "matmul";
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  if (typeof transposeA !== "boolean" || typeof transposeB !== "boolean") {
    throw typeError(fn, "transposeA and transposeB must be booleans");
  }
  return scoped(() => {
    const ta = toTensor(a, fn);
    const tb = toTensor(b, fn, { backend: ta.backend });
    sameBackend(fn, ta, tb);
    if (ta.rank === 0 || tb.rank === 0) {
      throw typeError(
        fn,
        `operands must have rank >= 1, got shapes ${fmtShape(ta.shape)} and ${
          fmtShape(tb.shape)
        } (use mul for scalars)`,
      );
    }
    let dtype = promoteTypes(ta.dtype, tb.dtype);
    if (!isFloat(dtype)) dtype = "float32";
    const a2 = ta.rank === 1 ? pReshape(castTo(ta, dtype), [1, ta.shape[0]]) : castTo(ta, dtype);
    const b2 = tb.rank === 1 ? pReshape(castTo(tb, dtype), [tb.shape[0], 1]) : castTo(tb, dtype);
    const tA = ta.rank > 1 && transposeA;
    const tB = tb.rank > 1 && transposeB;
    const ra = a2.rank, rb = b2.rank;
    const m = tA ? a2.shape[ra - 1] : a2.shape[ra - 2];
    const ka = tA ? a2.shape[ra - 2] : a2.shape[ra - 1];
    const kb = tB ? b2.shape[rb - 1] : b2.shape[rb - 2];
    const n = tB ? b2.shape[rb - 2] : b2.shape[rb - 1];
    if (ka !== kb) {
      throw typeError(
        fn,
        `inner dimensions differ: a ${fmtShape(ta.shape)}${
          tA ? " (transposed)" : ""
        } has k = ${ka}, b ${fmtShape(tb.shape)}${tB ? " (transposed)" : ""} has k = ${kb}`,
      );
    }
    const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    if (batch === null) {
      throw typeError(
        fn,
        `batch dims do not broadcast: a ${fmtShape(ta.shape)} and b ${fmtShape(tb.shape)}`,
      );
    }
    const out = kernel(
      "matmul",
      [a2, b2],
      a2.backend,
      () => a2.backend.matmul(a2.info, b2.info, tA, tB),
      () => ({ transposeA: tA, transposeB: tB }),
    );
    if (ta.rank > 1 && tb.rank > 1) return out;
    const shape = [...batch];
    if (ta.rank > 1) shape.push(m);
    if (tb.rank > 1) shape.push(n);
    return pReshape(out, shape);
  });
}

/**
 * NumPy `dot`: a scalar operand multiplies; 1-D · 1-D is the inner product
 * (a 0-d tensor); `b` 1-D or 2-D, or `a` 1-D, is {@link matmul}; otherwise
 * `dot(a, b)[i, j, k, m] = Σ a[i, j, :] · b[k, :, m]` (sum over the last axis
 * of `a` and the second-to-last of `b`). Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { dot } from "../../mod.ts";
 * using d = dot([1, 2, 3], [4, 5, 6]);
 * console.assert(d.shape.length === 0 && d.dataSync()[0] === 32);
 * ```
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const fn = "dot";
  return scoped(() => {
    const { a: ta, b: tb, dtype } = binaryOperands(fn, a, b);
    const d = isFloat(dtype) ? dtype : "float32";
    if (ta.rank === 0 || tb.rank === 0) return pBinary("mul", castTo(ta, d), castTo(tb, d));
    if (ta.rank === 1 || tb.rank <= 2) return matmul(ta, tb);
    // N-D · M-D (M ≥ 3): move b's contracted axis first, flatten the rest, one matmul.
    const rb = tb.rank;
    const k = tb.shape[rb - 2];
    if (ta.shape[ta.rank - 1] !== k) {
      throw typeError(
        fn,
        `shapes ${fmtShape(ta.shape)} and ${fmtShape(tb.shape)} not aligned: ${
          ta.shape[ta.rank - 1]
        } (last axis of a) != ${k} (second-to-last axis of b)`,
      );
    }
    const perm = [rb - 2, ...Array.from({ length: rb - 2 }, (_, i) => i), rb - 1];
    const bt = pTranspose(castTo(tb, d), perm);
    const b2 = pReshape(bt, [k, sizeOf(tb.shape.slice(0, -2)) * tb.shape[rb - 1]]);
    const a2 = pReshape(castTo(ta, d), [sizeOf(ta.shape.slice(0, -1)), k]);
    const prod = matmul(a2, b2);
    return pReshape(prod, [...ta.shape.slice(0, -1), ...tb.shape.slice(0, -2), tb.shape[rb - 1]]);
  });
}

/**
 * Outer product of the flattened inputs: `out[i, j] = a[i] · b[j]`, shape
 * `[a.size, b.size]`. Dtypes promote as in `mul` (bool gives int32).
 *
 * @example
 * ```ts
 * import { outer } from "../../mod.ts";
 * using o = outer([1, 2], [3, 4, 5]);
 * console.assert(o.shape.join() === "2,3" && o.dataSync().join() === "3,4,5,6,8,10");
 * ```
 */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const fn = "outer";
  return scoped(() => {
    const { a: ta, b: tb, dtype } = binaryOperands(fn, a, b);
    const d = dtype === "bool" ? "int32" : dtype;
    const col = pReshape(castTo(ta, d), [ta.size, 1]);
    const row = pReshape(castTo(tb, d), [1, tb.size]);
    return pBinary("mul", col, row);
  });
}

/** Options of {@link trace}. */
export interface TraceOptions {
  /** Diagonal offset: > 0 above the main diagonal, < 0 below. Default 0. */
  readonly offset?: number;
  /** First axis of the 2-D sub-arrays. Default 0. */
  readonly axis1?: number;
  /** Second axis of the 2-D sub-arrays. Default 1. */
  readonly axis2?: number;
}

/**
 * Sum along a diagonal (NumPy `trace`): over the `offset` diagonal of the
 * 2-D sub-arrays on `axis1`, `axis2`; the result has the remaining axes.
 * Keeps the input dtype (bool sums to int32).
 *
 * @example
 * ```ts
 * import { trace } from "../../mod.ts";
 * using t = trace([[1, 2], [3, 4]]);
 * using u = trace([[1, 2], [3, 4]], { offset: 1 });
 * console.assert(t.dataSync()[0] === 5 && u.dataSync()[0] === 2);
 * ```
 */
export function trace(x: TensorLike, options: TraceOptions = {}): Tensor {
  const fn = "trace";
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset)) throw typeError(fn, `offset must be an integer, got ${offset}`);
  return scoped(() => {
    let t = toTensor(x, fn);
    if (t.rank < 2) throw typeError(fn, `x must have rank >= 2, got shape ${fmtShape(t.shape)}`);
    const ax1 = normalizeAxis(fn, options.axis1 ?? 0, t.rank);
    const ax2 = normalizeAxis(fn, options.axis2 ?? 1, t.rank);
    if (ax1 === ax2) throw rangeError(fn, `axis1 and axis2 must differ, got ${ax1} and ${ax2}`);
    if (t.dtype === "bool") t = pCast(t, "int32");
    const rest = Array.from({ length: t.rank }, (_, i) => i).filter((i) => i !== ax1 && i !== ax2);
    const moved = pTranspose(t, [...rest, ax1, ax2]);
    const n = t.shape[ax1], m = t.shape[ax2];
    const mask = new Uint8Array(n * m);
    for (let i = Math.max(0, -offset); i < n && i + offset < m; i++) mask[i * m + i + offset] = 1;
    const maskT = pWrite(t.backend, mask, [n, m], "bool");
    const zero = pFill(t.backend, [], 0, t.dtype);
    const diag = pSelect(maskT, moved, zero);
    return pReduce("sum", diag, [rest.length, rest.length + 1]);
  });
}
