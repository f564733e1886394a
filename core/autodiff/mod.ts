/**
 * Reverse-mode automatic differentiation on a tape: {@link grad},
 * {@link valueAndGrad}, {@link customVjp}, {@link stopGradient}, and the
 * pytree helpers they share. Every op of `core/ops` records itself; a VJP
 * rule per primitive (in `rules/`, written with `core/ops`) runs on every
 * backend.
 *
 * @example
 * ```ts
 * import { grad } from "./mod.ts";
 * import { matmul, sum, tanh, tensor, type Tensor } from "../../mod.ts";
 * using w = tensor([[1, 0], [0, 1]]);
 * using x = tensor([0.5, -0.5]);
 * const loss = (w: Tensor) => sum(tanh(matmul(w, x)));
 * using g = grad(loss)(w);
 * console.assert(g.shape.join() === "2,2");
 * ```
 *
 * @module
 */

export {
  type Argnums,
  grad,
  type GradOptions,
  type GradsOf,
  valueAndGrad,
  type ValueAndGradOptions,
} from "./grad.ts";
export {
  customVjp,
  type CustomVjpBackward,
  type CustomVjpSaved,
  stopGradient,
} from "./custom_vjp.ts";
export { type PyTree, treeLeaves, treeMap } from "./pytree.ts";
