/**
 * Elementwise unary ops (`jnp` semantics for dtypes):
 * - the floating-point functions (exp, log, sqrt, trigonometry, erf, ...)
 *   cast int and bool inputs to float32 first;
 * - `floor`, `ceil`, `round`, `trunc` return integer and bool inputs unchanged;
 * - `neg`, `abs`, `sign`, `square` cast bool to int32 and keep other dtypes;
 * - `isnan`, `isinf`, `isfinite`, `logicalNot` return bool.
 *
 * @module
 */

import type { DType, UnaryOp } from "../../backends/backend.ts";
import { fmtShape, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, type TensorLike, toTensor } from "./convert.ts";
import { pCast, pCopy, pFill, pUnary, scoped } from "./prim.ts";

export type { UnaryOp };

const FLOAT_ONLY: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  "exp",
  "expm1",
  "log",
  "log1p",
  "log2",
  "sqrt",
  "rsqrt",
  "reciprocal",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "tanh",
  "asinh",
  "acosh",
  "atanh",
  "sigmoid",
  "erf",
  "erfinv",
]);

const ROUNDING: ReadonlySet<UnaryOp> = new Set<UnaryOp>(["floor", "ceil", "round", "trunc"]);

const NUMERIC_TESTS: Readonly<Partial<Record<UnaryOp, number>>> = {
  isnan: 0,
  isinf: 0,
  isfinite: 1,
};

function castTo(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : pCast(x, dtype);
}

/**
 * Apply a unary op code with jnp's dtype rules (see the module doc). The
 * result is always a new tensor.
 *
 * @example
 * ```ts
 * import { unaryOp } from "./unary.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2, 3], { dtype: "int32" });
 * using y = unaryOp("sqrt", x);
 * console.assert(y.dtype === "float32");
 * ```
 */
export function unaryOp(op: UnaryOp, x: TensorLike): Tensor {
  return scoped(() => {
    const t = toTensor(x, op);
    const d = t.dtype;
    if (FLOAT_ONLY.has(op)) return pUnary(op, isFloat(d) ? t : pCast(t, "float32"));
    if (ROUNDING.has(op)) return isFloat(d) ? pUnary(op, t) : pCopy(t);
    if (op in NUMERIC_TESTS) {
      return isFloat(d) ? pUnary(op, t) : pFill(t.backend, t.shape, NUMERIC_TESTS[op]!, "bool");
    }
    switch (op) {
      case "neg":
      case "abs":
      case "sign":
      case "square":
        return pUnary(op, d === "bool" ? pCast(t, "int32") : t);
      case "logicalNot":
        return pUnary(op, castTo(t, "bool"));
      case "bitwiseNot":
        if (d === "bool") return pUnary("logicalNot", t);
        if (isFloat(d)) {
          throw typeError(
            op,
            `expected an integer or bool tensor, got ${d} of shape ${fmtShape(t.shape)}`,
          );
        }
        return pUnary(op, t);
      case "bitsToUnit":
        if (d !== "uint32") {
          throw typeError(
            "bitsToUnit",
            `expected uint32 bits, got ${d} of shape ${fmtShape(t.shape)}`,
          );
        }
        return pUnary(op, t);
      default:
        throw typeError("unaryOp", `unknown unary op ${JSON.stringify(op)}`);
    }
  });
}

/**
 * Elementwise negation `-x` (bool → int32).
 *
 * @example
 * ```ts
 * import { neg } from "../../mod.ts";
 * using y = neg([1, -2]);
 * console.assert(y.dataSync().join() === "-1,2");
 * ```
 */
export function neg(x: TensorLike): Tensor {
  return unaryOp("neg", x);
}

/**
 * Elementwise absolute value (bool → int32).
 *
 * @example
 * ```ts
 * import { abs } from "../../mod.ts";
 * using y = abs([-1.5, 2]);
 * console.assert(y.dataSync().join() === "1.5,2");
 * ```
 */
export function abs(x: TensorLike): Tensor {
  return unaryOp("abs", x);
}

/**
 * Elementwise `e^x` (int/bool → float32).
 *
 * @example
 * ```ts
 * import { exp } from "../../mod.ts";
 * using y = exp([0, 1]);
 * console.assert(Math.abs(y.dataSync()[1] - Math.E) < 1e-6);
 * ```
 */
export function exp(x: TensorLike): Tensor {
  return unaryOp("exp", x);
}

/**
 * Elementwise `e^x - 1`, accurate near 0 (int/bool → float32).
 *
 * @example
 * ```ts
 * import { expm1 } from "../../mod.ts";
 * using y = expm1([0, 1e-10]);
 * console.assert(y.dataSync()[1] > 0);
 * ```
 */
export function expm1(x: TensorLike): Tensor {
  return unaryOp("expm1", x);
}

/**
 * Elementwise natural logarithm (int/bool → float32; log(0) = -Infinity).
 *
 * @example
 * ```ts
 * import { log } from "../../mod.ts";
 * using y = log([1, 0]);
 * console.assert(y.dataSync().join() === "0,-Infinity");
 * ```
 */
export function log(x: TensorLike): Tensor {
  return unaryOp("log", x);
}

/**
 * Elementwise `log(1 + x)`, accurate near 0 (int/bool → float32).
 *
 * @example
 * ```ts
 * import { log1p } from "../../mod.ts";
 * using y = log1p([0, 1e-10]);
 * console.assert(y.dataSync()[1] > 0);
 * ```
 */
export function log1p(x: TensorLike): Tensor {
  return unaryOp("log1p", x);
}

/**
 * Elementwise base-2 logarithm (int/bool → float32).
 *
 * @example
 * ```ts
 * import { log2 } from "../../mod.ts";
 * using y = log2([1, 8]);
 * console.assert(y.dataSync().join() === "0,3");
 * ```
 */
export function log2(x: TensorLike): Tensor {
  return unaryOp("log2", x);
}

/**
 * Elementwise square root (int/bool → float32; negative → NaN).
 *
 * @example
 * ```ts
 * import { sqrt } from "../../mod.ts";
 * using y = sqrt([4, 9]);
 * console.assert(y.dataSync().join() === "2,3");
 * ```
 */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp("sqrt", x);
}

/**
 * Elementwise `1 / sqrt(x)` (int/bool → float32).
 *
 * @example
 * ```ts
 * import { rsqrt } from "../../mod.ts";
 * using y = rsqrt([4, 16]);
 * console.assert(y.dataSync().join() === "0.5,0.25");
 * ```
 */
export function rsqrt(x: TensorLike): Tensor {
  return unaryOp("rsqrt", x);
}

/**
 * Elementwise `x * x` (bool → int32).
 *
 * @example
 * ```ts
 * import { square } from "../../mod.ts";
 * using y = square([-3, 2]);
 * console.assert(y.dataSync().join() === "9,4");
 * ```
 */
export function square(x: TensorLike): Tensor {
  return unaryOp("square", x);
}

/**
 * Elementwise `1 / x` (int/bool → float32).
 *
 * @example
 * ```ts
 * import { reciprocal } from "../../mod.ts";
 * using y = reciprocal([2, 4]);
 * console.assert(y.dataSync().join() === "0.5,0.25");
 * ```
 */
export function reciprocal(x: TensorLike): Tensor {
  return unaryOp("reciprocal", x);
}

/**
 * Elementwise sine (int/bool → float32).
 *
 * @example
 * ```ts
 * import { sin } from "../../mod.ts";
 * using y = sin([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function sin(x: TensorLike): Tensor {
  return unaryOp("sin", x);
}

/**
 * Elementwise cosine (int/bool → float32).
 *
 * @example
 * ```ts
 * import { cos } from "../../mod.ts";
 * using y = cos([0]);
 * console.assert(y.dataSync()[0] === 1);
 * ```
 */
export function cos(x: TensorLike): Tensor {
  return unaryOp("cos", x);
}

/**
 * Elementwise tangent (int/bool → float32).
 *
 * @example
 * ```ts
 * import { tan } from "../../mod.ts";
 * using y = tan([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function tan(x: TensorLike): Tensor {
  return unaryOp("tan", x);
}

/**
 * Elementwise arcsine (int/bool → float32; |x| > 1 → NaN).
 *
 * @example
 * ```ts
 * import { asin } from "../../mod.ts";
 * using y = asin([0, 2]);
 * console.assert(y.dataSync()[0] === 0 && Number.isNaN(y.dataSync()[1]));
 * ```
 */
export function asin(x: TensorLike): Tensor {
  return unaryOp("asin", x);
}

/**
 * Elementwise arccosine (int/bool → float32; |x| > 1 → NaN).
 *
 * @example
 * ```ts
 * import { acos } from "../../mod.ts";
 * using y = acos([1]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function acos(x: TensorLike): Tensor {
  return unaryOp("acos", x);
}

/**
 * Elementwise arctangent (int/bool → float32).
 *
 * @example
 * ```ts
 * import { atan } from "../../mod.ts";
 * using y = atan([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function atan(x: TensorLike): Tensor {
  return unaryOp("atan", x);
}

/**
 * Elementwise hyperbolic sine (int/bool → float32).
 *
 * @example
 * ```ts
 * import { sinh } from "../../mod.ts";
 * using y = sinh([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function sinh(x: TensorLike): Tensor {
  return unaryOp("sinh", x);
}

/**
 * Elementwise hyperbolic cosine (int/bool → float32).
 *
 * @example
 * ```ts
 * import { cosh } from "../../mod.ts";
 * using y = cosh([0]);
 * console.assert(y.dataSync()[0] === 1);
 * ```
 */
export function cosh(x: TensorLike): Tensor {
  return unaryOp("cosh", x);
}

/**
 * Elementwise hyperbolic tangent (int/bool → float32).
 *
 * @example
 * ```ts
 * import { tanh } from "../../mod.ts";
 * using y = tanh([0, 100]);
 * console.assert(y.dataSync().join() === "0,1");
 * ```
 */
export function tanh(x: TensorLike): Tensor {
  return unaryOp("tanh", x);
}

/**
 * Elementwise inverse hyperbolic sine (int/bool → float32).
 *
 * @example
 * ```ts
 * import { asinh } from "../../mod.ts";
 * using y = asinh([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function asinh(x: TensorLike): Tensor {
  return unaryOp("asinh", x);
}

/**
 * Elementwise inverse hyperbolic cosine (int/bool → float32; x < 1 → NaN).
 *
 * @example
 * ```ts
 * import { acosh } from "../../mod.ts";
 * using y = acosh([1]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function acosh(x: TensorLike): Tensor {
  return unaryOp("acosh", x);
}

/**
 * Elementwise inverse hyperbolic tangent (int/bool → float32).
 *
 * @example
 * ```ts
 * import { atanh } from "../../mod.ts";
 * using y = atanh([0, 1]);
 * console.assert(y.dataSync().join() === "0,Infinity");
 * ```
 */
export function atanh(x: TensorLike): Tensor {
  return unaryOp("atanh", x);
}

/**
 * Elementwise logistic `1 / (1 + e^-x)` (int/bool → float32).
 *
 * @example
 * ```ts
 * import { sigmoid } from "../../mod.ts";
 * using y = sigmoid([0]);
 * console.assert(y.dataSync()[0] === 0.5);
 * ```
 */
export function sigmoid(x: TensorLike): Tensor {
  return unaryOp("sigmoid", x);
}

/**
 * Elementwise error function (int/bool → float32).
 *
 * @example
 * ```ts
 * import { erf } from "../../mod.ts";
 * using y = erf([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function erf(x: TensorLike): Tensor {
  return unaryOp("erf", x);
}

/**
 * Elementwise inverse error function (int/bool → float32; float32 uses XLA's approximation, as JAX).
 *
 * @example
 * ```ts
 * import { erfinv } from "../../mod.ts";
 * using y = erfinv([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function erfinv(x: TensorLike): Tensor {
  return unaryOp("erfinv", x);
}

/**
 * Elementwise floor (integers and bools are returned unchanged, as jnp).
 *
 * @example
 * ```ts
 * import { floor } from "../../mod.ts";
 * using y = floor([1.5, -1.5]);
 * console.assert(y.dataSync().join() === "1,-2");
 * ```
 */
export function floor(x: TensorLike): Tensor {
  return unaryOp("floor", x);
}

/**
 * Elementwise ceiling (integers and bools are returned unchanged, as jnp).
 *
 * @example
 * ```ts
 * import { ceil } from "../../mod.ts";
 * using y = ceil([1.5, -1.5]);
 * console.assert(y.dataSync().join() === "2,-1");
 * ```
 */
export function ceil(x: TensorLike): Tensor {
  return unaryOp("ceil", x);
}

/**
 * Elementwise rounding, half to even (integers and bools unchanged, as jnp).
 *
 * @example
 * ```ts
 * import { round } from "../../mod.ts";
 * using y = round([0.5, 1.5, 2.5]);
 * console.assert(y.dataSync().join() === "0,2,2");
 * ```
 */
export function round(x: TensorLike): Tensor {
  return unaryOp("round", x);
}

/**
 * Elementwise rounding toward zero (integers and bools unchanged, as jnp).
 *
 * @example
 * ```ts
 * import { trunc } from "../../mod.ts";
 * using y = trunc([1.7, -1.7]);
 * console.assert(y.dataSync().join() === "1,-1");
 * ```
 */
export function trunc(x: TensorLike): Tensor {
  return unaryOp("trunc", x);
}

/**
 * Elementwise sign: -1, 0 or 1; NaN stays NaN (bool → int32).
 *
 * @example
 * ```ts
 * import { sign } from "../../mod.ts";
 * using y = sign([-3, 0, 2]);
 * console.assert(y.dataSync().join() === "-1,0,1");
 * ```
 */
export function sign(x: TensorLike): Tensor {
  return unaryOp("sign", x);
}

/**
 * Elementwise logical not; non-bool inputs are first tested `!= 0`. Returns bool.
 *
 * @example
 * ```ts
 * import { logicalNot } from "../../mod.ts";
 * using y = logicalNot([0, 2]);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function logicalNot(x: TensorLike): Tensor {
  return unaryOp("logicalNot", x);
}

/**
 * Elementwise NaN test → bool (integers and bools are never NaN).
 *
 * @example
 * ```ts
 * import { isnan } from "../../mod.ts";
 * using y = isnan([NaN, 1]);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function isnan(x: TensorLike): Tensor {
  return unaryOp("isnan", x);
}

/**
 * Elementwise ±Infinity test → bool (integers and bools are never infinite).
 *
 * @example
 * ```ts
 * import { isinf } from "../../mod.ts";
 * using y = isinf([Infinity, 1]);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function isinf(x: TensorLike): Tensor {
  return unaryOp("isinf", x);
}

/**
 * Elementwise finiteness test → bool (integers and bools are always finite).
 *
 * @example
 * ```ts
 * import { isfinite } from "../../mod.ts";
 * using y = isfinite([Infinity, 1]);
 * console.assert(y.dataSync().join() === "0,1");
 * ```
 */
export function isfinite(x: TensorLike): Tensor {
  return unaryOp("isfinite", x);
}

/**
 * Elementwise bitwise not of int32/uint32 (`~x`); on bool, logical not. Floats are a TypeError.
 *
 * @example
 * ```ts
 * import { bitwiseNot } from "../../mod.ts";
 * using y = bitwiseNot(new Int32Array([0, 5]));
 * console.assert(y.dataSync().join() === "-1,-6");
 * ```
 */
export function bitwiseNot(x: TensorLike): Tensor {
  return unaryOp("bitwiseNot", x);
}
