/**
 * Converting user input to tensors, dtype promotion and axis normalisation:
 * the shared plumbing of every op in `core/ops`.
 *
 * Promotion follows JAX with 64-bit disabled, extended with float64:
 * bool < int32/uint32 < float32 < float64. A plain JS number next to a tensor
 * is "weakly typed" (as a Python scalar in JAX): it takes the tensor's dtype,
 * except that a non-integer number next to an integer/bool tensor gives float32.
 *
 * @module
 */

import {
  allocTyped,
  type Backend,
  type DType,
  sizeOf,
  type TensorInfo,
  type TypedArray,
} from "../../backends/backend.ts";
import { getBackend, isTensor } from "../engine.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import { type NestedArray, Tensor } from "../tensor.ts";

/** Anything an op accepts where it takes a tensor. */
export type TensorLike = Tensor | number | boolean | NestedArray | TypedArray;

/** Options accepted by {@link toTensor} and `tensor()`. */
export interface TensorOptions {
  /** Element type (default: float32, or the typed array's own type). */
  readonly dtype?: DType;
  /** Reshape the values to this shape (sizes must agree). */
  readonly shape?: readonly number[];
  /** Backend to create the tensor on (default: the current backend). */
  readonly backend?: Backend;
}

const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint32", "bool"];

/** Throw unless `d` is a known dtype. */
export function checkDType(fn: string, d: unknown): DType {
  if (typeof d !== "string" || !DTYPES.includes(d as DType)) {
    throw typeError(fn, `unknown dtype ${JSON.stringify(d)}; expected one of ${DTYPES.join(", ")}`);
  }
  return d as DType;
}

/** Whether a dtype is floating point. */
export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64";
}

/** Whether a dtype is an integer type. */
export function isInt(d: DType): boolean {
  return d === "int32" || d === "uint32";
}

/** Throw a TypeError when the backend cannot hold `dtype`. */
export function checkBackendDType(fn: string, backend: Backend, dtype: DType): void {
  if (dtype === "float64" && !backend.capabilities.float64) {
    throw typeError(
      fn,
      `the ${backend.name} backend has no float64; use float32 or a backend with float64 (cpu, blas)`,
    );
  }
}

function typedDType(v: TypedArray): DType {
  if (v instanceof Float32Array) return "float32";
  if (v instanceof Float64Array) return "float64";
  if (v instanceof Int32Array) return "int32";
  if (v instanceof Uint32Array) return "uint32";
  return "bool";
}

/** Infer the shape of nested arrays, checking they are rectangular. */
function nestedShape(fn: string, v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  const check = (x: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(x)) throw typeError(fn, "ragged nested array (inconsistent depth)");
      if (typeof x !== "number" && typeof x !== "boolean") {
        throw typeError(fn, `array elements must be numbers or booleans, got ${typeof x}`);
      }
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw typeError(fn, `ragged nested array: expected length ${shape[dim]} at depth ${dim}`);
    }
    for (const y of x) check(y, dim + 1);
  };
  check(v, 0);
  return shape;
}

/** Whether every leaf of a (rectangular) nested array is a boolean (then dtype bool, as jnp). */
function allBooleans(v: NestedArray): boolean {
  return Array.isArray(v) ? v.every(allBooleans) : typeof v === "boolean";
}

function flattenInto(v: NestedArray, out: TypedArray, pos: { i: number }): void {
  if (Array.isArray(v)) {
    for (const x of v) flattenInto(x, out, pos);
  } else {
    out[pos.i++] = typeof v === "boolean" ? (v ? 1 : 0) : v;
  }
}

/** Convert host values to the typed array of `dtype` (float→int truncates, →bool is != 0). */
export function toTypedArray(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocTyped(dtype, values.length);
  if (dtype === "bool") {
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else if (dtype === "int32" || dtype === "uint32") {
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      out[i] = Number.isFinite(x) ? Math.trunc(x) : 0;
    }
  } else {
    out.set(values);
  }
  return out;
}

/**
 * Convert a {@link TensorLike} to a Tensor. Tensors pass through unchanged
 * (same object, not copied) unless a different dtype is requested (then an
 * error: use `cast`). Numbers and booleans become 0-d tensors. Nested arrays
 * default to float32, or bool when every element is a boolean (as jnp).
 */
export function toTensor(x: TensorLike, fn: string, options: TensorOptions = {}): Tensor {
  if (isTensor(x)) {
    x.assertAlive(fn);
    if (options.dtype && options.dtype !== x.dtype) {
      throw typeError(fn, `expected dtype ${options.dtype}, got ${x.dtype} (use cast())`);
    }
    return x;
  }
  const backend = options.backend ?? getBackend();
  let values: TypedArray;
  let shape: number[];
  let dtype: DType;
  if (ArrayBuffer.isView(x)) {
    const v = x as TypedArray;
    dtype = options.dtype ? checkDType(fn, options.dtype) : typedDType(v);
    values = dtype === typedDType(v) ? v : toTypedArray(v, dtype);
    shape = [v.length];
  } else if (typeof x === "number" || typeof x === "boolean") {
    dtype = options.dtype
      ? checkDType(fn, options.dtype)
      : (typeof x === "boolean" ? "bool" : "float32");
    values = toTypedArray([typeof x === "boolean" ? (x ? 1 : 0) : x], dtype);
    shape = [];
  } else if (Array.isArray(x)) {
    shape = nestedShape(fn, x);
    const flatVals = new Float64Array(sizeOf(shape));
    flattenInto(x, flatVals, { i: 0 });
    dtype = options.dtype
      ? checkDType(fn, options.dtype)
      : (flatVals.length > 0 && allBooleans(x) ? "bool" : "float32");
    values = toTypedArray(flatVals, dtype);
  } else {
    throw typeError(
      fn,
      `expected a tensor, number, boolean, nested array or typed array, got ${describe(x)}`,
    );
  }
  if (options.shape) {
    const want = [...options.shape];
    for (const d of want) {
      if (!Number.isInteger(d) || d < 0) throw rangeError(fn, `invalid shape ${fmtShape(want)}`);
    }
    if (sizeOf(want) !== values.length) {
      throw typeError(fn, `${values.length} values cannot have shape ${fmtShape(want)}`);
    }
    shape = want;
  }
  checkBackendDType(fn, backend, dtype);
  return new Tensor(backend, backend.write(values, shape, dtype));
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}

/** Wrap a kernel result on `backend` as a Tensor. */
export function wrap(backend: Backend, info: TensorInfo): Tensor {
  return new Tensor(backend, info);
}

/** Promotion rank of each dtype. */
const RANK: Record<DType, number> = { bool: 0, int32: 1, uint32: 1, float32: 2, float64: 3 };

/** The result dtype of combining two dtypes (JAX lattice, int32 ⊔ uint32 = int32). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ra = RANK[a], rb = RANK[b];
  if (ra !== rb) return ra > rb ? a : b;
  return "int32"; // int32 vs uint32
}

function weakDType(x: number | boolean, other: DType): DType {
  if (typeof x === "boolean") return other;
  if (other === "bool" || isInt(other)) {
    return Number.isInteger(x) ? (other === "bool" ? "int32" : other) : "float32";
  }
  return other;
}

/**
 * Convert two operands of a binary op to tensors of one dtype on one backend,
 * applying weak typing of JS numbers. Returns tensors the caller must dispose
 * if they are not the inputs (`created`).
 */
export function binaryOperands(
  fn: string,
  a: TensorLike,
  b: TensorLike,
): { a: Tensor; b: Tensor; dtype: DType; created: Tensor[] } {
  const created: Tensor[] = [];
  const aScalar = typeof a === "number" || typeof a === "boolean";
  const bScalar = typeof b === "number" || typeof b === "boolean";
  let ta: Tensor, tb: Tensor;
  if (aScalar && !bScalar) {
    tb = toTensor(b, fn);
    if (tb !== b) created.push(tb);
    ta = toTensor(a, fn, { dtype: weakDType(a, tb.dtype), backend: tb.backend });
    created.push(ta);
  } else if (bScalar && !aScalar) {
    ta = toTensor(a, fn);
    if (ta !== a) created.push(ta);
    tb = toTensor(b, fn, { dtype: weakDType(b, ta.dtype), backend: ta.backend });
    created.push(tb);
  } else {
    ta = toTensor(a, fn);
    if (ta !== a) created.push(ta);
    tb = toTensor(b, fn, { backend: ta.backend });
    if (tb !== b) created.push(tb);
  }
  sameBackend(fn, ta, tb);
  return { a: ta, b: tb, dtype: promoteTypes(ta.dtype, tb.dtype), created };
}

/** Throw unless all tensors live on one backend. */
export function sameBackend(fn: string, ...ts: Tensor[]): Backend {
  const b = ts[0].backend;
  for (const t of ts) {
    if (t.backend !== b) {
      throw typeError(
        fn,
        `tensors live on different backends (${b.name} and ${t.backend.name}); move one with toBackend()`,
      );
    }
  }
  return b;
}

/** Normalise one axis (negative counts from the end); RangeError when out of range. */
export function normalizeAxis(fn: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis)) throw typeError(fn, `axis must be an integer, got ${axis}`);
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    throw rangeError(fn, `axis ${axis} is out of bounds for a tensor of rank ${rank}`);
  }
  return a;
}

/**
 * Normalise an axis option: undefined/null → all axes; a number or list →
 * sorted unique non-negative axes. Duplicates are a RangeError.
 */
export function normalizeAxes(
  fn: string,
  axis: number | readonly number[] | null | undefined,
  rank: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(fn, a, rank));
  const sorted = [...out].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw rangeError(fn, `repeated axis ${sorted[i]} in [${list.join(", ")}]`);
    }
  }
  return sorted;
}

/** Dispose tensors created for conversion. */
export function disposeAll(ts: readonly Tensor[]): void {
  for (const t of ts) t.dispose();
}
