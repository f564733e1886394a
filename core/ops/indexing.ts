/**
 * Indexing: gather (`take`, `takeAlongAxis`), functional scatter, `oneHot`,
 * triangles and diagonals, and the data-dependent `argwhere`, `nonzero`,
 * `booleanMask` (asynchronous: their result shape depends on the values).
 *
 * Integer indices follow JAX: negative indices count from the end, and
 * indices still out of range are clamped by gathers and dropped by scatters.
 *
 * @module
 */

import { type Backend, type DType, sizeOf } from "../../backends/backend.ts";
import { isTensor } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { NestedArray, Tensor } from "../tensor.ts";
import {
  checkBackendDType,
  checkDType,
  isFloat,
  normalizeAxis,
  type TensorLike,
  toTensor,
  wrap,
} from "./convert.ts";
import { binaryOp } from "./binary.ts";
import { broadcastTo } from "./shape.ts";
import {
  pBinary,
  pCast,
  pFill,
  pGather,
  pGatherAlong,
  pReshape,
  pScatter,
  pSelect,
  pTranspose,
  pWrite,
  scoped,
} from "./prim.ts";

function checkIntegerLeaves(fn: string, v: unknown): void {
  if (Array.isArray(v)) {
    for (const e of v) checkIntegerLeaves(fn, e);
  } else if (typeof v === "number" && !Number.isInteger(v)) {
    throw rangeError(fn, `indices must be integers, got ${v}`);
  } else if (typeof v === "boolean") {
    throw typeError(fn, "indices must be integers, got a boolean");
  }
}

/**
 * Indices as an int32 tensor on `backend` with negative entries wrapped by
 * `n` (the length of the indexed axis). Float and bool tensors are a TypeError.
 */
function indexTensor(fn: string, indices: TensorLike, backend: Backend, n: number): Tensor {
  let t: Tensor;
  if (isTensor(indices)) {
    indices.assertAlive(fn);
    if (isFloat(indices.dtype) || indices.dtype === "bool") {
      throw typeError(fn, `indices must be an integer tensor, got ${indices.dtype}`);
    }
    if (indices.backend !== backend) {
      throw typeError(fn, `indices live on ${indices.backend.name}, the tensor on ${backend.name}`);
    }
    t = indices.dtype === "int32" ? indices : pCast(indices, "int32");
  } else if (ArrayBuffer.isView(indices)) {
    if (
      indices instanceof Float32Array || indices instanceof Float64Array ||
      indices instanceof Uint8Array
    ) {
      throw typeError(fn, `indices must be integers, got a ${indices.constructor.name}`);
    }
    t = toTensor(indices, fn, { backend, dtype: "int32" });
  } else {
    checkIntegerLeaves(fn, indices);
    t = toTensor(indices as NestedArray, fn, { backend, dtype: "int32" });
  }
  const zero = pFill(backend, [], 0, "int32");
  return pSelect(pBinary("less", t, zero), pBinary("add", t, pFill(backend, [], n, "int32")), t);
}

/**
 * Gather slices along an axis by integer indices (`jnp.take`):
 * `out.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Without
 * an axis, `x` is flattened. Out-of-range indices are clamped (as JAX indexing).
 *
 * @example
 * ```ts
 * import { take } from "../../mod.ts";
 * using rows = take([[1, 2], [3, 4], [5, 6]], [2, 0], 0);
 * using last = take([1, 2, 3], -1);
 * console.assert(rows.dataSync().join() === "5,6,1,2" && last.itemSync() === 3);
 * ```
 */
export function take(x: TensorLike, indices: TensorLike, axis?: number): Tensor {
  return scoped(() => {
    let t = toTensor(x, "take");
    if (axis === undefined) t = pReshape(t, [t.size]);
    const ax = normalizeAxis("take", axis ?? 0, t.rank);
    const n = t.shape[ax];
    const idx = indexTensor("take", indices, t.backend, n);
    if (n === 0 && idx.size > 0) {
      throw rangeError(
        "take",
        `cannot take from the empty axis ${ax} of shape ${fmtShape(t.shape)}`,
      );
    }
    return pGather(t, idx, ax);
  });
}

/**
 * Pick values along an axis with an index tensor of the same rank
 * (`jnp.take_along_axis`); the other axes broadcast. Without an axis both
 * are flattened. Out-of-range indices are clamped.
 *
 * @example
 * ```ts
 * import { takeAlongAxis } from "../../mod.ts";
 * using y = takeAlongAxis([[10, 30, 20], [60, 40, 50]], [[1], [0]], 1);
 * console.assert(y.shape.join() === "2,1" && y.dataSync().join() === "30,60");
 * ```
 */
export function takeAlongAxis(x: TensorLike, indices: TensorLike, axis?: number): Tensor {
  return scoped(() => {
    let t = toTensor(x, "takeAlongAxis");
    if (axis === undefined) t = pReshape(t, [t.size]);
    const ax = normalizeAxis("takeAlongAxis", axis ?? 0, t.rank);
    const n = t.shape[ax];
    let idx = indexTensor("takeAlongAxis", indices, t.backend, n);
    if (axis === undefined) idx = pReshape(idx, [idx.size]);
    if (idx.rank !== t.rank) {
      throw typeError(
        "takeAlongAxis",
        `indices of shape ${fmtShape(idx.shape)} must have the rank of x ${fmtShape(t.shape)}`,
      );
    }
    for (let i = 0; i < t.rank; i++) {
      const a = t.shape[i], b = idx.shape[i];
      if (i !== ax && a !== b && a !== 1 && b !== 1) {
        throw typeError(
          "takeAlongAxis",
          `indices ${fmtShape(idx.shape)} and x ${
            fmtShape(t.shape)
          } do not broadcast outside axis ${ax}`,
        );
      }
    }
    if (n === 0 && idx.size > 0) {
      throw rangeError(
        "takeAlongAxis",
        `cannot take from the empty axis ${ax} of shape ${fmtShape(t.shape)}`,
      );
    }
    return pGatherAlong(t, idx, ax);
  });
}

/** Options of {@link scatter}. */
export interface ScatterOptions {
  /** The indexed axis (default 0). */
  readonly axis?: number;
  /** "set" (default; duplicate indices: the last update wins) or "add" (accumulates). */
  readonly mode?: "set" | "add";
}

/**
 * A copy of `x` with `updates` written at `indices` along an axis
 * (`x.at[..., idx, ...].set/add` in JAX). `updates` is cast to x's dtype and
 * broadcast to `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 * Out-of-range indices are dropped.
 *
 * @example
 * ```ts
 * import { scatter } from "../../mod.ts";
 * using y = scatter([0, 0, 0, 0], [1, 3], [5, 7]);
 * using z = scatter([[1, 1], [1, 1]], [0, 0], 1, { axis: 1, mode: "add" });
 * console.assert(y.dataSync().join() === "0,5,0,7" && z.dataSync().join() === "3,1,3,1");
 * ```
 */
export function scatter(
  x: TensorLike,
  indices: TensorLike,
  updates: TensorLike,
  options: ScatterOptions = {},
): Tensor {
  const mode = options.mode ?? "set";
  if (mode !== "set" && mode !== "add") {
    throw rangeError("scatter", `mode must be "set" or "add", got ${JSON.stringify(mode)}`);
  }
  return scoped(() => {
    const t = toTensor(x, "scatter");
    if (t.rank === 0) throw typeError("scatter", "cannot scatter into a zero-dimensional tensor");
    if (mode === "add" && t.dtype === "bool") {
      throw typeError("scatter", 'mode "add" needs a numeric tensor, got bool');
    }
    const ax = normalizeAxis("scatter", options.axis ?? 0, t.rank);
    const idx = indexTensor("scatter", indices, t.backend, t.shape[ax]);
    const want = [...t.shape.slice(0, ax), ...idx.shape, ...t.shape.slice(ax + 1)];
    let u = toTensor(updates, "scatter", { backend: t.backend });
    if (u.backend !== t.backend) {
      throw typeError("scatter", `updates live on ${u.backend.name}, x on ${t.backend.name}`);
    }
    if (u.dtype !== t.dtype) u = pCast(u, t.dtype);
    if (u.rank !== want.length || u.shape.some((d, i) => d !== want[i])) {
      try {
        u = broadcastTo(u, want);
      } catch {
        throw typeError(
          "scatter",
          `updates of shape ${fmtShape(u.shape)} do not broadcast to ${fmtShape(want)}`,
        );
      }
    }
    return pScatter(t, idx, u, ax, mode);
  });
}

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** Element type (default float32). */
  readonly dtype?: DType;
}

/**
 * One-hot encode along a new last axis (`jax.nn.one_hot`): indices outside
 * `[0, depth)` give an all-zero row.
 *
 * @example
 * ```ts
 * import { oneHot } from "../../mod.ts";
 * using y = oneHot([0, 2, 5], 3);
 * console.assert(y.shape.join() === "3,3" && y.dataSync().join() === "1,0,0,0,0,1,0,0,0");
 * ```
 */
export function oneHot(indices: TensorLike, depth: number, options: OneHotOptions = {}): Tensor {
  if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 0) {
    throw rangeError("oneHot", `depth must be a non-negative integer, got ${String(depth)}`);
  }
  const dtype = checkDType("oneHot", options.dtype ?? "float32");
  return scoped(() => {
    const t = toTensor(indices, "oneHot");
    checkBackendDType("oneHot", t.backend, dtype);
    const range = new Int32Array(depth);
    for (let i = 0; i < depth; i++) range[i] = i;
    const hit = binaryOp(
      "equal",
      pReshape(t, [...t.shape, 1]),
      pWrite(t.backend, range, [depth], "int32"),
    );
    return dtype === "bool" ? hit : pCast(hit, dtype);
  });
}

function triangle(fn: string, x: TensorLike, k: number, lower: boolean): Tensor {
  if (typeof k !== "number" || !Number.isInteger(k)) {
    throw rangeError(fn, `k must be an integer, got ${String(k)}`);
  }
  return scoped(() => {
    const t = toTensor(x, fn);
    if (t.rank < 2) {
      throw typeError(fn, `expected a tensor of rank >= 2, got shape ${fmtShape(t.shape)}`);
    }
    const n = t.shape[t.rank - 2], m = t.shape[t.rank - 1];
    const mask = new Uint8Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) mask[i * m + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
    }
    return pSelect(pWrite(t.backend, mask, [n, m], "bool"), t, pFill(t.backend, [], 0, t.dtype));
  });
}

/**
 * Lower triangle of the last two axes: zero above the k-th diagonal (`jnp.tril`).
 *
 * @example
 * ```ts
 * import { tril } from "../../mod.ts";
 * using y = tril([[1, 2], [3, 4]]);
 * console.assert(y.dataSync().join() === "1,0,3,4");
 * ```
 */
export function tril(x: TensorLike, k = 0): Tensor {
  return triangle("tril", x, k, true);
}

/**
 * Upper triangle of the last two axes: zero below the k-th diagonal (`jnp.triu`).
 *
 * @example
 * ```ts
 * import { triu } from "../../mod.ts";
 * using y = triu([[1, 2], [3, 4]], 1);
 * console.assert(y.dataSync().join() === "0,2,0,0");
 * ```
 */
export function triu(x: TensorLike, k = 0): Tensor {
  return triangle("triu", x, k, false);
}

/** Options of {@link diagonal}. */
export interface DiagonalOptions {
  /** Diagonal offset: > 0 above the main diagonal, < 0 below (default 0). */
  readonly offset?: number;
  /** First axis of the 2-D sub-arrays (default 0). */
  readonly axis1?: number;
  /** Second axis of the 2-D sub-arrays (default 1). */
  readonly axis2?: number;
}

/**
 * The diagonals of the 2-D sub-arrays over `axis1`, `axis2` (`jnp.diagonal`);
 * the diagonal becomes the last axis of the result.
 *
 * @example
 * ```ts
 * import { diagonal } from "../../mod.ts";
 * using d = diagonal([[1, 2, 3], [4, 5, 6]]);
 * using u = diagonal([[1, 2, 3], [4, 5, 6]], { offset: 1 });
 * console.assert(d.dataSync().join() === "1,5" && u.dataSync().join() === "2,6");
 * ```
 */
export function diagonal(x: TensorLike, options: DiagonalOptions = {}): Tensor {
  const offset = options.offset ?? 0;
  if (typeof offset !== "number" || !Number.isInteger(offset)) {
    throw rangeError("diagonal", `offset must be an integer, got ${String(offset)}`);
  }
  return scoped(() => {
    const t = toTensor(x, "diagonal");
    if (t.rank < 2) {
      throw typeError("diagonal", `expected a tensor of rank >= 2, got shape ${fmtShape(t.shape)}`);
    }
    const a1 = normalizeAxis("diagonal", options.axis1 ?? 0, t.rank);
    const a2 = normalizeAxis("diagonal", options.axis2 ?? 1, t.rank);
    if (a1 === a2) throw rangeError("diagonal", `axis1 and axis2 must differ, both are ${a1}`);
    const rest = t.shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
    const n = t.shape[a1], m = t.shape[a2];
    const lead = rest.map((i) => t.shape[i]);
    const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
    if (len === 0) return pFill(t.backend, [...lead, 0], 0, t.dtype);
    const moved = pReshape(pTranspose(t, [...rest, a1, a2]), [...lead, n * m]);
    const idx = new Int32Array(len);
    for (let i = 0; i < len; i++) idx[i] = offset >= 0 ? i * m + i + offset : (i - offset) * m + i;
    return pGather(moved, pWrite(t.backend, idx, [len], "int32"), lead.length);
  });
}

/**
 * `jnp.diag`: a 1-D input becomes a square matrix with it on the k-th
 * diagonal; a 2-D input gives its k-th diagonal.
 *
 * @example
 * ```ts
 * import { diag } from "../../mod.ts";
 * using m = diag([1, 2]);
 * using d = diag([[1, 2], [3, 4]]);
 * console.assert(m.dataSync().join() === "1,0,0,2" && d.dataSync().join() === "1,4");
 * ```
 */
export function diag(x: TensorLike, k = 0): Tensor {
  if (typeof k !== "number" || !Number.isInteger(k)) {
    throw rangeError("diag", `k must be an integer, got ${String(k)}`);
  }
  return scoped(() => {
    const t = toTensor(x, "diag");
    if (t.rank === 2) return diagonal(t, { offset: k });
    if (t.rank !== 1) {
      throw typeError("diag", `expected a 1-D or 2-D tensor, got shape ${fmtShape(t.shape)}`);
    }
    const n = t.shape[0];
    const size = n + Math.abs(k);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = k >= 0 ? i * size + i + k : (i - k) * size + i;
    const flat = pFill(t.backend, [size * size], 0, t.dtype);
    const out = pScatter(flat, pWrite(t.backend, idx, [n], "int32"), t, 0, "set");
    return pReshape(out, [size, size]);
  });
}

/** Read the values of `x` (converting plain input first; temporaries are disposed). */
async function readValues(
  fn: string,
  x: TensorLike,
  backend?: Backend,
): Promise<{ t: Tensor; values: ArrayLike<number>; own: boolean }> {
  const t = toTensor(x, fn, backend ? { backend } : {});
  const own = t !== x;
  try {
    return { t, values: await t.data(), own };
  } catch (e) {
    if (own) t.dispose();
    throw e;
  }
}

/**
 * The indices of the non-zero elements as an int32 tensor of shape
 * `[count, rank]` (`jnp.argwhere`; NaN counts as non-zero). Asynchronous:
 * the result shape depends on the data.
 *
 * @example
 * ```ts
 * import { argwhere } from "../../mod.ts";
 * using idx = await argwhere([[0, 1], [2, 0]]);
 * console.assert(idx.shape.join() === "2,2" && idx.dataSync().join() === "0,1,1,0");
 * ```
 */
export async function argwhere(x: TensorLike): Promise<Tensor> {
  const { t, values, own } = await readValues("argwhere", x);
  try {
    const rank = t.rank;
    const hits: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) hits.push(i);
    const out = new Int32Array(hits.length * rank);
    hits.forEach((flat, h) => {
      let r = flat;
      for (let a = rank - 1; a >= 0; a--) {
        out[h * rank + a] = r % t.shape[a];
        r = Math.floor(r / t.shape[a]);
      }
    });
    return wrap(t.backend, t.backend.write(out, [hits.length, rank], "int32"));
  } finally {
    if (own) t.dispose();
  }
}

/**
 * The indices of the non-zero elements, one int32 1-D tensor per axis
 * (`jnp.nonzero`). Asynchronous: the result shape depends on the data.
 *
 * @example
 * ```ts
 * import { nonzero } from "../../mod.ts";
 * const [rows, cols] = await nonzero([[0, 1], [2, 0]]);
 * console.assert(rows.dataSync().join() === "0,1" && cols.dataSync().join() === "1,0");
 * rows.dispose();
 * cols.dispose();
 * ```
 */
export async function nonzero(x: TensorLike): Promise<Tensor[]> {
  const { t, values, own } = await readValues("nonzero", x);
  try {
    if (t.rank === 0) {
      throw typeError("nonzero", "not defined for a zero-dimensional tensor; use argwhere");
    }
    const hits: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) hits.push(i);
    const cols = t.shape.map(() => new Int32Array(hits.length));
    hits.forEach((flat, h) => {
      let r = flat;
      for (let a = t.rank - 1; a >= 0; a--) {
        cols[a][h] = r % t.shape[a];
        r = Math.floor(r / t.shape[a]);
      }
    });
    return cols.map((c) => wrap(t.backend, t.backend.write(c, [hits.length], "int32")));
  } finally {
    if (own) t.dispose();
  }
}

/**
 * `x[mask]` for a boolean mask over the leading axes of `x`: shape
 * `[count, ...x.shape[mask.rank:]]`. Asynchronous: the result shape depends
 * on the data.
 *
 * @example
 * ```ts
 * import { booleanMask } from "../../mod.ts";
 * using y = await booleanMask([[1, 2], [3, 4], [5, 6]], [true, false, true]);
 * console.assert(y.shape.join() === "2,2" && y.dataSync().join() === "1,2,5,6");
 * ```
 */
export async function booleanMask(x: TensorLike, mask: TensorLike): Promise<Tensor> {
  const t = toTensor(x, "booleanMask");
  const ownT = t !== x;
  try {
    const { t: m, values, own } = await readValues("booleanMask", mask, t.backend);
    try {
      if (m.backend !== t.backend) {
        throw typeError("booleanMask", `mask lives on ${m.backend.name}, x on ${t.backend.name}`);
      }
      if (m.rank > t.rank || m.shape.some((d, i) => d !== t.shape[i])) {
        throw typeError(
          "booleanMask",
          `mask of shape ${fmtShape(m.shape)} must match the leading axes of x ${
            fmtShape(t.shape)
          }`,
        );
      }
      const hits: number[] = [];
      for (let i = 0; i < values.length; i++) if (values[i] !== 0) hits.push(i);
      return scoped(() => {
        const rest = t.shape.slice(m.rank);
        const flat = pReshape(t, [sizeOf(m.shape), ...rest]);
        return pGather(flat, pWrite(t.backend, Int32Array.from(hits), [hits.length], "int32"), 0);
      });
    } finally {
      if (own) m.dispose();
    }
  } finally {
    if (ownT) t.dispose();
  }
}
