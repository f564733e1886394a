/**
 * Unary elementwise kernels: one pipeline per (op, dtype), a flat loop over
 * the elements (inputs are always contiguous).
 *
 * @module
 */

import type { DType, UnaryOp } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { dtag, shader, WG, wgslType } from "./wgsl.ts";

const FLOAT_EXPR: Record<UnaryOp, string> = {
  neg: "-x",
  abs: "abs(x)",
  exp: "m_exp(x)",
  expm1: "m_expm1(x)",
  log: "m_log(x)",
  log1p: "m_log1p(x)",
  log2: "m_log2(x)",
  sqrt: "m_sqrt(x)",
  rsqrt: "1.0 / m_sqrt(x)",
  square: "x * x",
  reciprocal: "1.0 / x",
  sin: "m_sin(x)",
  cos: "m_cos(x)",
  tan: "m_tan(x)",
  asin: "m_asin(x)",
  acos: "m_acos(x)",
  atan: "m_atan(x)",
  sinh: "m_sinh(x)",
  cosh: "m_cosh(x)",
  tanh: "m_tanh(x)",
  asinh: "m_asinh(x)",
  acosh: "m_acosh(x)",
  atanh: "m_atanh(x)",
  sigmoid: "m_sigmoid(x)",
  erf: "m_erf(x)",
  erfinv: "m_erfinv(x)",
  floor: "floor(x)",
  ceil: "ceil(x)",
  round: "round(x)",
  trunc: "trunc(x)",
  sign: "select(select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0), x, m_isnan(x))",
  logicalNot: "u32(x == 0.0)",
  isnan: "u32(m_isnan(x))",
  isinf: "u32(m_isinf(x))",
  isfinite: "u32(m_isfinite(x))",
  bitsToUnit: "",
  bitwiseNot: "",
};

/** Ops whose result is bool (stored as u32 0/1). */
const BOOL_RESULT = new Set<UnaryOp>(["logicalNot", "isnan", "isinf", "isfinite"]);

/** Integer (i32/u32) expressions (the cpu backend defines no transcendental op on integers). */
function intExpr(op: UnaryOp, t: "i32" | "u32"): string | null {
  switch (op) {
    case "neg":
      return t === "i32" ? "-x" : "0u - x";
    case "abs":
      return t === "i32" ? "select(x, -x, x < 0)" : "x";
    case "square":
      return "x * x";
    case "sign":
      return t === "i32" ? "select(select(0, -1, x < 0), 1, x > 0)" : "select(0u, 1u, x > 0u)";
    case "floor":
    case "ceil":
    case "round":
    case "trunc":
      return "x";
    case "isnan":
    case "isinf":
      return "0u";
    case "isfinite":
      return "1u";
    case "logicalNot":
      return t === "i32" ? "u32(x == 0)" : "u32(x == 0u)";
    case "bitwiseNot":
      return "~x";
    default:
      return null;
  }
}

/** The output dtype of a unary op. */
export function unaryResultDType(op: UnaryOp, dtype: DType): DType {
  if (BOOL_RESULT.has(op)) return "bool";
  if (op === "bitsToUnit") return "float32";
  return dtype;
}

function unarySource(op: UnaryOp, dtype: DType): string {
  const t = wgslType(dtype);
  const ot = wgslType(unaryResultDType(op, dtype));
  let expr: string | null;
  if (op === "bitsToUnit") {
    if (dtype !== "uint32" && dtype !== "int32") {
      throw new TypeError(`unary(): bitsToUnit needs uint32 bits, got ${dtype}`);
    }
    expr = "bitcast<f32>((u32(x) >> 9u) | 0x3F800000u) - 1.0";
  } else if (dtype === "float32") {
    if (op === "bitwiseNot") {
      throw new TypeError(`unary(): bitwiseNot needs an integer dtype, got ${dtype}`);
    }
    expr = FLOAT_EXPR[op];
  } else if (dtype === "bool") {
    if (op === "logicalNot" || op === "bitwiseNot") expr = "u32(x == 0u)";
    else if (op === "isnan" || op === "isinf") expr = "0u";
    else if (op === "isfinite") expr = "1u";
    else expr = null;
  } else {
    expr = intExpr(op, t as "i32" | "u32");
  }
  if (expr === null) {
    throw new TypeError(`unary(): ${op} is not defined on ${dtype}`);
  }
  return shader({
    inputs: [t],
    outputs: [ot],
    body: `  if (gid >= P[0]) { return; }
  let x = in0[gid];
  out0[gid] = ${expr};`,
  });
}

/** Throw the cpu backend's TypeError when `op` is not defined on `dtype`. */
export function checkUnary(op: UnaryOp, dtype: DType): void {
  unarySource(op, dtype);
}

/** Record `out = op(x)` over `n` elements; returns the output dtype. */
export function unaryKernel(
  ctx: KernelContext,
  op: UnaryOp,
  dtype: DType,
  x: GPUBuffer,
  out: GPUBuffer,
  n: number,
): void {
  const k = ctx.kernel(`unary:${op}:${dtag(dtype)}`, 1, 1, () => unarySource(op, dtype));
  ctx.dispatch(k, new Params().u32(n).words(), [x, out], Math.ceil(n / WG));
}
