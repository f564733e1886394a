/**
 * Data-movement kernels of the cpu backend on plain typed arrays: transpose,
 * strided slice, concat, pad, gather (take / take_along_axis) and scatter.
 * Transpose and slice share one strided-copy routine that drops size-1 dims,
 * merges contiguous neighbours and copies contiguous runs with `set`; plain
 * 2-D (and batched 2-D) transposes use 32×32 cache blocks.
 *
 * @module
 */

import { allocTyped, sizeOf, stridesOf } from "../backend.ts";
import type { DType, PadMode, TypedArray } from "../backend.ts";

/** Copy `n` elements; short runs by a loop (no subarray view allocated). */
function copyRun(src: TypedArray, s: number, dst: TypedArray, d: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(s, s + n) as ArrayLike<number>, d);
  else for (let k = 0; k < n; k++) dst[d + k] = src[s + k];
}

/**
 * `out[row-major index over dims] = x[base + Σ i_d·steps_d]`: the general
 * strided gather behind transpose and slice.
 */
function stridedCopy(
  x: TypedArray,
  base: number,
  dims: readonly number[],
  steps: readonly number[],
  out: TypedArray,
): void {
  // Collapse: drop unit dims, merge a dim into its outer neighbour when the
  // outer step equals step·dim (one longer regular run).
  const cd: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < dims.length; i++) {
    if (dims[i] === 1) continue;
    const last = cd.length - 1;
    if (last >= 0 && cs[last] === steps[i] * dims[i]) {
      cd[last] *= dims[i];
      cs[last] = steps[i];
    } else {
      cd.push(dims[i]);
      cs.push(steps[i]);
    }
  }
  if (cd.length === 0) {
    out[0] = x[base];
    return;
  }
  const nd = cd.length;
  const n = cd[nd - 1];
  const s = cs[nd - 1];
  const rows = out.length / n;
  const idx = new Int32Array(nd);
  let off = base;
  for (let r = 0, o = 0; r < rows; r++, o += n) {
    if (s === 1) copyRun(x, off, out, o, n);
    else for (let k = 0, i = off; k < n; k++, i += s) out[o + k] = x[i];
    // Odometer over the outer dims.
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      off += cs[d];
      if (idx[d] < cd[d]) break;
      off -= cs[d] * cd[d];
      idx[d] = 0;
    }
  }
}

/** `out[j·rows + i] = x[i·cols + j]` in 32×32 blocks, at the given offsets. */
function transpose2d(
  x: TypedArray,
  xo: number,
  rows: number,
  cols: number,
  out: TypedArray,
  oo: number,
): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let j = j0; j < j1; j++) {
        const o = oo + j * rows;
        for (let i = i0; i < i1; i++) out[o + i] = x[xo + i * cols + j];
      }
    }
  }
}

/**
 * Permute axes: `out.shape[i] = shape[perm[i]]`.
 *
 * @example
 * ```ts
 * import { transposeKernel } from "./layout.ts";
 * const r = transposeKernel(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], "float32", [1, 0]);
 * console.assert(Array.from(r.values).join() === "1,4,2,5,3,6" && r.shape.join() === "3,2");
 * ```
 */
export function transposeKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  perm: readonly number[],
): { values: TypedArray; shape: number[] } {
  const rank = shape.length;
  const seen = new Set(perm);
  if (
    perm.length !== rank || seen.size !== rank ||
    perm.some((p) => !(Number.isInteger(p) && p >= 0 && p < rank))
  ) {
    throw new RangeError(
      `transpose(): perm [${perm.join(", ")}] is not a permutation of ${rank} axes`,
    );
  }
  const outShape = perm.map((p) => shape[p]);
  const out = allocTyped(dtype, x.length);
  if (x.length === 0) return { values: out, shape: outShape };
  // Input axes that matter (size > 1), in output order, merged into runs of
  // consecutive input axes.
  // Runs are found on the ranks of the live axes, so that unit axes between
  // two live axes do not split a run.
  const live = perm.filter((p) => shape[p] > 1);
  const rankOf = new Int32Array(rank);
  [...live].sort((a, b) => a - b).forEach((p, i) => (rankOf[p] = i));
  const runs: number[][] = [];
  for (const p of live) {
    const last = runs[runs.length - 1];
    if (last !== undefined && rankOf[last[last.length - 1]] + 1 === rankOf[p]) {
      last.push(p);
    } else runs.push([p]);
  }
  const runSize = (r: number[]) => r.reduce((a, p) => a * shape[p], 1);
  if (runs.length <= 1) {
    out.set(x as ArrayLike<number>);
  } else if (runs.length === 2 && runs[0][0] > runs[1][0]) {
    transpose2d(x, 0, runSize(runs[1]), runSize(runs[0]), out, 0);
  } else if (runs.length === 3 && runs[0][0] < runs[2][0] && runs[2][0] < runs[1][0]) {
    // Batched 2-D: input [batch, rows, cols] → [batch, cols, rows].
    const rows = runSize(runs[2]);
    const cols = runSize(runs[1]);
    const batch = runSize(runs[0]);
    for (let b = 0, o = 0; b < batch; b++, o += rows * cols) transpose2d(x, o, rows, cols, out, o);
  } else {
    const st = stridesOf(shape);
    stridedCopy(x, 0, outShape, perm.map((p) => st[p]), out);
  }
  return { values: out, shape: outShape };
}

/**
 * Strided slice: along each axis `begin[i] + k·strides[i]` for k < size[i]
 * (strides may be negative, not zero). RangeError when an index leaves the
 * axis.
 *
 * @example
 * ```ts
 * import { sliceKernel } from "./layout.ts";
 * const r = sliceKernel(new Int32Array([0, 1, 2, 3, 4]), [5], "int32", [4], [3], [-2]);
 * console.assert(Array.from(r).join() === "4,2,0");
 * ```
 */
export function sliceKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  begin: readonly number[],
  size: readonly number[],
  strides: readonly number[],
): TypedArray {
  const rank = shape.length;
  if (begin.length !== rank || size.length !== rank || strides.length !== rank) {
    throw new TypeError(
      `slice(): begin, size and strides need ${rank} entries, got ${begin.length}, ${size.length}, ${strides.length}`,
    );
  }
  const out = allocTyped(dtype, sizeOf(size));
  const st = stridesOf(shape);
  let base = 0;
  for (let i = 0; i < rank; i++) {
    const last = begin[i] + (size[i] - 1) * strides[i];
    if (
      !Number.isInteger(begin[i]) || !Number.isInteger(strides[i]) || strides[i] === 0 ||
      !(size[i] >= 0) ||
      (size[i] > 0 && (begin[i] < 0 || begin[i] >= shape[i] || last < 0 || last >= shape[i]))
    ) {
      throw new RangeError(
        `slice(): axis ${i}: begin ${begin[i]}, size ${size[i]}, stride ${
          strides[i]
        } do not fit a dim of ${shape[i]}`,
      );
    }
    base += begin[i] * st[i];
  }
  if (out.length === 0) return out;
  stridedCopy(x, base, size, strides.map((s, i) => s * st[i]), out);
  return out;
}

/**
 * Concatenate along `axis`; all inputs share the dtype and the other dims.
 *
 * @example
 * ```ts
 * import { concatKernel } from "./layout.ts";
 * const r = concatKernel([new Float32Array([1, 2]), new Float32Array([3])], [[2, 1], [1, 1]], "float32", 0);
 * console.assert(Array.from(r.values).join() === "1,2,3" && r.shape.join() === "3,1");
 * ```
 */
export function concatKernel(
  xs: readonly TypedArray[],
  shapes: readonly (readonly number[])[],
  dtype: DType,
  axis: number,
): { values: TypedArray; shape: number[] } {
  if (xs.length === 0) throw new TypeError("concat(): needs at least one input");
  const ref = shapes[0];
  if (!(Number.isInteger(axis) && axis >= 0 && axis < ref.length)) {
    throw new RangeError(`concat(): axis must be in [0, ${ref.length}), got ${axis}`);
  }
  let total = 0;
  for (const s of shapes) {
    if (s.length !== ref.length || s.some((d, i) => i !== axis && d !== ref[i])) {
      throw new TypeError(
        `concat(): shapes [${ref.join(", ")}] and [${s.join(", ")}] differ off axis ${axis}`,
      );
    }
    total += s[axis];
  }
  const outShape = [...ref];
  outShape[axis] = total;
  const out = allocTyped(dtype, sizeOf(outShape));
  const outer = sizeOf(ref.slice(0, axis));
  const inner = sizeOf(ref.slice(axis + 1));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < xs.length; k++) {
      const chunk = shapes[k][axis] * inner;
      copyRun(xs[k], o * chunk, out, pos, chunk);
      pos += chunk;
    }
  }
  return { values: out, shape: outShape };
}

/**
 * Source index along one axis for each padded position (-1 = the constant):
 * `edge` clamps; `reflect` mirrors without repeating the edge, periodic with
 * period 2(n-1) for pads longer than the axis (NumPy's repeated reflection).
 */
function padMap(n: number, before: number, after: number, mode: PadMode): Int32Array {
  const m = new Int32Array(before + n + after);
  const period = 2 * (n - 1);
  for (let j = 0; j < m.length; j++) {
    const i = j - before;
    if (i >= 0 && i < n) m[j] = i;
    else if (mode === "constant") m[j] = -1;
    else if (mode === "edge" || n === 1) m[j] = i < 0 ? 0 : n - 1;
    else {
      const r = ((i % period) + period) % period;
      m[j] = r < n ? r : period - r;
    }
  }
  return m;
}

/**
 * Pad each axis by `pads[i] = [before, after]` (non-negative) with NumPy's
 * `constant` (fill `value`), `edge` or `reflect` modes.
 *
 * @example
 * ```ts
 * import { padKernel } from "./layout.ts";
 * const r = padKernel(new Float32Array([1, 2, 3]), [3], "float32", [[2, 1]], "reflect", 0);
 * console.assert(Array.from(r.values).join() === "3,2,1,2,3,2");
 * ```
 */
export function padKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  pads: readonly (readonly [number, number])[],
  mode: PadMode,
  value: number,
): { values: TypedArray; shape: number[] } {
  const rank = shape.length;
  if (pads.length !== rank) {
    throw new TypeError(`pad(): need ${rank} [before, after] pairs, got ${pads.length}`);
  }
  if (mode !== "constant" && mode !== "edge" && mode !== "reflect") {
    throw new RangeError(`pad(): unknown mode ${mode}`);
  }
  for (let i = 0; i < rank; i++) {
    const [b, a] = pads[i];
    if (!(Number.isInteger(b) && Number.isInteger(a) && b >= 0 && a >= 0)) {
      throw new RangeError(
        `pad(): pads must be non-negative integers, got [${b}, ${a}] on axis ${i}`,
      );
    }
    if (mode !== "constant" && shape[i] === 0 && b + a > 0) {
      throw new RangeError(`pad(): cannot ${mode}-pad the empty axis ${i}`);
    }
  }
  const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const out = allocTyped(dtype, sizeOf(outShape));
  if (out.length === 0) return { values: out, shape: outShape };
  if (rank === 0) {
    out[0] = x[0];
    return { values: out, shape: outShape };
  }
  if (dtype === "bool") value = +(value !== 0);
  const maps = shape.map((d, i) => padMap(d, pads[i][0], pads[i][1], mode));
  const st = stridesOf(shape);
  const last = rank - 1;
  const n = shape[last];
  const [before] = pads[last];
  const width = outShape[last];
  const lastMap = maps[last];
  const idx = new Int32Array(rank);
  const rows = out.length / width;
  for (let r = 0, o = 0; r < rows; r++, o += width) {
    let base = 0;
    let inside = true;
    for (let d = 0; d < last; d++) {
      const m = maps[d][idx[d]];
      if (m < 0) inside = false;
      base += m * st[d];
    }
    if (!inside || n === 0) out.fill(value, o, o + width);
    else {
      for (let j = 0; j < before; j++) {
        const m = lastMap[j];
        out[o + j] = m < 0 ? value : x[base + m];
      }
      copyRun(x, base, out, o + before, n);
      for (let j = before + n; j < width; j++) {
        const m = lastMap[j];
        out[o + j] = m < 0 ? value : x[base + m];
      }
    }
    for (let d = last - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/** `[outer, n, inner]` of `shape` around `axis`, with a range check. */
function splitAxis(fn: string, shape: readonly number[], axis: number): [number, number, number] {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < shape.length)) {
    throw new RangeError(`${fn}(): axis must be in [0, ${shape.length}), got ${axis}`);
  }
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/**
 * `take` along `axis` (jnp.take): out.shape = shape[:axis] + idxShape +
 * shape[axis+1:]. Indices are clamped to [0, n-1], negatives too (JAX).
 *
 * @example
 * ```ts
 * import { gatherKernel } from "./layout.ts";
 * const r = gatherKernel(new Float32Array([10, 20, 30]), [3], "float32", new Int32Array([2, 0, 7, -1]), [4], 0);
 * console.assert(Array.from(r.values).join() === "30,10,30,10");
 * ```
 */
export function gatherKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  idx: Int32Array,
  idxShape: readonly number[],
  axis: number,
): { values: TypedArray; shape: number[] } {
  const [outer, n, inner] = splitAxis("gather", shape, axis);
  const outShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
  const out = allocTyped(dtype, sizeOf(outShape));
  if (out.length === 0) return { values: out, shape: outShape };
  if (n === 0) throw new RangeError(`gather(): cannot take from the empty axis ${axis}`);
  const m = idx.length;
  const hi = n - 1;
  let o = 0;
  for (let b = 0; b < outer; b++) {
    const base = b * n;
    for (let k = 0; k < m; k++) {
      const v = idx[k];
      const j = v < 0 ? 0 : v > hi ? hi : v;
      if (inner === 1) out[o++] = x[base + j];
      else {
        copyRun(x, (base + j) * inner, out, o, inner);
        o += inner;
      }
    }
  }
  return { values: out, shape: outShape };
}

/**
 * `take_along_axis`: `idx` has x's rank and broadcasts against x on the
 * other axes; out.shape = that broadcast with idxShape[axis] on `axis`.
 * Indices are clamped to [0, n-1].
 *
 * @example
 * ```ts
 * import { gatherAlongKernel } from "./layout.ts";
 * const x = new Float32Array([1, 2, 3, 4]);
 * const r = gatherAlongKernel(x, [2, 2], "float32", new Int32Array([1, 0]), [2, 1], 1);
 * console.assert(Array.from(r.values).join() === "2,3" && r.shape.join() === "2,1");
 * ```
 */
export function gatherAlongKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  idx: Int32Array,
  idxShape: readonly number[],
  axis: number,
): { values: TypedArray; shape: number[] } {
  const rank = shape.length;
  splitAxis("gatherAlong", shape, axis);
  if (idxShape.length !== rank) {
    throw new TypeError(`gatherAlong(): indices need rank ${rank}, got [${idxShape.join(", ")}]`);
  }
  const outShape = shape.map((d, i) => {
    const e = idxShape[i];
    if (i === axis || d === e || d === 1) return e;
    if (e === 1) return d;
    throw new TypeError(
      `gatherAlong(): indices [${idxShape.join(", ")}] do not broadcast against [${
        shape.join(", ")
      }]`,
    );
  });
  const out = allocTyped(dtype, sizeOf(outShape));
  if (out.length === 0) return { values: out, shape: outShape };
  const n = shape[axis];
  if (n === 0) throw new RangeError(`gatherAlong(): cannot take from the empty axis ${axis}`);
  const xs = stridesOf(shape);
  const is = stridesOf(idxShape);
  // Per output dim, the step in x (0 on the axis and on broadcast dims) and in idx.
  const xStep = shape.map((d, i) => (i === axis || d === 1 ? 0 : xs[i]));
  const iStep = idxShape.map((d, i) => (d === 1 ? 0 : is[i]));
  const axisStride = xs[axis];
  const hi = n - 1;
  const last = rank - 1;
  const width = outShape[last];
  const sx = xStep[last];
  const si = iStep[last];
  const pos = new Int32Array(rank);
  let xo = 0;
  let io = 0;
  for (let o = 0; o < out.length; o += width) {
    for (let k = 0, xi = xo, ii = io; k < width; k++, xi += sx, ii += si) {
      const v = idx[ii];
      out[o + k] = x[xi + (v < 0 ? 0 : v > hi ? hi : v) * axisStride];
    }
    for (let d = last - 1; d >= 0; d--) {
      pos[d]++;
      xo += xStep[d];
      io += iStep[d];
      if (pos[d] < outShape[d]) break;
      xo -= xStep[d] * outShape[d];
      io -= iStep[d] * outShape[d];
      pos[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/**
 * Functional scatter along `axis`: a copy of `x` with `updates` (shape
 * `shape[:axis] + idxShape + shape[axis+1:]`) written (`set`, the last
 * duplicate wins) or added (`add`; int32 wraps, bool ors) at `idx`.
 * Out-of-range indices, negatives included, are dropped (JAX).
 *
 * @example
 * ```ts
 * import { scatterKernel } from "./layout.ts";
 * const r = scatterKernel(new Float32Array(3), [3], "float32", new Int32Array([1, 1, 5]), [3],
 *   new Float32Array([2, 3, 9]), 0, "add");
 * console.assert(Array.from(r).join() === "0,5,0");
 * ```
 */
export function scatterKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  idx: Int32Array,
  idxShape: readonly number[],
  updates: TypedArray,
  axis: number,
  mode: "set" | "add",
): TypedArray {
  const [outer, n, inner] = splitAxis("scatter", shape, axis);
  const m = idx.length;
  if (m !== sizeOf(idxShape) || updates.length !== outer * m * inner) {
    throw new TypeError(
      `scatter(): updates need ${outer * m * inner} values for indices [${
        idxShape.join(", ")
      }], got ${updates.length}`,
    );
  }
  if (mode !== "set" && mode !== "add") throw new RangeError(`scatter(): unknown mode ${mode}`);
  const out = allocTyped(dtype, x.length);
  out.set(x as ArrayLike<number>);
  const int = dtype === "int32" || dtype === "uint32";
  let u = 0;
  for (let b = 0; b < outer; b++) {
    const base = b * n;
    for (let k = 0; k < m; k++, u += inner) {
      const j = idx[k];
      if (j < 0 || j >= n) continue;
      const o = (base + j) * inner;
      if (mode === "set") copyRun(updates, u, out, o, inner);
      else if (dtype === "bool") { for (let t = 0; t < inner; t++) out[o + t] |= updates[u + t]; }
      else if (int) {
        for (let t = 0; t < inner; t++) out[o + t] = (out[o + t] + updates[u + t]) | 0;
      } else for (let t = 0; t < inner; t++) out[o + t] += updates[u + t];
    }
  }
  return out;
}
