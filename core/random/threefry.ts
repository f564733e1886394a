/**
 * Tensor-level Threefry-2x32 helpers (spec/conventions-random.md §4.2–4.3):
 * counters are built on the key's backend (an iota from `fill` + exclusive
 * `cumsum`) and hashed by the backend's `threefry2x32` primitive, so random
 * bits are generated where the data lives; no per-element JS loop.
 *
 * @module
 */

import type { Backend } from "../../backends/backend.ts";
import { sizeOf } from "../../backends/backend.ts";
import { tidy } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import { type TensorLike, toTensor, wrap } from "../ops/convert.ts";
import { checkShape, type ShapeLike } from "../ops/creation.ts";
import { pBinary, pConcat, pCumsum, pFill, pPad, pReshape, pSlice } from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";
import { backendFor, type KeyLike, toKey } from "./keylike.ts";
import { type Layout, type LayoutOptions, resolveLayout } from "./layout.ts";

/** Largest element count a 32-bit counter stream addresses here. */
const MAX_COUNT = 0xffffffff;

/**
 * `[0, 1, ..., n-1]` as a uint32 (or int32) tensor on `backend`, built on the
 * device: exclusive cumsum of ones.
 *
 * @example
 * ```ts
 * import { getBackend } from "../../mod.ts";
 * import { iota } from "./threefry.ts";
 * using i = iota(getBackend(), 4);
 * console.assert(i.dataSync().join() === "0,1,2,3");
 * ```
 */
export function iota(backend: Backend, n: number, dtype: "uint32" | "int32" = "uint32"): Tensor {
  return tidy(() => pCumsum(pFill(backend, [n], 1, dtype), 0, true, false));
}

/**
 * Hash counter pairs `(x0[i], x1[i])` (uint32 tensors of one shape) under the
 * key `[k0, k1]` with the backend's Threefry-2x32-20 block (§4.2). The key
 * halves are passed as size-1 tensors, which the backends' `threefry2x32`
 * broadcast to every counter (no key copies of the counters' size).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { hashPairs } from "./threefry.ts";
 * using k = tensor([0, 0], { dtype: "uint32" });
 * using z = tensor([0], { dtype: "uint32" });
 * const [y0, y1] = hashPairs(k, z, z);
 * console.assert(y0.dataSync()[0] === 1797259609 && y1.dataSync()[0] === 2579123966);
 * y0.dispose(); y1.dispose();
 * ```
 */
export function hashPairs(key: Tensor, x0: Tensor, x1: Tensor): [Tensor, Tensor] {
  const backend = key.backend;
  return tidy(() => {
    const k0 = pSlice(key, [0], [1], [1]);
    const k1 = pSlice(key, [1], [1], [1]);
    const [y0, y1] = backend.threefry2x32(k0.info, k1.info, x0.info, x1.info);
    return [wrap(backend, y0), wrap(backend, y1)] as [Tensor, Tensor];
  });
}

/**
 * Hash the counters `(0, j)` for `j = 0..m-1` (the partitionable layout's
 * counter for flat index `j`: `(hi32(j), lo32(j))` with `hi32 = 0` for
 * `m ≤ 2^32`). Returns `[y0, y1]`, each uint32 of shape `[m]`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { hashIota } from "./threefry.ts";
 * using k = tensor([0, 0], { dtype: "uint32" });
 * const [y0, y1] = hashIota(k, 2);
 * console.assert(y0.dataSync()[1] === 928981903);
 * y0.dispose(); y1.dispose();
 * ```
 */
export function hashIota(key: Tensor, m: number): [Tensor, Tensor] {
  return tidy(() => hashPairs(key, pFill(key.backend, [m], 0, "uint32"), iota(key.backend, m)));
}

/**
 * JAX's `threefry_2x32(keypair, count)` on a flat uint32 tensor (§4.3,
 * legacy): odd lengths are padded with one 0, the two halves are hashed
 * pairwise, the outputs concatenated `[y0..., y1...]` and the padding dropped.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { threefryCount } from "./threefry.ts";
 * using k = tensor([0, 42], { dtype: "uint32" });
 * using c = tensor([0, 1, 2], { dtype: "uint32" });
 * using y = threefryCount(k, c);
 * console.assert(y.dataSync().join() === "2465931498,430176367,255383827");
 * ```
 */
export function threefryCount(key: Tensor, count: Tensor): Tensor {
  const m = count.size;
  return tidy(() => {
    if (m === 0) return pFill(key.backend, [0], 0, "uint32");
    const flat = pReshape(count, [m]);
    const odd = m % 2;
    const padded = odd ? pPad(flat, [[0, 1]], "constant", 0) : flat;
    const h = (m + odd) / 2;
    const [y0, y1] = hashPairs(key, pSlice(padded, [0], [h], [1]), pSlice(padded, [h], [h], [1]));
    const out = pConcat([y0, y1], 0);
    return odd ? pSlice(out, [0], [m], [1]) : out;
  });
}

/**
 * 32-bit random words of `shape` from a key tensor in a layout (§4.3).
 * Partitionable: `bits[j] = y0 ^ y1` of `tf(key; 0, j)`. Legacy:
 * `threefryCount(key, iota(m))`. Internal form of {@link bits}.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { bits32 } from "./threefry.ts";
 * using k = tensor([0, 0], { dtype: "uint32" });
 * using b = bits32(k, [], "partitionable");
 * console.assert(b.dataSync()[0] === 4070199207);
 * ```
 */
export function bits32(key: Tensor, shape: readonly number[], layout: Layout): Tensor {
  const m = sizeOf(shape);
  if (m > MAX_COUNT) {
    throw rangeError("bits", `at most 2^32 - 1 elements per call, got ${m}`);
  }
  return tidy(() => {
    if (m === 0) return pFill(key.backend, shape, 0, "uint32");
    if (layout === "partitionable") {
      const [y0, y1] = hashIota(key, m);
      return pReshape(pBinary("bitwiseXor", y0, y1), shape);
    }
    return pReshape(threefryCount(key, iota(key.backend, m)), shape);
  });
}

/**
 * `jax.random.bits(key, shape)` with `dtype=uint32`: random 32-bit words of
 * `shape` (spec §4.3; layout per `options.layout`, else the module default).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { bits } from "./mod.ts";
 * using b = bits([0, 10], [4]);
 * console.assert(b.dtype === "uint32");
 * console.assert(b.dataSync()[0] === 169096361); // JAX: random.bits(key(10), (4,))
 * ```
 */
export function bits(key: KeyLike, shape: ShapeLike = [], options: LayoutOptions = {}): Tensor {
  const s = checkShape("bits", shape);
  const layout = resolveLayout("bits", options.layout);
  return tidy(() => bits32(toKey("bits", key), s, layout));
}

/**
 * `jax.extend.random.threefry_2x32(keypair, count)`: the raw Threefry-2x32-20
 * block (§4.2) over a uint32 `count` array of any shape, pairing element `i`
 * with element `i + ceil(n/2)` of the flattened counts (odd sizes padded with
 * one 0 that is dropped). Returns uint32 of `count`'s shape. Layout-independent.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { threefry2x32 } from "./mod.ts";
 * using y = threefry2x32([0, 0], [0, 0]);
 * console.assert(y.dataSync().join() === "1797259609,2579123966"); // Random123 KAT
 * ```
 */
export function threefry2x32(key: KeyLike, count: TensorLike): Tensor {
  const fn = "threefry2x32";
  return tidy(() => {
    const backend = backendFor(key, count);
    const host = isHostInts(count);
    if (host) checkWords(fn, count);
    const c = toTensor(count, fn, host ? { backend, dtype: "uint32" } : { backend });
    if (c.dtype !== "uint32") {
      throw typeError(fn, `count must be uint32, got ${c.dtype} of shape ${fmtShape(c.shape)}`);
    }
    return pReshape(threefryCount(toKey(fn, key, backend), c), c.shape);
  });
}

/** Host numbers (not a tensor, not a typed array of another type) to write as uint32. */
function isHostInts(x: TensorLike): boolean {
  return typeof x === "number" || Array.isArray(x);
}

function checkWords(fn: string, x: TensorLike): void {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const e of v) walk(e);
    } else if (typeof v !== "number" || !Number.isInteger(v)) {
      throw typeError(fn, `count values must be integers, got ${String(v)}`);
    } else if (v < 0 || v > MAX_COUNT) {
      throw rangeError(fn, `count values must be in [0, 2^32), got ${v}`);
    }
  };
  walk(x);
}
