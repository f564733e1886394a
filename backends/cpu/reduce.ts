/**
 * Reductions and cumulative sums of the cpu backend on plain typed arrays.
 *
 * The input is viewed as `[outer, reduced, inner]` after dropping size-1
 * dims and merging neighbours; reduced axes that are not one contiguous block
 * are first moved last with a transpose. Two loop shapes follow: contiguous
 * rows (`inner = 1`, pairwise summation with 4 accumulators) and strided
 * (`inner > 1`, accumulating whole rows into a float64 buffer). float32 sums
 * and products accumulate in double and round once.
 *
 * @module
 */

import { allocTyped, sizeOf } from "../backend.ts";
import type { DType, ReduceOp, TypedArray } from "../backend.ts";
import { transposeKernel } from "./layout.ts";

/** Result of the reduction over empty axes (the op's identity). */
function identity(op: ReduceOp, dtype: DType): number {
  switch (op) {
    case "sum":
    case "any":
    case "argmax":
    case "argmin":
      return 0;
    case "prod":
    case "all":
      return 1;
    case "max":
      if (dtype === "int32") return -2147483648;
      return dtype === "uint32" || dtype === "bool" ? 0 : -Infinity;
    case "min":
      if (dtype === "int32") return 2147483647;
      if (dtype === "uint32") return 4294967295;
      return dtype === "bool" ? 1 : Infinity;
  }
}

/** Sum of `x[off .. off+n)` in double: blocks of ≤ 128 with 4 accumulators, combined pairwise. */
export function pairwiseSum(x: TypedArray, off: number, n: number): number {
  if (n > 128) {
    const h = (n >>> 1) & ~3;
    return pairwiseSum(x, off, h) + pairwiseSum(x, off + h, n - h);
  }
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = off;
  const end = off + n;
  for (; i + 3 < end; i += 4) {
    s0 += x[i];
    s1 += x[i + 1];
    s2 += x[i + 2];
    s3 += x[i + 3];
  }
  for (; i < end; i++) s0 += x[i];
  return (s0 + s1) + (s2 + s3);
}

/** Reduce `rows` contiguous rows of length `n` (n ≥ 1) into `out[0..rows)`. */
function reduceRows(
  op: ReduceOp,
  x: TypedArray,
  rows: number,
  n: number,
  out: TypedArray,
  int: boolean,
): void {
  let base = 0;
  switch (op) {
    case "sum":
      if (int) {
        for (let r = 0; r < rows; r++, base += n) {
          let s = 0;
          for (let i = base, end = base + n; i < end; i++) s = (s + x[i]) | 0;
          out[r] = s;
        }
      } else {
        for (let r = 0; r < rows; r++, base += n) out[r] = pairwiseSum(x, base, n);
      }
      return;
    case "prod":
      if (int) {
        for (let r = 0; r < rows; r++, base += n) {
          let s = 1;
          for (let i = base, end = base + n; i < end; i++) s = Math.imul(s, x[i]);
          out[r] = s;
        }
      } else {
        for (let r = 0; r < rows; r++, base += n) {
          let s = 1;
          for (let i = base, end = base + n; i < end; i++) s *= x[i];
          out[r] = s;
        }
      }
      return;
    case "max":
      for (let r = 0; r < rows; r++, base += n) {
        let s = x[base];
        for (let i = base + 1, end = base + n; i < end; i++) s = Math.max(s, x[i]);
        out[r] = s;
      }
      return;
    case "min":
      for (let r = 0; r < rows; r++, base += n) {
        let s = x[base];
        for (let i = base + 1, end = base + n; i < end; i++) s = Math.min(s, x[i]);
        out[r] = s;
      }
      return;
    case "any":
      for (let r = 0; r < rows; r++, base += n) {
        let s = 0;
        for (let i = base, end = base + n; i < end; i++) s |= +(x[i] !== 0);
        out[r] = s;
      }
      return;
    case "all":
      for (let r = 0; r < rows; r++, base += n) {
        let s = 1;
        for (let i = base, end = base + n; i < end; i++) s &= +(x[i] !== 0);
        out[r] = s;
      }
      return;
    default:
      throw new TypeError(`reduce(): ${op} is not a plain reduction`);
  }
}

/**
 * Reduce the middle axis of `[outer, n, inner]` (n ≥ 1, inner > 1) row by
 * row into a float64 accumulator `acc` of length `inner`.
 */
function reduceStrided(
  op: ReduceOp,
  x: TypedArray,
  outer: number,
  n: number,
  inner: number,
  out: TypedArray,
  int: boolean,
): void {
  const acc = new Float64Array(inner);
  const block = n * inner;
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    if (op === "any" || op === "all") {
      for (let j = 0; j < inner; j++) acc[j] = +(x[base + j] !== 0);
    } else {
      for (let j = 0; j < inner; j++) acc[j] = x[base + j];
    }
    for (let r = 1; r < n; r++) {
      const row = base + r * inner;
      switch (op) {
        case "sum":
          if (int) { for (let j = 0; j < inner; j++) acc[j] = (acc[j] + x[row + j]) | 0; }
          else for (let j = 0; j < inner; j++) acc[j] += x[row + j];
          break;
        case "prod":
          if (int) { for (let j = 0; j < inner; j++) acc[j] = Math.imul(acc[j], x[row + j]); }
          else for (let j = 0; j < inner; j++) acc[j] *= x[row + j];
          break;
        case "max":
          for (let j = 0; j < inner; j++) acc[j] = Math.max(acc[j], x[row + j]);
          break;
        case "min":
          for (let j = 0; j < inner; j++) acc[j] = Math.min(acc[j], x[row + j]);
          break;
        case "any":
          for (let j = 0; j < inner; j++) acc[j] = +(acc[j] !== 0) | +(x[row + j] !== 0);
          break;
        case "all":
          for (let j = 0; j < inner; j++) acc[j] = +(acc[j] !== 0) & +(x[row + j] !== 0);
          break;
        default:
          throw new TypeError(`reduce(): ${op} is not a plain reduction`);
      }
    }
    out.set(acc, o * inner);
  }
}

/**
 * argmax/argmin of the middle axis of `[outer, n, inner]` (n ≥ 1): first
 * index on ties; NaN counts as the extreme and the first NaN wins.
 */
function argReduce(
  max: boolean,
  x: TypedArray,
  outer: number,
  n: number,
  inner: number,
  out: Int32Array,
): void {
  const block = n * inner;
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += n) {
      let b = x[base];
      let k = 0;
      for (let r = 1; r < n && b === b; r++) {
        const v = x[base + r];
        // NaN wins (and stops the scan: the first NaN is final).
        if ((max ? v > b : v < b) || v !== v) {
          b = v;
          k = r;
        }
      }
      out[o] = k;
    }
    return;
  }
  const best = new Float64Array(inner);
  const idx = new Int32Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    for (let j = 0; j < inner; j++) best[j] = x[base + j];
    idx.fill(0);
    for (let r = 1; r < n; r++) {
      const row = base + r * inner;
      if (max) {
        for (let j = 0; j < inner; j++) {
          const v = x[row + j];
          const b = best[j];
          if (v > b || (v !== v && b === b)) {
            best[j] = v;
            idx[j] = r;
          }
        }
      } else {
        for (let j = 0; j < inner; j++) {
          const v = x[row + j];
          const b = best[j];
          if (v < b || (v !== v && b === b)) {
            best[j] = v;
            idx[j] = r;
          }
        }
      }
    }
    out.set(idx, o * inner);
  }
}

/** Validate `axes` (sorted, unique, in range); RangeError otherwise. */
function checkAxes(op: ReduceOp, shape: readonly number[], axes: readonly number[]): void {
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i];
    if (!Number.isInteger(a) || a < 0 || a >= shape.length || (i > 0 && a <= axes[i - 1])) {
      throw new RangeError(
        `reduce(): axes must be sorted, unique and in [0, ${shape.length}), got [${
          axes.join(", ")
        }]`,
      );
    }
  }
  if ((op === "argmax" || op === "argmin") && axes.length !== 1) {
    throw new RangeError(`reduce(): ${op} reduces exactly one axis, got [${axes.join(", ")}]`);
  }
}

/**
 * Reduce `x` (row-major `shape`) over `axes` (sorted, unique). The result
 * drops those axes. `sum`/`prod`/`max`/`min` keep the dtype (int sums wrap),
 * `argmax`/`argmin` give int32, `any`/`all` give bool. `max`/`min` propagate
 * NaN. Reducing an empty axis gives the identity (0, 1, -∞, +∞, false, true).
 *
 * @example
 * ```ts
 * import { reduceKernel } from "./reduce.ts";
 * const r = reduceKernel("sum", new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], "float32", [1]);
 * console.assert(Array.from(r.values).join() === "6,15" && r.shape.join() === "2");
 * ```
 */
export function reduceKernel(
  op: ReduceOp,
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  axes: readonly number[],
): { values: TypedArray; shape: number[]; dtype: DType } {
  checkAxes(op, shape, axes);
  if (dtype === "bool" && (op === "sum" || op === "prod")) {
    throw new TypeError(`reduce(): ${op} is not defined on bool (cast to int32 first)`);
  }
  const reduced = new Set(axes);
  const outShape = shape.filter((_, i) => !reduced.has(i));
  const outDtype: DType = op === "argmax" || op === "argmin"
    ? "int32"
    : op === "any" || op === "all"
    ? "bool"
    : dtype;
  const outSize = sizeOf(outShape);
  const out = allocTyped(outDtype, outSize);
  if (outSize === 0) return { values: out, shape: outShape, dtype: outDtype };
  if (x.length === 0) {
    out.fill(identity(op, dtype));
    return { values: out, shape: outShape, dtype: outDtype };
  }
  // Blocks of merged non-unit dims: [size, reduced?].
  const blocks: [number, boolean][] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const red = reduced.has(i);
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last[1] === red) last[0] *= shape[i];
    else blocks.push([shape[i], red]);
  }
  const redBlocks = blocks.filter((b) => b[1]).length;
  let src = x;
  let outer = 1, n = 1, inner = 1;
  if (redBlocks <= 1) {
    let seen = false;
    for (const [size, red] of blocks) {
      if (red) {
        n = size;
        seen = true;
      } else if (seen) inner *= size;
      else outer *= size;
    }
  } else {
    // Move the reduced axes last: [kept..., reduced...].
    const kept = shape.map((_, i) => i).filter((i) => !reduced.has(i));
    src = transposeKernel(x, shape, dtype, [...kept, ...axes]).values;
    outer = outSize;
    n = x.length / outSize;
  }
  const int = dtype !== "float32" && dtype !== "float64";
  if (op === "argmax" || op === "argmin") {
    argReduce(op === "argmax", src, outer, n, inner, out as Int32Array);
  } else if (inner === 1) {
    reduceRows(op, src, outer, n, out, int);
  } else {
    reduceStrided(op, src, outer, n, inner, out, int);
  }
  return { values: out, shape: outShape, dtype: outDtype };
}

/**
 * Cumulative sum along `axis` (same shape and dtype; int32 wraps). `exclusive`
 * shifts by one (first element 0); `reverse` accumulates from the end.
 * float32 accumulates in double.
 *
 * @example
 * ```ts
 * import { cumsumKernel } from "./reduce.ts";
 * const r = cumsumKernel(new Float32Array([1, 2, 3]), [3], "float32", 0, true, false);
 * console.assert(Array.from(r).join() === "0,1,3");
 * ```
 */
export function cumsumKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  axis: number,
  exclusive: boolean,
  reverse: boolean,
): TypedArray {
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
    throw new RangeError(`cumsum(): axis must be in [0, ${shape.length}), got ${axis}`);
  }
  if (dtype === "bool") throw new TypeError("cumsum(): not defined on bool (cast to int32 first)");
  const out = allocTyped(dtype, x.length);
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  if (x.length === 0) return out;
  const int = dtype !== "float32" && dtype !== "float64";
  // Walk the axis forward or backward with a signed row step.
  const step = reverse ? -inner : inner;
  const first = reverse ? (n - 1) * inner : 0;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      for (let r = 0, i = o * n + first; r < n; r++, i += step) {
        const v = x[i];
        if (exclusive) out[i] = s;
        s = int ? (s + v) | 0 : s + v;
        if (!exclusive) out[i] = s;
      }
    }
    return out;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0, row = o * n * inner + first; r < n; r++, row += step) {
      if (exclusive) out.set(acc, row);
      if (int) { for (let j = 0; j < inner; j++) acc[j] = (acc[j] + x[row + j]) | 0; }
      else for (let j = 0; j < inner; j++) acc[j] += x[row + j];
      if (!exclusive) out.set(acc, row);
    }
  }
  return out;
}
