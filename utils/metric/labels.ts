/**
 * Integer label vectors on the host: reading them once from a tensor (or
 * taking a plain/typed array), validating them, and counting the contingency
 * table of two labelings in time linear in N (no N × C one-hot matmul).
 *
 * @module
 */

import { isTensor } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import type { Tensor } from "../../core/tensor.ts";

/**
 * Number of labels of a 1-D label vector, without reading a tensor's values
 * (so a length mismatch is reported before any readback). TypeError unless
 * `x` is a 1-D tensor, a flat array or a typed array.
 *
 * @example
 * ```ts
 * import { labelCount } from "./labels.ts";
 * console.assert(labelCount("demo", "labels", [0, 1, 1]) === 3);
 * ```
 */
export function labelCount(fn: string, name: string, x: TensorLike): number {
  if (isTensor(x)) {
    x.assertAlive(fn);
    if (x.rank !== 1) {
      throw typeError(fn, `${name} must be a 1-D vector of labels, got shape ${fmtShape(x.shape)}`);
    }
    return x.shape[0];
  }
  if (ArrayBuffer.isView(x)) return (x as ArrayLike<number>).length;
  if (Array.isArray(x)) {
    for (const v of x) {
      if (typeof v !== "number" && typeof v !== "boolean") {
        throw typeError(fn, `${name} must be a flat array of integer labels, found ${describe(v)}`);
      }
    }
    return x.length;
  }
  throw typeError(
    fn,
    `${name} must be a 1-D tensor or array of integer labels, got ${describe(x)}`,
  );
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a nested array";
  if (v === null) return "null";
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
}

/**
 * The labels of `x` as a fresh Int32Array, reading a tensor once
 * (`await t.data()`). Booleans count as 0/1. TypeError for a value that is
 * not an integer (1.5, NaN), RangeError for one outside the int32 range.
 *
 * @example
 * ```ts
 * import { readLabels } from "./labels.ts";
 * const l = await readLabels("demo", "labels", [2, 0, 1]);
 * console.assert(l instanceof Int32Array && l.join() === "2,0,1");
 * ```
 */
export async function readLabels(fn: string, name: string, x: TensorLike): Promise<Int32Array> {
  labelCount(fn, name, x);
  let values: ArrayLike<number | boolean>;
  if (isTensor(x)) {
    const t = x as Tensor;
    const data = await t.data();
    if (t.dtype === "int32") return data as Int32Array;
    values = data;
  } else {
    values = x as ArrayLike<number | boolean>;
  }
  const n = values.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const raw = values[i];
    const v = typeof raw === "boolean" ? (raw ? 1 : 0) : raw;
    if (!Number.isInteger(v)) {
      throw typeError(fn, `${name} must hold integer labels, found ${v} at index ${i}`);
    }
    if (v < -2147483648 || v > 2147483647) {
      throw rangeError(fn, `${name}: label ${v} at index ${i} is outside the int32 range`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Replace labels (in place) by dense ids 0..k−1 and return k. When the
 * labels span a small range the id is `label − min` (gaps stay as empty
 * ids); otherwise labels are renumbered in order of first appearance.
 *
 * @example
 * ```ts
 * import { denseIds } from "./labels.ts";
 * const l = new Int32Array([5, 7, 5]);
 * console.assert(denseIds(l) === 3 && l.join() === "0,2,0");
 * ```
 */
export function denseIds(labels: Int32Array): number {
  const n = labels.length;
  if (n === 0) return 0;
  let lo = labels[0], hi = labels[0];
  for (let i = 1; i < n; i++) {
    const v = labels[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  const range = hi - lo + 1;
  if (range <= Math.max(2 * n, 1024)) {
    if (lo !== 0) { for (let i = 0; i < n; i++) labels[i] -= lo; }
    return range;
  }
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let id = ids.get(labels[i]);
    if (id === undefined) {
      id = ids.size;
      ids.set(labels[i], id);
    }
    labels[i] = id;
  }
  return ids.size;
}

/** The contingency table of two labelings, as the statistics the scores need. */
export interface Contingency {
  /** Number of samples N. */
  readonly n: number;
  /** The non-zero cells `n_ij` (in no particular order). */
  readonly cells: Int32Array;
  /** Row sums `a_i` (true classes; may contain zeros for unused ids). */
  readonly rows: Int32Array;
  /** Column sums `b_j` (predicted clusters; may contain zeros). */
  readonly cols: Int32Array;
}

/** Dense tables up to this many cells (else the bucketed count). */
const DENSE_CELLS = 1 << 22;

/**
 * Count the contingency table `n_ij = #{k: t_k = i, p_k = j}` of two equally
 * long label vectors in O(N + classes + clusters): a dense table when it is
 * small (≤ max(4N, 65536) cells), else a counting sort by true class and one
 * scratch row reused per class. The inputs are renumbered in place.
 *
 * @example
 * ```ts
 * import { contingency } from "./labels.ts";
 * const c = contingency(new Int32Array([0, 0, 1]), new Int32Array([1, 1, 1]));
 * console.assert(c.n === 3 && [...c.cells].sort().join() === "1,2" && c.cols.join() === "0,3");
 * ```
 */
export function contingency(t: Int32Array, p: Int32Array): Contingency {
  const n = t.length;
  if (p.length !== n) {
    throw typeError("contingency", `label vectors differ in length: ${n} and ${p.length}`);
  }
  const nt = denseIds(t);
  const np = denseIds(p);
  const rows = new Int32Array(nt);
  const cols = new Int32Array(np);
  const size = nt * np;
  if (size <= Math.min(DENSE_CELLS, Math.max(4 * n, 65536))) {
    const table = new Int32Array(size);
    for (let k = 0; k < n; k++) {
      const i = t[k], j = p[k];
      rows[i]++;
      cols[j]++;
      table[i * np + j]++;
    }
    let nnz = 0;
    for (let i = 0; i < size; i++) if (table[i] !== 0) nnz++;
    const cells = new Int32Array(nnz);
    for (let i = 0, j = 0; i < size; i++) if (table[i] !== 0) cells[j++] = table[i];
    return { n, cells, rows, cols };
  }
  // Counting sort of the samples by true class, then one pass per class over a
  // scratch row of cluster counts (reset after use): linear, no hashing.
  for (let k = 0; k < n; k++) {
    rows[t[k]]++;
    cols[p[k]]++;
  }
  const start = new Int32Array(nt + 1);
  for (let i = 0; i < nt; i++) start[i + 1] = start[i] + rows[i];
  const fill = start.slice(0, nt);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[fill[t[k]]++] = p[k];
  const scratch = new Int32Array(np);
  const cellList = new Int32Array(n);
  let nnz = 0;
  for (let i = 0; i < nt; i++) {
    const a = start[i], b = start[i + 1];
    for (let k = a; k < b; k++) scratch[order[k]]++;
    for (let k = a; k < b; k++) {
      const j = order[k];
      if (scratch[j] !== 0) {
        cellList[nnz++] = scratch[j];
        scratch[j] = 0;
      }
    }
  }
  return { n, cells: cellList.slice(0, nnz), rows, cols };
}

/**
 * Read two label vectors (checking they have the same length before any
 * readback) and count their contingency table.
 *
 * @example
 * ```ts
 * import { labelContingency } from "./labels.ts";
 * const c = await labelContingency("demo", [0, 1, 1], [1, 0, 0]);
 * console.assert(c.n === 3 && c.cells.length === 2);
 * ```
 */
export async function labelContingency(
  fn: string,
  labelsTrue: TensorLike,
  labelsPred: TensorLike,
): Promise<Contingency> {
  const nt = labelCount(fn, "labelsTrue", labelsTrue);
  const np = labelCount(fn, "labelsPred", labelsPred);
  if (nt !== np) {
    throw typeError(fn, `labelsTrue and labelsPred must have the same length, got ${nt} and ${np}`);
  }
  const [t, p] = await Promise.all([
    readLabels(fn, "labelsTrue", labelsTrue),
    readLabels(fn, "labelsPred", labelsPred),
  ]);
  // Both arrays are fresh copies (a tensor read copies): ours to renumber.
  return contingency(t, p);
}
