/**
 * Creating tensors: from values, constants, ranges, identity matrices, grids.
 *
 * Number defaults follow the rest of ngc-utils (float32 unless a dtype is
 * given; booleans give bool), except {@link arange}, which follows `jnp.arange`
 * (int32 when every argument is an integer).
 *
 * @module
 */

import { allocTyped, type Backend, type DType, sizeOf } from "../../backends/backend.ts";
import { getBackend, isTensor } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkBackendDType,
  checkDType,
  type TensorLike,
  type TensorOptions,
  toTensor,
  toTypedArray,
} from "./convert.ts";
import { pCast, pCopy, pFill, pReshape, pSelect, pWrite, scoped } from "./prim.ts";

/** A shape: a list of non-negative integers, or one integer for 1-D. */
export type ShapeLike = number | readonly number[];

/**
 * Validate a shape argument (one integer means 1-D); TypeError when it is
 * not a list, RangeError for negative or fractional dimensions.
 *
 * @example
 * ```ts
 * import { checkShape } from "../../mod.ts";
 * console.assert(checkShape("zeros", 3).join() === "3");
 * ```
 */
export function checkShape(fn: string, shape: unknown): number[] {
  if (typeof shape === "number") shape = [shape];
  if (!Array.isArray(shape)) {
    throw typeError(fn, `shape must be an array of integers, got ${typeof shape}`);
  }
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw rangeError(
        fn,
        `shape dimensions must be non-negative integers, got [${shape.join(", ")}]`,
      );
    }
  }
  return [...shape];
}

function resolveDType(
  fn: string,
  dtype: DType | undefined,
  fallback: DType,
  backend: Backend,
): DType {
  const d = dtype === undefined ? fallback : checkDType(fn, dtype);
  checkBackendDType(fn, backend, d);
  return d;
}

/**
 * Create a tensor from nested arrays, a typed array, a number or a boolean.
 * Given a Tensor, returns a NEW tensor (a copy, cast to `dtype` if given,
 * reshaped to `shape` if given) on the same backend.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * using t = tensor([[1, 2], [3, 4]], { dtype: "int32" });
 * console.assert(t.dtype === "int32" && t.shape.join() === "2,2");
 * ```
 */
export function tensor(values: TensorLike, options: TensorOptions = {}): Tensor {
  if (!isTensor(values)) return toTensor(values, "tensor", options);
  values.assertAlive("tensor");
  if (options.backend && options.backend !== values.backend) {
    throw typeError(
      "tensor",
      `the tensor lives on ${values.backend.name}, not ${options.backend.name}; use toBackend()`,
    );
  }
  return scoped(() => {
    let out = values;
    if (options.dtype !== undefined) {
      const d = checkDType("tensor", options.dtype);
      checkBackendDType("tensor", values.backend, d);
      if (d !== values.dtype) out = pCast(values, d);
    }
    if (options.shape !== undefined) {
      const shape = checkShape("tensor", options.shape);
      if (sizeOf(shape) !== out.size) {
        throw typeError("tensor", `${out.size} values cannot have shape ${fmtShape(shape)}`);
      }
      return pReshape(out, shape);
    }
    return out === values ? pCopy(values) : out;
  });
}

/**
 * A 0-d tensor.
 *
 * @example
 * ```ts
 * import { scalar } from "../../mod.ts";
 * using s = scalar(3, "int32");
 * console.assert(s.shape.length === 0 && s.itemSync() === 3);
 * ```
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw typeError("scalar", `value must be a number or boolean, got ${typeof value}`);
  }
  return toTensor(value, "scalar", dtype === undefined ? {} : { dtype });
}

/** Options of the constant creators. */
export interface CreationOptions {
  /** Element type (default float32; bool for boolean fill values). */
  readonly dtype?: DType;
  /** Backend (default: the current one). */
  readonly backend?: Backend;
}

/**
 * A tensor of `shape` filled with `value` (float32 by default, bool for a boolean).
 *
 * @example
 * ```ts
 * import { full } from "../../mod.ts";
 * using t = full([2, 3], 7);
 * console.assert(t.dataSync().every((v) => v === 7));
 * ```
 */
export function full(
  shape: ShapeLike,
  value: number | boolean,
  options: CreationOptions = {},
): Tensor {
  const s = checkShape("full", shape);
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw typeError("full", `value must be a number or boolean, got ${typeof value}`);
  }
  const backend = options.backend ?? getBackend();
  const dtype = resolveDType(
    "full",
    options.dtype,
    typeof value === "boolean" ? "bool" : "float32",
    backend,
  );
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  // Integer dtypes store like the cast kernel: truncate toward zero, NaN → 0.
  const stored = dtype === "bool"
    ? (v !== 0 ? 1 : 0)
    : dtype === "int32" || dtype === "uint32"
    ? toTypedArray([v], dtype)[0]
    : v;
  return pFill(backend, s, stored, dtype);
}

/**
 * A tensor of zeros (float32 by default).
 *
 * @example
 * ```ts
 * import { zeros } from "../../mod.ts";
 * using z = zeros([2, 2], { dtype: "int32" });
 * console.assert(z.dtype === "int32" && z.size === 4);
 * ```
 */
export function zeros(shape: ShapeLike, options: CreationOptions = {}): Tensor {
  const s = checkShape("zeros", shape);
  const backend = options.backend ?? getBackend();
  return pFill(backend, s, 0, resolveDType("zeros", options.dtype, "float32", backend));
}

/**
 * A tensor of ones (float32 by default).
 *
 * @example
 * ```ts
 * import { ones } from "../../mod.ts";
 * using o = ones(3);
 * console.assert(o.dataSync().join() === "1,1,1");
 * ```
 */
export function ones(shape: ShapeLike, options: CreationOptions = {}): Tensor {
  const s = checkShape("ones", shape);
  const backend = options.backend ?? getBackend();
  return pFill(backend, s, 1, resolveDType("ones", options.dtype, "float32", backend));
}

function likeOf(
  fn: string,
  x: TensorLike,
  dtype: DType | undefined,
): { shape: number[]; dtype: DType; backend: Backend } {
  if (isTensor(x)) {
    x.assertAlive(fn);
    const d = dtype === undefined ? x.dtype : checkDType(fn, dtype);
    checkBackendDType(fn, x.backend, d);
    return { shape: [...x.shape], dtype: d, backend: x.backend };
  }
  const t = toTensor(x, fn);
  try {
    const d = dtype === undefined ? t.dtype : checkDType(fn, dtype);
    checkBackendDType(fn, t.backend, d);
    return { shape: [...t.shape], dtype: d, backend: t.backend };
  } finally {
    t.dispose();
  }
}

/**
 * Zeros with the shape, dtype and backend of `x` (dtype overridable).
 *
 * @example
 * ```ts
 * import { tensor, zerosLike } from "../../mod.ts";
 * using x = tensor([1, 2, 3], { dtype: "int32" });
 * using z = zerosLike(x);
 * console.assert(z.dtype === "int32" && z.dataSync().join() === "0,0,0");
 * ```
 */
export function zerosLike(x: TensorLike, options: { readonly dtype?: DType } = {}): Tensor {
  const l = likeOf("zerosLike", x, options.dtype);
  return pFill(l.backend, l.shape, 0, l.dtype);
}

/**
 * Ones with the shape, dtype and backend of `x` (dtype overridable).
 *
 * @example
 * ```ts
 * import { onesLike } from "../../mod.ts";
 * using o = onesLike([[1, 2]]);
 * console.assert(o.shape.join() === "1,2" && o.dataSync()[1] === 1);
 * ```
 */
export function onesLike(x: TensorLike, options: { readonly dtype?: DType } = {}): Tensor {
  const l = likeOf("onesLike", x, options.dtype);
  return pFill(l.backend, l.shape, 1, l.dtype);
}

/**
 * A tensor filled with `value`, with the shape, dtype and backend of `x`.
 *
 * @example
 * ```ts
 * import { fullLike } from "../../mod.ts";
 * using f = fullLike([1, 2, 3], 0.5);
 * console.assert(f.dataSync().join() === "0.5,0.5,0.5");
 * ```
 */
export function fullLike(
  x: TensorLike,
  value: number | boolean,
  options: { readonly dtype?: DType } = {},
): Tensor {
  const l = likeOf("fullLike", x, options.dtype);
  return full(l.shape, value, { dtype: l.dtype, backend: l.backend });
}

/** Options of {@link eye}. */
export interface EyeOptions extends CreationOptions {
  /** Number of columns (default n). */
  readonly m?: number;
  /** Diagonal offset: 0 main, > 0 above, < 0 below. */
  readonly k?: number;
}

function checkCount(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw rangeError(fn, `${name} must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/**
 * An `n × m` matrix with ones on the k-th diagonal (`jnp.eye`).
 *
 * @example
 * ```ts
 * import { eye } from "../../mod.ts";
 * using i = eye(2, { m: 3, k: 1 });
 * console.assert(i.dataSync().join() === "0,1,0,0,0,1");
 * ```
 */
export function eye(n: number, options: EyeOptions = {}): Tensor {
  checkCount("eye", "n", n);
  const m = options.m === undefined ? n : checkCount("eye", "m", options.m);
  const k = options.k ?? 0;
  if (!Number.isInteger(k)) throw rangeError("eye", `k must be an integer, got ${k}`);
  const backend = options.backend ?? getBackend();
  const dtype = resolveDType("eye", options.dtype, "float32", backend);
  const values = allocTyped(dtype, n * m);
  for (let i = Math.max(0, -k); i < n && i + k < m; i++) values[i * m + i + k] = 1;
  return pWrite(backend, values, [n, m], dtype);
}

function isOptions(v: unknown): v is CreationOptions {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Evenly spaced values in `[start, stop)` (NumPy semantics: `arange(5)` is
 * 0..4). Default dtype int32 when every argument is an integer, else float32
 * (as `jnp.arange`). The options object may come in any position after `start`.
 *
 * @example
 * ```ts
 * import { arange } from "../../mod.ts";
 * using a = arange(5);
 * using b = arange(0, 1, 0.25);
 * console.assert(a.dtype === "int32" && a.dataSync().join() === "0,1,2,3,4");
 * console.assert(b.dtype === "float32" && b.dataSync().join() === "0,0.25,0.5,0.75");
 * ```
 */
export function arange(
  start: number,
  stop?: number | CreationOptions,
  step?: number | CreationOptions,
  options: CreationOptions = {},
): Tensor {
  if (isOptions(stop)) {
    options = stop;
    stop = undefined;
    step = undefined;
  } else if (isOptions(step)) {
    options = step;
    step = undefined;
  }
  let lo = start, hi = stop as number | undefined;
  const st = (step as number | undefined) ?? 1;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  for (const [name, v] of [["start", lo], ["stop", hi], ["step", st]] as const) {
    if (typeof v !== "number") {
      throw typeError("arange", `${name} must be a number, got ${typeof v}`);
    }
    if (!Number.isFinite(v)) throw rangeError("arange", `${name} must be finite, got ${v}`);
  }
  if (st === 0) throw rangeError("arange", "step must not be 0");
  const n = Math.max(0, Math.ceil((hi - lo) / st));
  const backend = options.backend ?? getBackend();
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(st);
  const dtype = resolveDType("arange", options.dtype, allInt ? "int32" : "float32", backend);
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) vals[i] = lo + i * st;
  return pWrite(backend, toTypedArray(vals, dtype), [n], dtype);
}

/** Options of {@link linspace}. */
export interface LinspaceOptions extends CreationOptions {
  /** Include `stop` (default true). */
  readonly endpoint?: boolean;
}

/**
 * `num` evenly spaced values from `start` to `stop` (NumPy `linspace`;
 * integer dtypes take the floor).
 *
 * @example
 * ```ts
 * import { linspace } from "../../mod.ts";
 * using x = linspace(0, 1, 5);
 * console.assert(x.dataSync().join() === "0,0.25,0.5,0.75,1");
 * ```
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  options: LinspaceOptions = {},
): Tensor {
  for (const [name, v] of [["start", start], ["stop", stop]] as const) {
    if (typeof v !== "number") {
      throw typeError("linspace", `${name} must be a number, got ${typeof v}`);
    }
  }
  checkCount("linspace", "num", num);
  const endpoint = options.endpoint ?? true;
  const backend = options.backend ?? getBackend();
  const dtype = resolveDType("linspace", options.dtype, "float32", backend);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const vals = new Float64Array(num);
  for (let i = 0; i < num; i++) vals[i] = start + i * step;
  if (endpoint && num > 1) vals[num - 1] = stop;
  if (dtype === "int32" || dtype === "uint32") {
    for (let i = 0; i < num; i++) vals[i] = Math.floor(vals[i]);
  }
  return pWrite(backend, toTypedArray(vals, dtype), [num], dtype);
}

/** Options of {@link meshgrid}. */
export interface MeshgridOptions {
  /** "xy" (Cartesian, default: outputs `[len(y), len(x)]`) or "ij" (matrix: `[len(x), len(y)]`). */
  readonly indexing?: "xy" | "ij";
}

/**
 * Coordinate matrices from two 1-D vectors (`jnp.meshgrid` of two inputs).
 *
 * @example
 * ```ts
 * import { meshgrid } from "../../mod.ts";
 * const [X, Y] = meshgrid([1, 2, 3], [10, 20]);
 * console.assert(X.shape.join() === "2,3" && X.dataSync().join() === "1,2,3,1,2,3");
 * console.assert(Y.dataSync().join() === "10,10,10,20,20,20");
 * X.dispose();
 * Y.dispose();
 * ```
 */
export function meshgrid(
  x: TensorLike,
  y: TensorLike,
  options: MeshgridOptions = {},
): [Tensor, Tensor] {
  const indexing = options.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw rangeError("meshgrid", `indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}`);
  }
  return scoped(() => {
    const tx = toTensor(x, "meshgrid");
    const ty = toTensor(y, "meshgrid", { backend: tx.backend });
    if (tx.backend !== ty.backend) {
      throw typeError(
        "meshgrid",
        `x and y live on different backends (${tx.backend.name} and ${ty.backend.name})`,
      );
    }
    for (const [name, t] of [["x", tx], ["y", ty]] as const) {
      if (t.rank !== 1) {
        throw typeError("meshgrid", `${name} must be 1-D, got shape ${fmtShape(t.shape)}`);
      }
    }
    const nx = tx.shape[0], ny = ty.shape[0];
    const shape = indexing === "xy" ? [ny, nx] : [nx, ny];
    const xs = indexing === "xy" ? [1, nx] : [nx, 1];
    const ys = indexing === "xy" ? [ny, 1] : [1, ny];
    const all = pFill(tx.backend, shape, 1, "bool");
    const rx = pReshape(tx, xs), ry = pReshape(ty, ys);
    return [pSelect(all, rx, rx), pSelect(all, ry, ry)];
  });
}
