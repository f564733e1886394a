/**
 * The loop budget of the grid kernels (matmul, conv2d, cumsum, reductions,
 * scatter): Mesa's llvmpipe (lavapipe) gives every shader invocation at most
 * 65535 loop iterations over all its loops together and then silently runs
 * every loop body once (see `linalg/common.ts`, whose cost model
 * {@link loopCost} this file shares). Kernels whose loops grow with the
 * data therefore bound the passes of one invocation by {@link LANE_CAP} per
 * dispatch — by sizing the grid (more invocations, each on a shorter range)
 * or by splitting the work into consecutive dispatches that accumulate into
 * the output — so that no input size can reach the limit.
 *
 * @module
 */

import { LOOP_BUDGET, loopCost } from "./linalg/common.ts";

export { LOOP_BUDGET, loopCost };

/**
 * Most passes of a data-sized loop one invocation runs in one dispatch: a
 * quarter of llvmpipe's 65535, leaving room for the fixed loops around it.
 *
 * @example
 * ```ts
 * import { LANE_CAP, LOOP_BUDGET } from "./budget.ts";
 * console.assert(LANE_CAP * 2 <= LOOP_BUDGET);
 * ```
 */
export const LANE_CAP = 16384;

/**
 * Split `0..total` into consecutive `[start, end)` ranges of at most `per`
 * items (at least one range, `[0, 0]`, when `total` is 0 — a dispatch that
 * writes the identity still has to run).
 *
 * @example
 * ```ts
 * import { ranges } from "./budget.ts";
 * console.assert(JSON.stringify(ranges(5, 2)) === "[[0,2],[2,4],[4,5]]");
 * console.assert(JSON.stringify(ranges(0, 2)) === "[[0,0]]");
 * ```
 */
export function ranges(total: number, per: number): Array<[number, number]> {
  const step = Math.max(1, Math.floor(per));
  const out: Array<[number, number]> = [];
  for (let lo = 0; lo < total; lo += step) out.push([lo, Math.min(total, lo + step)]);
  if (out.length === 0) out.push([0, 0]);
  return out;
}
