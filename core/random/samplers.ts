/**
 * JAX's samplers on Threefry keys, bit-for-bit as spec/conventions-random.md
 * §4.4 writes them: `uniform`, `normal`, `bernoulli`, `exponential`,
 * `lognormal`, `gumbel`, `categorical` and `randint`. float32 by default (JAX
 * with x64 disabled); results stay on the key's backend.
 *
 * Exactness: `bits`, `uniform` (any bounds), `bernoulli` and `randint` are
 * bit-identical to JAX. `normal` uses the backend's float32 Giles `erfinv`
 * (XLA's approximation), so it matches JAX to float32 rounding of the same
 * polynomial. `exponential`, `gumbel`, `lognormal` and `categorical` apply
 * `log`/`log1p`/`exp`, whose last bit may differ from XLA's own
 * approximations.
 *
 * @module
 */

import { broadcastShapes } from "../../backends/backend.ts";
import { tidy } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import { isFloat, normalizeAxis, type TensorLike, toTensor } from "../ops/convert.ts";
import { checkShape, type ShapeLike } from "../ops/creation.ts";
import { pBinary, pCast, pFill, pReduce, pUnary } from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";
import {
  type FloatDType,
  floatDType,
  gumbelFloats,
  normalFloats,
  toBound,
  uniformFloats,
} from "./floats.ts";
import { splitTwo } from "./key.ts";
import { backendFor, type KeyLike, toKey } from "./keylike.ts";
import { type LayoutOptions, resolveLayout } from "./layout.ts";
import { bits32 } from "./threefry.ts";

/** Options of the float samplers. */
export interface FloatOptions extends LayoutOptions {
  /** Result dtype: float32 (default) or float64 (where the backend has it). */
  readonly dtype?: FloatDType;
}

/** Options of {@link uniform}. */
export interface UniformOptions extends FloatOptions {
  /** Inclusive lower bound, broadcastable to the shape (default 0). */
  readonly minval?: TensorLike;
  /** Exclusive upper bound, broadcastable to the shape (default 1). */
  readonly maxval?: TensorLike;
}

/**
 * `jax.random.uniform(key, shape, dtype, minval, maxval)`: floats in
 * [minval, maxval), `max(minval, f·(maxval − minval) + minval)` with
 * `f = bitcast_f32((bits >> 9) | 0x3F800000) − 1` (§4.4), all in `dtype`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { uniform } from "./mod.ts";
 * using u = uniform([0, 0], [4]);
 * console.assert(u.dataSync()[0] === 0.9476670026779175);
 * using v = uniform([0, 5], [2, 3], { minval: -2, maxval: 3 });
 * console.assert(v.shape.join() === "2,3");
 * ```
 */
export function uniform(key: KeyLike, shape: ShapeLike = [], options: UniformOptions = {}): Tensor {
  const fn = "uniform";
  const s = checkShape(fn, shape);
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const backend = backendFor(key, options.minval, options.maxval);
    const dtype = floatDType(fn, options.dtype, backend);
    const k = toKey(fn, key, backend);
    return uniformFloats(fn, k, s, dtype, layout, options.minval ?? 0, options.maxval ?? 1);
  });
}

/**
 * `jax.random.normal(key, shape, dtype)`: standard normal samples,
 * `√2 · erfinv(u)` with `u = uniform(key, shape, minval=nextafter(−1, 0),
 * maxval=1)` and the backend's `erfinv` (float32: XLA's Giles
 * approximation, §4.4).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { normal } from "./mod.ts";
 * using z = normal([0, 0], [], { layout: "legacy" });
 * console.assert(Math.abs(z.dataSync()[0] - -0.20584226) < 1e-6); // JAX docs
 * ```
 */
export function normal(key: KeyLike, shape: ShapeLike = [], options: FloatOptions = {}): Tensor {
  const fn = "normal";
  const s = checkShape(fn, shape);
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const backend = backendFor(key);
    const dtype = floatDType(fn, options.dtype, backend);
    return normalFloats(toKey(fn, key, backend), s, dtype, layout);
  });
}

/** Convert a float parameter (`p`, `sigma`): numbers and arrays → float32, float tensors kept. */
function floatParam(fn: string, name: string, value: TensorLike, key: KeyLike): Tensor {
  const backend = backendFor(key, value);
  const host = typeof value === "number" || typeof value === "boolean" || Array.isArray(value);
  const t = toTensor(value, fn, host ? { backend, dtype: "float32" } : { backend });
  if (!isFloat(t.dtype)) {
    throw typeError(fn, `${name} must have a float dtype, got ${t.dtype}`);
  }
  return t;
}

/** The result shape: `shape` when given (it must absorb `paramShape` by broadcasting), else `paramShape`. */
function resultShape(
  fn: string,
  shape: ShapeLike | undefined,
  paramShape: readonly number[],
  name: string,
): number[] {
  if (shape === undefined) return [...paramShape];
  const s = checkShape(fn, shape);
  const b = broadcastShapes(s, paramShape);
  if (b === null || b.length !== s.length || b.some((d, i) => d !== s[i])) {
    throw typeError(
      fn,
      `shape ${fmtShape(s)} is not broadcast-compatible with ${name} of shape ${
        fmtShape(paramShape)
      }`,
    );
  }
  return s;
}

/**
 * `jax.random.bernoulli(key, p, shape)`: `uniform(key, shape) < p`, a bool
 * tensor (§4.4). `shape` defaults to `p`'s shape; `p` (default 0.5) is a
 * float or float tensor (numbers become float32). `p` is not range-checked
 * (as JAX: p ≤ 0 gives all false, p ≥ 1 all true).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { bernoulli } from "./mod.ts";
 * using b = bernoulli([0, 0], 0.3, [1000]);
 * console.assert(b.dtype === "bool" && b.shape[0] === 1000);
 * ```
 */
export function bernoulli(
  key: KeyLike,
  p: TensorLike = 0.5,
  shape?: ShapeLike,
  options: LayoutOptions = {},
): Tensor {
  const fn = "bernoulli";
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const pt = floatParam(fn, "p", p, key);
    const s = resultShape(fn, shape, pt.shape, "p");
    const k = toKey(fn, key, pt.backend);
    const u = uniformFloats(fn, k, s, pt.dtype as FloatDType, layout);
    return pBinary("less", u, pt);
  });
}

/**
 * `jax.random.exponential(key, shape, dtype)`: `−log1p(−uniform(key, shape))`
 * (§4.4), rate 1.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { exponential } from "./mod.ts";
 * using e = exponential([0, 1], [100]);
 * console.assert(e.dataSync().every((v) => v >= 0));
 * ```
 */
export function exponential(
  key: KeyLike,
  shape: ShapeLike = [],
  options: FloatOptions = {},
): Tensor {
  const fn = "exponential";
  const s = checkShape(fn, shape);
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const backend = backendFor(key);
    const dtype = floatDType(fn, options.dtype, backend);
    const u = uniformFloats(fn, toKey(fn, key, backend), s, dtype, layout);
    return pUnary("neg", pUnary("log1p", pUnary("neg", u)));
  });
}

/**
 * `jax.random.lognormal(key, sigma, shape, dtype)`: `exp(sigma · normal(key,
 * shape))` (§4.4). `shape` defaults to `sigma`'s shape.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { lognormal } from "./mod.ts";
 * using x = lognormal([0, 2], 0.5, [10]);
 * console.assert(x.dataSync().every((v) => v > 0));
 * ```
 */
export function lognormal(
  key: KeyLike,
  sigma: TensorLike = 1,
  shape?: ShapeLike,
  options: FloatOptions = {},
): Tensor {
  const fn = "lognormal";
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const backend = backendFor(key, sigma);
    const dtype = floatDType(fn, options.dtype, backend);
    const host = typeof sigma === "number" || Array.isArray(sigma);
    const sg = toTensor(sigma, fn, host ? { backend, dtype } : { backend });
    const s = resultShape(fn, shape, sg.shape, "sigma");
    const sd = toBound(fn, "sigma", sg, s, dtype, backend);
    const z = normalFloats(toKey(fn, key, backend), s, dtype, layout);
    return pUnary("exp", pBinary("mul", z, sd));
  });
}

/**
 * `jax.random.gumbel(key, shape, dtype)` (mode "low"): `−log(−log(u))` with
 * `u = uniform(key, shape, minval=finfo.tiny, maxval=1)` (§4.4).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { gumbel } from "./mod.ts";
 * using g = gumbel([0, 3], [2, 2]);
 * console.assert(g.shape.join() === "2,2" && g.dtype === "float32");
 * ```
 */
export function gumbel(key: KeyLike, shape: ShapeLike = [], options: FloatOptions = {}): Tensor {
  const fn = "gumbel";
  const s = checkShape(fn, shape);
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const backend = backendFor(key);
    const dtype = floatDType(fn, options.dtype, backend);
    return gumbelFloats(toKey(fn, key, backend), s, dtype, layout);
  });
}

/** Options of {@link categorical}. */
export interface CategoricalOptions extends LayoutOptions {
  /** The category axis of `logits` (default −1). */
  readonly axis?: number;
  /**
   * Result shape; must be broadcast-compatible with `logits.shape` without
   * `axis` (its trailing dims). Default: that batch shape.
   */
  readonly shape?: ShapeLike;
}

/**
 * `jax.random.categorical(key, logits, axis, shape)`: int32 category indices,
 * `argmax(gumbel(key, prefix + logitsShape) + logits, axis)` where
 * `logitsShape` is the trailing part of `shape` with the category count
 * inserted at `axis` (§4.4: logits (1, K) and shape (n, 1) draw a gumbel
 * array (n, 1, K)). Integer/bool logits are cast to float32. RangeError when
 * there are no categories.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { categorical } from "./mod.ts";
 * using c = categorical([0, 0], [[0, 0, 10]], { shape: [5, 1] });
 * console.assert(c.shape.join() === "5,1" && c.dataSync().every((v) => v === 2));
 * ```
 */
export function categorical(
  key: KeyLike,
  logits: TensorLike,
  options: CategoricalOptions = {},
): Tensor {
  const fn = "categorical";
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const backend = backendFor(key, logits);
    let lt = toTensor(logits, fn, { backend });
    if (!isFloat(lt.dtype)) lt = pCast(lt, "float32");
    if (lt.rank === 0) throw typeError(fn, "logits must have at least one dimension");
    const ax = normalizeAxis(fn, options.axis ?? -1, lt.rank);
    const numCategories = lt.shape[ax];
    if (numCategories === 0) throw rangeError(fn, `logits has no categories along axis ${ax}`);
    const batch = lt.shape.filter((_, i) => i !== ax);
    const s = resultShape(fn, options.shape, batch, "the batch shape of logits");
    const prefix = s.slice(0, s.length - batch.length);
    const inner = s.slice(s.length - batch.length);
    inner.splice(ax, 0, numCategories);
    const g = gumbelFloats(
      toKey(fn, key, backend),
      [...prefix, ...inner],
      lt.dtype as FloatDType,
      layout,
    );
    return pReduce("argmax", pBinary("add", g, lt), [prefix.length + ax]);
  });
}

/**
 * `jax.random.randint(key, shape, minval, maxval)` with dtype int32: integers
 * in [minval, maxval). As JAX: `k1, k2 = split(key)`, two words per element
 * `hi = bits(k1)`, `lo = bits(k2)`, `span = uint32(maxval − minval)` (1 when
 * maxval ≤ minval), `m = (2^16 mod span)^2 mod span`, result
 * `minval + ((hi mod span)·m + (lo mod span)) mod span` in wrapping uint32
 * arithmetic. Bounds are integers, clipped to the int32 range (a maxval above
 * 2^31 − 1 includes 2^31 − 1, as JAX).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { randint } from "./mod.ts";
 * using r = randint([0, 0], [6], 3, 7);
 * console.assert(r.dtype === "int32" && r.dataSync().every((v) => v >= 3 && v < 7));
 * ```
 */
export function randint(
  key: KeyLike,
  shape: ShapeLike,
  minval: number,
  maxval: number,
  options: LayoutOptions = {},
): Tensor {
  const fn = "randint";
  const s = checkShape(fn, shape);
  const layout = resolveLayout(fn, options.layout);
  for (const [name, v] of [["minval", minval], ["maxval", maxval]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw typeError(fn, `${name} must be an integer, got ${String(v)}`);
    }
  }
  const I32_MAX = 2 ** 31 - 1, I32_MIN = -(2 ** 31);
  const outOfRange = maxval > I32_MAX;
  const lo = Math.min(Math.max(minval, I32_MIN), I32_MAX);
  const hi = Math.min(Math.max(maxval, I32_MIN), I32_MAX);
  // span in uint32 (host integers: exact), with JAX's two adjustments.
  let span = hi <= lo ? 1 : hi - lo;
  if (outOfRange && hi > lo) span = (span + 1) % 2 ** 32;
  return tidy(() => {
    const backend = backendFor(key);
    const k = toKey(fn, key, backend);
    const keys = splitTwo(k, layout);
    const hiBits = bits32(keys[0], s, layout);
    const loBits = bits32(keys[1], s, layout);
    let offset: Tensor;
    if (span === 0) {
      // span wrapped to 2^32: every remainder is the identity (XLA x % 0 = x),
      // and the multiplier 2^32 mod 2^32 is 0, so the offset is `lo` bits.
      offset = loBits;
    } else {
      const m16 = 65536 % span;
      const mult = Number((BigInt(m16) * BigInt(m16)) % BigInt(span));
      const sp = pFill(backend, [], span, "uint32");
      const hiMod = pBinary("mod", hiBits, sp);
      const sum = pBinary(
        "add",
        pBinary("mul", hiMod, pFill(backend, [], mult, "uint32")),
        pBinary("mod", loBits, sp),
      );
      offset = pBinary("mod", sum, sp);
    }
    return pBinary("add", pFill(backend, [], lo, "int32"), pCast(offset, "int32"));
  });
}
