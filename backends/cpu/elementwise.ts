/**
 * Elementwise kernels of the cpu backend on plain typed arrays: unary ops,
 * binary ops with NumPy broadcasting, 3-way broadcast select, and casts.
 * The loops live in `unary_ops.ts`, `binary_float.ts` and `binary_int.ts`;
 * this file checks dtypes, allocates the result and picks the loop shape
 * (same shape, scalar broadcast, or strided broadcast rows).
 *
 * @module
 */

import { allocTyped, COMPARISON_OPS } from "../backend.ts";
import type { BinaryOp, DType, TypedArray, UnaryOp } from "../backend.ts";
import { broadcastPlan, RowCursor } from "./broadcast.ts";
import {
  type FloatArray,
  type FloatOut,
  floatSame,
  floatScalar,
  floatStrided,
} from "./binary_float.ts";
import { type IntArray, intStrided } from "./binary_int.ts";
import { bitsToUnit, unaryFloat, unaryInt, unaryPredicate } from "./unary_ops.ts";
import { simdBinaryF32, simdBroadcastF32, simdScalarF32, simdUnaryF32 } from "./simd/mod.ts";

const PREDICATES: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  "isnan",
  "isinf",
  "isfinite",
  "logicalNot",
]);
const FLOAT_ONLY_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>(["div", "atan2"]);
const INT_ONLY_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "bitwiseAnd",
  "bitwiseOr",
  "bitwiseXor",
  "shiftLeft",
  "shiftRight",
]);
const BOOL_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  ...COMPARISON_OPS,
  "bitwiseAnd",
  "bitwiseOr",
  "bitwiseXor",
  "maximum",
  "minimum",
]);

function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/**
 * Unary elementwise op. The result has the input dtype, except `isnan`,
 * `isinf`, `isfinite`, `logicalNot` (bool) and `bitsToUnit` (float32).
 * Transcendental ops need a float dtype (TypeError otherwise).
 *
 * @example
 * ```ts
 * import { unaryKernel } from "./elementwise.ts";
 * const r = unaryKernel("round", new Float32Array([0.5, 1.5, 2.5]), "float32");
 * console.assert(Array.from(r.values).join() === "0,2,2");
 * ```
 */
export function unaryKernel(
  op: UnaryOp,
  x: TypedArray,
  dtype: DType,
): { values: TypedArray; dtype: DType } {
  const n = x.length;
  if (PREDICATES.has(op)) {
    const out = new Uint8Array(n);
    unaryPredicate(op, x, out);
    return { values: out, dtype: "bool" };
  }
  if (op === "bitsToUnit") {
    if (dtype !== "uint32" && dtype !== "int32") {
      throw new TypeError(`unary(): bitsToUnit needs uint32 bits, got ${dtype}`);
    }
    const out = new Float32Array(n);
    bitsToUnit(x as Uint32Array, out);
    return { values: out, dtype: "float32" };
  }
  if (isFloat(dtype)) {
    if (op === "bitwiseNot") {
      throw new TypeError(`unary(): bitwiseNot needs an integer dtype, got ${dtype}`);
    }
    const out = allocTyped(dtype, n) as Float32Array | Float64Array;
    // float32 exp/sigmoid: WebAssembly SIMD when available (simd/mod.ts).
    if (dtype === "float32" && simdUnaryF32(op, x as Float32Array, out as Float32Array)) {
      return { values: out, dtype };
    }
    unaryFloat(op, x as Float32Array | Float64Array, out, dtype === "float32");
    return { values: out, dtype };
  }
  if (dtype === "bool") {
    if (op !== "bitwiseNot") throw new TypeError(`unary(): ${op} is not defined on bool`);
    const out = new Uint8Array(n);
    unaryPredicate("logicalNot", x, out);
    return { values: out, dtype };
  }
  const out = allocTyped(dtype, n) as Int32Array | Uint32Array;
  unaryInt(op, x as Int32Array | Uint32Array, out, dtype === "uint32");
  return { values: out, dtype };
}

/** Reject ops the dtype does not define (TypeError). */
function checkBinary(op: BinaryOp, dtype: DType): void {
  let ok: boolean;
  if (isFloat(dtype)) ok = !INT_ONLY_BINARY.has(op);
  else if (dtype === "bool") ok = BOOL_BINARY.has(op);
  else ok = !FLOAT_ONLY_BINARY.has(op);
  if (!ok) throw new TypeError(`binary(): ${op} is not defined on ${dtype}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Binary elementwise op with NumPy broadcasting; `a` and `b` share `dtype`.
 * Comparisons and logical ops return bool, the others `dtype`.
 *
 * @example
 * ```ts
 * import { binaryKernel } from "./elementwise.ts";
 * const r = binaryKernel("mod", new Int32Array([-7, 7]), [2], new Int32Array([3]), [1], "int32");
 * console.assert(Array.from(r.values).join() === "2,1" && r.shape.join() === "2");
 * ```
 */
export function binaryKernel(
  op: BinaryOp,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
): { values: TypedArray; shape: number[]; dtype: DType } {
  checkBinary(op, dtype);
  const outDtype: DType = COMPARISON_OPS.has(op) ? "bool" : dtype;
  const float = isFloat(dtype);
  // float32 arithmetic and comparisons: WebAssembly SIMD when available.
  const f32 = dtype === "float32";
  if (sameShape(aShape, bShape)) {
    const n = a.length;
    const out = allocTyped(outDtype, n);
    const fo = out as Float32Array | Uint8Array;
    if (f32 && simdBinaryF32(op, a as Float32Array, b as Float32Array, fo)) {
      return { values: out, shape: [...aShape], dtype: outDtype };
    }
    if (float) floatSame(op, a as FloatArray, b as FloatArray, out as FloatOut, n);
    else {intStrided(
        op,
        dtype === "uint32",
        a as IntArray,
        0,
        1,
        b as IntArray,
        0,
        1,
        out as IntArray,
        0,
        n,
      );}
    return { values: out, shape: [...aShape], dtype: outDtype };
  }
  const plan = broadcastPlan("binary", [aShape, bShape]);
  const out = allocTyped(outDtype, plan.size);
  if (float && plan.size > 0) {
    // Scalar broadcast against a full-size operand.
    const fo = out as Float32Array | Uint8Array;
    if (b.length === 1 && a.length === plan.size) {
      if (f32 && simdScalarF32(op, a as Float32Array, b[0], fo, false)) {
        return { values: out, shape: plan.shape, dtype: outDtype };
      }
      if (floatScalar(op, a as FloatArray, b[0], out as FloatOut, plan.size, false)) {
        return { values: out, shape: plan.shape, dtype: outDtype };
      }
    } else if (a.length === 1 && b.length === plan.size) {
      if (f32 && simdScalarF32(op, b as Float32Array, a[0], fo, true)) {
        return { values: out, shape: plan.shape, dtype: outDtype };
      }
      if (floatScalar(op, b as FloatArray, a[0], out as FloatOut, plan.size, true)) {
        return { values: out, shape: plan.shape, dtype: outDtype };
      }
    }
  }
  const cur = new RowCursor(plan);
  if (
    f32 && plan.size > 0 &&
    simdBroadcastF32(
      op,
      a as Float32Array,
      b as Float32Array,
      cur,
      out as Float32Array | Uint8Array,
    )
  ) return { values: out, shape: plan.shape, dtype: outDtype };
  const n = cur.inner;
  const sa = cur.steps[0];
  const sb = cur.steps[1];
  const off = cur.offsets;
  const unsigned = dtype === "uint32";
  for (let r = 0, io = 0; r < cur.rows; r++, io += n) {
    if (float) {
      floatStrided(
        op,
        a as FloatArray,
        off[0],
        sa,
        b as FloatArray,
        off[1],
        sb,
        out as FloatOut,
        io,
        n,
      );
    } else {
      intStrided(
        op,
        unsigned,
        a as IntArray,
        off[0],
        sa,
        b as IntArray,
        off[1],
        sb,
        out as IntArray,
        io,
        n,
      );
    }
    cur.next();
  }
  return { values: out, shape: plan.shape, dtype: outDtype };
}

/**
 * `cond ? a : b` elementwise with NumPy broadcasting of all three; `cond` is
 * bool (any nonzero counts as true), `a` and `b` share `dtype`.
 *
 * @example
 * ```ts
 * import { selectKernel } from "./elementwise.ts";
 * const r = selectKernel(new Uint8Array([1, 0]), [2], new Float32Array([5]), [], new Float32Array([7, 8]), [2], "float32");
 * console.assert(Array.from(r.values).join() === "5,8");
 * ```
 */
export function selectKernel(
  cond: TypedArray,
  condShape: readonly number[],
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
): { values: TypedArray; shape: number[] } {
  if (sameShape(condShape, aShape) && sameShape(aShape, bShape)) {
    const n = a.length;
    const out = allocTyped(dtype, n);
    for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
    return { values: out, shape: [...aShape] };
  }
  const plan = broadcastPlan("select", [condShape, aShape, bShape]);
  const out = allocTyped(dtype, plan.size);
  const cur = new RowCursor(plan);
  const n = cur.inner;
  const sc = cur.steps[0];
  const sa = cur.steps[1];
  const sb = cur.steps[2];
  const off = cur.offsets;
  for (let r = 0, io = 0; r < cur.rows; r++, io += n) {
    let ic = off[0];
    let ia = off[1];
    let ib = off[2];
    const end = io + n;
    for (let o = io; o < end; o++, ic += sc, ia += sa, ib += sb) {
      out[o] = cond[ic] !== 0 ? a[ia] : b[ib];
    }
    cur.next();
  }
  return { values: out, shape: plan.shape };
}

/**
 * Cast between dtypes. float→int truncates toward zero and saturates at the
 * integer range (NaN→0), as XLA's conversion; anything→bool is `x != 0`
 * (NaN→true); bool→number is 0/1; int32↔uint32 reinterpret the bits;
 * float64→float32 rounds to nearest. Always returns a new array.
 *
 * @example
 * ```ts
 * import { castKernel } from "./elementwise.ts";
 * const r = castKernel(new Float32Array([-1.7, 2.9, NaN, 3e9]), "float32", "int32");
 * console.assert(Array.from(r).join() === "-1,2,0,2147483647");
 * ```
 */
export function castKernel(x: TypedArray, from: DType, to: DType): TypedArray {
  const n = x.length;
  const out = allocTyped(to, n);
  if (to === "bool") {
    for (let i = 0; i < n; i++) out[i] = +(x[i] !== 0);
  } else if (isFloat(from) && to === "int32") {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      // Int32Array store truncates toward zero; NaN stores as 0.
      out[i] = v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : v;
    }
  } else if (isFloat(from) && to === "uint32") {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      out[i] = v >= 4294967295 ? 4294967295 : v <= 0 ? 0 : v;
    }
  } else {
    // Typed-array conversion: ToInt32/ToUint32 wrap (bit reinterpretation
    // between int32 and uint32), float stores round to nearest.
    out.set(x as ArrayLike<number>);
  }
  return out;
}
