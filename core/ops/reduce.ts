/**
 * Reductions: sum, prod, max, min, any, all, argmax, argmin, mean,
 * countNonzero, and the cumulative sum.
 *
 * dtype rules (jnp): bool sums and products are int32; `mean` of integers or
 * bools is float32; `any`/`all` test `!= 0` and return bool; `argmax`/`argmin`
 * return int32 (first index wins ties; NaN counts as the extreme). `max`/`min`
 * propagate NaN and, like NumPy, refuse to reduce an empty axis.
 *
 * @module
 */

import type { ReduceOp } from "../../backends/backend.ts";
import { rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, normalizeAxes, normalizeAxis, type TensorLike, toTensor } from "./convert.ts";
import { pBinary, pCast, pCopy, pCumsum, pFill, pReduce, pReshape, scoped } from "./prim.ts";

/** Options of the reductions. */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when omitted. */
  readonly axis?: number | readonly number[] | null;
  /** Keep reduced axes with length 1 (default false). */
  readonly keepdims?: boolean;
}

/** Options of {@link argmax} and {@link argmin}. */
export interface ArgReduceOptions {
  /** The one axis to reduce; the flattened tensor when omitted. */
  readonly axis?: number | null;
  /** Keep the reduced axis (all axes when flattened) with length 1 (default false). */
  readonly keepdims?: boolean;
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw typeError(
      fn,
      `options must be an object like { axis, keepdims }, got ${JSON.stringify(options)}`,
    );
  }
}

function reduceWith(fn: string, op: ReduceOp, x: TensorLike, options: ReduceOptions): Tensor {
  checkOptions(fn, options);
  return scoped(() => {
    let t = toTensor(x, fn);
    const axes = normalizeAxes(fn, options.axis, t.rank);
    if ((op === "sum" || op === "prod") && t.dtype === "bool") t = pCast(t, "int32");
    if ((op === "any" || op === "all") && t.dtype !== "bool") t = pCast(t, "bool");
    if (op === "max" || op === "min") {
      for (const a of axes) {
        if (t.shape[a] === 0) {
          throw rangeError(fn, `zero-size axis ${a} cannot be reduced: ${op} has no identity`);
        }
      }
    }
    if (axes.length === 0) return pCopy(t);
    const r = pReduce(op, t, axes);
    return options.keepdims ? pReshape(r, keptShape(t.shape, axes)) : r;
  });
}

/**
 * Sum over axes (bool → int32).
 *
 * @example
 * ```ts
 * import { sum } from "../../mod.ts";
 * using all = sum([[1, 2], [3, 4]]);
 * using cols = sum([[1, 2], [3, 4]], { axis: 0, keepdims: true });
 * console.assert(all.itemSync() === 10 && cols.shape.join() === "1,2");
 * ```
 */
export function sum(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return reduceWith("sum", "sum", x, options);
}

/**
 * Product over axes (bool → int32).
 *
 * @example
 * ```ts
 * import { prod } from "../../mod.ts";
 * using p = prod([[1, 2], [3, 4]], { axis: -1 });
 * console.assert(p.dataSync().join() === "2,12");
 * ```
 */
export function prod(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return reduceWith("prod", "prod", x, options);
}

/**
 * Maximum over axes; NaN propagates; an empty axis is a RangeError.
 *
 * @example
 * ```ts
 * import { max } from "../../mod.ts";
 * using m = max([[1, 5], [3, 4]], { axis: 1 });
 * console.assert(m.dataSync().join() === "5,4");
 * ```
 */
export function max(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return reduceWith("max", "max", x, options);
}

/**
 * Minimum over axes; NaN propagates; an empty axis is a RangeError.
 *
 * @example
 * ```ts
 * import { min } from "../../mod.ts";
 * using m = min([[1, 5], [3, 4]]);
 * console.assert(m.itemSync() === 1);
 * ```
 */
export function min(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return reduceWith("min", "min", x, options);
}

/**
 * Whether any element is non-zero over axes → bool.
 *
 * @example
 * ```ts
 * import { any } from "../../mod.ts";
 * using a = any([[0, 0], [0, 3]], { axis: 1 });
 * console.assert(a.dataSync().join() === "0,1");
 * ```
 */
export function any(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return reduceWith("any", "any", x, options);
}

/**
 * Whether all elements are non-zero over axes → bool.
 *
 * @example
 * ```ts
 * import { all } from "../../mod.ts";
 * using a = all([[1, 0], [2, 3]], { axis: 1 });
 * console.assert(a.dataSync().join() === "0,1");
 * ```
 */
export function all(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return reduceWith("all", "all", x, options);
}

function argReduce(
  fn: string,
  op: "argmax" | "argmin",
  x: TensorLike,
  options: ArgReduceOptions,
): Tensor {
  checkOptions(fn, options);
  const axis = options.axis;
  if (axis !== undefined && axis !== null && typeof axis !== "number") {
    throw typeError(fn, `axis must be a single integer, got ${JSON.stringify(axis)}`);
  }
  return scoped(() => {
    const t = toTensor(x, fn);
    const flat = axis === undefined || axis === null;
    const src = flat ? pReshape(t, [t.size]) : t;
    const ax = normalizeAxis(fn, flat ? 0 : axis, src.rank);
    if (src.shape[ax] === 0) {
      throw rangeError(fn, `attempt to get ${op} of an empty sequence (axis ${ax})`);
    }
    const r = pReduce(op, src, [ax]);
    if (!options.keepdims) return r;
    return pReshape(r, flat ? t.shape.map(() => 1) : keptShape(t.shape, [ax]));
  });
}

/**
 * Index of the maximum along one axis (of the flattened tensor when no axis)
 * → int32; the first index wins ties and NaN counts as the maximum.
 *
 * @example
 * ```ts
 * import { argmax } from "../../mod.ts";
 * using i = argmax([[1, 9, 9], [7, 0, 2]], { axis: 1 });
 * console.assert(i.dtype === "int32" && i.dataSync().join() === "1,0");
 * ```
 */
export function argmax(x: TensorLike, options: ArgReduceOptions = {}): Tensor {
  return argReduce("argmax", "argmax", x, options);
}

/**
 * Index of the minimum along one axis (of the flattened tensor when no axis)
 * → int32; the first index wins ties and NaN counts as the minimum.
 *
 * @example
 * ```ts
 * import { argmin } from "../../mod.ts";
 * using i = argmin([[1, 9, 9], [7, 0, 2]]);
 * console.assert(i.itemSync() === 0);
 * ```
 */
export function argmin(x: TensorLike, options: ArgReduceOptions = {}): Tensor {
  return argReduce("argmin", "argmin", x, options);
}

/**
 * Arithmetic mean over axes (int and bool → float32; empty → NaN).
 *
 * @example
 * ```ts
 * import { mean } from "../../mod.ts";
 * using m = mean([[1, 2], [3, 4]], { axis: 0 });
 * console.assert(m.dataSync().join() === "2,3");
 * ```
 */
export function mean(x: TensorLike, options: ReduceOptions = {}): Tensor {
  checkOptions("mean", options);
  return scoped(() => {
    let t = toTensor(x, "mean");
    if (!isFloat(t.dtype)) t = pCast(t, "float32");
    const axes = normalizeAxes("mean", options.axis, t.rank);
    let count = 1;
    for (const a of axes) count *= t.shape[a];
    const s = reduceWith("mean", "sum", t, options);
    return pBinary("div", s, pFill(t.backend, [], count, t.dtype));
  });
}

/**
 * Number of non-zero elements over axes → int32 (NaN counts as non-zero).
 *
 * @example
 * ```ts
 * import { countNonzero } from "../../mod.ts";
 * using c = countNonzero([[0, 1], [2, 3]], { axis: 1 });
 * console.assert(c.dtype === "int32" && c.dataSync().join() === "1,2");
 * ```
 */
export function countNonzero(x: TensorLike, options: ReduceOptions = {}): Tensor {
  checkOptions("countNonzero", options);
  return scoped(() => {
    const t = toTensor(x, "countNonzero");
    const nz = t.dtype === "bool" ? t : pCast(t, "bool");
    return reduceWith("countNonzero", "sum", pCast(nz, "int32"), options);
  });
}

/** Options of {@link cumsum}. */
export interface CumsumOptions {
  /** Exclude the current element: `[0, x0, x0+x1, ...]` (default false). */
  readonly exclusive?: boolean;
  /** Accumulate from the end (default false). */
  readonly reverse?: boolean;
}

/**
 * Cumulative sum along an axis (the flattened tensor when omitted; bool → int32).
 *
 * @example
 * ```ts
 * import { cumsum } from "../../mod.ts";
 * using c = cumsum([[1, 2, 3], [4, 5, 6]], 1);
 * using r = cumsum([1, 2, 3], 0, { reverse: true });
 * console.assert(c.dataSync().join() === "1,3,6,4,9,15" && r.dataSync().join() === "6,5,3");
 * ```
 */
export function cumsum(x: TensorLike, axis?: number | null, options: CumsumOptions = {}): Tensor {
  checkOptions("cumsum", options);
  return scoped(() => {
    let t = toTensor(x, "cumsum");
    if (t.dtype === "bool") t = pCast(t, "int32");
    const flat = axis === undefined || axis === null;
    if (flat) t = pReshape(t, [t.size]);
    const ax = normalizeAxis("cumsum", flat ? 0 : axis, t.rank);
    return pCumsum(t, ax, options.exclusive ?? false, options.reverse ?? false);
  });
}
