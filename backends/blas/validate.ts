/**
 * Checks that run before any pointer crosses into C. A wrong shape, stride or
 * leading dimension handed to BLAS reads or writes out of bounds (a segfault
 * at best), so every operand is checked here even though `core/ops` already
 * validated it: the backend methods are public and may be called directly.
 *
 * Policy: a wrong type, dtype or shape (non-integer dims, mismatched inner
 * dims, a buffer shorter than its shape) is a `TypeError`; a dimension out of
 * range (negative, beyond int32) is a `RangeError`. Messages start `fn(): `.
 *
 * @module
 */

import type { DType, TensorInfo } from "../backend.ts";

/** Largest value of a C `int` (BLAS/LAPACK dimensions and leading dims). */
export const INT32_MAX = 2147483647;

/** The float typed arrays handed to BLAS. */
export type FloatArray = Float32Array | Float64Array;

/** A validated float operand: its values and checked shape. */
export interface FloatOperand {
  /** The typed array (not copied). */
  readonly values: FloatArray;
  /** The shape, every dim a non-negative int32. */
  readonly shape: readonly number[];
  /** float32 or float64. */
  readonly dtype: "float32" | "float64";
}

/** Format a shape for messages: `[2, 3]`. */
export function fmtShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => String(d)).join(", ")}]`;
}

/**
 * Check a shape: an array of integers in `[0, INT32_MAX]` whose product is a
 * safe integer. Returns the number of elements.
 *
 * @example
 * ```ts
 * import { checkShape } from "./validate.ts";
 * console.assert(checkShape("matmul", "a", [2, 3]) === 6);
 * ```
 */
export function checkShape(fn: string, name: string, shape: unknown): number {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${fn}(): ${name}.shape must be an array of dims, got ${typeof shape}`);
  }
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new TypeError(`${fn}(): ${name} dims must be integers, got ${fmtShape(shape)}`);
    }
    if (d < 0 || d > INT32_MAX) {
      throw new RangeError(
        `${fn}(): ${name} dims must be in [0, ${INT32_MAX}], got ${fmtShape(shape)}`,
      );
    }
    size *= d;
  }
  if (!Number.isSafeInteger(size)) {
    throw new RangeError(`${fn}(): ${name} shape ${fmtShape(shape)} has too many elements`);
  }
  return size;
}

/**
 * Check a float tensor reference of the blas/cpu backend: a float dtype, a
 * typed array of the matching class, a valid shape of rank ≥ `minRank`, and
 * exactly as many values as the shape claims.
 *
 * @example
 * ```ts
 * import { checkFloatOperand } from "./validate.ts";
 * const x = { id: { values: new Float32Array(6), refs: 1 }, shape: [2, 3], dtype: "float32" as const };
 * console.assert(checkFloatOperand("matmul", "a", x, 2).values.length === 6);
 * ```
 */
export function checkFloatOperand(
  fn: string,
  name: string,
  x: TensorInfo,
  minRank: number,
): FloatOperand {
  if (typeof x !== "object" || x === null) {
    throw new TypeError(`${fn}(): ${name} must be a tensor reference, got ${x}`);
  }
  const dtype = x.dtype as DType;
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`${fn}(): ${name} must be float32 or float64, got ${String(dtype)}`);
  }
  const values = (x.id as { values?: unknown } | null)?.values;
  const ctor = dtype === "float32" ? Float32Array : Float64Array;
  if (!(values instanceof ctor)) {
    throw new TypeError(`${fn}(): ${name} storage is not a ${ctor.name} (dtype ${dtype})`);
  }
  const size = checkShape(fn, name, x.shape);
  if (x.shape.length < minRank) {
    throw new TypeError(
      `${fn}(): ${name} must have rank >= ${minRank}, got shape ${fmtShape(x.shape)}`,
    );
  }
  if (values.length !== size) {
    throw new TypeError(
      `${fn}(): ${name} holds ${values.length} values but shape ${fmtShape(x.shape)} needs ${size}`,
    );
  }
  return { values, shape: x.shape, dtype };
}

/**
 * Check that one matrix of a call fits C's `int` indexing: `rows × cols`
 * elements at most {@link INT32_MAX}.
 */
export function checkMatrixSize(fn: string, name: string, rows: number, cols: number): void {
  if (rows * cols > INT32_MAX) {
    throw new RangeError(
      `${fn}(): ${name} matrix ${rows}x${cols} exceeds ${INT32_MAX} elements (int32 indexing)`,
    );
  }
}

/**
 * The last guard before a pointer goes to C: the row-major matrix of `rows` ×
 * `cols` with leading dimension `ld` starting at `offset` lies inside `buf`,
 * and every number is an int32 (`ld ≥ max(1, cols)`). Throws a `RangeError`
 * otherwise (that would be a bug in the caller, never a crash).
 *
 * @example
 * ```ts
 * import { checkSpan } from "./validate.ts";
 * checkSpan("matmul", "a", new Float32Array(6), 0, 2, 3, 3); // fits
 * ```
 */
export function checkSpan(
  fn: string,
  name: string,
  buf: ArrayLike<number>,
  offset: number,
  rows: number,
  cols: number,
  ld: number,
): void {
  const ok = isInt32(rows) && isInt32(cols) && isInt32(ld) &&
    Number.isSafeInteger(offset) && offset >= 0 && ld >= Math.max(1, cols) &&
    (rows === 0 || cols === 0 || offset + (rows - 1) * ld + cols <= buf.length);
  if (!ok) {
    throw new RangeError(
      `${fn}(): ${name} span (offset ${offset}, ${rows}x${cols}, ld ${ld}) does not fit its ${buf.length}-element buffer`,
    );
  }
}

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= INT32_MAX;
}

/**
 * A LAPACK workspace size returned by a `lwork = -1` query, rounded up (float32
 * queries round the count), checked to be a finite int32.
 */
export function workspaceSize(fn: string, reported: number, minimum: number): number {
  if (!Number.isFinite(reported) || reported < 0) {
    throw new RangeError(`${fn}(): LAPACK reported an invalid workspace size ${reported}`);
  }
  const size = Math.max(minimum, 1, Math.ceil(reported * (1 + 1e-6)) + 1);
  if (size > INT32_MAX) {
    throw new RangeError(`${fn}(): LAPACK workspace of ${size} elements exceeds int32`);
  }
  return size;
}
