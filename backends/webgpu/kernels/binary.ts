/**
 * Binary elementwise ops with NumPy broadcasting, `select` and `cast`, all
 * built on the generic {@link naryKernel}. Semantics follow the cpu backend:
 * Python floor-division/modulo, C `pow`, NaN-propagating max/min, integer
 * division by zero giving 0, shifts by the count mod 32 (arithmetic right
 * shift on int32, logical on uint32).
 *
 * @module
 */

import { type BinaryOp, COMPARISON_OPS, type DType } from "../../backend.ts";
import type { KernelContext } from "../commands.ts";
import { naryKernel } from "./nary.ts";
import { dtag, wgslType } from "./wgsl.ts";

const CMP: Partial<Record<BinaryOp, string>> = {
  equal: "u32(v0 == v1)",
  notEqual: "u32(!(v0 == v1))",
  less: "u32(v0 < v1)",
  lessEqual: "u32(v0 <= v1)",
  greater: "u32(v0 > v1)",
  greaterEqual: "u32(v0 >= v1)",
};

function floatExpr(op: BinaryOp): string {
  switch (op) {
    case "add":
      return "v0 + v1";
    case "sub":
      return "v0 - v1";
    case "mul":
      return "v0 * v1";
    case "div":
      return "v0 / v1";
    case "floorDiv":
      return "m_floordiv(v0, v1)";
    case "mod":
      return "m_mod(v0, v1)";
    case "pow":
      return "m_pow(v0, v1)";
    case "maximum":
      return "m_max(v0, v1)";
    case "minimum":
      return "m_min(v0, v1)";
    case "atan2":
      return "m_atan2(v0, v1)";
    case "logicalAnd":
      return "u32(!(v0 == 0.0) && !(v1 == 0.0))";
    case "logicalOr":
      return "u32(!(v0 == 0.0) || !(v1 == 0.0))";
    case "logicalXor":
      return "u32(!(v0 == 0.0) != !(v1 == 0.0))";
    default: {
      const c = CMP[op];
      if (c) return c;
      throw new TypeError(`binary(): ${op} is not defined on float32`);
    }
  }
}

/**
 * Integer helpers: Python floor division / modulo (x // 0 = x % 0 = 0) and
 * wrapping pow. Division and remainder run on magnitudes in u32 (a signed
 * `%` of negatives is undefined on some targets, e.g. GLSL).
 */
const INT_WGSL = /* wgsl */ `
fn i_divmod(a: i32, b: i32) -> vec2<i32> {
  let ua = bitcast<u32>(select(a, -a, a < 0));
  let ub = bitcast<u32>(select(b, -b, b < 0));
  var q = bitcast<i32>(ua / ub);
  var r = bitcast<i32>(ua % ub);
  if ((a < 0) != (b < 0)) { q = -q; }
  if (a < 0) { r = -r; }
  return vec2<i32>(q, r);
}
fn i_floordiv(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0 - a; }
  let qr = i_divmod(a, b);
  var q = qr.x;
  if (qr.y != 0 && ((a < 0) != (b < 0))) { q = q - 1; }
  return q;
}
fn i_mod(a: i32, b: i32) -> i32 {
  if (b == 0 || b == -1) { return 0; }
  var r = i_divmod(a, b).y;
  if (r != 0 && ((r < 0) != (b < 0))) { r = r + b; }
  return r;
}
fn i_pow(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var base = a;
  var e = u32(b);
  var r = 1;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * base; }
    e = e >> 1u;
    base = base * base;
  }
  return r;
}
fn u_pow(a: u32, b: u32) -> u32 {
  var base = a;
  var e = b;
  var r = 1u;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * base; }
    e = e >> 1u;
    base = base * base;
  }
  return r;
}
`;

function intExpr(op: BinaryOp, t: "i32" | "u32"): string {
  const zero = t === "i32" ? "0" : "0u";
  switch (op) {
    case "add":
      return "v0 + v1";
    case "sub":
      return "v0 - v1";
    case "mul":
      return "v0 * v1";
    case "floorDiv":
      return t === "i32" ? "i_floordiv(v0, v1)" : "select(v0 / v1, 0u, v1 == 0u)";
    case "mod":
      return t === "i32" ? "i_mod(v0, v1)" : "select(v0 % v1, 0u, v1 == 0u)";
    case "pow":
      return t === "i32" ? "i_pow(v0, v1)" : "u_pow(v0, v1)";
    case "maximum":
      return "max(v0, v1)";
    case "minimum":
      return "min(v0, v1)";
    case "logicalAnd":
      return `u32(v0 != ${zero} && v1 != ${zero})`;
    case "logicalOr":
      return `u32(v0 != ${zero} || v1 != ${zero})`;
    case "logicalXor":
      return `u32((v0 != ${zero}) != (v1 != ${zero}))`;
    case "bitwiseAnd":
      return "v0 & v1";
    case "bitwiseOr":
      return "v0 | v1";
    case "bitwiseXor":
      return "v0 ^ v1";
    case "shiftLeft":
      return "v0 << (u32(v1) & 31u)";
    case "shiftRight":
      return "v0 >> (u32(v1) & 31u)";
    default: {
      const c = CMP[op];
      if (c) return c;
      throw new TypeError(`binary(): ${op} is not defined on integer dtypes`);
    }
  }
}

function boolExpr(op: BinaryOp): string {
  switch (op) {
    case "logicalAnd":
    case "bitwiseAnd":
    case "minimum":
      return "v0 & v1";
    case "logicalOr":
    case "bitwiseOr":
    case "maximum":
      return "v0 | v1";
    case "logicalXor":
    case "bitwiseXor":
      return "v0 ^ v1";
    default: {
      const c = CMP[op];
      if (c) return c;
      throw new TypeError(`binary(): ${op} is not defined on bool`);
    }
  }
}

/** Result dtype of a binary op. */
export function binaryResultDType(op: BinaryOp, dtype: DType): DType {
  return COMPARISON_OPS.has(op) ? "bool" : dtype;
}

/**
 * Record `out = a op b` with broadcasting to `outShape`. `bDtype` differs
 * from `dtype` only for shifts (an int32 count shifting uint32 values).
 */
export function binaryKernel(
  ctx: KernelContext,
  op: BinaryOp,
  dtype: DType,
  a: GPUBuffer,
  aShape: readonly number[],
  b: GPUBuffer,
  bShape: readonly number[],
  out: GPUBuffer,
  outShape: readonly number[],
  bDtype: DType = dtype,
): void {
  const t = wgslType(dtype);
  const tb = wgslType(bDtype);
  let expr: string;
  let extra = "";
  if (dtype === "float32") {
    expr = floatExpr(op);
  } else if (dtype === "bool") {
    expr = boolExpr(op);
  } else {
    expr = intExpr(op, t as "i32" | "u32");
    extra = INT_WGSL;
  }
  const outType = wgslType(binaryResultDType(op, dtype));
  naryKernel(
    ctx,
    { key: `binary:${op}:${dtag(dtype)}${dtag(bDtype)}`, expr, outType, extra },
    [{ buffer: a, shape: aShape, type: t }, { buffer: b, shape: bShape, type: tb }],
    out,
    outShape,
  );
}

/** Record `out = cond ? a : b` with broadcasting of all three. */
export function selectKernel(
  ctx: KernelContext,
  dtype: DType,
  cond: GPUBuffer,
  condShape: readonly number[],
  a: GPUBuffer,
  aShape: readonly number[],
  b: GPUBuffer,
  bShape: readonly number[],
  out: GPUBuffer,
  outShape: readonly number[],
): void {
  const t = wgslType(dtype);
  naryKernel(
    ctx,
    { key: `select:${dtag(dtype)}`, expr: "select(v2, v1, v0 != 0u)", outType: t },
    [
      { buffer: cond, shape: condShape, type: "u32" },
      { buffer: a, shape: aShape, type: t },
      { buffer: b, shape: bShape, type: t },
    ],
    out,
    outShape,
  );
}

/** Saturating float32 → int conversions (NaN → 0), as XLA and the cpu backend. */
const F32_TO_INT_WGSL = /* wgsl */ `
fn f32_to_i32(v: f32) -> i32 {
  if (v >= 2147483648.0) { return 2147483647; }
  if (v <= -2147483648.0) { return i32(-2147483648); }
  if (!(v == v) || (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) { return 0; }
  return i32(v);
}
fn f32_to_u32(v: f32) -> u32 {
  if (v >= 4294967296.0) { return 0xffffffffu; }
  if (!(v > 0.0) || (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) { return 0u; }
  return u32(v);
}
`;

function castExpr(from: DType, to: DType): string {
  const ft = wgslType(from);
  if (from === to) return "v0";
  if (to === "bool") return from === "float32" ? "u32(!(v0 == 0.0))" : `u32(v0 != ${ft}(0))`;
  if (from === "bool") return to === "float32" ? "f32(v0)" : `${wgslType(to)}(v0)`;
  if (from === "float32") return to === "int32" ? "f32_to_i32(v0)" : "f32_to_u32(v0)";
  if (to === "float32") return "f32(v0)";
  return `bitcast<${wgslType(to)}>(v0)`; // int32 <-> uint32
}

/** Record `out = cast(x)` over `n` elements. */
export function castKernel(
  ctx: KernelContext,
  from: DType,
  to: DType,
  x: GPUBuffer,
  out: GPUBuffer,
  shape: readonly number[],
): void {
  const extra = from === "float32" ? F32_TO_INT_WGSL : "";
  naryKernel(
    ctx,
    {
      key: `cast:${dtag(from)}:${dtag(to)}`,
      expr: castExpr(from, to),
      outType: wgslType(to),
      extra,
    },
    [{ buffer: x, shape, type: wgslType(from) }],
    out,
    shape,
  );
}

/** Record `out = value` (already converted to the storage type's bits) over `n` elements. */
export function fillKernel(
  ctx: KernelContext,
  bits: number,
  out: GPUBuffer,
  n: number,
): void {
  if (n === 0) return;
  const k = ctx.kernel(
    "fill:u32",
    0,
    1,
    () =>
      `@group(0) @binding(0) var<storage, read> P: array<u32>;
@group(0) @binding(1) var<storage, read_write> out0: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let gid = (wid.y * nwg.x + wid.x) * 256u + lid;
  if (gid >= P[0]) { return; }
  out0[gid] = P[1];
}`,
  );
  ctx.dispatch(k, new Uint32Array([n, bits >>> 0]), [out], Math.ceil(n / 256));
}
