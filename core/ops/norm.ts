/**
 * Vector and matrix norms (`jnp.linalg.norm`) built from ops.
 *
 * @module
 */

import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxis, type TensorLike } from "./convert.ts";
import { abs, cast, notEqual, pow, sqrt, square } from "./elementwise.ts";
import { floatOperand } from "./linalg_common.ts";
import { svd } from "./decomp.ts";
import { pReshape, pTranspose, scoped } from "./prim.ts";
import { reduceAxes, reducedShape } from "./reduce_axes.ts";

/** A norm order: a number (vector p-norms; matrix 1, −1, 2, −2, ±Infinity) or "fro" / "nuc". */
export type NormOrd = number | "fro" | "nuc";

/** Options of {@link norm}. */
export interface NormOptions {
  /** Norm order (see {@link norm}). Default: 2-norm / Frobenius. */
  readonly ord?: NormOrd;
  /** One axis (vector norm) or two (matrix norm); default all axes flattened (or per rank when `ord` is set). */
  readonly axis?: number | readonly number[];
  /** Keep the reduced axes as length 1. Default false. */
  readonly keepdims?: boolean;
}

/** Vector norm of `t` over one axis, kept as length 1. */
function vectorNorm(fn: string, t: Tensor, axis: number, ord: NormOrd | undefined): Tensor {
  const ax = [axis];
  if (ord === undefined || ord === 2) return sqrt(reduceAxes("sum", square(t), ax, true));
  if (typeof ord !== "number" || Number.isNaN(ord)) {
    throw rangeError(fn, `invalid norm order ${JSON.stringify(ord)} for vectors`);
  }
  if (ord === Infinity) return reduceAxes("max", abs(t), ax, true);
  if (ord === -Infinity) return reduceAxes("min", abs(t), ax, true);
  if (ord === 0) return reduceAxes("sum", cast(notEqual(t, 0), t.dtype), ax, true);
  if (ord === 1) return reduceAxes("sum", abs(t), ax, true);
  // (Σ |x|^p)^(1/p)
  return pow(reduceAxes("sum", pow(abs(t), ord), ax, true), 1 / ord);
}

/** Matrix norm of `t` over (rowAxis, colAxis), both kept as length 1. */
function matrixNorm(
  fn: string,
  t: Tensor,
  row: number,
  col: number,
  ord: NormOrd | undefined,
): Tensor {
  const both = [row, col];
  if (ord === undefined || ord === "fro") return sqrt(reduceAxes("sum", square(t), both, true));
  if (ord === 1 || ord === -1) {
    // max/min over columns of the column sums Σ_i |a_ij|
    return reduceAxes(
      ord === 1 ? "max" : "min",
      reduceAxes("sum", abs(t), [row], true),
      [col],
      true,
    );
  }
  if (ord === Infinity || ord === -Infinity) {
    // max/min over rows of the row sums Σ_j |a_ij|
    return reduceAxes(ord === Infinity ? "max" : "min", reduceAxes("sum", abs(t), [col], true), [
      row,
    ], true);
  }
  if (ord === 2 || ord === -2 || ord === "nuc") {
    const rest = Array.from({ length: t.rank }, (_, i) => i).filter((i) => i !== row && i !== col);
    const { s } = svd(pTranspose(t, [...rest, row, col]), { computeUv: false });
    const last = [s.rank - 1];
    const r = ord === "nuc"
      ? reduceAxes("sum", s, last, false)
      : reduceAxes(ord === 2 ? "max" : "min", s, last, false);
    return pReshape(r, reducedShape(t.shape, both, true));
  }
  throw rangeError(fn, `invalid norm order ${JSON.stringify(ord)} for matrices`);
}

/**
 * Vector or matrix norm (`jnp.linalg.norm`).
 * - no `axis`, no `ord`: 2-norm of the flattened array;
 * - one axis (or a 1-D input with `ord`): vector norm — `ord` 2 (default)
 *   `sqrt(Σ x²)`, 1 `Σ|x|`, Infinity `max|x|`, −Infinity `min|x|`, 0 the count of
 *   non-zeros, any other p `(Σ|x|^p)^(1/p)`;
 * - two axes (or a 2-D input with `ord`): matrix norm — "fro" (default)
 *   `sqrt(Σ a²)`, "nuc" sum of singular values, 2 / −2 largest / smallest
 *   singular value, 1 / −1 max / min column sum of |a|, Infinity / −Infinity
 *   max / min row sum of |a|.
 * An order that does not fit the number of axes is a RangeError. Integer and
 * bool inputs give float32.
 *
 * @example
 * ```ts
 * import { norm } from "../../mod.ts";
 * using a = norm([3, 4]);
 * using b = norm([[1, -2], [3, 4]], { ord: Infinity });
 * using c = norm([[1, 0], [0, 2]], { ord: 2 });
 * console.assert(a.dataSync()[0] === 5 && b.dataSync()[0] === 7 && Math.abs(c.dataSync()[0] - 2) < 1e-6);
 * ```
 */
export function norm(x: TensorLike, options: NormOptions = {}): Tensor {
  const fn = "norm";
  const { ord } = options;
  const keepdims = options.keepdims ?? false;
  return scoped(() => {
    const t = floatOperand(fn, x);
    let axes: number[];
    if (options.axis === undefined) {
      if (ord === undefined) {
        const all = Array.from({ length: t.rank }, (_, i) => i);
        return sqrt(reduceAxes("sum", square(t), all, keepdims));
      }
      if (t.rank !== 1 && t.rank !== 2) {
        throw rangeError(
          fn,
          `ord ${JSON.stringify(ord)} without axis needs a 1-D or 2-D input, got shape ${
            fmtShape(t.shape)
          }`,
        );
      }
      axes = t.rank === 1 ? [0] : [0, 1];
    } else {
      const list = typeof options.axis === "number" ? [options.axis] : [...options.axis];
      if (!list.every((a) => typeof a === "number")) {
        throw typeError(fn, "axis must be a number or a list of numbers");
      }
      axes = list.map((a) => normalizeAxis(fn, a, t.rank));
    }
    if (axes.length === 2 && axes[0] === axes[1]) throw rangeError(fn, `repeated axis ${axes[0]}`);
    let r: Tensor;
    if (axes.length === 1) r = vectorNorm(fn, t, axes[0], ord);
    else if (axes.length === 2) r = matrixNorm(fn, t, axes[0], axes[1], ord);
    else throw rangeError(fn, `norm takes one axis (vector) or two (matrix), got ${axes.length}`);
    return keepdims ? r : pReshape(r, reducedShape(t.shape, axes, false));
  });
}
