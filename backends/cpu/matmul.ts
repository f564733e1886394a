/**
 * Batched matmul of the cpu backend: `[..., m, k] @ [..., k, n]` with optional
 * transposes of either operand's last two axes and NumPy broadcasting of the
 * leading (batch) axes. Each matrix product runs through `gemm` (re-exported
 * here for the blas backend's fallback).
 *
 * @module
 */

import type { DType } from "../backend.ts";
import { type FloatArray, gemmUnchecked } from "./gemm.ts";

export { type FloatArray, gemm, gemmUnchecked } from "./gemm.ts";

/** Result of {@link matmulKernel}: row-major values and their shape. */
export interface MatmulResult {
  /** Output values, of the input dtype. */
  readonly values: FloatArray;
  /** `[...batch, m, n]`. */
  readonly shape: number[];
}

/**
 * `op(a) @ op(b)` over the last two axes, batch axes broadcast (NumPy rules),
 * where `op` transposes the last two axes when its flag is set. Both inputs
 * have rank ≥ 2 and the same float dtype; sums run in float64 and float32
 * results are rounded on store.
 *
 * @throws {TypeError} on a non-float dtype, an array that does not match its
 *   dtype or shape, rank < 2, unequal inner dimensions, or batch shapes that
 *   do not broadcast.
 *
 * @example
 * ```ts
 * import { matmulKernel } from "./matmul.ts";
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]); // [2, 3]
 * const b = new Float32Array([1, 0, 0, 1, 1, 1]); // [3, 2]
 * const r = matmulKernel(a, [2, 3], b, [3, 2], "float32", false, false);
 * console.assert(r.shape.join() === "2,2" && r.values.join() === "4,5,10,11");
 * ```
 */
export function matmulKernel(
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  dtype: DType,
  transposeA: boolean,
  transposeB: boolean,
): MatmulResult {
  checkOperand("a", a, aShape, dtype);
  checkOperand("b", b, bShape, dtype);
  const ra = aShape.length, rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  if (k !== kb) {
    throw new TypeError(
      `matmul(): inner dimensions differ, got ${k} and ${kb} ` +
        `(shapes ${fmt(aShape)} and ${fmt(bShape)}, transposeA ${transposeA}, ` +
        `transposeB ${transposeB})`,
    );
  }
  const aBatch = aShape.slice(0, ra - 2), bBatch = bShape.slice(0, rb - 2);
  const batch = broadcastBatch(aBatch, bBatch, aShape, bShape);
  const count = product(batch);
  const values = dtype === "float64"
    ? new Float64Array(count * m * n)
    : new Float32Array(count * m * n);
  const shape = [...batch, m, n];
  if (values.length === 0) return { values, shape };
  const lda = aShape[ra - 1], ldb = bShape[rb - 1];
  // The output starts zeroed, so beta = 1 (C += A·B) skips a clearing pass.
  if (product(bBatch) === 1 && !transposeA) {
    // b is shared by every batch entry and a's rows are contiguous: one
    // (count·m) × n product.
    gemmUnchecked(false, transposeB, count * m, n, k, 1, a, 0, lda, b, 0, ldb, 1, values, 0, n);
    return { values, shape };
  }
  const aOffsets = batchOffsets(batch, aBatch, m * k);
  const bOffsets = batchOffsets(batch, bBatch, k * n);
  for (let t = 0; t < count; t++) {
    gemmUnchecked(
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      a,
      aOffsets[t],
      lda,
      b,
      bOffsets[t],
      ldb,
      1,
      values,
      t * m * n,
      n,
    );
  }
  return { values, shape };
}

/** Dtype, rank and length checks of one operand. */
function checkOperand(
  name: string,
  x: FloatArray,
  shape: readonly number[],
  dtype: DType,
): void {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`matmul(): dtype must be float32 or float64, got ${dtype}`);
  }
  const ok = dtype === "float32" ? x instanceof Float32Array : x instanceof Float64Array;
  if (!ok) {
    throw new TypeError(`matmul(): ${name} values are a ${x?.constructor?.name}, not ${dtype}`);
  }
  if (shape.length < 2) {
    throw new TypeError(`matmul(): ${name} must have rank >= 2, got shape ${fmt(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new TypeError(`matmul(): ${name} has a bad shape ${fmt(shape)}`);
    }
  }
  if (product(shape) !== x.length) {
    throw new TypeError(
      `matmul(): ${name} has ${x.length} values, shape ${fmt(shape)} needs ${product(shape)}`,
    );
  }
}

/** NumPy broadcast of two batch shapes (right-aligned; 1 stretches). */
function broadcastBatch(
  a: readonly number[],
  b: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new TypeError(
        `matmul(): batch dimensions of ${fmt(aShape)} and ${fmt(bShape)} do not broadcast`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Element offset of the operand's matrix for each output batch entry
 * (row-major over `batch`), the operand's own batch dims `own` being
 * right-aligned and broadcast where 1; `size` is one matrix's element count.
 */
function batchOffsets(batch: readonly number[], own: readonly number[], size: number): number[] {
  const rank = batch.length, lead = rank - own.length;
  // Stride (in matrices) of each output batch axis in the operand, 0 if broadcast.
  const strides = new Array<number>(rank).fill(0);
  for (let i = own.length - 1, s = 1; i >= 0; i--) {
    strides[lead + i] = own[i] === 1 ? 0 : s;
    s *= own[i];
  }
  const count = product(batch);
  const out = new Array<number>(count);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let t = 0; t < count; t++) {
    out[t] = off * size;
    // Odometer step over the output batch index.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < batch[d]) break;
      off -= strides[d] * batch[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Product of a list of dims (1 for none). */
function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** `[2, 3]` for messages. */
function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
