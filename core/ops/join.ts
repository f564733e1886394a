/**
 * Joining and repeating: concat, stack, split, tile, repeat.
 *
 * @module
 */

import type { Backend } from "../../backends/backend.ts";
import { isTensor } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxis, promoteTypes, type TensorLike, toTensor } from "./convert.ts";
import {
  pCast,
  pConcat,
  pCopy,
  pFill,
  pGather,
  pReshape,
  pSelect,
  pSlice,
  pWrite,
  scoped,
} from "./prim.ts";

/** Convert a list of tensor-likes to tensors on one backend, promoted to one dtype. */
function tensorsOf(fn: string, xs: readonly TensorLike[]): Tensor[] {
  if (!Array.isArray(xs)) throw typeError(fn, `expected an array of tensors, got ${typeof xs}`);
  if (xs.length === 0) throw rangeError(fn, "need at least one tensor");
  const first = xs.find((x) => isTensor(x)) as Tensor | undefined;
  const backend: Backend | undefined = first?.backend;
  const ts = xs.map((x) => toTensor(x, fn, backend ? { backend } : {}));
  for (const t of ts) {
    if (t.backend !== ts[0].backend) {
      throw typeError(
        fn,
        `tensors live on different backends (${
          ts[0].backend.name
        } and ${t.backend.name}); use toBackend()`,
      );
    }
  }
  const dtype = ts.map((t) => t.dtype).reduce(promoteTypes);
  return ts.map((t) => (t.dtype === dtype ? t : pCast(t, dtype)));
}

/**
 * Join tensors along an existing axis (`jnp.concatenate`); dtypes are promoted.
 *
 * @example
 * ```ts
 * import { concat } from "../../mod.ts";
 * using y = concat([[[1, 2]], [[3, 4]]], 0);
 * using z = concat([[[1, 2]], [[3, 4]]], -1);
 * console.assert(y.shape.join() === "2,2" && z.shape.join() === "1,4");
 * ```
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  return scoped(() => {
    const ts = tensorsOf("concat", xs);
    const rank = ts[0].rank;
    if (rank === 0) throw typeError("concat", "zero-dimensional tensors cannot be concatenated");
    const ax = normalizeAxis("concat", axis, rank);
    for (const t of ts) {
      const ok = t.rank === rank && t.shape.every((d, i) => i === ax || d === ts[0].shape[i]);
      if (!ok) {
        throw typeError(
          "concat",
          `shapes ${ts.map((u) => fmtShape(u.shape)).join(", ")} differ outside axis ${axis}`,
        );
      }
    }
    return ts.length === 1 ? pCopy(ts[0]) : pConcat(ts, ax);
  });
}

/**
 * Join tensors of one shape along a new axis (`jnp.stack`).
 *
 * @example
 * ```ts
 * import { stack } from "../../mod.ts";
 * using y = stack([[1, 2], [3, 4]], 1);
 * console.assert(y.shape.join() === "2,2" && y.dataSync().join() === "1,3,2,4");
 * ```
 */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  return scoped(() => {
    const ts = tensorsOf("stack", xs);
    const shape = ts[0].shape;
    for (const t of ts) {
      if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw typeError(
          "stack",
          `all tensors must have the same shape, got ${
            ts.map((u) => fmtShape(u.shape)).join(", ")
          }`,
        );
      }
    }
    const ax = normalizeAxis("stack", axis, shape.length + 1);
    const expanded = [...shape.slice(0, ax), 1, ...shape.slice(ax)];
    const parts = ts.map((t) => pReshape(t, expanded));
    return parts.length === 1 ? parts[0] : pConcat(parts, ax);
  });
}

/**
 * Split along an axis into `n` equal parts, or at the given indices
 * (`jnp.split`; indices past the end give empty parts).
 *
 * @example
 * ```ts
 * import { split } from "../../mod.ts";
 * const [a, b] = split([1, 2, 3, 4], 2);
 * const [c, d, e] = split([1, 2, 3, 4], [1, 3]);
 * console.assert(b.dataSync().join() === "3,4" && d.dataSync().join() === "2,3");
 * for (const t of [a, b, c, d, e]) t.dispose();
 * ```
 */
export function split(
  x: TensorLike,
  sectionsOrIndices: number | readonly number[],
  axis = 0,
): Tensor[] {
  return scoped(() => {
    const t = toTensor(x, "split");
    if (t.rank === 0) throw typeError("split", "cannot split a zero-dimensional tensor");
    const ax = normalizeAxis("split", axis, t.rank);
    const n = t.shape[ax];
    let cuts: number[];
    if (typeof sectionsOrIndices === "number") {
      const k = sectionsOrIndices;
      if (!Number.isInteger(k) || k < 1) {
        throw rangeError("split", `sections must be a positive integer, got ${k}`);
      }
      if (n % k !== 0) {
        throw rangeError(
          "split",
          `axis ${axis} of length ${n} does not split into ${k} equal sections`,
        );
      }
      cuts = Array.from({ length: k - 1 }, (_, i) => ((i + 1) * n) / k);
    } else if (Array.isArray(sectionsOrIndices)) {
      cuts = sectionsOrIndices.map((c) => {
        if (typeof c !== "number" || !Number.isInteger(c)) {
          throw rangeError(
            "split",
            `indices must be integers, got [${sectionsOrIndices.join(", ")}]`,
          );
        }
        return c < 0 ? Math.max(0, c + n) : Math.min(c, n);
      });
    } else {
      throw typeError(
        "split",
        `sectionsOrIndices must be a number or an array, got ${typeof sectionsOrIndices}`,
      );
    }
    const bounds = [0, ...cuts, n];
    const out: Tensor[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const lo = bounds[i];
      const hi = Math.max(lo, bounds[i + 1]);
      const begin = t.shape.map((_, j) => (j === ax ? lo : 0));
      const size = t.shape.map((d, j) => (j === ax ? hi - lo : d));
      out.push(pSlice(t, begin, size, new Array<number>(t.rank).fill(1)));
    }
    return out;
  });
}

function checkReps(fn: string, name: string, reps: readonly number[]): void {
  for (const r of reps) {
    if (typeof r !== "number" || !Number.isInteger(r) || r < 0) {
      throw rangeError(fn, `${name} must be non-negative integers, got [${reps.join(", ")}]`);
    }
  }
}

/**
 * Repeat a whole tensor along each axis (`jnp.tile`).
 *
 * @example
 * ```ts
 * import { tile } from "../../mod.ts";
 * using y = tile([[1, 2]], [2, 2]);
 * console.assert(y.shape.join() === "2,4" && y.dataSync().join() === "1,2,1,2,1,2,1,2");
 * ```
 */
export function tile(x: TensorLike, reps: number | readonly number[]): Tensor {
  const rs = typeof reps === "number" ? [reps] : reps;
  if (!Array.isArray(rs)) {
    throw typeError("tile", `reps must be a number or an array, got ${typeof reps}`);
  }
  checkReps("tile", "reps", rs);
  return scoped(() => {
    const t = toTensor(x, "tile");
    const rank = Math.max(t.rank, rs.length);
    const xs = [...new Array<number>(rank - t.rank).fill(1), ...t.shape];
    const r = [...new Array<number>(rank - rs.length).fill(1), ...rs];
    const inter = xs.flatMap((d) => [1, d]);
    const target = xs.flatMap((d, i) => [r[i], d]);
    const b = pSelect(pFill(t.backend, target, 1, "bool"), pReshape(t, inter), pReshape(t, inter));
    return pReshape(b, xs.map((d, i) => d * r[i]));
  });
}

/**
 * Repeat each element `repeats` times along an axis (`jnp.repeat`); `repeats`
 * is one count or one count per element. Without an axis the tensor is flattened.
 *
 * @example
 * ```ts
 * import { repeat } from "../../mod.ts";
 * using y = repeat([[1, 2], [3, 4]], 2, 1);
 * using z = repeat([1, 2, 3], [0, 1, 2]);
 * console.assert(y.dataSync().join() === "1,1,2,2,3,3,4,4" && z.dataSync().join() === "2,3,3");
 * ```
 */
export function repeat(x: TensorLike, repeats: number | readonly number[], axis?: number): Tensor {
  return scoped(() => {
    let t = toTensor(x, "repeat");
    if (axis === undefined) t = pReshape(t, [t.size]);
    const ax = normalizeAxis("repeat", axis ?? 0, t.rank);
    const n = t.shape[ax];
    let counts: readonly number[];
    if (typeof repeats === "number") counts = new Array<number>(n).fill(repeats);
    else if (Array.isArray(repeats)) {
      if (repeats.length !== n) {
        throw typeError(
          "repeat",
          `expected ${n} repeat counts for axis ${ax} of shape ${
            fmtShape(t.shape)
          }, got ${repeats.length}`,
        );
      }
      counts = repeats;
    } else throw typeError("repeat", `repeats must be a number or an array, got ${typeof repeats}`);
    checkReps("repeat", "repeats", typeof repeats === "number" ? [repeats] : counts);
    let total = 0;
    for (const c of counts) total += c;
    const idx = new Int32Array(total);
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < counts[i]; j++) idx[k++] = i;
    return pGather(t, pWrite(t.backend, idx, [total], "int32"), ax);
  });
}
