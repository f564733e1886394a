/**
 * Shape ops: reshape, flatten, expandDims, squeeze, broadcastTo, transpose,
 * swapAxes, moveAxis. Joining and slicing ops are re-exported from `join.ts`
 * and `slicing.ts`.
 *
 * @module
 */

import { sizeOf } from "../../backends/backend.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxes, normalizeAxis, type TensorLike, toTensor } from "./convert.ts";
import { pCopy, pFill, pReshape, pSelect, pTranspose, scoped } from "./prim.ts";

export * from "./join.ts";
export * from "./slicing.ts";

/** Options of {@link reshape}. */
export interface ReshapeOptions {
  /** "C" (row-major, default) or "F" (column-major, as `np.reshape(..., order="F")`). */
  readonly order?: "C" | "F";
}

/** Resolve a target shape with at most one -1 against `size` elements. */
function resolveShape(fn: string, from: readonly number[], shape: unknown): number[] {
  const list = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(list)) {
    throw typeError(fn, `shape must be an array of integers, got ${typeof shape}`);
  }
  let infer = -1;
  let known = 1;
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (typeof d !== "number" || !Number.isInteger(d) || d < -1) {
      throw rangeError(fn, `shape entries must be integers >= -1, got [${list.join(", ")}]`);
    }
    if (d === -1) {
      if (infer >= 0) throw rangeError(fn, `only one -1 is allowed in shape [${list.join(", ")}]`);
      infer = i;
    } else known *= d;
  }
  const size = sizeOf(from);
  const out = [...list] as number[];
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw typeError(
        fn,
        `cannot reshape a tensor of shape ${fmtShape(from)} into [${list.join(", ")}]`,
      );
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw typeError(
      fn,
      `cannot reshape a tensor of shape ${fmtShape(from)} (${size} elements) into ${fmtShape(out)}`,
    );
  }
  return out;
}

function reversed(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

/**
 * Give a tensor a new shape with the same number of elements; one entry may
 * be -1 (inferred). `{ order: "F" }` reads and writes in column-major order.
 *
 * @example
 * ```ts
 * import { reshape } from "../../mod.ts";
 * using y = reshape([1, 2, 3, 4, 5, 6], [2, -1]);
 * using f = reshape([1, 2, 3, 4, 5, 6], [2, 3], { order: "F" });
 * console.assert(y.shape.join() === "2,3");
 * console.assert(f.dataSync().join() === "1,3,5,2,4,6");
 * ```
 */
export function reshape(
  x: TensorLike,
  shape: number | readonly number[],
  options: ReshapeOptions = {},
): Tensor {
  const order = options.order ?? "C";
  if (order !== "C" && order !== "F") {
    throw rangeError("reshape", `order must be "C" or "F", got ${JSON.stringify(order)}`);
  }
  return scoped(() => {
    const t = toTensor(x, "reshape");
    const s = resolveShape("reshape", t.shape, shape);
    if (order === "C" || (t.rank <= 1 && s.length <= 1)) return pReshape(t, s);
    const tt = t.rank > 1 ? pTranspose(t, reversed(t.rank)) : t;
    const r = pReshape(tt, [...s].reverse());
    return s.length > 1 ? pTranspose(r, reversed(s.length)) : r;
  });
}

/**
 * Flatten to 1-D (row-major); a scalar becomes shape [1].
 *
 * @example
 * ```ts
 * import { flatten } from "../../mod.ts";
 * using y = flatten([[1, 2], [3, 4]]);
 * console.assert(y.shape.join() === "4");
 * ```
 */
export function flatten(x: TensorLike): Tensor {
  return scoped(() => {
    const t = toTensor(x, "flatten");
    return pReshape(t, [t.size]);
  });
}

/**
 * Insert length-1 axes at the given positions of the result (`jnp.expand_dims`;
 * negative positions count from the end of the result).
 *
 * @example
 * ```ts
 * import { expandDims } from "../../mod.ts";
 * using y = expandDims([1, 2, 3], -1);
 * using z = expandDims([1, 2, 3], [0, 2]);
 * console.assert(y.shape.join() === "3,1" && z.shape.join() === "1,3,1");
 * ```
 */
export function expandDims(x: TensorLike, axis: number | readonly number[]): Tensor {
  if (typeof axis !== "number" && !Array.isArray(axis)) {
    throw typeError(
      "expandDims",
      `axis must be a number or an array of numbers, got ${typeof axis}`,
    );
  }
  return scoped(() => {
    const t = toTensor(x, "expandDims");
    const list = typeof axis === "number" ? [axis] : axis;
    const axes = normalizeAxes("expandDims", list, t.rank + list.length);
    const shape: number[] = [];
    let k = 0;
    for (let i = 0; i < t.rank + axes.length; i++) shape.push(axes.includes(i) ? 1 : t.shape[k++]);
    return pReshape(t, shape);
  });
}

/**
 * Remove length-1 axes: all of them, or the given ones (which must have length 1).
 *
 * @example
 * ```ts
 * import { squeeze } from "../../mod.ts";
 * using y = squeeze([[[1], [2]]]);
 * console.assert(y.shape.join() === "2");
 * ```
 */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  return scoped(() => {
    const t = toTensor(x, "squeeze");
    let axes: number[];
    if (axis === undefined || axis === null) {
      axes = t.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    } else {
      axes = normalizeAxes("squeeze", axis, t.rank);
      for (const a of axes) {
        if (t.shape[a] !== 1) {
          throw typeError(
            "squeeze",
            `cannot squeeze axis ${a} of shape ${fmtShape(t.shape)}: its length is ${
              t.shape[a]
            }, not 1`,
          );
        }
      }
    }
    return pReshape(t, t.shape.filter((_, i) => !axes.includes(i)));
  });
}

/**
 * Broadcast to a shape (NumPy rules: align trailing axes; length-1 axes stretch).
 *
 * @example
 * ```ts
 * import { broadcastTo } from "../../mod.ts";
 * using y = broadcastTo([1, 2], [3, 2]);
 * console.assert(y.dataSync().join() === "1,2,1,2,1,2");
 * ```
 */
export function broadcastTo(x: TensorLike, shape: number | readonly number[]): Tensor {
  const target = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(target)) {
    throw typeError("broadcastTo", `shape must be an array of integers, got ${typeof shape}`);
  }
  for (const d of target) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw rangeError(
        "broadcastTo",
        `shape entries must be non-negative integers, got [${target.join(", ")}]`,
      );
    }
  }
  return scoped(() => {
    const t = toTensor(x, "broadcastTo");
    const lead = target.length - t.rank;
    const ok = lead >= 0 && t.shape.every((d, i) => d === target[lead + i] || d === 1);
    if (!ok) {
      throw typeError(
        "broadcastTo",
        `cannot broadcast shape ${fmtShape(t.shape)} to ${fmtShape(target)}`,
      );
    }
    if (lead === 0 && t.shape.every((d, i) => d === target[i])) return pCopy(t);
    const r = pReshape(t, [...new Array<number>(lead).fill(1), ...t.shape]);
    return pSelect(pFill(t.backend, target, 1, "bool"), r, r);
  });
}

/** Validate a permutation of `rank` axes (negative entries allowed). */
function checkPerm(fn: string, perm: unknown, rank: number): number[] {
  if (!Array.isArray(perm)) {
    throw typeError(fn, `perm must be an array of axes, got ${typeof perm}`);
  }
  if (perm.length !== rank) {
    throw typeError(fn, `perm [${perm.join(", ")}] must list ${rank} axes, got ${perm.length}`);
  }
  const out = perm.map((a) => normalizeAxis(fn, a, rank));
  if (new Set(out).size !== rank) {
    throw rangeError(fn, `repeated axis in perm [${perm.join(", ")}]`);
  }
  return out;
}

/**
 * Permute axes: `out.shape[i] = x.shape[perm[i]]` (default: reverse them).
 *
 * @example
 * ```ts
 * import { transpose } from "../../mod.ts";
 * using y = transpose([[1, 2, 3], [4, 5, 6]]);
 * console.assert(y.shape.join() === "3,2" && y.dataSync().join() === "1,4,2,5,3,6");
 * ```
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  return scoped(() => {
    const t = toTensor(x, "transpose");
    const p = perm === undefined ? reversed(t.rank) : checkPerm("transpose", perm, t.rank);
    return pTranspose(t, p);
  });
}

/**
 * Exchange two axes.
 *
 * @example
 * ```ts
 * import { swapAxes, zeros } from "../../mod.ts";
 * using x = zeros([2, 3, 4]);
 * using y = swapAxes(x, 0, -1);
 * console.assert(y.shape.join() === "4,3,2");
 * ```
 */
export function swapAxes(x: TensorLike, axis1: number, axis2: number): Tensor {
  return scoped(() => {
    const t = toTensor(x, "swapAxes");
    const a = normalizeAxis("swapAxes", axis1, t.rank);
    const b = normalizeAxis("swapAxes", axis2, t.rank);
    const perm = Array.from({ length: t.rank }, (_, i) => i);
    perm[a] = b;
    perm[b] = a;
    return pTranspose(t, perm);
  });
}

/**
 * Move axes to new positions; the other axes keep their order (`jnp.moveaxis`).
 *
 * @example
 * ```ts
 * import { moveAxis, zeros } from "../../mod.ts";
 * using x = zeros([2, 3, 4]);
 * using y = moveAxis(x, 0, -1);
 * console.assert(y.shape.join() === "3,4,2");
 * ```
 */
export function moveAxis(
  x: TensorLike,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tensor {
  return scoped(() => {
    const t = toTensor(x, "moveAxis");
    const src = typeof source === "number" ? [source] : [...source];
    const dst = typeof destination === "number" ? [destination] : [...destination];
    if (src.length !== dst.length) {
      throw typeError(
        "moveAxis",
        `source [${src.join(", ")}] and destination [${dst.join(", ")}] must have the same length`,
      );
    }
    const s = src.map((a) => normalizeAxis("moveAxis", a, t.rank));
    const d = dst.map((a) => normalizeAxis("moveAxis", a, t.rank));
    if (new Set(s).size !== s.length) {
      throw rangeError("moveAxis", `repeated axis in source [${src.join(", ")}]`);
    }
    if (new Set(d).size !== d.length) {
      throw rangeError("moveAxis", `repeated axis in destination [${dst.join(", ")}]`);
    }
    const rest = Array.from({ length: t.rank }, (_, i) => i).filter((i) => !s.includes(i));
    const perm = new Array<number>(t.rank).fill(-1);
    s.forEach((a, i) => (perm[d[i]] = a));
    let k = 0;
    for (let i = 0; i < t.rank; i++) if (perm[i] < 0) perm[i] = rest[k++];
    return pTranspose(t, perm);
  });
}
