/**
 * Shared plumbing of the cpu linear-algebra kernels: argument checks, batch
 * geometry and float outputs. Kernels compute in float64 work buffers and
 * store into the output dtype (a Float32Array store rounds to float32).
 *
 * @module
 */

import type { DType } from "../../backend.ts";

/** The float arrays the linear-algebra kernels read and write. */
export type FloatArray = Float32Array | Float64Array;

/** Batch geometry of a `[..., rows, cols]` array. */
export interface MatrixGeometry {
  /** Number of matrices (product of the leading dims). */
  readonly batch: number;
  /** Rows of each matrix. */
  readonly rows: number;
  /** Columns of each matrix. */
  readonly cols: number;
  /** The leading (batch) dims. */
  readonly batchShape: number[];
}

/** Format a shape for messages: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Throw a `TypeError` unless `dtype` is float32 or float64. */
export function checkFloatDType(fn: string, dtype: DType): void {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`${fn}(): expected a float32 or float64 input, got ${dtype}`);
  }
}

/**
 * Validate a `[..., rows, cols]` operand (rank ≥ 2, matching length, square
 * when asked) and return its batch geometry.
 */
export function matrixGeometry(
  fn: string,
  name: string,
  values: ArrayLike<number>,
  shape: readonly number[],
  square: boolean,
): MatrixGeometry {
  if (shape.length < 2) {
    throw new TypeError(`${fn}(): ${name} must have rank >= 2, got shape ${fmtShape(shape)}`);
  }
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  if (square && rows !== cols) {
    throw new TypeError(
      `${fn}(): ${name} must be square in its last two dims, got shape ${fmtShape(shape)}`,
    );
  }
  const batchShape = shape.slice(0, -2);
  let batch = 1;
  for (const d of batchShape) batch *= d;
  if (values.length !== batch * rows * cols) {
    throw new TypeError(
      `${fn}(): ${name} holds ${values.length} values, shape ${fmtShape(shape)} needs ${
        batch * rows * cols
      }`,
    );
  }
  return { batch, rows, cols, batchShape };
}

/** Allocate a zeroed output array of the float `dtype`. */
export function allocFloat(dtype: DType, size: number): FloatArray {
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
