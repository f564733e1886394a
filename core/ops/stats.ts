/**
 * Statistics built from ops: `variance`, `std` (population by default, as
 * `jnp.var`/`jnp.std`), `quantile` and `median` (JAX's interpolation
 * methods; NumPy "linear" by default).
 *
 * @module
 */

import { isTensor } from "../engine.ts";
import { rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxes, type TensorLike } from "./convert.ts";
import { add, div, isnan, mul, sqrt, square, sub, where } from "./elementwise.ts";
import { floatOperand } from "./linalg_common.ts";
import { pGather, pReshape, pSort, pTranspose, pWrite, scoped } from "./prim.ts";
import { reduceAxes, reducedShape } from "./reduce_axes.ts";

/** Options of {@link variance} and {@link std}. */
export interface VarianceOptions {
  /** Axis or axes to reduce (default: all). */
  readonly axis?: number | readonly number[];
  /** Keep the reduced axes as length 1. Default false. */
  readonly keepdims?: boolean;
  /** Delta degrees of freedom: divide by `n − ddof` (0: population, 1: sample). Default 0. */
  readonly ddof?: number;
}

/**
 * Variance over `axis` (`jnp.var`): `Σ (x − mean)² / max(n − ddof, 0)`, so
 * `n ≤ ddof` gives Inf/NaN as in JAX. Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { variance } from "../../mod.ts";
 * using v = variance([1, 2, 3, 4]);
 * using s = variance([1, 2, 3, 4], { ddof: 1 });
 * console.assert(v.dataSync()[0] === 1.25 && Math.abs(s.dataSync()[0] - 5 / 3) < 1e-6);
 * ```
 */
export function variance(x: TensorLike, options: VarianceOptions = {}): Tensor {
  return varianceImpl("variance", x, options);
}

function varianceImpl(fn: string, x: TensorLike, options: VarianceOptions): Tensor {
  const ddof = options.ddof ?? 0;
  if (typeof ddof !== "number" || !Number.isFinite(ddof)) {
    throw rangeError(fn, `ddof must be a finite number, got ${ddof}`);
  }
  return scoped(() => {
    const t = floatOperand(fn, x);
    const axes = normalizeAxes(fn, options.axis, t.rank);
    let n = 1;
    for (const a of axes) n *= t.shape[a];
    const mean = div(reduceAxes("sum", t, axes, true), n);
    const ss = reduceAxes("sum", square(sub(t, mean)), axes, options.keepdims ?? false);
    return div(ss, Math.max(n - ddof, 0));
  });
}

/**
 * Standard deviation over `axis` (`jnp.std`): `sqrt(variance)`, population
 * (`ddof: 0`) by default. Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { std } from "../../mod.ts";
 * using s = std([[1, 3], [5, 7]], { axis: 1 });
 * console.assert(s.dataSync().join() === "1,1");
 * ```
 */
export function std(x: TensorLike, options: VarianceOptions = {}): Tensor {
  return scoped(() => sqrt(varianceImpl("std", x, options)));
}

/** Interpolation between the two order statistics around position `q·(n − 1)` (JAX/NumPy names). */
export type QuantileMethod = "linear" | "lower" | "higher" | "nearest" | "midpoint";

/** Options of {@link quantile} and {@link median}. */
export interface QuantileOptions {
  /** Axis or axes to reduce (default: all, i.e. the flattened array). */
  readonly axis?: number | readonly number[];
  /** Keep the reduced axes as length 1. Default false. */
  readonly keepdims?: boolean;
  /** Interpolation method. Default "linear". */
  readonly method?: QuantileMethod;
}

const METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "nearest", "midpoint"];

/** Read `q` on the host (quantile levels decide indices, so they must be known here). */
function readLevels(fn: string, q: TensorLike): { levels: number[]; scalar: boolean } {
  let values: ArrayLike<number>;
  let scalar: boolean;
  if (typeof q === "number") {
    values = [q];
    scalar = true;
  } else if (isTensor(q)) {
    q.assertAlive(fn);
    if (q.rank > 1) throw typeError(fn, `q must be a number or 1-D, got rank ${q.rank}`);
    if (!q.backend.capabilities.readSync) {
      throw typeError(
        fn,
        `q must be readable on the host; pass numbers (the ${q.backend.name} backend reads asynchronously)`,
      );
    }
    values = q.dataSync();
    scalar = q.rank === 0;
  } else if (ArrayBuffer.isView(q)) {
    values = q as ArrayLike<number>;
    scalar = false;
  } else if (Array.isArray(q) && q.every((v) => typeof v === "number")) {
    values = q as number[];
    scalar = false;
  } else {
    throw typeError(fn, `q must be a number, a 1-D array of numbers or a 1-D tensor`);
  }
  const levels = Array.from(values);
  for (const v of levels) {
    if (!(v >= 0 && v <= 1)) throw rangeError(fn, `quantile levels must be in [0, 1], got ${v}`);
  }
  return { levels, scalar };
}

/**
 * Quantiles along `axis` (`jnp.quantile`): sort, take position
 * `p = q·(n − 1)` (float32 arithmetic as JAX for float32 data) and combine
 * `lo = v[floor p]`, `hi = v[ceil p]`: "linear" `lo·(1 − w) + hi·w` with
 * `w = p − floor p`, "lower" lo, "higher" hi, "nearest" lo when w ≤ 0.5
 * else hi, "midpoint" `(lo + hi)/2`. A slice containing NaN gives NaN. `q`
 * is a number (result has the reduced shape) or 1-D (a leading axis of
 * length `q.length`, as NumPy); levels outside [0, 1] are a RangeError.
 *
 * @example
 * ```ts
 * import { quantile } from "../../mod.ts";
 * using m = quantile([1, 2, 3, 4], 0.5);
 * using qs = quantile([[1, 2, 3, 4], [10, 20, 30, 40]], [0, 1 / 3, 1], { axis: 1 });
 * console.assert(m.dataSync()[0] === 2.5);
 * console.assert(qs.shape.join() === "3,2" && qs.dataSync()[2] === 2 && qs.dataSync()[5] === 40);
 * ```
 */
export function quantile(x: TensorLike, q: TensorLike, options: QuantileOptions = {}): Tensor {
  return quantileImpl("quantile", x, q, options);
}

function quantileImpl(fn: string, x: TensorLike, q: TensorLike, options: QuantileOptions): Tensor {
  const method = options.method ?? "linear";
  if (!METHODS.includes(method)) {
    throw rangeError(
      fn,
      `method must be one of ${METHODS.join(", ")}, got ${JSON.stringify(method)}`,
    );
  }
  const { levels, scalar } = readLevels(fn, q);
  const keepdims = options.keepdims ?? false;
  return scoped(() => {
    const t = floatOperand(fn, x);
    const axes = normalizeAxes(fn, options.axis, t.rank);
    const rest = Array.from({ length: t.rank }, (_, i) => i).filter((i) => !axes.includes(i));
    const restDims = rest.map((i) => t.shape[i]);
    let n = 1;
    for (const a of axes) n *= t.shape[a];
    if (n === 0) {
      throw rangeError(
        fn,
        `cannot take a quantile of an empty slice (x has shape [${t.shape.join(", ")}])`,
      );
    }
    const moved = pReshape(pTranspose(t, [...rest, ...axes]), [...restDims, n]);
    const last = restDims.length;
    const sorted = pSort(moved, last, false);
    const f32 = t.dtype === "float32" ? Math.fround : (v: number) => v;
    const lo = new Int32Array(levels.length), hi = new Int32Array(levels.length);
    const w = new Float64Array(levels.length);
    levels.forEach((level, i) => {
      const pos = f32(f32(level) * (n - 1));
      lo[i] = Math.floor(pos);
      hi[i] = Math.ceil(pos);
      const frac = f32(pos - lo[i]);
      w[i] = method === "linear"
        ? frac
        : method === "higher"
        ? 1
        : method === "nearest"
        ? (frac <= 0.5 ? 0 : 1)
        : method === "midpoint"
        ? 0.5
        : 0;
    });
    const nq = levels.length;
    const vLo = pGather(sorted, pWrite(t.backend, lo, [nq], "int32"), last);
    const vHi = pGather(sorted, pWrite(t.backend, hi, [nq], "int32"), last);
    const wT = pWrite(t.backend, t.dtype === "float64" ? w : new Float32Array(w), [nq], t.dtype);
    // JAX: low·(1 − w) + high·w (nearest/lower/higher pick one side exactly).
    const mixed = method === "midpoint"
      ? mul(add(vLo, vHi), 0.5)
      : method === "linear"
      ? add(mul(vLo, sub(1, wT)), mul(vHi, wT))
      : where(
        pWrite(t.backend, Uint8Array.from(w, (v) => (v > 0 ? 1 : 0)), [nq], "bool"),
        vHi,
        vLo,
      );
    const hasNan = reduceAxes("any", isnan(moved), [last], true);
    const res = where(hasNan, NaN, mixed); // [...rest, nq]
    const outShape = keepdims ? reducedShape(t.shape, axes, true) : restDims;
    if (scalar) return pReshape(res, outShape);
    const perm = [last, ...Array.from({ length: last }, (_, i) => i)];
    return pReshape(pTranspose(res, perm), [nq, ...outShape]);
  });
}

/**
 * Median along `axis` (`jnp.median`): the 0.5 quantile, linear
 * interpolation. Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { median } from "../../mod.ts";
 * using m = median([[3, 1, 2], [6, 4, 5]], { axis: 1 });
 * console.assert(m.dataSync().join() === "2,5");
 * ```
 */
export function median(x: TensorLike, options: Omit<QuantileOptions, "method"> = {}): Tensor {
  return quantileImpl("median", x, 0.5, { ...options, method: "linear" });
}
