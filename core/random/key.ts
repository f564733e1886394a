/**
 * Creating, splitting and folding PRNG keys (spec/conventions-random.md
 * §4.1 and §4.3). A key is a uint32 tensor of shape `[2]`, JAX's raw
 * `PRNGKey`.
 *
 * @module
 */

import { getBackend, isTensor, tidy } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import { pCast, pConcat, pFill, pReshape, pSlice, pWrite } from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";
import { type KeyLike, toKey } from "./keylike.ts";
import { type Layout, type LayoutOptions, resolveLayout } from "./layout.ts";
import { hashIota, hashPairs, iota, threefryCount } from "./threefry.ts";

const TWO_63 = 2n ** 63n;

/**
 * `jax.random.PRNGKey(seed)` as JAX computes it with 64-bit mode disabled
 * (ngclearn's setting): `[0, seed mod 2^32]` (§4.1). Seeds in [0, 2^31) give
 * `[0, seed]`; negative and larger seeds wrap (`-1` → `[0, 4294967295]`).
 * `seed` is an integer number or bigint in [-2^63, 2^63) (JAX first converts
 * it to int64), or a 0-d int32/uint32 tensor (the key is then built on its
 * backend). TypeError for a non-integer seed; RangeError outside int64.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * using k = key(42);
 * console.assert(k.dtype === "uint32" && k.dataSync().join() === "0,42");
 * ```
 */
export function key(seed: number | bigint | Tensor): Tensor {
  const fn = "key";
  if (isTensor(seed)) {
    seed.assertAlive(fn);
    if ((seed.dtype !== "int32" && seed.dtype !== "uint32") || seed.shape.length !== 0) {
      throw typeError(
        fn,
        `a tensor seed must be a 0-d int32 or uint32 tensor, got ${seed.dtype} of shape ${
          fmtShape(seed.shape)
        }`,
      );
    }
    // int32 → uint32 reinterprets the bits, i.e. seed mod 2^32.
    return tidy(() =>
      pConcat([
        pFill(seed.backend, [1], 0, "uint32"),
        pReshape(seed.dtype === "uint32" ? seed : pCast(seed, "uint32"), [1]),
      ], 0)
    );
  }
  let big: bigint;
  if (typeof seed === "bigint") {
    big = seed;
  } else if (typeof seed === "number" && Number.isInteger(seed)) {
    big = BigInt(seed);
  } else {
    throw typeError(fn, `seed must be an integer, got ${String(seed)}`);
  }
  if (big < -TWO_63 || big >= TWO_63) {
    throw rangeError(fn, `seed must fit in int64 (JAX converts it with np.int64), got ${big}`);
  }
  const words = new Uint32Array([0, Number(BigInt.asUintN(32, big))]);
  return pWrite(getBackend(), words, [2], "uint32");
}

/**
 * `jax.random.split(key, num)`: `num` new keys, a uint32 tensor `[num, 2]`
 * (§4.3). Partitionable: `out[i] = tf(key; 0, i)`. Legacy: the block over the
 * counts `0..2·num-1` reshaped to `[num, 2]`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key, split } from "./mod.ts";
 * using k = key(0);
 * using ks = split(k, 3);
 * console.assert(ks.shape.join() === "3,2");
 * console.assert(ks.dataSync()[2] === 928981903); // tf([0,0]; 0, 1).y0
 * ```
 */
export function split(key: KeyLike, num = 2, options: LayoutOptions = {}): Tensor {
  const fn = "split";
  checkCount(fn, "num", num);
  const layout = resolveLayout(fn, options.layout);
  return tidy(() => {
    const k = toKey(fn, key);
    if (num === 0) return pFill(k.backend, [0, 2], 0, "uint32");
    if (layout === "legacy") return pReshape(threefryCount(k, iota(k.backend, 2 * num)), [num, 2]);
    const [y0, y1] = hashIota(k, num);
    return pConcat([pReshape(y0, [num, 1]), pReshape(y1, [num, 1])], 1);
  });
}

/**
 * `jax.random.fold_in(key, data)`: a new key `tf(key; 0, data)` (the same in
 * both layouts). `data` is an integer in [0, 2^32) or a 0-d int32/uint32
 * tensor (int32 reinterpreted as uint32, as JAX's `jnp.uint32`).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { foldIn } from "./mod.ts";
 * using k = foldIn([0, 0], 4);
 * console.assert(k.dataSync().join() === "2285895361,433833334"); // JAX test-suite value
 * ```
 */
export function foldIn(key: KeyLike, data: number | Tensor): Tensor {
  const fn = "foldIn";
  if (isTensor(data)) {
    data.assertAlive(fn);
    if ((data.dtype !== "int32" && data.dtype !== "uint32") || data.shape.length !== 0) {
      throw typeError(
        fn,
        `data must be a 0-d int32 or uint32 tensor, got ${data.dtype} of shape ${
          fmtShape(data.shape)
        }`,
      );
    }
  } else if (typeof data !== "number" || !Number.isInteger(data)) {
    throw typeError(fn, `data must be an integer, got ${String(data)}`);
  } else if (data < 0 || data > 0xffffffff) {
    throw rangeError(fn, `data must be in [0, 2^32), got ${data}`);
  }
  return tidy(() => {
    const k = toKey(fn, key, isTensor(data) ? data.backend : undefined);
    const x1 = isTensor(data)
      ? pReshape(data.dtype === "uint32" ? data : pCast(data, "uint32"), [1])
      : pWrite(k.backend, new Uint32Array([data]), [1], "uint32");
    const [y0, y1] = hashPairs(k, pFill(k.backend, [1], 0, "uint32"), x1);
    return pConcat([y0, y1], 0);
  });
}

/**
 * Row `i` of a `[n, 2]` key array as a key `[2]` (a new tensor).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { split } from "./mod.ts";
 * import { keyAt } from "./key.ts";
 * using ks = split([0, 0], 2);
 * using k1 = keyAt(ks, 1);
 * console.assert(k1.shape.join() === "2");
 * ```
 */
export function keyAt(keys: Tensor, i: number): Tensor {
  return tidy(() => pReshape(pSlice(keys, [i, 0], [1, 2], [1, 1]), [2]));
}

/**
 * `split(key)` into two key tensors of shape `[2]` (JAX's internal `_split`,
 * the layout's split of §4.3).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key } from "./mod.ts";
 * import { splitTwo } from "./key.ts";
 * using k = key(0);
 * const [a, b] = splitTwo(k, "partitionable");
 * console.assert(a.dataSync()[0] === 1797259609);
 * a.dispose(); b.dispose();
 * ```
 */
export function splitTwo(key: Tensor, layout: Layout): [Tensor, Tensor] {
  return tidy(() => {
    const ks = split(key, 2, { layout });
    return [keyAt(ks, 0), keyAt(ks, 1)] as [Tensor, Tensor];
  });
}

/**
 * Throw unless `n` is a non-negative integer count (TypeError for a
 * non-integer, RangeError for a negative).
 *
 * @example
 * ```ts
 * import { checkCount } from "./key.ts";
 * checkCount("split", "num", 3);
 * let threw = false;
 * try { checkCount("split", "num", -1); } catch (e) { threw = e instanceof RangeError; }
 * console.assert(threw);
 * ```
 */
export function checkCount(fn: string, name: string, n: unknown): asserts n is number {
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw typeError(fn, `${name} must be an integer, got ${String(n)}`);
  }
  if (n < 0) throw rangeError(fn, `${name} must be non-negative, got ${n}`);
}
