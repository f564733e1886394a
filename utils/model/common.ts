/**
 * Argument checks shared by the model utilities: float inputs, plain-number
 * parameters, integer counts and ranks. Errors follow the house policy: wrong
 * type, dtype or shape → `TypeError`; a value out of range → `RangeError`,
 * with messages starting `fnName(): `.
 *
 * @module
 */

import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { floatOperand } from "../../core/ops/linalg_common.ts";

/**
 * Convert `x` to a float tensor (int and bool inputs become float32; float64
 * stays float64). Call it inside `tidy`: a converted input is a temporary.
 *
 * @example
 * ```ts
 * import { floatInput } from "./common.ts";
 * import { tidy } from "../../mod.ts";
 * const dtype = tidy(() => floatInput("demo", new Int32Array([1, 2])).dtype);
 * console.assert(dtype === "float32");
 * ```
 */
export function floatInput(fn: string, x: TensorLike): Tensor {
  return floatOperand(fn, x);
}

/**
 * Check that `value` is a number (NaN and infinities allowed only when
 * `finite` is false) and return it.
 *
 * @example
 * ```ts
 * import { checkNumber } from "./common.ts";
 * console.assert(checkNumber("demo", "alpha", 2) === 2);
 * let threw = false;
 * try { checkNumber("demo", "alpha", "2"); } catch (e) { threw = e instanceof TypeError; }
 * console.assert(threw);
 * ```
 */
export function checkNumber(fn: string, name: string, value: unknown, finite = false): number {
  if (typeof value !== "number") {
    throw typeError(fn, `${name} must be a number, got ${describe(value)}`);
  }
  if (finite && !Number.isFinite(value)) {
    throw rangeError(fn, `${name} must be finite, got ${value}`);
  }
  return value;
}

/**
 * Check that `value` is an integer in `[lo, hi]` and return it: a non-number
 * is a `TypeError`, a non-integer or out-of-range number a `RangeError`.
 *
 * @example
 * ```ts
 * import { checkInt } from "./common.ts";
 * console.assert(checkInt("bkwta", "nWTA", 3, 1, 8) === 3);
 * let threw = false;
 * try { checkInt("bkwta", "nWTA", 9, 1, 8); } catch (e) { threw = e instanceof RangeError; }
 * console.assert(threw);
 * ```
 */
export function checkInt(
  fn: string,
  name: string,
  value: unknown,
  lo: number,
  hi: number = Infinity,
): number {
  if (typeof value !== "number") {
    throw typeError(fn, `${name} must be an integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < lo || value > hi) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw rangeError(fn, `${name} must be an integer ${range}, got ${value}`);
  }
  return value;
}

/**
 * Throw a `TypeError` unless `t` has rank `rank` (`name` and the shape are in
 * the message).
 *
 * @example
 * ```ts
 * import { checkRank } from "./common.ts";
 * import { tensor } from "../../mod.ts";
 * using t = tensor([1, 2, 3]);
 * let threw = false;
 * try { checkRank("bkwta", "x", t, 2); } catch (e) { threw = e instanceof TypeError; }
 * console.assert(threw);
 * ```
 */
export function checkRank(fn: string, name: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) {
    throw typeError(
      fn,
      `${name} must be ${rank}-D, got shape ${fmtShape(t.shape)}`,
    );
  }
}

/**
 * Check that `value` is a boolean and return it.
 *
 * @example
 * ```ts
 * import { checkBool } from "./common.ts";
 * console.assert(checkBool("demo", "hollow", true) === true);
 * ```
 */
export function checkBool(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw typeError(fn, `${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/**
 * A short description of a value for error messages.
 *
 * @example
 * ```ts
 * import { describe } from "./common.ts";
 * console.assert(describe("a") === "string \"a\"");
 * ```
 */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}
