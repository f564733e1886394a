/**
 * Shared plumbing of the metric modules: float conversion of inputs, shape
 * and option checks with `fnName(): ` messages, and ngclearn's
 * `preserve_batch` reduction.
 *
 * @module
 */

import { broadcastShapes } from "../../backends/backend.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import { isFloat, type TensorLike, toTensor } from "../../core/ops/convert.ts";
import { cast, mean } from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";

/**
 * Convert `x` to a float tensor (int and bool become float32, as jnp
 * promotes them). Call inside `tidy`: a converted tensor is a temporary.
 *
 * @example
 * ```ts
 * import "../../mod.ts";
 * import { floatInput } from "./common.ts";
 * using t = floatInput("demo", "x", [1, 2]);
 * console.assert(t.dtype === "float32");
 * ```
 */
export function floatInput(fn: string, name: string, x: TensorLike): Tensor {
  let t: Tensor;
  try {
    t = toTensor(x, fn);
  } catch (e) {
    if (e instanceof TypeError) throw typeError(fn, `${name}: ${e.message}`);
    throw e;
  }
  return isFloat(t.dtype) ? t : cast(t, "float32");
}

/**
 * Throw a TypeError unless `t` has one of the allowed ranks.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { checkRank } from "./common.ts";
 * using t = tensor([[1, 2]]);
 * checkRank("demo", "x", t, [2], "(N x D)");
 * ```
 */
export function checkRank(
  fn: string,
  name: string,
  t: Tensor,
  ranks: readonly number[],
  layout: string,
): void {
  if (!ranks.includes(t.rank)) {
    throw typeError(
      fn,
      `${name} must have rank ${ranks.join(" or ")} ${layout}, got shape ${fmtShape(t.shape)}`,
    );
  }
}

/**
 * Throw a TypeError unless two shapes broadcast together (NumPy rules).
 *
 * @example
 * ```ts
 * import { checkBroadcast } from "./common.ts";
 * checkBroadcast("demo", "mu", [4, 6], "x", [1, 6]);
 * let threw = false;
 * try { checkBroadcast("demo", "mu", [4, 6], "x", [4, 5]); } catch (e) { threw = e instanceof TypeError; }
 * console.assert(threw);
 * ```
 */
export function checkBroadcast(
  fn: string,
  aName: string,
  a: readonly number[],
  bName: string,
  b: readonly number[],
): void {
  if (broadcastShapes(a, b) === null) {
    throw typeError(
      fn,
      `${aName} ${fmtShape(a)} and ${bName} ${fmtShape(b)} must have the same shape (or broadcast)`,
    );
  }
}

/**
 * Throw a TypeError unless `v` is a boolean (or undefined, then `dflt`).
 *
 * @example
 * ```ts
 * import { boolOption } from "./common.ts";
 * console.assert(boolOption("demo", "preserveBatch", undefined, true) === true);
 * ```
 */
export function boolOption(fn: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw typeError(fn, `${name} must be a boolean, got ${String(v)}`);
  return v;
}

/**
 * Throw unless `v` is a finite number (TypeError for a non-number, RangeError
 * for NaN/Infinity); `undefined` gives `dflt`.
 *
 * @example
 * ```ts
 * import { numberOption } from "./common.ts";
 * console.assert(numberOption("demo", "tolerance", undefined, 0) === 0);
 * ```
 */
export function numberOption(fn: string, name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number") throw typeError(fn, `${name} must be a number, got ${typeof v}`);
  if (!Number.isFinite(v)) throw rangeError(fn, `${name} must be finite, got ${v}`);
  return v;
}

/**
 * Throw a TypeError unless `options` is a plain object (or undefined).
 *
 * @example
 * ```ts
 * import { checkOptions } from "./common.ts";
 * checkOptions("demo", { preserveBatch: true });
 * ```
 */
export function checkOptions(fn: string, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw typeError(fn, `options must be an object, got ${JSON.stringify(options)}`);
  }
}

/**
 * ngclearn's `preserve_batch`: keep the per-row (per-neuron) values, or
 * return their mean as a 0-d tensor. Call inside `tidy`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { reduceBatch } from "./common.ts";
 * using v = tensor([[1], [3]]);
 * using m = reduceBatch(v, false);
 * console.assert(m.rank === 0 && m.dataSync()[0] === 2);
 * ```
 */
export function reduceBatch(v: Tensor, preserveBatch: boolean): Tensor {
  return preserveBatch ? v : mean(v);
}
