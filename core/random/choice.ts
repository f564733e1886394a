/**
 * `jax.random.choice`: sampling from `arange(n)` or from an array's slices,
 * with or without replacement, optionally weighted, as JAX implements it.
 *
 * @module
 */

import { sizeOf } from "../../backends/backend.ts";
import { isTensor, tidy } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import { isFloat, normalizeAxis, type TensorLike, toTensor } from "../ops/convert.ts";
import { checkShape, type ShapeLike } from "../ops/creation.ts";
import {
  pArgsort,
  pBinary,
  pCast,
  pConcat,
  pCumsum,
  pFill,
  pGather,
  pReshape,
  pScatter,
  pSlice,
  pTopk,
  pUnary,
} from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";
import { constant, type FloatDType, gumbelFloats, uniformFloats } from "./floats.ts";
import { checkCount } from "./key.ts";
import { backendFor, type KeyLike, toKey } from "./keylike.ts";
import { type LayoutOptions, resolveLayout } from "./layout.ts";
import { permutationIndices } from "./permutation.ts";
import { iota } from "./threefry.ts";
import { randint } from "./samplers.ts";

/** Options of {@link choice}. */
export interface ChoiceOptions extends LayoutOptions {
  /** Output shape (default `[]`: one draw). */
  readonly shape?: ShapeLike;
  /** Draw with replacement (default true). */
  readonly replace?: boolean;
  /**
   * Probabilities of the `n` entries (1-D, length n). Must be non-negative and
   * sum to 1 within `sqrt(eps)` of its dtype (as NumPy checks; JAX does not),
   * else RangeError. The check reads `p`, so a tensor `p` on a backend that
   * cannot read synchronously (webgpu) is not checked.
   */
  readonly p?: TensorLike;
  /** Axis of an array `a` to draw slices along (default 0). */
  readonly axis?: number;
}

/**
 * `jax.random.choice(key, a, shape, replace, p, axis)`. `a` is an integer `n`
 * (draw from `arange(n)`, int32 result of `shape`) or an array (draw its
 * slices along `axis`; result shape `a.shape[:axis] + shape +
 * a.shape[axis+1:]`). What is implemented, as in JAX:
 * - no `p`, with replacement: `randint(key, shape, 0, n)`;
 * - no `p`, without replacement: the first `prod(shape)` entries of
 *   `permutation(key, n)` (§4.4);
 * - `p`, with replacement: inverse CDF, `searchsorted(cumsum(p), total·(1 −
 *   uniform(key, shape)))` (side "left", `total = cumsum(p)[-1]`);
 * - `p`, without replacement: Gumbel top-k, the indices of the
 *   `prod(shape)` largest `gumbel(key, (n,)) + log(p)` (ties: lower index
 *   first, as `lax.top_k`).
 * Floats are float32 unless `p` is a float64 tensor. No draws give zeros of
 * `shape`. RangeError: `n` ≤ 0 with draws, more draws than `n` without
 * replacement, `p` negative or not summing to 1. TypeError: `p` not of
 * shape `[n]`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { choice } from "./mod.ts";
 * using c = choice([0, 1], 5, { shape: [3], replace: false });
 * console.assert(new Set(c.dataSync()).size === 3);
 * using w = choice([0, 1], 3, { shape: [100], p: [0, 0, 1] });
 * console.assert(w.dataSync().every((v) => v === 2));
 * ```
 */
export function choice(key: KeyLike, a: number | TensorLike, options: ChoiceOptions = {}): Tensor {
  const fn = "choice";
  const layout = resolveLayout(fn, options.layout);
  const shape = checkShape(fn, options.shape ?? []);
  const replace = options.replace ?? true;
  if (typeof replace !== "boolean") {
    throw typeError(fn, `replace must be a boolean, got ${String(replace)}`);
  }
  if (typeof a === "number") checkCount(fn, "a", a);
  return tidy(() => {
    const backend = backendFor(key, a, options.p);
    const arr = typeof a === "number" ? null : toTensor(a, fn, { backend });
    let ax = 0;
    if (arr) {
      if (arr.rank === 0) {
        throw typeError(fn, "a must be an integer or an array of at least 1 dimension");
      }
      ax = normalizeAxis(fn, options.axis ?? 0, arr.rank);
    }
    const n = arr ? arr.shape[ax] : (a as number);
    const draws = sizeOf(shape);
    if (draws === 0) return pFill(backend, shape, 0, arr ? arr.dtype : "int32");
    if (n <= 0) {
      throw rangeError(fn, `a must be greater than 0 unless no samples are taken, got ${n}`);
    }
    if (!replace && draws > n) {
      throw rangeError(
        fn,
        `cannot take a larger sample (size ${draws}) than the population (size ${n}) without replacement`,
      );
    }
    const k = toKey(fn, key, backend);
    let ind: Tensor;
    if (options.p === undefined) {
      ind = replace
        ? randint(k, shape, 0, n, { layout })
        : pReshape(pSlice(permutationIndices(k, n, layout), [0], [draws], [1]), shape);
    } else {
      const p = probabilities(fn, options.p, n, backend);
      const dtype = p.dtype as FloatDType;
      if (replace) {
        const cum = pCumsum(p, 0, false, false);
        const total = pReshape(pSlice(cum, [n - 1], [1], [1]), []);
        const u = uniformFloats(fn, k, shape, dtype, layout);
        const r = pBinary("mul", total, pBinary("sub", constant(backend, 1, dtype), u));
        ind = searchsortedLeft(cum, r);
      } else {
        const g = gumbelFloats(k, [n], dtype, layout);
        const top = pTopk(pBinary("add", g, pUnary("log", p)), draws).indices;
        ind = pReshape(top, shape);
      }
    }
    return arr ? pGather(arr, ind, ax) : ind;
  });
}

/** Convert and check `p`: a float tensor of shape `[n]` (numbers → float32). */
function probabilities(fn: string, p: TensorLike, n: number, backend: Tensor["backend"]): Tensor {
  const host = !isTensor(p);
  // Host values become float32 (JAX's promote_dtypes_inexact with x64 disabled).
  let t = toTensor(p, fn, host ? { backend, dtype: "float32" } : { backend });
  if (!isFloat(t.dtype)) t = pCast(t, "float32");
  if (t.shape.length !== 1 || t.shape[0] !== n) {
    throw typeError(fn, `p must be a 1-D array of length ${n}, got shape ${fmtShape(t.shape)}`);
  }
  // NumPy's check (JAX has none): non-negative, sum within sqrt(eps) of 1.
  let values: ArrayLike<number> | null = null;
  let eps = 2 ** -52;
  if (host && typeof p !== "number" && typeof p !== "boolean") {
    values = p as ArrayLike<number>; // 1-D (shape checked above)
    if (p instanceof Float32Array) eps = 2 ** -23;
  } else if (t.backend.capabilities.readSync) {
    values = t.dataSync();
    if (t.dtype === "float32") eps = 2 ** -23;
  }
  if (values !== null) {
    let sum = 0, c = 0; // Kahan summation, as NumPy's kahan_sum
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (!(v >= 0)) {
        throw rangeError(fn, `probabilities must be non-negative, got ${v} at index ${i}`);
      }
      const y = v - c;
      const s = sum + y;
      c = (s - sum) - y;
      sum = s;
    }
    if (!(Math.abs(sum - 1) <= Math.sqrt(eps))) {
      throw rangeError(fn, `probabilities do not sum to 1, got ${sum}`);
    }
  }
  return t;
}

/**
 * `searchsorted(sorted, queries, side="left")` on the device: for each query,
 * the number of `sorted` values strictly below it. One stable argsort of
 * `concat(queries, sorted)` (queries first, so a query sorts before equal
 * values); a query's answer is its sorted position minus the queries before it.
 * int32 of `queries`' shape.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { searchsortedLeft } from "./choice.ts";
 * using s = tensor([0.2, 0.5, 1]);
 * using q = tensor([0.5, 0.1, 1, 0.7]);
 * using i = searchsortedLeft(s, q);
 * console.assert(i.dataSync().join() === "1,0,2,2");
 * ```
 */
export function searchsortedLeft(sorted: Tensor, queries: Tensor): Tensor {
  return tidy(() => {
    const backend = sorted.backend;
    const k = queries.size, total = queries.size + sorted.size;
    const all = pConcat([pReshape(queries, [k]), pReshape(sorted, [sorted.size])], 0);
    const order = pArgsort(all, 0, false);
    const isQuery = pCast(pBinary("less", order, pFill(backend, [], k, "int32")), "int32");
    const queriesBefore = pCumsum(isQuery, 0, true, false);
    const sortedBefore = pBinary("sub", iota(backend, total, "int32"), queriesBefore);
    const placed = pScatter(pFill(backend, [total], 0, "int32"), order, sortedBefore, 0, "set");
    return pReshape(pSlice(placed, [0], [k], [1]), queries.shape);
  });
}
