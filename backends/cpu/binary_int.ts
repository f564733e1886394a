/**
 * Binary elementwise loops on int32, uint32 and bool (0/1 in a Uint8Array)
 * arrays, one broadcast row at a time. Arithmetic wraps modulo 2^32: the
 * int32 result is computed in int32 (`|0`, `Math.imul`) and the store into an
 * Int32Array/Uint32Array reinterprets it. Python semantics for `floorDiv` and
 * `mod`; division by zero gives 0. Shift counts are taken mod 32.
 *
 * @module
 */

import type { BinaryOp } from "../backend.ts";

/** An integer-valued array. */
export type IntArray = Int32Array | Uint32Array | Uint8Array;

/** Python floor-mod on integers (sign of the divisor); `x mod 0 = 0`. */
export function modInt(x: number, y: number): number {
  if (y === 0) return 0;
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}

/** Python floor division on integers, wrapped to int32; `x // 0 = 0`. */
export function floorDivInt(x: number, y: number): number {
  return y === 0 ? 0 : Math.floor(x / y) | 0;
}

/**
 * Integer power by squaring, wrapping modulo 2^32 (as XLA). Negative
 * exponents: 1 for base 1, ±1 for base -1, else 0.
 */
export function powInt(x: number, y: number): number {
  if (y < 0) {
    if (x === 1) return 1;
    if (x === -1) return (y & 1) === 0 ? 1 : -1;
    return 0;
  }
  let r = 1;
  let b = x | 0;
  let e = y >>> 0;
  while (e !== 0) {
    if ((e & 1) !== 0) r = Math.imul(r, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return r;
}

/**
 * One broadcast row: `out[io + k] = a[ia + k·sa] op b[ib + k·sb]` for k < n.
 * `unsigned` selects the logical right shift (uint32).
 */
export function intStrided(
  op: BinaryOp,
  unsigned: boolean,
  a: IntArray,
  ia: number,
  sa: number,
  b: IntArray,
  ib: number,
  sb: number,
  out: IntArray,
  io: number,
  n: number,
): void {
  const end = io + n;
  let o = io;
  switch (op) {
    case "add":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] + b[ib]) | 0;
      return;
    case "sub":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] - b[ib]) | 0;
      return;
    case "mul":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.imul(a[ia], b[ib]);
      return;
    case "floorDiv":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = floorDivInt(a[ia], b[ib]);
      return;
    case "mod":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = modInt(a[ia], b[ib]);
      return;
    case "pow":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = powInt(a[ia], b[ib]);
      return;
    case "maximum":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia], b[ib]);
      return;
    case "minimum":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia], b[ib]);
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
    case "bitwiseAnd":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] & b[ib];
      return;
    case "bitwiseOr":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] | b[ib];
      return;
    case "bitwiseXor":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] ^ b[ib];
      return;
    case "shiftLeft":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] << b[ib];
      return;
    case "shiftRight":
      if (unsigned) { for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] >>> b[ib]; }
      else for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] >> b[ib];
      return;
    default:
      throw new TypeError(`binary(): ${op} is not defined on integer dtypes`);
  }
}
