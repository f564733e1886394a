/**
 * Weight initializers: the port of `ngclearn.utils.DistributionGenerator`
 * (spec: distributions.md). Each static factory returns an initializer
 * `(shape, dkey?) → Tensor`, seeded by our JAX-compatible keys; the
 * post-processing options (`amin`/`amax`, triangles, `hollow`, `eye`, column
 * and row masks) apply in ngclearn's order.
 *
 * @module
 */

import type { DType } from "../backends/backend.ts";
import { isTensor, tidy } from "../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import { checkShape } from "../core/ops/creation.ts";
import {
  add,
  cast,
  exp,
  expandDims,
  eye,
  full,
  greater,
  maximum,
  minimum,
  mul,
  oneHot,
  sub,
  sum,
  tensor,
  tril,
  triu,
} from "../core/ops/mod.ts";
import {
  choice,
  key as makeKey,
  type KeyLike,
  normal,
  RandomState,
  split,
  uniform as uniformOp,
} from "../core/random/mod.ts";
import { toKey } from "../core/random/keylike.ts";
import { keyAt } from "../core/random/key.ts";
import { checkBool, checkInt, checkNumber, describe } from "./model/common.ts";

/** A column or row mask: keep `n` random indices, or keep the listed indices. */
export type MaskSpec = number | readonly number[];

/**
 * Post-processing and output options shared by every factory (ngclearn's
 * `DistributionParams`, camelCased).
 */
export interface DistributionParams {
  /** Floor: `max(a, amin)`. */
  readonly amin?: number;
  /** Cap: `min(a, amax)`. */
  readonly amax?: number;
  /** Keep the lower triangle (`tril`). Exclusive with `upperTriangle`. */
  readonly lowerTriangle?: boolean;
  /** Keep the upper triangle (`triu`). Exclusive with `lowerTriangle`. */
  readonly upperTriangle?: boolean;
  /** Zero the diagonal: `a·(1 − eye(R, C))` (2-D shapes). */
  readonly hollow?: boolean;
  /** Keep only the diagonal: `a·eye(R, C)` (2-D shapes). */
  readonly eye?: boolean;
  /** Keep n random columns (an integer) or the listed columns; zero the others. */
  readonly colMask?: MaskSpec;
  /**
   * Keep n random rows (an integer) or the listed rows; zero the others. This
   * port masks rows, as documented (ngclearn's code broadcasts the mask along
   * the last axis, so it zeroes columns of a square matrix and raises
   * otherwise).
   */
  readonly rowMask?: MaskSpec;
  /**
   * Draw on the host from NumPy's legacy `RandomState(seed)` (MT19937, polar
   * Gaussian) instead of the key-based path; the second argument of the
   * initializer is then an integer seed (or nothing). ngclearn uses
   * `default_rng` (PCG64) here, whose stream is not reproduced. Default false.
   */
  readonly useNumpy?: boolean;
  /** Output dtype (default float32; float64 on backends that have it). */
  readonly dtype?: "float32" | "float64";
}

/**
 * What the factories return: `(shape, dkey) → Tensor`. `dkey` is a key
 * (`key(seed)`, a `[k0, k1]` pair), an integer seed for `key(seed)`, or
 * nothing (a time-based key, as ngclearn's `PRNGKey(time.time_ns())`). With
 * `useNumpy` it is an integer seed or nothing.
 */
export type DistributionInitializer = (
  shape: readonly number[],
  dkey?: KeyLike | number | null,
) => Tensor;

/** Options of {@link DistributionGenerator.uniform}. */
export interface UniformParams extends DistributionParams {
  /** Lower bound (default 0). */
  readonly low?: number;
  /** Upper bound, exclusive (default 1). */
  readonly high?: number;
}

/** Options of {@link DistributionGenerator.gaussian}. */
export interface GaussianParams extends DistributionParams {
  /** Mean (default 0). */
  readonly mean?: number;
  /** Standard deviation (default 1). */
  readonly std?: number;
}

/** Options of {@link DistributionGenerator.logGaussian}. */
export interface LogGaussianParams extends DistributionParams {
  /** Standard deviation of the underlying Gaussian (default 1). */
  readonly sigma?: number;
}

const PARAM_KEYS = [
  "amin",
  "amax",
  "lowerTriangle",
  "upperTriangle",
  "hollow",
  "eye",
  "colMask",
  "rowMask",
  "useNumpy",
  "dtype",
];

interface Checked {
  readonly amin?: number;
  readonly amax?: number;
  readonly lower: boolean;
  readonly upper: boolean;
  readonly hollow: boolean;
  readonly eye: boolean;
  readonly colMask?: MaskSpec;
  readonly rowMask?: MaskSpec;
  readonly useNumpy: boolean;
  readonly dtype: "float32" | "float64";
}

function checkMaskSpec(fn: string, name: string, m: unknown): MaskSpec | undefined {
  if (m === undefined || m === null) return undefined;
  if (typeof m === "number") return checkInt(fn, name, m, 0);
  if (Array.isArray(m)) {
    for (const i of m) checkInt(fn, `${name} entries`, i, 0);
    return m as number[];
  }
  throw typeError(fn, `${name} must be an integer or a list of indices, got ${describe(m)}`);
}

/** Validate the shared params up front (so a factory with bad options fails when built). */
function checkParams(fn: string, p: DistributionParams, extra: readonly string[]): Checked {
  if (p === null || typeof p !== "object") {
    throw typeError(fn, `options must be an object, got ${describe(p)}`);
  }
  for (const k of Object.keys(p)) {
    if (!PARAM_KEYS.includes(k) && !extra.includes(k)) {
      throw typeError(
        fn,
        `unknown option "${k}"; known: ${[...extra, ...PARAM_KEYS].join(", ")}`,
      );
    }
  }
  const lower = checkBool(fn, "lowerTriangle", p.lowerTriangle ?? false);
  const upper = checkBool(fn, "upperTriangle", p.upperTriangle ?? false);
  if (lower && upper) {
    throw rangeError(
      fn,
      "lowerTriangle and upperTriangle are mutually exclusive when initializing a distribution",
    );
  }
  const dtype = p.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") {
    throw typeError(fn, `dtype must be "float32" or "float64", got ${describe(dtype)}`);
  }
  return {
    amin: p.amin === undefined ? undefined : checkNumber(fn, "amin", p.amin),
    amax: p.amax === undefined ? undefined : checkNumber(fn, "amax", p.amax),
    lower,
    upper,
    hollow: checkBool(fn, "hollow", p.hollow ?? false),
    eye: checkBool(fn, "eye", p.eye ?? false),
    colMask: checkMaskSpec(fn, "colMask", p.colMask),
    rowMask: checkMaskSpec(fn, "rowMask", p.rowMask),
    useNumpy: checkBool(fn, "useNumpy", p.useNumpy ?? false),
    dtype,
  };
}

/** Nanoseconds since the epoch, as ngclearn's `time.time_ns()` seed for a missing key. */
function timeSeed(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

function need2d(fn: string, what: string, shape: readonly number[]): void {
  if (shape.length !== 2) {
    throw typeError(fn, `${what} needs a 2-D shape, got ${fmtShape(shape)}`);
  }
}

/** Check mask bounds against the shape (before any drawing). */
function checkMaskBounds(fn: string, c: Checked, shape: readonly number[]): void {
  for (
    const [name, spec, axis] of [["colMask", c.colMask, 1], ["rowMask", c.rowMask, 0]] as const
  ) {
    if (spec === undefined) continue;
    need2d(fn, name, shape);
    const dim = shape[axis];
    if (typeof spec === "number") {
      if (spec > dim) {
        throw rangeError(
          fn,
          `${name} = ${spec} cannot keep more than the ${dim} ${
            axis ? "columns" : "rows"
          } (sampling without replacement)`,
        );
      }
    } else {
      for (const i of spec) {
        if (i >= dim) {
          throw rangeError(
            fn,
            `${name} index ${i} is out of range for ${dim} ${axis ? "columns" : "rows"}`,
          );
        }
      }
    }
  }
  if (c.hollow) need2d(fn, "hollow", shape);
  if (c.eye) need2d(fn, "eye", shape);
  if (c.lower || c.upper) {
    if (shape.length < 2) {
      throw typeError(fn, `a triangle needs at least 2 dimensions, got ${fmtShape(shape)}`);
    }
  }
}

/** A 0/1 keep-vector of length `dim` from listed indices (host). */
function listMask(indices: readonly number[], dim: number, dtype: DType): Tensor {
  const v = new Float64Array(dim);
  for (const i of indices) v[i] = 1;
  return tensor(v, { dtype });
}

/** A 0/1 keep-vector of `n` indices drawn by `choice(s, dim, (n,), replace=False)`. */
function drawnMask(s: Tensor, n: number, dim: number, dtype: DType): Tensor {
  if (n === 0) return full([dim], 0, { dtype });
  const picks = choice(s, dim, { shape: [n], replace: false });
  return cast(greater(sum(oneHot(picks, dim), { axis: 0 }), 0), dtype);
}

/**
 * `_process_params`: clip, triangle, hollow/eye, column mask, row mask,
 * cast. `nextKey()` gives the key the masks split from (JAX path), or null
 * for the NumPy path (`seed` then seeds a fresh `RandomState` per mask).
 */
function postProcess(
  a0: Tensor,
  c: Checked,
  maskKey: () => Tensor,
  seed: number | null,
): Tensor {
  let a = a0;
  if (c.amin !== undefined) a = maximum(a, c.amin);
  if (c.amax !== undefined) a = minimum(a, c.amax);
  if (c.lower) a = tril(a);
  if (c.upper) a = triu(a);
  const shape = a.shape;
  if (c.hollow) a = mul(a, sub(1, eye(shape[0], { m: shape[1], dtype: a.dtype })));
  if (c.eye) a = mul(a, eye(shape[0], { m: shape[1], dtype: a.dtype }));
  let k: Tensor | null = null;
  for (const [spec, axis] of [[c.colMask, 1], [c.rowMask, 0]] as const) {
    if (spec === undefined) continue;
    const dim = shape[axis];
    let keep: Tensor;
    if (typeof spec !== "number") {
      keep = listMask(spec, dim, a.dtype);
    } else if (c.useNumpy) {
      // ngclearn: default_rng(seed).choice(dim, n, replace=False), a fresh stream per mask
      const rs = new RandomState(seed ?? undefined);
      keep = listMask(Array.from(rs.choice(dim, { size: spec, replace: false })), dim, a.dtype);
    } else {
      // (key, s) = split(key); keep = choice(s, dim, (n,), replace=False)
      const ks = split(k ?? (k = maskKey()), 2);
      k = keyAt(ks, 0);
      keep = drawnMask(keyAt(ks, 1), spec, dim, a.dtype);
    }
    a = mul(a, axis === 1 ? expandDims(keep, 0) : expandDims(keep, 1));
  }
  return a.dtype === c.dtype ? a : cast(a, c.dtype);
}

type Sampler = {
  /** Values from a key (JAX path). */
  readonly jax: (k: Tensor, shape: number[], dtype: "float32" | "float64") => Tensor;
  /** Values from a RandomState (NumPy path), as float64 host values in row-major order. */
  readonly numpy: (rs: RandomState, shape: number[]) => Float64Array;
  /** Whether the values use a key (constants pass the key straight through). */
  readonly random: boolean;
};

/** NumPy's legacy Gaussian (`RandomState.standard_normal`, polar method). */
function legacyGauss(rs: RandomState, n: number): Float64Array {
  const out = new Float64Array(n);
  let spare = NaN;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(spare)) {
      out[i] = spare;
      spare = NaN;
      continue;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * (rs.random() as number) - 1;
      x2 = 2 * (rs.random() as number) - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt(-2 * Math.log(r2) / r2);
    spare = f * x1;
    out[i] = f * x2;
  }
  return out;
}

function legacyUniform(rs: RandomState, n: number, low: number, high: number): Float64Array {
  const u = rs.random(n) as Float64Array;
  for (let i = 0; i < n; i++) u[i] = low + (high - low) * u[i];
  return u;
}

function resolveKey(fn: string, dkey: KeyLike | number | null | undefined): Tensor {
  if (dkey === undefined || dkey === null) return makeKey(timeSeed());
  if (typeof dkey === "number") return makeKey(dkey);
  return toKey(fn, dkey);
}

function resolveSeed(fn: string, dkey: unknown): number | null {
  if (dkey === undefined || dkey === null) return null;
  if (typeof dkey !== "number" || isTensor(dkey)) {
    throw typeError(
      fn,
      `with useNumpy the second argument must be an integer seed, got ${describe(dkey)}`,
    );
  }
  return checkInt(fn, "seed", dkey, 0, 2 ** 32 - 1);
}

/** Build the initializer closure around a sampler. */
function initializer(
  fn: string,
  c: Checked,
  sampler: Sampler,
  needs?: (shape: number[]) => void,
): DistributionInitializer {
  return (shape: readonly number[], dkey?: KeyLike | number | null): Tensor => {
    const s = checkShape(fn, shape);
    needs?.(s);
    checkMaskBounds(fn, c, s);
    if (c.useNumpy) {
      const seed = resolveSeed(fn, dkey);
      return tidy(() => {
        const rs = new RandomState(seed ?? undefined);
        const values = tensor(sampler.numpy(rs, s), { shape: s, dtype: c.dtype });
        return postProcess(values, c, () => {
          throw new Error("unreachable");
        }, seed);
      });
    }
    return tidy(() => {
      let k: Tensor | null = null;
      const getKey = () => k ?? (k = resolveKey(fn, dkey));
      if (!sampler.random) {
        // constants: the key goes straight to post-processing (built only if a mask needs it)
        return postProcess(sampler.jax(getKey(), s, c.dtype), c, getKey, null);
      }
      // (k, sub) = split(key): values from k, post-processing from sub
      const ks = split(getKey(), 2);
      const values = sampler.jax(keyAt(ks, 0), s, c.dtype);
      return postProcess(values, c, () => keyAt(ks, 1), null);
    });
  };
}

/**
 * Weight initializers (ngclearn's `DistributionGenerator`). Each static
 * factory validates its options and returns a {@link DistributionInitializer}
 * `(shape, dkey?) → Tensor`. On the key path a random factory splits the key
 * once, `(k, sub) = split(dkey)`: the values come from `k`, and integer
 * masks split `sub` again for each mask (`choice` without replacement), as in
 * ngclearn.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { DistributionGenerator } from "./distribution.ts";
 * const init = DistributionGenerator.uniform({ low: -0.1, high: 0.1, hollow: true });
 * using w = init([4, 4], 42);
 * const v = w.dataSync();
 * console.assert(w.shape.join() === "4,4" && v[0] === 0 && v.every((x) => Math.abs(x) <= 0.1));
 * ```
 */
export class DistributionGenerator {
  /**
   * `value` everywhere (`ones(shape)·value`), then post-processing.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.constant(2, { lowerTriangle: true })([2, 2]);
   * console.assert(w.dataSync().join() === "2,0,2,2");
   * ```
   */
  static constant(value: number, params: DistributionParams = {}): DistributionInitializer {
    const fn = "DistributionGenerator.constant";
    const v = checkNumber(fn, "value", value);
    const c = checkParams(fn, params, []);
    return initializer(fn, c, {
      random: false,
      jax: (_k, shape, dtype) => full(shape, v, { dtype }),
      numpy: (_rs, shape) => new Float64Array(count(shape)).fill(v),
    });
  }

  /**
   * `onDiag` on the diagonal and `offDiag` elsewhere (`eye(R, C)·onDiag +
   * (1 − eye)·offDiag`; 2-D shapes), then post-processing.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.diagOffdiag(1, -0.5)([2, 3]);
   * console.assert(w.dataSync().join() === "1,-0.5,-0.5,-0.5,1,-0.5");
   * ```
   */
  static diagOffdiag(
    onDiag: number,
    offDiag: number,
    params: DistributionParams = {},
  ): DistributionInitializer {
    const fn = "DistributionGenerator.diagOffdiag";
    const on = checkNumber(fn, "onDiag", onDiag);
    const off = checkNumber(fn, "offDiag", offDiag);
    const c = checkParams(fn, params, []);
    return initializer(fn, c, {
      random: false,
      jax: (_k, shape, dtype) => {
        const I = eye(shape[0], { m: shape[1], dtype });
        return add(mul(I, on), mul(sub(1, I), off));
      },
      numpy: (_rs, [R, C]) => {
        const out = new Float64Array(R * C).fill(off);
        for (let i = 0; i < Math.min(R, C); i++) out[i * C + i] = on;
        return out;
      },
    }, (shape) => need2d(fn, "diagOffdiag", shape));
  }

  /**
   * Uniform values in `[low, high)` (`jax.random.uniform(k, shape, dtype,
   * low, high)`), then post-processing.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.uniform({ low: 2, high: 3 })([100], 0);
   * console.assert(w.dataSync().every((x) => x >= 2 && x < 3));
   * ```
   */
  static uniform(params: UniformParams = {}): DistributionInitializer {
    const fn = "DistributionGenerator.uniform";
    const c = checkParams(fn, params, ["low", "high"]);
    const low = checkNumber(fn, "low", params.low ?? 0);
    const high = checkNumber(fn, "high", params.high ?? 1);
    return initializer(fn, c, {
      random: true,
      jax: (k, shape, dtype) => uniformOp(k, shape, { minval: low, maxval: high, dtype }),
      numpy: (rs, shape) => legacyUniform(rs, count(shape), low, high),
    });
  }

  /**
   * Gaussian values `mean + std·normal(k, shape)`, then post-processing.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.gaussian({ mean: 5, std: 0.01 })([50], 1);
   * console.assert(w.dataSync().every((x) => Math.abs(x - 5) < 0.1));
   * ```
   */
  static gaussian(params: GaussianParams = {}): DistributionInitializer {
    const fn = "DistributionGenerator.gaussian";
    const c = checkParams(fn, params, ["mean", "std"]);
    const mean = checkNumber(fn, "mean", params.mean ?? 0);
    const sd = checkNumber(fn, "std", params.std ?? 1);
    return initializer(fn, c, {
      random: true,
      jax: (k, shape, dtype) => add(mul(normal(k, shape, { dtype }), sd), mean),
      numpy: (rs, shape) => legacyGauss(rs, count(shape)).map((z) => mean + sd * z),
    });
  }

  /**
   * Log-normal values `exp(sigma·normal(k, shape))` (ngclearn's key path
   * raises NameError; this is its documented intent), then post-processing.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.logGaussian({ sigma: 0.5 })([100], 3);
   * console.assert(w.dataSync().every((x) => x > 0));
   * ```
   */
  static logGaussian(params: LogGaussianParams = {}): DistributionInitializer {
    const fn = "DistributionGenerator.logGaussian";
    const c = checkParams(fn, params, ["sigma"]);
    const sigma = checkNumber(fn, "sigma", params.sigma ?? 1);
    return initializer(fn, c, {
      random: true,
      jax: (k, shape, dtype) => exp(mul(normal(k, shape, { dtype }), sigma)),
      numpy: (rs, shape) => legacyGauss(rs, count(shape)).map((z) => Math.exp(sigma * z)),
    });
  }

  /**
   * Uniform in `[−lim, lim)` with `lim = sqrt(1/fanIn)` and `fanIn = shape[1]`
   * (ngclearn's convention), then post-processing. TypeError for a shape of
   * fewer than 2 dimensions.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.fanInUniform()([8, 16], 0);
   * console.assert(w.dataSync().every((x) => Math.abs(x) <= 0.25));
   * ```
   */
  static fanInUniform(params: DistributionParams = {}): DistributionInitializer {
    const fn = "DistributionGenerator.fanInUniform";
    const c = checkParams(fn, params, []);
    const lim = (shape: readonly number[]) => Math.sqrt(1 / shape[1]);
    return initializer(fn, c, {
      random: true,
      jax: (k, shape, dtype) =>
        uniformOp(k, shape, { minval: -lim(shape), maxval: lim(shape), dtype }),
      numpy: (rs, shape) => legacyUniform(rs, count(shape), -lim(shape), lim(shape)),
    }, (shape) => fanInCheck(fn, shape));
  }

  /**
   * Gaussian with `std = sqrt(1/fanIn)` and `fanIn = shape[0]` (ngclearn's
   * convention, unlike {@link DistributionGenerator.fanInUniform}), then
   * post-processing. TypeError for a shape of fewer than 2 dimensions.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DistributionGenerator } from "./distribution.ts";
   * using w = DistributionGenerator.fanInGaussian()([16, 64], 0);
   * console.assert(w.shape.join() === "16,64");
   * ```
   */
  static fanInGaussian(params: DistributionParams = {}): DistributionInitializer {
    const fn = "DistributionGenerator.fanInGaussian";
    const c = checkParams(fn, params, []);
    return initializer(fn, c, {
      random: true,
      jax: (k, shape, dtype) => mul(normal(k, shape, { dtype }), Math.sqrt(1 / shape[0])),
      numpy: (rs, shape) => legacyGauss(rs, count(shape)).map((z) => z * Math.sqrt(1 / shape[0])),
    }, (shape) => fanInCheck(fn, shape));
  }
}

function count(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function fanInCheck(fn: string, shape: readonly number[]): void {
  if (shape.length < 2) {
    throw typeError(fn, `requires a shape with at least 2 dimensions, got ${fmtShape(shape)}`);
  }
}
