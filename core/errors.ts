/**
 * Error helpers. Policy (DESIGN.md): wrong type, dtype or shape → `TypeError`;
 * a value out of range → `RangeError`. Messages start with the public function
 * name followed by `(): ` and name the offending values.
 *
 * @module
 */

/**
 * Build a `TypeError` whose message starts with `fn(): `.
 *
 * @example
 * ```ts
 * import { typeError } from "./errors.ts";
 * const e = typeError("matmul", "inner dimensions differ, got 3 and 4");
 * console.assert(e.message === "matmul(): inner dimensions differ, got 3 and 4");
 * ```
 */
export function typeError(fn: string, message: string): TypeError {
  return new TypeError(`${fn}(): ${message}`);
}

/**
 * Build a `RangeError` whose message starts with `fn(): `.
 *
 * @example
 * ```ts
 * import { rangeError } from "./errors.ts";
 * const e = rangeError("bkwta", "nWTA must be in [1, 4], got 0");
 * console.assert(e instanceof RangeError);
 * ```
 */
export function rangeError(fn: string, message: string): RangeError {
  return new RangeError(`${fn}(): ${message}`);
}

/** Format a shape for messages: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
