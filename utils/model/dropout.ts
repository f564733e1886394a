/**
 * Keyed inverted dropout (`drop_out` of `ngclearn.utils.model_utils`; spec:
 * model-utils.md).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { rangeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { cast, div, lessEqual, mul } from "../../core/ops/mod.ts";
import { type KeyLike, uniform } from "../../core/random/mod.ts";
import { checkNumber, floatInput } from "./common.ts";

/** Options of {@link dropOut}. */
export interface DropOutOptions {
  /** Probability of dropping a unit, in [0, 1) (default 0). */
  readonly rate?: number;
}

/** What {@link dropOut} returns (ngclearn's tuple `(data·mask, mask)`). */
export interface DropOutResult {
  /** `data · mask`. */
  readonly output: Tensor;
  /** `[u ≤ 1 − rate] / (1 − rate)` with `u = uniform(dkey, data.shape)`. */
  readonly mask: Tensor;
}

/**
 * Inverted dropout: `u = uniform(dkey, data.shape)`,
 * `mask = [u ≤ 1 − rate] / (1 − rate)`, returns `{ output: data·mask, mask }`
 * (kept units are scaled so the expectation is unchanged). RangeError unless
 * `0 ≤ rate < 1` (ngclearn divides by zero at rate 1).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dropOut } from "./dropout.ts";
 * import { key } from "../../core/random/mod.ts";
 * using k = key(7);
 * const { output, mask } = dropOut(k, [[1, 2, 3, 4]], { rate: 0.5 });
 * console.assert(mask.dataSync().every((m) => m === 0 || m === 2));
 * output.dispose();
 * mask.dispose();
 * ```
 */
export function dropOut(
  dkey: KeyLike,
  data: TensorLike,
  options: DropOutOptions = {},
): DropOutResult {
  const fn = "dropOut";
  const rate = checkNumber(fn, "rate", options.rate ?? 0);
  if (!(rate >= 0 && rate < 1)) throw rangeError(fn, `rate must be in [0, 1), got ${rate}`);
  return tidy(() => {
    const t = floatInput(fn, data);
    const u = uniform(dkey, t.shape); // float32, as jax.random.uniform by default
    const keep = cast(lessEqual(u, 1 - rate), t.dtype);
    const mask = div(keep, 1 - rate);
    return { output: mul(t, mask), mask };
  });
}
