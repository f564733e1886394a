/**
 * Sorting kernels of the cpu backend: stable sort / argsort along an axis and
 * top-k along the last axis, for every dtype (uint32 keys included, as used
 * by `permutation`).
 *
 * Ordering (as jnp.sort / jnp.argsort with `stable=True`): NaN is the largest
 * value, so it goes last ascending and first descending; equal keys keep
 * their original order in both directions. Non-NaN keys are sorted by a
 * bottom-up merge sort on (key, index) pairs held in typed arrays (negated
 * keys for descending); NaN positions are collected apart, in order.
 *
 * @module
 */

import { allocTyped } from "../backend.ts";
import type { DType, TypedArray } from "../backend.ts";

const RUN = 16;

/** Reusable (key, index) buffers for lines of up to `n` elements. */
class LineSorter {
  keys: Float64Array;
  idx: Int32Array;
  tmpKeys: Float64Array;
  tmpIdx: Int32Array;
  /** Positions of NaN keys, in order. */
  readonly nans: Int32Array;

  constructor(n: number) {
    this.keys = new Float64Array(n);
    this.idx = new Int32Array(n);
    this.tmpKeys = new Float64Array(n);
    this.tmpIdx = new Int32Array(n);
    this.nans = new Int32Array(n);
  }

  /**
   * Stable sort of the line `x[base + r·stride]` (r < n): afterwards
   * `idx[p]` is the original position of the non-NaN element of rank p
   * (p < n - q) and `nans[0..q)` the NaN positions. Returns q.
   */
  sortLine(x: TypedArray, base: number, stride: number, n: number, descending: boolean): number {
    const keys = this.keys;
    const idx = this.idx;
    const nans = this.nans;
    let m = 0;
    let q = 0;
    const sign = descending ? -1 : 1;
    for (let r = 0, i = base; r < n; r++, i += stride) {
      const v = x[i];
      if (v !== v) nans[q++] = r;
      else {
        keys[m] = sign * v;
        idx[m++] = r;
      }
    }
    this.#mergeSort(m);
    return q;
  }

  /** Bottom-up merge sort of the first m pairs; the result ends in keys/idx. */
  #mergeSort(m: number): void {
    let k = this.keys, ix = this.idx;
    for (let lo = 0; lo < m; lo += RUN) insertion(k, ix, lo, Math.min(lo + RUN, m));
    if (m <= RUN) return;
    let tk = this.tmpKeys, ti = this.tmpIdx;
    for (let w = RUN; w < m; w *= 2) {
      for (let lo = 0; lo < m; lo += 2 * w) {
        const mid = Math.min(lo + w, m);
        const hi = Math.min(lo + 2 * w, m);
        merge(k, ix, lo, mid, hi, tk, ti);
      }
      const sk = k, si = ix;
      k = tk;
      ix = ti;
      tk = sk;
      ti = si;
    }
    // Keep the sorted pairs in keys/idx (swap buffer roles, no copy).
    this.keys = k;
    this.idx = ix;
    this.tmpKeys = tk;
    this.tmpIdx = ti;
  }
}

/** Stable insertion sort of pairs in [lo, hi). */
function insertion(k: Float64Array, ix: Int32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const key = k[i];
    const id = ix[i];
    let j = i - 1;
    while (j >= lo && k[j] > key) {
      k[j + 1] = k[j];
      ix[j + 1] = ix[j];
      j--;
    }
    k[j + 1] = key;
    ix[j + 1] = id;
  }
}

/** Stable merge of sorted [lo, mid) and [mid, hi) from (k, ix) into (tk, ti). */
function merge(
  k: Float64Array,
  ix: Int32Array,
  lo: number,
  mid: number,
  hi: number,
  tk: Float64Array,
  ti: Int32Array,
): void {
  if (mid >= hi || k[mid - 1] <= k[mid]) {
    // Already in order (or no right half): copy through.
    tk.set(k.subarray(lo, hi), lo);
    ti.set(ix.subarray(lo, hi), lo);
    return;
  }
  let i = lo, j = mid, o = lo;
  while (i < mid && j < hi) {
    // Take from the left on ties (stability).
    if (k[j] < k[i]) {
      tk[o] = k[j];
      ti[o++] = ix[j++];
    } else {
      tk[o] = k[i];
      ti[o++] = ix[i++];
    }
  }
  while (i < mid) {
    tk[o] = k[i];
    ti[o++] = ix[i++];
  }
  while (j < hi) {
    tk[o] = k[j];
    ti[o++] = ix[j++];
  }
}

/** Check the axis and return [outer, n, inner]. */
function lines(fn: string, shape: readonly number[], axis: number): [number, number, number] {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < shape.length)) {
    throw new RangeError(`${fn}(): axis must be in [0, ${shape.length}), got ${axis}`);
  }
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

/**
 * Stable-sort every line along `axis` and write, at the line's positions in
 * `out`, either the sorted values (`writeValues`) or their original indices.
 */
function eachLine(
  fn: string,
  x: TypedArray,
  shape: readonly number[],
  axis: number,
  descending: boolean,
  out: TypedArray,
  writeValues: boolean,
): void {
  const [outer, n, inner] = lines(fn, shape, axis);
  if (x.length === 0) return;
  const s = new LineSorter(n);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      const q = s.sortLine(x, base, inner, n, descending);
      const m = n - q;
      const idx = s.idx;
      const nans = s.nans;
      // Descending: NaNs first; ascending: NaNs last.
      let p = base;
      const nanFirst = descending;
      if (nanFirst) {
        for (let t = 0; t < q; t++, p += inner) {
          out[p] = writeValues ? x[base + nans[t] * inner] : nans[t];
        }
      }
      if (writeValues) {
        for (let t = 0; t < m; t++, p += inner) out[p] = x[base + idx[t] * inner];
      } else for (let t = 0; t < m; t++, p += inner) out[p] = idx[t];
      if (!nanFirst) {
        for (let t = 0; t < q; t++, p += inner) {
          out[p] = writeValues ? x[base + nans[t] * inner] : nans[t];
        }
      }
    }
  }
}

/**
 * Stable argsort along `axis` → int32 positions along that axis. NaN sorts
 * last ascending and first descending; ties keep their original order.
 *
 * @example
 * ```ts
 * import { argsortKernel } from "./sort.ts";
 * const r = argsortKernel(new Float32Array([3, NaN, 1, 3]), [4], "float32", 0, true);
 * console.assert(Array.from(r).join() === "1,0,3,2");
 * ```
 */
export function argsortKernel(
  x: TypedArray,
  shape: readonly number[],
  _dtype: DType,
  axis: number,
  descending: boolean,
): Int32Array {
  const out = new Int32Array(x.length);
  eachLine("argsort", x, shape, axis, descending, out, false);
  return out;
}

/**
 * Stable sort along `axis` (same order as {@link argsortKernel}); values are
 * copied from `x`, so -0 and NaN payloads survive.
 *
 * @example
 * ```ts
 * import { sortKernel } from "./sort.ts";
 * const r = sortKernel(new Uint32Array([4294967295, 0, 7]), [3], "uint32", 0, false);
 * console.assert(Array.from(r).join() === "0,7,4294967295");
 * ```
 */
export function sortKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  axis: number,
  descending: boolean,
): TypedArray {
  const out = allocTyped(dtype, x.length);
  eachLine("sort", x, shape, axis, descending, out, true);
  return out;
}

/** Sift the heap entry at `p` down (min-heap: worst element at the top). */
function siftDown(hv: Float64Array, hi: Int32Array, p: number, k: number): void {
  const v = hv[p];
  const i = hi[p];
  for (;;) {
    let c = 2 * p + 1;
    if (c >= k) break;
    // Pick the worse child: smaller value, or equal value and larger index.
    const r = c + 1;
    if (r < k && (hv[r] < hv[c] || (hv[r] === hv[c] && hi[r] > hi[c]))) c = r;
    if (!(hv[c] < v || (hv[c] === v && hi[c] > i))) break;
    hv[p] = hv[c];
    hi[p] = hi[c];
    p = c;
  }
  hv[p] = v;
  hi[p] = i;
}

/**
 * Top-k of one NaN-free row `x[base .. base+n)` by a size-k min-heap: fills
 * `idx[0..k)` best first (largest value, lower index on ties). Returns false
 * (untouched outputs) if the row holds a NaN.
 */
function heapTopk(
  x: TypedArray,
  base: number,
  n: number,
  k: number,
  hv: Float64Array,
  hi: Int32Array,
): boolean {
  for (let t = 0; t < k; t++) {
    const v = x[base + t];
    if (v !== v) return false;
    hv[t] = v;
    hi[t] = t;
  }
  for (let p = (k >> 1) - 1; p >= 0; p--) siftDown(hv, hi, p, k);
  for (let t = k; t < n; t++) {
    const v = x[base + t];
    // Strictly greater: a later index loses ties.
    if (v > hv[0]) {
      hv[0] = v;
      hi[0] = t;
      siftDown(hv, hi, 0, k);
    } else if (v !== v) return false;
  }
  // Pop worst-first into the back: hi[0..k) becomes best-first.
  for (let size = k - 1; size > 0; size--) {
    const v = hv[0], i = hi[0];
    hv[0] = hv[size];
    hi[0] = hi[size];
    hv[size] = v;
    hi[size] = i;
    siftDown(hv, hi, 0, size);
  }
  return true;
}

/**
 * Top-k along the last axis: values descending, ties → lower index first,
 * NaN counts as the largest. Small k uses a size-k heap (O(n log k)); large
 * k, or a row holding NaN, a stable descending sort.
 *
 * @example
 * ```ts
 * import { topkKernel } from "./sort.ts";
 * const r = topkKernel(new Float32Array([1, 5, 3, 5]), [4], "float32", 2);
 * console.assert(Array.from(r.values).join() === "5,5" && Array.from(r.indices).join() === "1,3");
 * ```
 */
export function topkKernel(
  x: TypedArray,
  shape: readonly number[],
  dtype: DType,
  k: number,
): { values: TypedArray; indices: Int32Array } {
  if (shape.length === 0) throw new TypeError("topk(): needs at least one axis, got a scalar");
  const n = shape[shape.length - 1];
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
    throw new RangeError(`topk(): k must be an integer in [0, ${n}], got ${k}`);
  }
  const rows = n === 0 ? 0 : x.length / n;
  const values = allocTyped(dtype, rows * k);
  const indices = new Int32Array(rows * k);
  if (k === 0 || rows === 0) return { values, indices };
  const useHeap = k * 4 <= n;
  const hv = new Float64Array(k);
  const hi = new Int32Array(k);
  let sorter: LineSorter | null = null;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const o = r * k;
    if (useHeap && heapTopk(x, base, n, k, hv, hi)) {
      for (let t = 0; t < k; t++) indices[o + t] = hi[t];
    } else {
      sorter ??= new LineSorter(n);
      const q = sorter.sortLine(x, base, 1, n, true);
      // Descending order: NaN positions first, then the sorted keys.
      for (let t = 0; t < k; t++) indices[o + t] = t < q ? sorter.nans[t] : sorter.idx[t - q];
    }
    for (let t = 0; t < k; t++) values[o + t] = x[base + indices[o + t]];
  }
  return { values, indices };
}
