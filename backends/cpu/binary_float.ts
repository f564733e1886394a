/**
 * Binary elementwise loops on float32/float64 arrays (one loop per op, the
 * switch outside the loop). Three shapes of loop: same-shape (`a[i] op b[i]`),
 * scalar (`a[i] op s`), and strided rows for general broadcasting. Semantics
 * follow jax.numpy: `mod`/`floorDiv` are Python's floor-mod / floor-division
 * built on the exact `fmod` (`%`), `pow` is C's `pow` (1^NaN = 1).
 * Comparisons and logical ops write 0/1 into a Uint8Array.
 *
 * @module
 */

import type { BinaryOp } from "../backend.ts";

/** A float array. */
export type FloatArray = Float32Array | Float64Array;
/** The output array: floats for arithmetic, Uint8Array (bool) for comparisons. */
export type FloatOut = Float32Array | Float64Array | Uint8Array;

/**
 * Python/JAX floor-mod: `fmod(x, y)`, moved by `y` when its sign differs
 * from `y`'s (jnp.remainder). Result has the sign of the divisor.
 */
export function modFloat(x: number, y: number): number {
  const m = x % y;
  return m !== 0 && (m < 0) !== (y < 0) ? m + y : m;
}

/**
 * Python/JAX floor division from the exact remainder (CPython float_divmod,
 * jnp.floor_divide): `(x - fmod(x, y)) / y`, minus 1 when the remainder's sign
 * differs from `y`'s, rounded (half away from zero). `x // 0` is NaN, as JAX.
 */
export function floorDivFloat(x: number, y: number): number {
  const m = x % y;
  let d = (x - m) / y;
  if (m !== 0 && Math.sign(y) !== Math.sign(m)) d -= 1;
  return Math.sign(d) * Math.round(Math.abs(d));
}

/** C `pow`: as `Math.pow`, except `pow(1, y) = 1` and `pow(-1, ±∞) = 1`. */
export function powFloat(x: number, y: number): number {
  const r = Math.pow(x, y);
  if (r === r) return r;
  return x === 1 || (x === -1 && Math.abs(y) === Infinity) ? 1 : r;
}

/** `out[i] = a[i] op b[i]` for i < n. */
export function floatSame(
  op: BinaryOp,
  a: FloatArray,
  b: FloatArray,
  out: FloatOut,
  n: number,
): void {
  let i = 0;
  switch (op) {
    case "add":
      for (; i < n; i++) out[i] = a[i] + b[i];
      return;
    case "sub":
      for (; i < n; i++) out[i] = a[i] - b[i];
      return;
    case "mul":
      for (; i < n; i++) out[i] = a[i] * b[i];
      return;
    case "div":
      for (; i < n; i++) out[i] = a[i] / b[i];
      return;
    case "floorDiv":
      for (; i < n; i++) out[i] = floorDivFloat(a[i], b[i]);
      return;
    case "mod":
      for (; i < n; i++) out[i] = modFloat(a[i], b[i]);
      return;
    case "pow":
      for (; i < n; i++) out[i] = powFloat(a[i], b[i]);
      return;
    case "maximum":
      for (; i < n; i++) out[i] = Math.max(a[i], b[i]);
      return;
    case "minimum":
      for (; i < n; i++) out[i] = Math.min(a[i], b[i]);
      return;
    case "atan2":
      for (; i < n; i++) out[i] = Math.atan2(a[i], b[i]);
      return;
    case "equal":
      for (; i < n; i++) out[i] = +(a[i] === b[i]);
      return;
    case "notEqual":
      for (; i < n; i++) out[i] = +(a[i] !== b[i]);
      return;
    case "less":
      for (; i < n; i++) out[i] = +(a[i] < b[i]);
      return;
    case "lessEqual":
      for (; i < n; i++) out[i] = +(a[i] <= b[i]);
      return;
    case "greater":
      for (; i < n; i++) out[i] = +(a[i] > b[i]);
      return;
    case "greaterEqual":
      for (; i < n; i++) out[i] = +(a[i] >= b[i]);
      return;
    case "logicalAnd":
      for (; i < n; i++) out[i] = +(a[i] !== 0) & +(b[i] !== 0);
      return;
    case "logicalOr":
      for (; i < n; i++) out[i] = +(a[i] !== 0) | +(b[i] !== 0);
      return;
    case "logicalXor":
      for (; i < n; i++) out[i] = +(a[i] !== 0) ^ +(b[i] !== 0);
      return;
    default:
      throw new TypeError(`binary(): ${op} is not defined on float dtypes`);
  }
}

/** Ops with a scalar loop; `r*` are the reversed forms `s op a[i]`. */
type ScalarOp =
  | "add"
  | "sub"
  | "rsub"
  | "mul"
  | "div"
  | "rdiv"
  | "pow"
  | "rpow"
  | "maximum"
  | "minimum"
  | "equal"
  | "notEqual"
  | "less"
  | "lessEqual"
  | "greater"
  | "greaterEqual";

/** `s op a[i]` rewritten as `a[i] op' s` (null when there is no scalar loop). */
const LEFT: Partial<Record<BinaryOp, ScalarOp>> = {
  add: "add",
  sub: "rsub",
  mul: "mul",
  div: "rdiv",
  pow: "rpow",
  maximum: "maximum",
  minimum: "minimum",
  equal: "equal",
  notEqual: "notEqual",
  less: "greater",
  lessEqual: "greaterEqual",
  greater: "less",
  greaterEqual: "lessEqual",
};

/**
 * Scalar broadcast: `out[i] = a[i] op s` (or `s op a[i]` when `scalarLeft`).
 * Returns false when `op` has no scalar loop (the caller falls back to the
 * strided loop).
 */
export function floatScalar(
  op: BinaryOp,
  a: FloatArray,
  s: number,
  out: FloatOut,
  n: number,
  scalarLeft: boolean,
): boolean {
  const sop = scalarLeft ? LEFT[op] : (LEFT[op] === undefined ? undefined : op as ScalarOp);
  let i = 0;
  switch (sop) {
    case "add":
      for (; i < n; i++) out[i] = a[i] + s;
      return true;
    case "sub":
      for (; i < n; i++) out[i] = a[i] - s;
      return true;
    case "rsub":
      for (; i < n; i++) out[i] = s - a[i];
      return true;
    case "mul":
      for (; i < n; i++) out[i] = a[i] * s;
      return true;
    case "div":
      for (; i < n; i++) out[i] = a[i] / s;
      return true;
    case "rdiv":
      for (; i < n; i++) out[i] = s / a[i];
      return true;
    case "pow":
      if (s === 2) { for (; i < n; i++) out[i] = a[i] * a[i]; }
      else for (; i < n; i++) out[i] = powFloat(a[i], s);
      return true;
    case "rpow":
      for (; i < n; i++) out[i] = powFloat(s, a[i]);
      return true;
    case "maximum":
      for (; i < n; i++) out[i] = Math.max(a[i], s);
      return true;
    case "minimum":
      for (; i < n; i++) out[i] = Math.min(a[i], s);
      return true;
    case "equal":
      for (; i < n; i++) out[i] = +(a[i] === s);
      return true;
    case "notEqual":
      for (; i < n; i++) out[i] = +(a[i] !== s);
      return true;
    case "less":
      for (; i < n; i++) out[i] = +(a[i] < s);
      return true;
    case "lessEqual":
      for (; i < n; i++) out[i] = +(a[i] <= s);
      return true;
    case "greater":
      for (; i < n; i++) out[i] = +(a[i] > s);
      return true;
    case "greaterEqual":
      for (; i < n; i++) out[i] = +(a[i] >= s);
      return true;
    default:
      return false;
  }
}

/**
 * One broadcast row: `out[io + k] = a[ia + k·sa] op b[ib + k·sb]` for k < n.
 */
export function floatStrided(
  op: BinaryOp,
  a: FloatArray,
  ia: number,
  sa: number,
  b: FloatArray,
  ib: number,
  sb: number,
  out: FloatOut,
  io: number,
  n: number,
): void {
  const end = io + n;
  let o = io;
  switch (op) {
    case "add":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] + b[ib];
      return;
    case "sub":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] - b[ib];
      return;
    case "mul":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib];
      return;
    case "div":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] / b[ib];
      return;
    case "floorDiv":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = floorDivFloat(a[ia], b[ib]);
      return;
    case "mod":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = modFloat(a[ia], b[ib]);
      return;
    case "pow":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = powFloat(a[ia], b[ib]);
      return;
    case "maximum":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia], b[ib]);
      return;
    case "minimum":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia], b[ib]);
      return;
    case "atan2":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.atan2(a[ia], b[ib]);
      return;
    case "equal":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] === b[ib]);
      return;
    case "notEqual":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== b[ib]);
      return;
    case "less":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] < b[ib]);
      return;
    case "lessEqual":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] <= b[ib]);
      return;
    case "greater":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] > b[ib]);
      return;
    case "greaterEqual":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] >= b[ib]);
      return;
    case "logicalAnd":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== 0) & +(b[ib] !== 0);
      return;
    case "logicalOr":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== 0) | +(b[ib] !== 0);
      return;
    case "logicalXor":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== 0) ^ +(b[ib] !== 0);
      return;
    default:
      throw new TypeError(`binary(): ${op} is not defined on float dtypes`);
  }
}
