/**
 * Slicing and padding: slice, stridedSlice, pad, flip.
 *
 * @module
 */

import type { PadMode } from "../../backends/backend.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxes, type TensorLike, toTensor } from "./convert.ts";
import { pCopy, pPad, pSlice, scoped } from "./prim.ts";

export type { PadMode };

function intList(
  fn: string,
  name: string,
  v: unknown,
  rank: number,
): (number | null | undefined)[] {
  const list = typeof v === "number" ? [v] : v;
  if (!Array.isArray(list)) {
    throw typeError(fn, `${name} must be a number or an array, got ${typeof v}`);
  }
  if (list.length > rank) {
    throw typeError(
      fn,
      `${name} [${list.join(", ")}] has more entries than the tensor's rank ${rank}`,
    );
  }
  for (const e of list) {
    if (e !== null && e !== undefined && (typeof e !== "number" || !Number.isInteger(e))) {
      throw rangeError(fn, `${name} entries must be integers, got [${list.join(", ")}]`);
    }
  }
  return list;
}

/**
 * A contiguous block: `size[i]` elements from `begin[i]` on each axis
 * (`size` -1 or omitted = to the end; missing trailing entries take whole axes).
 *
 * @example
 * ```ts
 * import { slice } from "../../mod.ts";
 * using y = slice([[1, 2, 3], [4, 5, 6]], [0, 1], [2, -1]);
 * console.assert(y.shape.join() === "2,2" && y.dataSync().join() === "2,3,5,6");
 * ```
 */
export function slice(
  x: TensorLike,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  return scoped(() => {
    const t = toTensor(x, "slice");
    const b = intList("slice", "begin", begin, t.rank);
    const s = size === undefined ? [] : intList("slice", "size", size, t.rank);
    const b0: number[] = [], s0: number[] = [];
    for (let i = 0; i < t.rank; i++) {
      const n = t.shape[i];
      const bi = b[i] ?? 0;
      if (bi < 0 || bi > n) {
        throw rangeError(
          "slice",
          `begin ${bi} is out of range for axis ${i} of shape ${fmtShape(t.shape)}`,
        );
      }
      const si = s[i] ?? -1;
      const len = si === -1 ? n - bi : si;
      if (len < 0 || bi + len > n) {
        throw rangeError(
          "slice",
          `size ${si} from begin ${bi} is out of range for axis ${i} of shape ${fmtShape(t.shape)}`,
        );
      }
      b0.push(bi);
      s0.push(len);
    }
    return pSlice(t, b0, s0, new Array<number>(t.rank).fill(1));
  });
}

/** Python's `slice(start, stop, step).indices(n)` → [begin, count]. */
function sliceIndices(
  start: number | null | undefined,
  stop: number | null | undefined,
  step: number,
  n: number,
): [number, number] {
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? n : n - 1;
  const clampIdx = (v: number | null | undefined, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    if (v < 0) return Math.max(v + n, lower);
    return Math.min(v, upper);
  };
  const b = clampIdx(start, step > 0 ? lower : upper);
  const e = clampIdx(stop, step > 0 ? upper : lower);
  const count = step > 0
    ? Math.max(0, Math.ceil((e - b) / step))
    : Math.max(0, Math.ceil((b - e) / -step));
  return [count === 0 ? 0 : b, count];
}

/**
 * Python/NumPy basic slicing `x[b0:e0:s0, b1:e1:s1, ...]`: negative indices
 * count from the end, out-of-range bounds are clamped, strides may be
 * negative; `null`/`undefined` entries and missing trailing axes take defaults.
 *
 * @example
 * ```ts
 * import { stridedSlice } from "../../mod.ts";
 * using y = stridedSlice([0, 1, 2, 3, 4, 5], [1], [-1], [2]);
 * using r = stridedSlice([0, 1, 2, 3], [null], [null], [-1]);
 * console.assert(y.dataSync().join() === "1,3" && r.dataSync().join() === "3,2,1,0");
 * ```
 */
export function stridedSlice(
  x: TensorLike,
  begin: readonly (number | null | undefined)[],
  end: readonly (number | null | undefined)[],
  strides?: readonly (number | null | undefined)[],
): Tensor {
  return scoped(() => {
    const t = toTensor(x, "stridedSlice");
    const b = intList("stridedSlice", "begin", begin, t.rank);
    const e = intList("stridedSlice", "end", end, t.rank);
    const st = strides === undefined ? [] : intList("stridedSlice", "strides", strides, t.rank);
    const b0: number[] = [], s0: number[] = [], k0: number[] = [];
    for (let i = 0; i < t.rank; i++) {
      const step = st[i] ?? 1;
      if (step === 0) throw rangeError("stridedSlice", `strides must not be 0 (axis ${i})`);
      const [bi, count] = sliceIndices(b[i], e[i], step, t.shape[i]);
      b0.push(bi);
      s0.push(count);
      k0.push(step);
    }
    return pSlice(t, b0, s0, k0);
  });
}

/** Options of {@link pad}. */
export interface PadOptions {
  /** "constant" (default), "edge" (repeat the border) or "reflect" (mirror without the border). */
  readonly mode?: PadMode;
  /** Fill value of constant mode (default 0). */
  readonly value?: number;
}

/** Pads: one number for every side, one [before, after] for every axis, or one pair per axis. */
export type PadWidths = number | readonly [number, number] | readonly (readonly [number, number])[];

function padPairs(pads: unknown, rank: number): [number, number][] {
  let pairs: unknown[];
  if (typeof pads === "number") pairs = new Array(rank).fill([pads, pads]);
  else if (Array.isArray(pads) && pads.length === 2 && pads.every((p) => typeof p === "number")) {
    pairs = new Array(rank).fill(pads);
  } else if (Array.isArray(pads)) pairs = pads;
  else throw typeError("pad", `pads must be a number or [before, after] pairs, got ${typeof pads}`);
  if (pairs.length !== rank) {
    throw typeError(
      "pad",
      `expected ${rank} [before, after] pairs (one per axis), got ${pairs.length}`,
    );
  }
  return pairs.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) {
      throw typeError(
        "pad",
        `pads for axis ${i} must be a [before, after] pair, got ${JSON.stringify(p)}`,
      );
    }
    for (const v of p) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
        throw rangeError(
          "pad",
          `pads must be non-negative integers, got [${p.join(", ")}] for axis ${i}`,
        );
      }
    }
    return [p[0], p[1]];
  });
}

/**
 * Pad each axis (`jnp.pad`) with a constant, the edge values, or a reflection
 * (reflect needs pads smaller than the axis length).
 *
 * @example
 * ```ts
 * import { pad } from "../../mod.ts";
 * using c = pad([1, 2, 3], [[1, 2]], { value: 9 });
 * using r = pad([1, 2, 3], 2, { mode: "reflect" });
 * console.assert(c.dataSync().join() === "9,1,2,3,9,9" && r.dataSync().join() === "3,2,1,2,3,2,1");
 * ```
 */
export function pad(x: TensorLike, pads: PadWidths, options: PadOptions = {}): Tensor {
  const mode = options.mode ?? "constant";
  if (mode !== "constant" && mode !== "edge" && mode !== "reflect") {
    throw rangeError(
      "pad",
      `mode must be "constant", "edge" or "reflect", got ${JSON.stringify(mode)}`,
    );
  }
  const value = options.value ?? 0;
  if (typeof value !== "number") {
    throw typeError("pad", `value must be a number, got ${typeof value}`);
  }
  return scoped(() => {
    const t = toTensor(x, "pad");
    const p = padPairs(pads, t.rank);
    p.forEach(([lo, hi], i) => {
      const n = t.shape[i];
      if (mode === "reflect" && (lo > n - 1 || hi > n - 1) && lo + hi > 0) {
        throw rangeError(
          "pad",
          `reflect pads [${lo}, ${hi}] must be < the length ${n} of axis ${i}`,
        );
      }
      if (mode === "edge" && n === 0 && lo + hi > 0) {
        throw rangeError(
          "pad",
          `cannot edge-pad the empty axis ${i} of shape ${fmtShape(t.shape)}`,
        );
      }
    });
    if (p.every(([lo, hi]) => lo === 0 && hi === 0)) return pCopy(t);
    return pPad(t, p, mode, value);
  });
}

/**
 * Reverse the order of elements along the given axes (all axes by default).
 *
 * @example
 * ```ts
 * import { flip } from "../../mod.ts";
 * using y = flip([[1, 2], [3, 4]], 1);
 * console.assert(y.dataSync().join() === "2,1,4,3");
 * ```
 */
export function flip(x: TensorLike, axis?: number | readonly number[]): Tensor {
  return scoped(() => {
    const t = toTensor(x, "flip");
    const axes = normalizeAxes("flip", axis, t.rank);
    const begin = t.shape.map((n, i) => (axes.includes(i) && n > 0 ? n - 1 : 0));
    const strides = t.shape.map((_, i) => (axes.includes(i) ? -1 : 1));
    return pSlice(t, begin, [...t.shape], strides);
  });
}
