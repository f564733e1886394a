/**
 * Custom gradients: {@link customVjp} (as `jax.custom_vjp`: a function with a
 * hand-written backward rule, e.g. a Heaviside spike with a surrogate
 * derivative) and {@link stopGradient} (`jax.lax.stop_gradient`).
 *
 * @module
 */

import { engine, isTensor, recordOp } from "../engine.ts";
import { fmtShape, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, type TensorLike, toTensor } from "../ops/convert.ts";
import { pCast, pCopy } from "../ops/prim.ts";
import { type PyTree, treeMap } from "./pytree.ts";
import { tidyOwned, withoutTapes } from "./owned.ts";
import { registerVjp } from "./rules/mod.ts";

/** What the backward rule of {@link customVjp} receives besides the cotangent. */
export interface CustomVjpSaved<A extends readonly unknown[]> {
  /** The arguments of the call (tensors and any other values). */
  readonly inputs: A;
  /** The primal output of the call. */
  readonly output: Tensor;
}

/**
 * The backward rule of {@link customVjp}: one cotangent per argument (for
 * tensor arguments: a tensor-like of the argument's shape, or `null`/
 * `undefined` for no gradient; entries for non-tensor arguments are ignored).
 */
export type CustomVjpBackward<A extends readonly unknown[]> = (
  saved: CustomVjpSaved<A>,
  cotangent: Tensor,
) => readonly (TensorLike | null | undefined)[];

interface CustomAttrs {
  readonly bwd: CustomVjpBackward<readonly unknown[]>;
  readonly args: readonly unknown[];
  readonly positions: readonly number[];
}

registerVjp("customVjp", (node, [g]) => {
  const { bwd, args, positions } = node.attrs as unknown as CustomAttrs;
  const fn = "customVjp";
  const res = bwd({ inputs: args, output: node.outputs[0] }, g!);
  if (!Array.isArray(res) || res.length !== args.length) {
    throw typeError(
      fn,
      `bwd must return an array with one cotangent per argument (${args.length}), got ${
        Array.isArray(res) ? `${res.length} entries` : typeof res
      }`,
    );
  }
  return positions.map((p, j) => {
    const r = res[p];
    if (r === null || r === undefined) return null;
    const x = node.inputs[j];
    let t = toTensor(r as TensorLike, fn, { backend: x.backend });
    if (t.shape.length !== x.shape.length || t.shape.some((d, i) => d !== x.shape[i])) {
      throw typeError(
        fn,
        `bwd returned a cotangent of shape ${fmtShape(t.shape)} for argument ${p} of shape ${
          fmtShape(x.shape)
        }`,
      );
    }
    if (t.dtype !== x.dtype) t = pCast(t, x.dtype);
    return t;
  });
});

/**
 * Give `f` a custom backward rule (`jax.custom_vjp`). The returned function
 * computes `f(...args)`; under {@link grad} its internals are not recorded:
 * the gradient is `bwd({ inputs, output }, cotangent)`, which returns one
 * cotangent per argument. `f` must return one float tensor; its tensor
 * arguments receive the cotangents, other arguments (numbers, options) none.
 *
 * @example
 * ```ts
 * import { customVjp } from "./custom_vjp.ts";
 * import { grad } from "./grad.ts";
 * import { cast, greater, mul, sigmoid, sub, sum, tensor, type Tensor } from "../../mod.ts";
 * // Heaviside spike with a sigmoid surrogate derivative σ'(x − θ)
 * const spike = customVjp(
 *   (x: Tensor, thr: number) => cast(greater(x, thr), "float32"),
 *   ({ inputs: [x, thr] }, g) => {
 *     const s = sigmoid(sub(x, thr));
 *     return [mul(g, mul(s, sub(1, s))), null];
 *   },
 * );
 * using v = tensor([-1, 0.5, 2]);
 * using s = spike(v, 0.5);
 * console.assert(s.dataSync().join() === "0,0,1");
 * using d = grad((x: Tensor) => sum(spike(x, 0.5)))(v);
 * console.assert(Math.abs(d.dataSync()[1] - 0.25) < 1e-6);
 * ```
 */
export function customVjp<A extends unknown[]>(
  f: (...args: A) => Tensor,
  bwd: CustomVjpBackward<A>,
): (...args: A) => Tensor {
  const fn = "customVjp";
  if (typeof f !== "function") throw typeError(fn, `f must be a function, got ${typeof f}`);
  if (typeof bwd !== "function") throw typeError(fn, `bwd must be a function, got ${typeof bwd}`);
  return (...args: A): Tensor => {
    if (engine().tapes.length === 0) return tidyOwned(() => f(...args));
    const out = withoutTapes(() => tidyOwned(() => f(...args)));
    if (!isTensor(out)) {
      throw typeError(fn, `f must return a Tensor, got ${out === null ? "null" : typeof out}`);
    }
    if (!isFloat(out.dtype)) {
      out.dispose();
      throw typeError(fn, `f must return a float tensor, got dtype ${out.dtype}`);
    }
    const positions: number[] = [];
    const inputs: Tensor[] = [];
    args.forEach((a, i) => {
      if (isTensor(a)) {
        positions.push(i);
        inputs.push(a);
      }
    });
    const attrs: CustomAttrs = {
      bwd: bwd as unknown as CustomVjpBackward<readonly unknown[]>,
      args,
      positions,
    };
    recordOp("customVjp", inputs, [out], attrs as unknown as Record<string, unknown>);
    return out;
  };
}

/**
 * The same values with no gradient (`jax.lax.stop_gradient`): a new tensor
 * (or pytree of new tensors) that {@link grad} treats as a constant.
 *
 * @example
 * ```ts
 * import { stopGradient } from "./custom_vjp.ts";
 * import { grad } from "./grad.ts";
 * import { mul, sum, tensor, type Tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * // d/dx Σ x · sg(x) = sg(x)
 * using g = grad((t: Tensor) => sum(mul(t, stopGradient(t))))(x);
 * console.assert(g.dataSync().join() === "1,2");
 * ```
 */
export function stopGradient<T extends PyTree>(x: T): T {
  if (isTensor(x)) {
    x.assertAlive("stopGradient");
    return withoutTapes(() => pCopy(x)) as T;
  }
  return withoutTapes(() => treeMap(x, (t) => pCopy(t))) as T;
}
