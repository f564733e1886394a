/**
 * Turning random words into floats exactly as JAX does (spec
 * conventions-random.md §4.4): the shared core of every float sampler.
 *
 * @module
 */

import { type Backend, broadcastShapes, sizeOf } from "../../backends/backend.ts";
import { tidy } from "../engine.ts";
import { fmtShape, typeError } from "../errors.ts";
import {
  checkBackendDType,
  checkDType,
  isFloat,
  type TensorLike,
  toTensor,
} from "../ops/convert.ts";
import { pBinary, pCast, pFill, pReshape, pSlice, pUnary } from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";
import type { Layout } from "./layout.ts";
import { bits32, hashIota, iota, threefryCount } from "./threefry.ts";

/** Float dtypes the samplers produce. */
export type FloatDType = "float32" | "float64";

/** `nextafter(-1, 0)` per dtype: the lower bound of `normal`'s uniform (§4.4). */
export const NEXT_AFTER_MINUS_ONE: Readonly<Record<FloatDType, number>> = {
  float32: -(1 - 2 ** -24), // -0.99999994
  float64: -(1 - 2 ** -53),
};

/** `finfo(dtype).tiny` (smallest normal): the lower bound of `gumbel`'s uniform. */
export const TINY: Readonly<Record<FloatDType, number>> = {
  float32: 2 ** -126, // 1.1754944e-38
  float64: 2 ** -1022,
};

/**
 * Validate a float dtype option (default float32, as JAX with x64 disabled)
 * and that `backend` can hold it.
 *
 * @example
 * ```ts
 * import { getBackend } from "../../mod.ts";
 * import { floatDType } from "./floats.ts";
 * console.assert(floatDType("uniform", undefined, getBackend()) === "float32");
 * ```
 */
export function floatDType(fn: string, dtype: unknown, backend: Backend): FloatDType {
  if (dtype === undefined) return "float32";
  const d = checkDType(fn, dtype);
  if (!isFloat(d)) throw typeError(fn, `dtype must be float32 or float64, got ${d}`);
  checkBackendDType(fn, backend, d);
  return d as FloatDType;
}

/**
 * A 0-d constant of `dtype` on `backend` (rounded to the dtype, as
 * `np.array(v, dtype)`).
 *
 * @example
 * ```ts
 * import { getBackend } from "../../mod.ts";
 * import { constant } from "./floats.ts";
 * using c = constant(getBackend(), Math.SQRT2, "float32");
 * console.assert(c.dataSync()[0] === Math.fround(Math.SQRT2));
 * ```
 */
export function constant(backend: Backend, value: number, dtype: FloatDType): Tensor {
  return pFill(backend, [], value, dtype);
}

/**
 * Floats in [0, 1) of `shape` from a key tensor (JAX `uniform`'s bit
 * construction). float32: `bitcast_f32((bits >> 9) | 0x3F800000) − 1` (the
 * backend's `bitsToUnit`). float64 (JAX with x64 enabled): 64 random bits
 * `(hi << 32) | lo` — partitionable: `(hi, lo) = tf(key; 0, j)`; legacy: the
 * first and second halves of `2·m` legacy words — then
 * `bitcast_f64((b >> 12) | 0x3FF0…) − 1 = (hi·2^20 + (lo >>> 12))·2^−52`,
 * computed exactly in float64.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * import { unitFloats } from "./floats.ts";
 * using k = key(0);
 * using f = unitFloats(k, [], "float32", "partitionable");
 * console.assert(f.dataSync()[0] === 0.9476670026779175);
 * ```
 */
export function unitFloats(
  key: Tensor,
  shape: readonly number[],
  dtype: FloatDType,
  layout: Layout,
): Tensor {
  return tidy(() => {
    if (dtype === "float32") return pUnary("bitsToUnit", bits32(key, shape, layout));
    const m = sizeOf(shape);
    if (m === 0) return pFill(key.backend, shape, 0, dtype);
    let hi: Tensor, lo: Tensor;
    if (layout === "partitionable") {
      [hi, lo] = hashIota(key, m);
    } else {
      const w = threefryCount(key, iota(key.backend, 2 * m));
      hi = pSlice(w, [0], [m], [1]);
      lo = pSlice(w, [m], [m], [1]);
    }
    const b = key.backend;
    const lo20 = pBinary("shiftRight", lo, pFill(b, [], 12, "uint32"));
    const mant = pBinary(
      "add",
      pBinary("mul", pCast(hi, "float64"), constant(b, 2 ** 20, "float64")),
      pCast(lo20, "float64"),
    );
    return pReshape(pBinary("mul", mant, constant(b, 2 ** -52, "float64")), shape);
  });
}

/**
 * Convert a bound (`minval`, `maxval`, `p`, `sigma`, ...) to a tensor of
 * `dtype` on `backend` that broadcasts to `shape` (JAX converts it with
 * `convert_element_type`). TypeError when it does not broadcast.
 *
 * @example
 * ```ts
 * import { getBackend } from "../../mod.ts";
 * import { toBound } from "./floats.ts";
 * using lo = toBound("uniform", "minval", -2, [3], "float32", getBackend());
 * console.assert(lo.shape.length === 0 && lo.dtype === "float32");
 * ```
 */
export function toBound(
  fn: string,
  name: string,
  value: TensorLike,
  shape: readonly number[],
  dtype: FloatDType,
  backend: Backend,
): Tensor {
  return tidy(() => {
    const host = typeof value === "number" || typeof value === "boolean" || Array.isArray(value);
    const t = toTensor(value, fn, host ? { backend, dtype } : { backend });
    if (t.backend !== backend) {
      throw typeError(
        fn,
        `${name} lives on the ${t.backend.name} backend, the key on ${backend.name}`,
      );
    }
    const b = broadcastShapes(t.shape, shape);
    if (b === null || b.length !== shape.length || b.some((d, i) => d !== shape[i])) {
      throw typeError(
        fn,
        `${name} of shape ${fmtShape(t.shape)} does not broadcast to the shape ${fmtShape(shape)}`,
      );
    }
    return t.dtype === dtype ? pReshape(t, t.shape) : pCast(t, dtype);
  });
}

/**
 * JAX's `uniform` from a key tensor: `max(lo, f·(hi − lo) + lo)` in `dtype`
 * with `f` from {@link unitFloats} (§4.4). With the bounds 0 and 1 this is
 * `f` itself (the formula is the identity there).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * import { uniformFloats } from "./floats.ts";
 * using k = key(5);
 * using u = uniformFloats("uniform", k, [3], "float32", "partitionable", -2, 3);
 * console.assert(u.dataSync().every((v) => v >= -2 && v < 3));
 * ```
 */
export function uniformFloats(
  fn: string,
  key: Tensor,
  shape: readonly number[],
  dtype: FloatDType,
  layout: Layout,
  minval: TensorLike = 0,
  maxval: TensorLike = 1,
): Tensor {
  return tidy(() => {
    const f = unitFloats(key, shape, dtype, layout);
    if (minval === 0 && maxval === 1) return f;
    const lo = toBound(fn, "minval", minval, shape, dtype, key.backend);
    const hi = toBound(fn, "maxval", maxval, shape, dtype, key.backend);
    const scaled = pBinary("add", pBinary("mul", f, pBinary("sub", hi, lo)), lo);
    return pBinary("maximum", lo, scaled);
  });
}

/**
 * JAX's `normal` from a key tensor: `√2 · erfinv(u)` with `u` uniform on
 * (nextafter(−1, 0), 1) (§4.4) and the backend's `erfinv`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * import { normalFloats } from "./floats.ts";
 * using k = key(0);
 * using z = normalFloats(k, [4], "float32", "partitionable");
 * console.assert(Math.abs(z.dataSync()[0] - 1.6226421) < 1e-5);
 * ```
 */
export function normalFloats(
  key: Tensor,
  shape: readonly number[],
  dtype: FloatDType,
  layout: Layout,
): Tensor {
  return tidy(() => {
    const u = uniformFloats("normal", key, shape, dtype, layout, NEXT_AFTER_MINUS_ONE[dtype], 1);
    return pBinary("mul", constant(key.backend, Math.SQRT2, dtype), pUnary("erfinv", u));
  });
}

/**
 * JAX's `gumbel` (mode "low") from a key tensor: `−log(−log(u))` with
 * `u = uniform(key, shape, minval=finfo.tiny, maxval=1)` (§4.4).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * import { gumbelFloats } from "./floats.ts";
 * using k = key(0);
 * using g = gumbelFloats(k, [3], "float32", "partitionable");
 * console.assert(g.dataSync().every(Number.isFinite));
 * ```
 */
export function gumbelFloats(
  key: Tensor,
  shape: readonly number[],
  dtype: FloatDType,
  layout: Layout,
): Tensor {
  return tidy(() => {
    const u = uniformFloats("gumbel", key, shape, dtype, layout, TINY[dtype], 1);
    return pUnary("neg", pUnary("log", pUnary("neg", pUnary("log", u))));
  });
}
