/**
 * Unary elementwise loops (one loop per op, the switch outside the loop).
 * Floats are computed in double and rounded by the float32 store; integer
 * ops wrap like int32/uint32 (`-INT_MIN = INT_MIN`).
 *
 * @module
 */

import type { UnaryOp } from "../backend.ts";
import { erf, erfinv, erfinvF32 } from "./erf.ts";

/** Round half to even (NumPy/JAX `round`). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v); // half up
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Float unary ops into `out` (same float dtype); `f32` selects float32 erfinv. */
export function unaryFloat(
  op: UnaryOp,
  x: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  f32: boolean,
): void {
  const n = x.length;
  let i = 0;
  switch (op) {
    case "neg":
      for (; i < n; i++) out[i] = -x[i];
      return;
    case "abs":
      for (; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case "exp":
      for (; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case "expm1":
      for (; i < n; i++) out[i] = Math.expm1(x[i]);
      return;
    case "log":
      for (; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case "log1p":
      for (; i < n; i++) out[i] = Math.log1p(x[i]);
      return;
    case "log2":
      for (; i < n; i++) out[i] = Math.log2(x[i]);
      return;
    case "sqrt":
      for (; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case "rsqrt":
      for (; i < n; i++) out[i] = 1 / Math.sqrt(x[i]);
      return;
    case "square":
      for (; i < n; i++) out[i] = x[i] * x[i];
      return;
    case "reciprocal":
      for (; i < n; i++) out[i] = 1 / x[i];
      return;
    case "sin":
      for (; i < n; i++) out[i] = Math.sin(x[i]);
      return;
    case "cos":
      for (; i < n; i++) out[i] = Math.cos(x[i]);
      return;
    case "tan":
      for (; i < n; i++) out[i] = Math.tan(x[i]);
      return;
    case "asin":
      for (; i < n; i++) out[i] = Math.asin(x[i]);
      return;
    case "acos":
      for (; i < n; i++) out[i] = Math.acos(x[i]);
      return;
    case "atan":
      for (; i < n; i++) out[i] = Math.atan(x[i]);
      return;
    case "sinh":
      for (; i < n; i++) out[i] = Math.sinh(x[i]);
      return;
    case "cosh":
      for (; i < n; i++) out[i] = Math.cosh(x[i]);
      return;
    case "tanh":
      for (; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case "asinh":
      for (; i < n; i++) out[i] = Math.asinh(x[i]);
      return;
    case "acosh":
      for (; i < n; i++) out[i] = Math.acosh(x[i]);
      return;
    case "atanh":
      for (; i < n; i++) out[i] = Math.atanh(x[i]);
      return;
    case "sigmoid":
      // 1/(1+e^{-x}): e^{-x} overflows to ∞ for x << 0, giving the correct 0.
      for (; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
      return;
    case "erf":
      for (; i < n; i++) out[i] = erf(x[i]);
      return;
    case "erfinv":
      if (f32) { for (; i < n; i++) out[i] = erfinvF32(x[i]); }
      else for (; i < n; i++) out[i] = erfinv(x[i]);
      return;
    case "floor":
      for (; i < n; i++) out[i] = Math.floor(x[i]);
      return;
    case "ceil":
      for (; i < n; i++) out[i] = Math.ceil(x[i]);
      return;
    case "round":
      for (; i < n; i++) out[i] = roundHalfEven(x[i]);
      return;
    case "trunc":
      for (; i < n; i++) out[i] = Math.trunc(x[i]);
      return;
    case "sign":
      for (; i < n; i++) out[i] = Math.sign(x[i]);
      return;
    default:
      throw new TypeError(`unary(): ${op} is not defined on float dtypes`);
  }
}

/**
 * Integer unary ops (int32, or uint32 when `unsigned`) into an array of the
 * same dtype.
 */
export function unaryInt(
  op: UnaryOp,
  x: Int32Array | Uint32Array,
  out: Int32Array | Uint32Array,
  unsigned: boolean,
): void {
  const n = x.length;
  let i = 0;
  switch (op) {
    case "neg":
      for (; i < n; i++) out[i] = -x[i] | 0;
      return;
    case "abs":
      if (unsigned) out.set(x);
      else for (; i < n; i++) out[i] = Math.abs(x[i]) | 0;
      return;
    case "square":
      for (; i < n; i++) out[i] = Math.imul(x[i], x[i]);
      return;
    case "sign":
      for (; i < n; i++) out[i] = Math.sign(x[i]);
      return;
    case "floor":
    case "ceil":
    case "round":
    case "trunc":
      out.set(x);
      return;
    case "bitwiseNot":
      for (; i < n; i++) out[i] = ~x[i];
      return;
    default:
      throw new TypeError(`unary(): ${op} is not defined on integer dtypes`);
  }
}

/**
 * Dtype-agnostic predicates into a bool (Uint8Array) output: `isnan`,
 * `isinf`, `isfinite`, and `logicalNot` (`x == 0`). Returns false for other ops.
 */
export function unaryPredicate(
  op: UnaryOp,
  x: Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array,
  out: Uint8Array,
): boolean {
  const n = x.length;
  let i = 0;
  switch (op) {
    case "isnan":
      for (; i < n; i++) out[i] = +(x[i] !== x[i]);
      return true;
    case "isinf":
      for (; i < n; i++) out[i] = +(Math.abs(x[i]) === Infinity);
      return true;
    case "isfinite":
      for (; i < n; i++) out[i] = +(Math.abs(x[i]) < Infinity);
      return true;
    case "logicalNot":
      for (; i < n; i++) out[i] = +(x[i] === 0);
      return true;
    default:
      return false;
  }
}

/**
 * JAX's uniform bits → float32 in [0, 1): `bitcast_f32((b >>> 9) | 0x3F800000) - 1`,
 * which is exactly `(b >>> 9)·2^-23`.
 */
export function bitsToUnit(x: Uint32Array | Int32Array, out: Float32Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) out[i] = (x[i] >>> 9) * 1.1920928955078125e-7;
}
