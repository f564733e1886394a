/**
 * Row softmax with a temperature and its Jacobian (`softmax`, `d_softmax` of
 * `ngclearn.utils.model_utils`; spec: model-utils.md).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { div, expandDims, eye, mul, softmax as softmaxOp, sub } from "../../core/ops/mod.ts";
import { checkBool, checkNumber, floatInput } from "./common.ts";

/** Options of {@link softmax}. */
export interface SoftmaxTauOptions {
  /** Temperature; values ≤ 0 mean no temperature (t = 1). Default 0. */
  readonly tau?: number;
}

/** Options of {@link dSoftmax}. */
export interface DSoftmaxOptions extends SoftmaxTauOptions {
  /**
   * ngclearn's switch between a vmapped and a batched algorithm; both give
   * the same numbers, so it is accepted and ignored. Default false.
   */
  readonly vmapForm?: boolean;
}

function temperature(fn: string, tau: unknown): number {
  const t = checkNumber(fn, "tau", tau ?? 0);
  return t > 0 ? t : 1;
}

function rows(fn: string, x: TensorLike): Tensor {
  const t = floatInput(fn, x);
  if (t.rank !== 2) {
    throw typeError(fn, `x must be 2-D (batch x units), got shape ${fmtShape(t.shape)}`);
  }
  return t;
}

/**
 * Softmax of each row of a 2-D `x` with temperature:
 * `t = tau > 0 ? tau : 1`, `z = x/t`, `exp(z − max z) / Σ exp(z − max z)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { softmax } from "./softmax.ts";
 * using p = softmax([[1000, 0, -1000], [0, 0, 0]]);
 * const v = p.dataSync();
 * console.assert(v[0] === 1 && v[1] === 0 && Math.abs(v[3] - 1 / 3) < 1e-7);
 * ```
 */
export function softmax(x: TensorLike, options: SoftmaxTauOptions = {}): Tensor {
  const t = temperature("softmax", options.tau);
  return tidy(() => {
    const r = rows("softmax", x);
    return softmaxOp(t === 1 ? r : div(r, t), { axis: 1 });
  });
}

/**
 * Jacobian of {@link softmax} for each row: with `s = softmax(x, tau)`,
 * `J[b] = (diag(s_b) − s_b s_bᵀ) / t`, shape `[B, D, D]`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dSoftmax } from "./softmax.ts";
 * using j = dSoftmax([[0, 0]]);
 * console.assert(j.shape.join() === "1,2,2" && j.dataSync().join() === "0.25,-0.25,-0.25,0.25");
 * ```
 */
export function dSoftmax(x: TensorLike, options: DSoftmaxOptions = {}): Tensor {
  const t = temperature("dSoftmax", options.tau);
  checkBool("dSoftmax", "vmapForm", options.vmapForm ?? false);
  return tidy(() => {
    const r = rows("dSoftmax", x);
    const s = softmaxOp(t === 1 ? r : div(r, t), { axis: 1 });
    const col = expandDims(s, 2); // [B, D, 1]
    const row = expandDims(s, 1); // [B, 1, D]
    const diag = mul(col, eye(r.shape[1], { dtype: r.dtype, backend: r.backend }));
    const jac = sub(diag, mul(col, row));
    return t === 1 ? jac : div(jac, t);
  });
}
