/**
 * Registers the VJP rule of every differentiable primitive recorded by
 * `core/ops` (import for its side effect) and re-exports the registry.
 *
 * | recorded op | rule file |
 * |---|---|
 * | unary op codes, binary op codes, `select`, `cast` | `elementwise.ts` |
 * | `reduce.sum`, `reduce.prod`, `reduce.max`, `reduce.min`, `cumsum` | `reduce.ts` |
 * | `reshape`, `transpose`, `slice`, `concat`, `pad` | `shape.ts` |
 * | `gather`, `gatherAlong`, `scatter`, `sort`, `topk` | `indexing.ts` |
 * | `matmul`, `conv2d` | `matmul_conv.ts` |
 * | `cholesky`, `triangularSolve`, `eigh`, `svd`, `qr` | `decomp.ts` |
 * | `customVjp` | `../custom_vjp.ts` |
 *
 * Ops with integer or bool outputs (comparisons, `argmax`, `argsort`, random
 * bits, ...) carry no gradient and need no rule.
 *
 * @example
 * ```ts
 * import { vjpRule } from "./mod.ts";
 * console.assert(typeof vjpRule("matmul") === "function");
 * ```
 *
 * @module
 */

import "./elementwise.ts";
import "./reduce.ts";
import "./shape.ts";
import "./indexing.ts";
import "./matmul_conv.ts";
import "./decomp.ts";

export { registerVjp, type VjpRule, vjpRule } from "./util.ts";
