/**
 * Sorting and selection: sort, argsort (stable; NaN last), topk.
 *
 * @module
 */

import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxis, type TensorLike, toTensor } from "./convert.ts";
import { pArgsort, pSort, pTopk, scoped } from "./prim.ts";

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Axis to sort along (default -1). */
  readonly axis?: number;
  /** Largest first (default false); equal keys keep their order either way. */
  readonly descending?: boolean;
}

function sortArgs(
  fn: string,
  x: TensorLike,
  options: SortOptions,
): { t: Tensor; axis: number; descending: boolean } {
  if (typeof options !== "object" || options === null) {
    throw typeError(
      fn,
      `options must be an object like { axis, descending }, got ${JSON.stringify(options)}`,
    );
  }
  const t = toTensor(x, fn);
  if (t.rank === 0) throw typeError(fn, "cannot sort a zero-dimensional tensor");
  return {
    t,
    axis: normalizeAxis(fn, options.axis ?? -1, t.rank),
    descending: options.descending ?? false,
  };
}

/**
 * Sort along an axis (stable; NaN sorts last, as NumPy).
 *
 * @example
 * ```ts
 * import { sort } from "../../mod.ts";
 * using s = sort([[3, 1, 2], [0, 5, 4]]);
 * using d = sort([3, 1, 2], { descending: true });
 * console.assert(s.dataSync().join() === "1,2,3,0,4,5" && d.dataSync().join() === "3,2,1");
 * ```
 */
export function sort(x: TensorLike, options: SortOptions = {}): Tensor {
  return scoped(() => {
    const a = sortArgs("sort", x, options);
    return pSort(a.t, a.axis, a.descending);
  });
}

/**
 * The indices that sort along an axis → int32 (stable: equal values keep
 * their order; NaN last).
 *
 * @example
 * ```ts
 * import { argsort } from "../../mod.ts";
 * using i = argsort([3, 1, 2, 1]);
 * console.assert(i.dtype === "int32" && i.dataSync().join() === "1,3,2,0");
 * ```
 */
export function argsort(x: TensorLike, options: SortOptions = {}): Tensor {
  return scoped(() => {
    const a = sortArgs("argsort", x, options);
    return pArgsort(a.t, a.axis, a.descending);
  });
}

/**
 * The `k` largest values along the last axis and their int32 indices
 * (`jax.lax.top_k`): values descending, equal values by lower index first.
 *
 * @example
 * ```ts
 * import { topk } from "../../mod.ts";
 * const { values, indices } = topk([1, 3, 2, 3], 2);
 * console.assert(values.dataSync().join() === "3,3" && indices.dataSync().join() === "1,3");
 * values.dispose();
 * indices.dispose();
 * ```
 */
export function topk(x: TensorLike, k: number): { values: Tensor; indices: Tensor } {
  return scoped(() => {
    const t = toTensor(x, "topk");
    if (t.rank === 0) throw typeError("topk", "expected a tensor of rank >= 1, got a scalar");
    const n = t.shape[t.rank - 1];
    if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > n) {
      throw rangeError(
        "topk",
        `k must be an integer in [0, ${n}] for shape ${fmtShape(t.shape)}, got ${String(k)}`,
      );
    }
    return pTopk(t, k);
  });
}
