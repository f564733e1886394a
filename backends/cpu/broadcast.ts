/**
 * NumPy broadcasting for the cpu kernels: a collapsed iteration plan over the
 * output (size-1 dims dropped, adjacent dims merged where every input stays
 * contiguous) and a row cursor that walks it, so kernels run one tight loop
 * per output row with a fixed input step (0 = broadcast, else the stride).
 *
 * @module
 */

import { sizeOf } from "../backend.ts";

/** A collapsed broadcast iteration plan of k inputs against their output shape. */
export interface BroadcastPlan {
  /** The full (uncollapsed) output shape. */
  readonly shape: number[];
  /** Number of output elements. */
  readonly size: number;
  /** Collapsed output dims, outermost first (at least one). */
  readonly dims: number[];
  /** Per input, element strides over `dims` (0 where broadcast). */
  readonly strides: number[][];
}

/** NumPy broadcast shape of several shapes; TypeError `fn(): ...` when incompatible. */
export function broadcastShapeOf(fn: string, shapes: readonly (readonly number[])[]): number[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const lead = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[lead + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[lead + i] = d;
      else {
        const list = shapes.map((t) => `[${t.join(", ")}]`).join(", ");
        throw new TypeError(`${fn}(): shapes ${list} do not broadcast`);
      }
    }
  }
  return out;
}

/**
 * Build the collapsed plan for inputs of `shapes` broadcast to their common
 * shape.
 *
 * @example
 * ```ts
 * import { broadcastPlan } from "./broadcast.ts";
 * const p = broadcastPlan("add", [[2, 3], [3]]);
 * console.assert(p.dims.join() === "2,3" && p.strides[1].join() === "0,1");
 * ```
 */
export function broadcastPlan(fn: string, shapes: readonly (readonly number[])[]): BroadcastPlan {
  const shape = broadcastShapeOf(fn, shapes);
  const rank = shape.length;
  const k = shapes.length;
  // Full-rank strides of each input (0 on broadcast dims).
  const full: number[][] = shapes.map((s) => {
    const st = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let i = s.length - 1; i >= 0; i--) {
      const o = rank - s.length + i;
      st[o] = s[i] === 1 ? 0 : acc;
      acc *= s[i];
    }
    return st;
  });
  const dims: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let i = 0; i < rank; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    // Merge into the previous dim when each input's previous stride equals
    // this stride times this dim (contiguous, or broadcast on both).
    for (let j = 0; merge && j < k; j++) {
      if (strides[j][last] !== full[j][i] * d) merge = false;
    }
    if (merge) {
      dims[last] *= d;
      for (let j = 0; j < k; j++) strides[j][last] = full[j][i];
    } else {
      dims.push(d);
      for (let j = 0; j < k; j++) strides[j].push(full[j][i]);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (let j = 0; j < k; j++) strides[j].push(0);
  }
  return { shape, size: sizeOf(shape), dims, strides };
}

/**
 * Walks the rows (all but the innermost collapsed dim) of a plan, keeping
 * each input's offset of the current row in {@link RowCursor.offsets}.
 */
export class RowCursor {
  /** Number of rows. */
  readonly rows: number;
  /** Length of a row (the innermost collapsed dim). */
  readonly inner: number;
  /** Per input, its step along a row. */
  readonly steps: Int32Array;
  /** Per input, the offset of the current row. */
  readonly offsets: Int32Array;
  readonly #dims: number[];
  readonly #strides: number[][];
  readonly #index: Int32Array;

  /** Start at row 0 of `plan`. */
  constructor(plan: BroadcastPlan) {
    const nd = plan.dims.length;
    this.inner = plan.dims[nd - 1];
    this.rows = this.inner === 0 ? 0 : plan.size / this.inner;
    this.#dims = plan.dims.slice(0, nd - 1);
    this.#strides = plan.strides.map((s) => s.slice(0, nd - 1));
    this.steps = Int32Array.from(plan.strides.map((s) => s[nd - 1]));
    this.offsets = new Int32Array(plan.strides.length);
    this.#index = new Int32Array(nd - 1);
  }

  /** Advance to the next row (odometer over the outer dims). */
  next(): void {
    const dims = this.#dims;
    const idx = this.#index;
    const st = this.#strides;
    const off = this.offsets;
    const k = off.length;
    for (let d = dims.length - 1; d >= 0; d--) {
      idx[d]++;
      for (let j = 0; j < k; j++) off[j] += st[j][d];
      if (idx[d] < dims[d]) return;
      for (let j = 0; j < k; j++) off[j] -= st[j][d] * dims[d];
      idx[d] = 0;
    }
  }
}
