/**
 * What a PRNG key may be, and its conversion to a backend tensor.
 *
 * A key is a uint32 tensor of shape `[2]` (JAX's raw `PRNGKey`, spec
 * §4.1); functions also accept a plain `[k0, k1]` array or a `Uint32Array`
 * of length 2.
 *
 * @module
 */

import type { Backend } from "../../backends/backend.ts";
import { getBackend, isTensor } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import { pWrite } from "../ops/prim.ts";
import type { Tensor } from "../tensor.ts";

/** A PRNG key: a uint32 tensor of shape `[2]`, or its two words on the host. */
export type KeyLike = Tensor | readonly [number, number] | readonly number[] | Uint32Array;

/**
 * Convert a {@link KeyLike} to a uint32 tensor of shape `[2]`. A tensor key
 * is returned as is (never copied, never disposed); host words are written to
 * `backend` (default: the current backend) as a new tensor, which the caller
 * disposes (the samplers run inside `tidy`, which does it).
 * TypeError for a wrong type, dtype or shape; RangeError for words outside
 * [0, 2^32).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { toKey } from "./keylike.ts";
 * using k = toKey("demo", [0, 42]);
 * console.assert(k.dtype === "uint32" && k.dataSync()[1] === 42);
 * ```
 */
export function toKey(fn: string, key: KeyLike, backend?: Backend): Tensor {
  if (isTensor(key)) {
    key.assertAlive(fn);
    if (key.dtype !== "uint32" || key.shape.length !== 1 || key.shape[0] !== 2) {
      throw typeError(
        fn,
        `key must be a uint32 tensor of shape [2], got ${key.dtype} of shape ${
          fmtShape(key.shape)
        }`,
      );
    }
    return key;
  }
  if (!(Array.isArray(key) || key instanceof Uint32Array)) {
    throw typeError(
      fn,
      `key must be a uint32 tensor of shape [2] or a [k0, k1] array, got ${describe(key)}`,
    );
  }
  if (key.length !== 2) {
    throw typeError(fn, `key must hold 2 words, got ${key.length}`);
  }
  const words = new Uint32Array(2);
  for (let i = 0; i < 2; i++) {
    const w = key[i];
    if (typeof w !== "number" || !Number.isInteger(w)) {
      throw typeError(fn, `key words must be integers, got ${String(w)}`);
    }
    if (w < 0 || w > 0xffffffff) {
      throw rangeError(fn, `key words must be in [0, 2^32), got ${w}`);
    }
    words[i] = w;
  }
  return pWrite(backend ?? getBackend(), words, [2], "uint32");
}

/**
 * The backend a call runs on: the key's when it is a tensor, else the first
 * tensor among `others`, else the current backend.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { backendFor } from "./keylike.ts";
 * console.log(backendFor([0, 1]).name);
 * ```
 */
export function backendFor(key: KeyLike, ...others: unknown[]): Backend {
  if (isTensor(key)) return key.backend;
  for (const o of others) if (isTensor(o)) return o.backend;
  return getBackend();
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}
