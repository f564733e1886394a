/**
 * Plumbing shared by the LAPACK calls: Fortran scalar arguments (every
 * argument is a pointer), `CHARACTER` flags, `INFO` handling and workspace
 * queries.
 *
 * LAPACK is column-major. A row-major `m × n` buffer read column-major is the
 * `n × m` transpose; each factorization file says how it uses that.
 *
 * @module
 */

import { INT32_MAX, workspaceSize } from "./validate.ts";

/**
 * A Fortran `INTEGER` argument: a one-element Int32Array holding `v`, checked
 * to be an int32 first (a RangeError, never a wrapped value handed to C).
 *
 * @example
 * ```ts
 * import { fint } from "./lapack.ts";
 * console.assert(fint("qr", 5)[0] === 5);
 * ```
 */
export function fint(fn: string, v: number): Int32Array {
  if (!Number.isInteger(v) || v < -1 || v > INT32_MAX) {
    throw new RangeError(`${fn}(): LAPACK integer argument ${v} is not an int32`);
  }
  return Int32Array.of(v);
}

/**
 * A Fortran `CHARACTER*1` argument (its hidden length, 1, is passed after the
 * other arguments).
 *
 * @example
 * ```ts
 * import { fchar } from "./lapack.ts";
 * console.assert(fchar("U")[0] === 85);
 * ```
 */
export function fchar(c: "U" | "L" | "V" | "N" | "S"): Uint8Array {
  return Uint8Array.of(c.charCodeAt(0));
}

/**
 * Read `INFO` after a call: a negative value means an argument was illegal,
 * which validation should have made impossible, so it throws an Error naming
 * the routine; otherwise returns `info` (0 success, > 0 numerical failure).
 */
export function checkInfo(fn: string, routine: string, info: Int32Array): number {
  const v = info[0];
  if (v < 0) {
    throw new Error(`${fn}(): ${routine} rejected argument ${-v} (a bug in the blas backend)`);
  }
  return v;
}

/** A routine that may be missing from a BLAS-only library; throws when null. */
export function need<T>(fn: string, name: string, f: T | null): T {
  if (f === null) {
    throw new Error(`${fn}(): the loaded BLAS library does not export ${name}`);
  }
  return f;
}

/**
 * Workspace for a routine after its `lwork = -1` query left the optimal size
 * in `query[0]`: a float array of the dtype, at least `minimum` long.
 */
export function floatWorkspace(
  fn: string,
  dtype: "float32" | "float64",
  query: Float32Array | Float64Array,
  minimum: number,
): Float32Array | Float64Array {
  const size = workspaceSize(fn, query[0], minimum);
  return dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
}

/** True when every value of `a[offset, offset + size)` is finite. */
export function allFinite(a: ArrayLike<number>, offset: number, size: number): boolean {
  for (let i = offset; i < offset + size; i++) {
    const v = a[i];
    if (v - v !== 0) return false; // NaN or ±Inf
  }
  return true;
}
