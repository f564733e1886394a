/**
 * Elementwise binary ops with NumPy broadcasting and JAX type promotion
 * (`convert.ts`: bool < int32/uint32 < float32 < float64; a plain JS number
 * is weakly typed and takes the other operand's dtype, except a non-integer
 * next to an integer or bool tensor, which gives float32).
 *
 * Per-op dtype rules (as jnp):
 * - `div` and `atan2` of integers or bools compute in float32;
 * - `add`/`maximum` of bools is logical or, `mul`/`minimum` logical and,
 *   `sub` of bools a TypeError; `floorDiv`, `mod`, `pow`, shifts cast bools to int32;
 * - comparisons promote, then return bool; logical ops test each operand `!= 0`;
 * - bitwise ops and shifts need integers (or bools); floats are a TypeError.
 *
 * @module
 */

import type { BinaryOp, DType } from "../../backends/backend.ts";
import { broadcastShapes } from "../../backends/backend.ts";
import { fmtShape, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { binaryOperands, isFloat, type TensorLike } from "./convert.ts";
import { pBinary, pCast, scoped } from "./prim.ts";

export type { BinaryOp };

/**
 * The NumPy broadcast shape of several shapes; a TypeError naming them when
 * they are incompatible.
 *
 * @example
 * ```ts
 * import { broadcastShape } from "./binary.ts";
 * console.assert(broadcastShape("add", [2, 1], [3]).join() === "2,3");
 * ```
 */
export function broadcastShape(fn: string, ...shapes: (readonly number[])[]): number[] {
  let out: number[] | null = [];
  for (const s of shapes) {
    out = broadcastShapes(out, s);
    if (out === null) {
      throw typeError(
        fn,
        `shapes ${shapes.map(fmtShape).join(", ")} cannot be broadcast together`,
      );
    }
  }
  return out;
}

const BOOL_AS: Readonly<Partial<Record<BinaryOp, BinaryOp | null>>> = {
  add: "logicalOr",
  maximum: "logicalOr",
  mul: "logicalAnd",
  minimum: "logicalAnd",
  bitwiseAnd: "logicalAnd",
  bitwiseOr: "logicalOr",
  bitwiseXor: "logicalXor",
  sub: null,
};

const COMPARE: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
]);

const LOGICAL: ReadonlySet<BinaryOp> = new Set<BinaryOp>(["logicalAnd", "logicalOr", "logicalXor"]);

const INTEGER_ONLY: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "bitwiseAnd",
  "bitwiseOr",
  "bitwiseXor",
  "shiftLeft",
  "shiftRight",
]);

const KNOWN: ReadonlySet<string> = new Set<string>([
  "add",
  "sub",
  "mul",
  "div",
  "floorDiv",
  "mod",
  "pow",
  "maximum",
  "minimum",
  "atan2",
  ...COMPARE,
  ...LOGICAL,
  ...INTEGER_ONLY,
]);

/** The dtype the kernel runs in, and the kernel op, for operands promoted to `d`. */
function plan(op: BinaryOp, d: DType, shapes: string): { op: BinaryOp; dtype: DType } {
  if (LOGICAL.has(op)) return { op, dtype: "bool" };
  if (d === "bool" && op in BOOL_AS) {
    const as = BOOL_AS[op];
    if (as === null) {
      throw typeError(
        op,
        `boolean subtraction is not supported (operands ${shapes}); use logicalXor`,
      );
    }
    return { op: as!, dtype: "bool" };
  }
  if (INTEGER_ONLY.has(op)) {
    if (isFloat(d)) throw typeError(op, `expected integer or bool operands, got ${d} (${shapes})`);
    return { op, dtype: d === "bool" ? "int32" : d };
  }
  if (op === "div" || op === "atan2") return { op, dtype: isFloat(d) ? d : "float32" };
  if (d === "bool" && !COMPARE.has(op)) return { op, dtype: "int32" };
  return { op, dtype: d };
}

/**
 * Apply a binary op code with broadcasting and jnp's promotion rules (see
 * the module doc). The result is always a new tensor.
 *
 * @example
 * ```ts
 * import { binaryOp } from "../../mod.ts";
 * using y = binaryOp("add", new Int32Array([1, 2]), 0.5);
 * console.assert(y.dtype === "float32" && y.dataSync().join() === "1.5,2.5");
 * ```
 */
export function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  if (!KNOWN.has(op)) throw typeError("binaryOp", `unknown binary op ${JSON.stringify(op)}`);
  return scoped(() => {
    const o = binaryOperands(op, a, b);
    const shapes = `${o.a.dtype}${fmtShape(o.a.shape)} and ${o.b.dtype}${fmtShape(o.b.shape)}`;
    broadcastShape(op, o.a.shape, o.b.shape);
    const p = plan(op, o.dtype, shapes);
    const ta = o.a.dtype === p.dtype ? o.a : pCast(o.a, p.dtype);
    const tb = o.b.dtype === p.dtype ? o.b : pCast(o.b, p.dtype);
    return pBinary(p.op, ta, tb);
  });
}

/**
 * Elementwise `a + b` with broadcasting and promotion (on bools: logical or, as jnp).
 *
 * @example
 * ```ts
 * import { add } from "../../mod.ts";
 * using y = add([1, 2], 10);
 * console.assert(y.dataSync().join() === "11,12");
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("add", a, b);
}

/**
 * Elementwise `a - b` with broadcasting and promotion (bools are a TypeError, as jnp).
 *
 * @example
 * ```ts
 * import { sub } from "../../mod.ts";
 * using y = sub([1, 2], [[1], [2]]);
 * console.assert(y.dataSync().join() === "0,1,-1,0");
 * ```
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("sub", a, b);
}

/**
 * Elementwise `a * b` with broadcasting and promotion (on bools: logical and).
 *
 * @example
 * ```ts
 * import { mul } from "../../mod.ts";
 * using y = mul([1, 2], 3);
 * console.assert(y.dataSync().join() === "3,6");
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("mul", a, b);
}

/**
 * Elementwise true division `a / b`; integer and bool operands give float32 (as jnp).
 *
 * @example
 * ```ts
 * import { div } from "../../mod.ts";
 * using y = div(new Int32Array([1, 3]), 2);
 * console.assert(y.dtype === "float32" && y.dataSync().join() === "0.5,1.5");
 * ```
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("div", a, b);
}

/**
 * Elementwise floor division `a // b` (Python/NumPy; int32 division by zero gives 0; bools → int32).
 *
 * @example
 * ```ts
 * import { floorDiv } from "../../mod.ts";
 * using y = floorDiv([7, -7], 2);
 * console.assert(y.dataSync().join() === "3,-4");
 * ```
 */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("floorDiv", a, b);
}

/**
 * Elementwise remainder with the sign of the divisor (Python/NumPy `%`; bools → int32).
 *
 * @example
 * ```ts
 * import { mod } from "../../mod.ts";
 * using y = mod([7, -7], 3);
 * console.assert(y.dataSync().join() === "1,2");
 * ```
 */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("mod", a, b);
}

/**
 * Elementwise power `a ** b` (bools → int32).
 *
 * @example
 * ```ts
 * import { pow } from "../../mod.ts";
 * using y = pow([2, 3], 2);
 * console.assert(y.dataSync().join() === "4,9");
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("pow", a, b);
}

/**
 * Elementwise maximum; NaN propagates (on bools: logical or).
 *
 * @example
 * ```ts
 * import { maximum } from "../../mod.ts";
 * using y = maximum([1, 5], [3, 2]);
 * console.assert(y.dataSync().join() === "3,5");
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("maximum", a, b);
}

/**
 * Elementwise minimum; NaN propagates (on bools: logical and).
 *
 * @example
 * ```ts
 * import { minimum } from "../../mod.ts";
 * using y = minimum([1, 5], [3, 2]);
 * console.assert(y.dataSync().join() === "1,2");
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("minimum", a, b);
}

/**
 * Elementwise `atan2(a, b)`, the angle of the point (b, a) (int/bool → float32).
 *
 * @example
 * ```ts
 * import { atan2 } from "../../mod.ts";
 * using y = atan2([0], [1]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("atan2", a, b);
}

/**
 * Elementwise `a == b` after promotion → bool.
 *
 * @example
 * ```ts
 * import { equal } from "../../mod.ts";
 * using y = equal([1, 2], 2);
 * console.assert(y.dtype === "bool" && y.dataSync().join() === "0,1");
 * ```
 */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("equal", a, b);
}

/**
 * Elementwise `a != b` after promotion → bool.
 *
 * @example
 * ```ts
 * import { notEqual } from "../../mod.ts";
 * using y = notEqual([1, 2], 2);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("notEqual", a, b);
}

/**
 * Elementwise `a < b` after promotion → bool.
 *
 * @example
 * ```ts
 * import { less } from "../../mod.ts";
 * using y = less([1, 2], 2);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("less", a, b);
}

/**
 * Elementwise `a <= b` after promotion → bool.
 *
 * @example
 * ```ts
 * import { lessEqual } from "../../mod.ts";
 * using y = lessEqual([1, 2], 2);
 * console.assert(y.dataSync().join() === "1,1");
 * ```
 */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("lessEqual", a, b);
}

/**
 * Elementwise `a > b` after promotion → bool.
 *
 * @example
 * ```ts
 * import { greater } from "../../mod.ts";
 * using y = greater([1, 3], 2);
 * console.assert(y.dataSync().join() === "0,1");
 * ```
 */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("greater", a, b);
}

/**
 * Elementwise `a >= b` after promotion → bool.
 *
 * @example
 * ```ts
 * import { greaterEqual } from "../../mod.ts";
 * using y = greaterEqual([1, 2], 2);
 * console.assert(y.dataSync().join() === "0,1");
 * ```
 */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("greaterEqual", a, b);
}

/**
 * Elementwise logical and; operands are tested `!= 0` → bool.
 *
 * @example
 * ```ts
 * import { logicalAnd } from "../../mod.ts";
 * using y = logicalAnd([true, true], [true, false]);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("logicalAnd", a, b);
}

/**
 * Elementwise logical or; operands are tested `!= 0` → bool.
 *
 * @example
 * ```ts
 * import { logicalOr } from "../../mod.ts";
 * using y = logicalOr([true, false], [false, false]);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("logicalOr", a, b);
}

/**
 * Elementwise logical exclusive or; operands are tested `!= 0` → bool.
 *
 * @example
 * ```ts
 * import { logicalXor } from "../../mod.ts";
 * using y = logicalXor([true, true], [true, false]);
 * console.assert(y.dataSync().join() === "0,1");
 * ```
 */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("logicalXor", a, b);
}

/**
 * Elementwise bitwise and of integers (logical and on bools; floats are a TypeError).
 *
 * @example
 * ```ts
 * import { bitwiseAnd } from "../../mod.ts";
 * using y = bitwiseAnd(new Int32Array([6, 5]), new Int32Array([3, 3]));
 * console.assert(y.dataSync().join() === "2,1");
 * ```
 */
export function bitwiseAnd(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("bitwiseAnd", a, b);
}

/**
 * Elementwise bitwise or of integers (logical or on bools; floats are a TypeError).
 *
 * @example
 * ```ts
 * import { bitwiseOr } from "../../mod.ts";
 * using y = bitwiseOr(new Int32Array([6, 5]), new Int32Array([3, 3]));
 * console.assert(y.dataSync().join() === "7,7");
 * ```
 */
export function bitwiseOr(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("bitwiseOr", a, b);
}

/**
 * Elementwise bitwise xor of integers (logical xor on bools; floats are a TypeError).
 *
 * @example
 * ```ts
 * import { bitwiseXor } from "../../mod.ts";
 * using y = bitwiseXor(new Int32Array([6, 5]), new Int32Array([3, 3]));
 * console.assert(y.dataSync().join() === "5,6");
 * ```
 */
export function bitwiseXor(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("bitwiseXor", a, b);
}

/**
 * Elementwise `a << b` of integers (shift count mod 32; bools → int32; floats are a TypeError).
 *
 * @example
 * ```ts
 * import { shiftLeft } from "../../mod.ts";
 * using y = shiftLeft(new Int32Array([1, 3]), new Int32Array([4, 1]));
 * console.assert(y.dataSync().join() === "16,6");
 * ```
 */
export function shiftLeft(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("shiftLeft", a, b);
}

/**
 * Elementwise `a >> b` of integers: arithmetic on int32, logical on uint32 (bools → int32; floats are a TypeError).
 *
 * @example
 * ```ts
 * import { shiftRight } from "../../mod.ts";
 * using y = shiftRight(new Int32Array([-16, 16]), new Int32Array([2, 2]));
 * console.assert(y.dataSync().join() === "-4,4");
 * ```
 */
export function shiftRight(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("shiftRight", a, b);
}
