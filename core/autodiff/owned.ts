/**
 * Ownership helpers for the transforms (`grad`, `customVjp`, `scan`): run a
 * user function in a tidy scope and make sure every tensor it returns is a
 * fresh tensor owned by the caller, and suspend autodiff recording.
 *
 * @module
 */

import { engine, isTensor, tidy } from "../engine.ts";
import type { Tensor } from "../tensor.ts";
import { pCopy } from "../ops/prim.ts";

/** Map every tensor inside arrays / plain objects of `value`, keeping other values as they are. */
function mapTensors(value: unknown, fn: (t: Tensor) => Tensor): unknown {
  if (isTensor(value)) return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapTensors(v, fn));
  if (typeof value === "object" && value !== null) {
    const p = Object.getPrototypeOf(value);
    if (p === Object.prototype || p === null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = mapTensors(v, fn);
      return out;
    }
  }
  return value;
}

/**
 * Run `fn` in a {@link tidy} scope; every tensor it returns that was not
 * created inside the scope (an argument passed through, a captured constant)
 * or that appears twice is replaced by a fresh copy, so the caller owns each
 * returned tensor exactly once and may dispose it without touching anyone
 * else's. The copies are recorded ops, so gradients still flow through them.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { tidyOwned } from "./owned.ts";
 * const w = tensor([1, 2]);
 * const [a, b] = tidyOwned(() => [w, w]);
 * console.assert(a !== w && b !== w && a !== b);
 * for (const t of [w, a, b]) t.dispose();
 * ```
 */
export function tidyOwned<T>(fn: () => T): T {
  return tidy(() => {
    const scopes = engine().scopes;
    const scope = scopes[scopes.length - 1];
    const result = fn();
    const seen = new Set<Tensor>();
    return mapTensors(result, (t) => {
      const fresh = scope.tensors.has(t) && !seen.has(t);
      const owned = fresh ? t : pCopy(t);
      seen.add(owned);
      return owned;
    }) as T;
  });
}

/**
 * Run `fn` with every autodiff tape paused (its ops are not recorded), then
 * resume them.
 *
 * @example
 * ```ts
 * import { exp, tensor } from "../../mod.ts";
 * import { withoutTapes } from "./owned.ts";
 * const x = tensor([0, 1]);
 * const y = withoutTapes(() => exp(x));
 * console.assert(y.dataSync()[0] === 1);
 * x.dispose();
 * y.dispose();
 * ```
 */
export function withoutTapes<T>(fn: () => T): T {
  const tapes = engine().tapes;
  const paused = tapes.splice(0, tapes.length);
  try {
    return fn();
  } finally {
    tapes.unshift(...paused);
  }
}
