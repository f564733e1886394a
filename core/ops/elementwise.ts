/**
 * Elementwise ops: the unary and binary ops (re-exported from `unary.ts` and
 * `binary.ts`), `where`, `cast`, `clip`, `nanToNum` and `bitsToUnit`.
 *
 * @module
 */

import type { DType } from "../../backends/backend.ts";
import { isTensor } from "../engine.ts";
import { typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import {
  binaryOperands,
  checkBackendDType,
  checkDType,
  isFloat,
  type TensorLike,
  toTensor,
} from "./convert.ts";
import { broadcastShape, maximum, minimum } from "./binary.ts";
import { pBinary, pCast, pCopy, pFill, pSelect, pUnary, scoped } from "./prim.ts";
import { unaryOp } from "./unary.ts";

export * from "./unary.ts";
export * from "./binary.ts";

function isScalar(v: unknown): v is number | boolean {
  return typeof v === "number" || typeof v === "boolean";
}

/**
 * `cond ? a : b` elementwise, broadcasting all three (`jnp.where` with three
 * arguments). `cond` is tested `!= 0` when it is not bool; `a` and `b` are
 * promoted to one dtype (plain numbers are weakly typed).
 *
 * @example
 * ```ts
 * import { where } from "../../mod.ts";
 * using y = where([true, false, true], [1, 2, 3], 0);
 * console.assert(y.dataSync().join() === "1,0,3");
 * ```
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return scoped(() => {
    const c0 = toTensor(cond, "where");
    const c = c0.dtype === "bool" ? c0 : pCast(c0, "bool");
    // Plain values are created on the condition's backend.
    const conv = (v: TensorLike): TensorLike =>
      isTensor(v) || isScalar(v) ? v : toTensor(v, "where", { backend: c.backend });
    let ta0 = conv(a);
    const tb0 = conv(b);
    if (isScalar(ta0) && isScalar(tb0)) ta0 = toTensor(ta0, "where", { backend: c.backend });
    const o = binaryOperands("where", ta0, tb0);
    if (o.a.backend !== c.backend) {
      throw typeError(
        "where",
        `cond lives on ${c.backend.name} but the values on ${o.a.backend.name}; use toBackend()`,
      );
    }
    broadcastShape("where", c.shape, o.a.shape, o.b.shape);
    const ta = o.a.dtype === o.dtype ? o.a : pCast(o.a, o.dtype);
    const tb = o.b.dtype === o.dtype ? o.b : pCast(o.b, o.dtype);
    return pSelect(c, ta, tb);
  });
}

/**
 * Convert to another dtype (float → int truncates toward zero, NaN → 0;
 * anything → bool is `!= 0`). Always returns a new tensor.
 *
 * @example
 * ```ts
 * import { cast } from "../../mod.ts";
 * using y = cast([1.7, -1.7, 0], "int32");
 * console.assert(y.dtype === "int32" && y.dataSync().join() === "1,-1,0");
 * ```
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const d = checkDType("cast", dtype);
  return scoped(() => {
    const t = toTensor(x, "cast");
    checkBackendDType("cast", t.backend, d);
    return t.dtype === d ? pCopy(t) : pCast(t, d);
  });
}

/**
 * Map uint32 random bits to float32 in [0, 1) the way `jax.random.uniform`
 * does: `bitcast_f32((b >>> 9) | 0x3F800000) - 1`.
 *
 * @example
 * ```ts
 * import { bitsToUnit } from "../../mod.ts";
 * using u = bitsToUnit(new Uint32Array([0, 0xffffffff]));
 * console.assert(u.dataSync()[0] === 0 && u.dataSync()[1] < 1);
 * ```
 */
export function bitsToUnit(bits: TensorLike): Tensor {
  return unaryOp("bitsToUnit", bits);
}

/**
 * Limit values to `[min, max]` (`jnp.clip`: `minimum(maximum(x, min), max)`);
 * either bound may be omitted (`undefined` or `null`). Bounds broadcast and
 * promote like any binary op.
 *
 * @example
 * ```ts
 * import { clip } from "../../mod.ts";
 * using y = clip([-2, 0.5, 3], 0, 1);
 * console.assert(y.dataSync().join() === "0,0.5,1");
 * ```
 */
export function clip(
  x: TensorLike,
  min?: TensorLike | null,
  max?: TensorLike | null,
): Tensor {
  return scoped(() => {
    let y = toTensor(x, "clip");
    if (min !== undefined && min !== null) y = maximum(y, min);
    if (max !== undefined && max !== null) y = minimum(y, max);
    return y === x ? pCopy(y) : y;
  });
}

/** Options of {@link nanToNum}. */
export interface NanToNumOptions {
  /** Replacement for NaN (default 0). */
  readonly nan?: number;
  /** Replacement for +Infinity (default: the largest finite value of the dtype). */
  readonly posinf?: number;
  /** Replacement for -Infinity (default: the most negative finite value of the dtype). */
  readonly neginf?: number;
}

/**
 * Replace NaN and infinities by finite numbers (`jnp.nan_to_num`). Integer
 * and bool tensors are returned unchanged (as a new tensor).
 *
 * @example
 * ```ts
 * import { nanToNum } from "../../mod.ts";
 * using y = nanToNum([NaN, Infinity, -Infinity, 1], { posinf: 9, neginf: -9 });
 * console.assert(y.dataSync().join() === "0,9,-9,1");
 * ```
 */
export function nanToNum(x: TensorLike, options: NanToNumOptions = {}): Tensor {
  for (const k of ["nan", "posinf", "neginf"] as const) {
    const v = options[k];
    if (v !== undefined && typeof v !== "number") {
      throw typeError("nanToNum", `${k} must be a number, got ${typeof v}`);
    }
  }
  return scoped(() => {
    const t = toTensor(x, "nanToNum");
    if (!isFloat(t.dtype)) return pCopy(t);
    const big = t.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const fill = (v: number) => pFill(t.backend, [], v, t.dtype);
    const isPos = pBinary("equal", t, fill(Infinity));
    const isNeg = pBinary("equal", t, fill(-Infinity));
    const inf = pSelect(
      isPos,
      fill(options.posinf ?? big),
      pSelect(isNeg, fill(options.neginf ?? -big), t),
    );
    return pSelect(pUnary("isnan", t), fill(options.nan ?? 0), inf);
  });
}
