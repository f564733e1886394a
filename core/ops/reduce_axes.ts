/**
 * Reduction plumbing of the composite ops (`composite.ts`, `stats.ts`,
 * `norm.ts`): reduce a float tensor over already-normalised axes with or
 * without kept dims, through the recorded `reduce.*` primitive.
 *
 * @module
 */

import type { ReduceOp } from "../../backends/backend.ts";
import type { Tensor } from "../tensor.ts";
import { pCopy, pReduce, pReshape } from "./prim.ts";

/**
 * The shape after reducing `axes` of `shape`: those dims become 1
 * (`keepdims`) or are dropped.
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { reducedShape } from "./reduce_axes.ts";
 * console.assert(reducedShape([2, 3, 4], [1], true).join() === "2,1,4");
 * console.assert(reducedShape([2, 3, 4], [0, 2], false).join() === "3");
 * ```
 */
export function reducedShape(
  shape: readonly number[],
  axes: readonly number[],
  keepdims: boolean,
): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/**
 * Reduce `t` over `axes` (normalised, unique; may be empty: then a copy) with
 * `op` ("sum", "max", "min", "prod", "any", "all"), keeping the reduced dims
 * as 1 when `keepdims`.
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { reduceAxes } from "./reduce_axes.ts";
 * import { tensor } from "./creation.ts";
 * using x = tensor([[1, 2], [3, 4]]);
 * using s = reduceAxes("sum", x, [1], true);
 * console.assert(s.shape.join() === "2,1" && s.dataSync().join() === "3,7");
 * ```
 */
export function reduceAxes(
  op: ReduceOp,
  t: Tensor,
  axes: readonly number[],
  keepdims: boolean,
): Tensor {
  if (axes.length === 0) return pCopy(t);
  const sorted = [...axes].sort((a, b) => a - b);
  const r = pReduce(op, t, sorted);
  return keepdims ? pReshape(r, reducedShape(t.shape, sorted, true)) : r;
}
