/**
 * `jax.random.permutation`: JAX's sort-based shuffle (spec
 * conventions-random.md §4.4), bit-for-bit.
 *
 * @module
 */

import { tidy } from "../engine.ts";
import { typeError } from "../errors.ts";
import { normalizeAxis, type TensorLike, toTensor } from "../ops/convert.ts";
import { pArgsort, pGather } from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";
import { checkCount, splitTwo } from "./key.ts";
import { backendFor, type KeyLike, toKey } from "./keylike.ts";
import { type Layout, type LayoutOptions, resolveLayout } from "./layout.ts";
import { bits32, iota } from "./threefry.ts";

/**
 * Number of sort rounds JAX's shuffle uses for `n` elements:
 * `ceil(3·ln(max(1, n)) / ln(2^32 − 1))` — 0 for n ≤ 1, 1 for 2 ≤ n ≤ 1625,
 * 2 up to about 2.6 million (§4.4).
 *
 * @example
 * ```ts
 * import { shuffleRounds } from "./permutation.ts";
 * console.assert(shuffleRounds(1) === 0 && shuffleRounds(1625) === 1 && shuffleRounds(1626) === 2);
 * ```
 */
export function shuffleRounds(n: number): number {
  return Math.ceil((3 * Math.log(Math.max(1, n))) / Math.log(2 ** 32 - 1));
}

/**
 * The permutation of `0..n-1` (int32 `[n]`) that JAX's shuffle applies: for
 * each round, `key, sub = split(key)`, `sk = bits(sub, (n,))`, and a stable
 * sort of the current order by `sk` (§4.4).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * import { permutationIndices } from "./permutation.ts";
 * using k = key(0);
 * using p = permutationIndices(k, 10, "partitionable");
 * console.assert(p.dataSync().join() === "0,1,8,5,6,4,3,2,7,9");
 * ```
 */
export function permutationIndices(key: Tensor, n: number, layout: Layout): Tensor {
  return tidy(() => {
    let order = iota(key.backend, n, "int32");
    let k = key;
    for (let r = shuffleRounds(n); r > 0; r--) {
      const [next, sub] = splitTwo(k, layout);
      const sortKeys = bits32(sub, [n], layout);
      order = pGather(order, pArgsort(sortKeys, 0, false), 0);
      k = next;
    }
    return order;
  });
}

/** Options of {@link permutation}. */
export interface PermutationOptions extends LayoutOptions {
  /** The axis of an array argument to permute (default 0). */
  readonly axis?: number;
}

/**
 * `jax.random.permutation(key, x, axis)` (not independent): given an integer
 * `n`, a shuffled `arange(n)` (int32); given an array, its slices along
 * `axis` in shuffled order (a new tensor). The order is JAX's sort-based
 * shuffle ({@link permutationIndices}). TypeError for a non-integer `n` or a
 * 0-d array; RangeError for a negative `n`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { permutation } from "./mod.ts";
 * using p = permutation([0, 3], 7);
 * console.assert(p.dataSync().join() === "0,5,6,4,2,1,3");
 * using rows = permutation([0, 3], [[1, 1], [2, 2], [3, 3]]);
 * console.assert(rows.shape.join() === "3,2");
 * ```
 */
export function permutation(
  key: KeyLike,
  x: number | TensorLike,
  options: PermutationOptions = {},
): Tensor {
  const fn = "permutation";
  const layout = resolveLayout(fn, options.layout);
  if (typeof x === "number") {
    checkCount(fn, "n", x);
    return tidy(() => permutationIndices(toKey(fn, key), x, layout));
  }
  return tidy(() => {
    const backend = backendFor(key, x);
    const t = toTensor(x, fn, { backend });
    if (t.rank === 0) {
      throw typeError(fn, "x must be an integer or an array of at least 1 dimension");
    }
    const ax = normalizeAxis(fn, options.axis ?? 0, t.rank);
    const idx = permutationIndices(toKey(fn, key, backend), t.shape[ax], layout);
    return pGather(t, idx, ax);
  });
}
