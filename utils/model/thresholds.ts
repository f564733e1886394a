/**
 * Inverse activations and shrinkage thresholds of
 * `ngclearn.utils.model_utils`: `inverseTanh`, `inverseLogistic`,
 * `inverseSigmoid`, `thresholdSoft`, `thresholdCauchy` (spec:
 * model-utils.md). Elementwise; float output (int and bool inputs give
 * float32).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  add,
  atanh,
  cast,
  div,
  greaterEqual,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  sqrt,
  square,
  sub,
} from "../../core/ops/mod.ts";
import { checkNumber, floatInput } from "./common.ts";

/**
 * Inverse of `tanh`: `atanh(x) = ½·log((1 + x)/(1 − x))`; ±1 give ±Infinity,
 * |x| > 1 gives NaN. (ngclearn returns `log((1 + x)/(1 − x))`, twice the
 * inverse; this port returns the inverse.)
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { inverseTanh } from "./thresholds.ts";
 * using y = inverseTanh([0.5, 1]);
 * console.assert(Math.abs(y.dataSync()[0] - Math.atanh(0.5)) < 1e-6 && y.dataSync()[1] === Infinity);
 * ```
 */
export function inverseTanh(x: TensorLike): Tensor {
  return tidy(() => atanh(floatInput("inverseTanh", x)));
}

/** Options of {@link inverseLogistic} and {@link inverseSigmoid}. */
export interface InverseLogisticOptions {
  /** Clip x to `[clipBound, 1 − clipBound]` first when > 0 (default 0.03). */
  readonly clipBound?: number;
}

function inverseLogisticImpl(fn: string, x: TensorLike, options: InverseLogisticOptions): Tensor {
  const cb = checkNumber(fn, "clipBound", options.clipBound ?? 0.03);
  return tidy(() => {
    let t = floatInput(fn, x);
    if (cb > 0) t = minimum(maximum(t, cb), 1 - cb);
    // logit with ngclearn's 1e-6 guard in the denominator: log(x / ((1 − x) + 1e-6))
    return log(div(t, add(sub(1, t), 1e-6)));
  });
}

/**
 * Inverse of the logistic sigmoid, `log(x' / ((1 − x') + 1e-6))` with
 * `x' = clip(x, clipBound, 1 − clipBound)` when `clipBound > 0`. Any
 * `clipBound` works (ngclearn raises when it is passed explicitly).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { inverseLogistic } from "./thresholds.ts";
 * using y = inverseLogistic([0.5, 1], { clipBound: 0.1 });
 * const v = y.dataSync();
 * console.assert(Math.abs(v[0]) < 1e-5 && Math.abs(v[1] - Math.log(0.9 / 0.100001)) < 1e-5);
 * ```
 */
export function inverseLogistic(x: TensorLike, options: InverseLogisticOptions = {}): Tensor {
  return inverseLogisticImpl("inverseLogistic", x, options);
}

/**
 * Same as {@link inverseLogistic} (ngclearn's `inverse_sigmoid`, which always
 * raises there because it passes `clip_bound` explicitly).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { inverseSigmoid } from "./thresholds.ts";
 * using y = inverseSigmoid([0]);
 * console.assert(Math.abs(y.dataSync()[0] - Math.log(0.03 / (0.97 + 1e-6))) < 1e-5);
 * ```
 */
export function inverseSigmoid(x: TensorLike, options: InverseLogisticOptions = {}): Tensor {
  return inverseLogisticImpl("inverseSigmoid", x, options);
}

/**
 * Soft threshold (shrinkage) `max(x − λ, 0) − max(−x − λ, 0)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { thresholdSoft } from "./thresholds.ts";
 * using y = thresholdSoft([-2, 0.5, 3], 1);
 * console.assert(y.dataSync().join() === "-1,0,2");
 * ```
 */
export function thresholdSoft(x: TensorLike, lmbda: number): Tensor {
  const l = checkNumber("thresholdSoft", "lmbda", lmbda);
  return tidy(() => {
    const t = floatInput("thresholdSoft", x);
    return sub(maximum(sub(t, l), 0), maximum(sub(neg(t), l), 0));
  });
}

/**
 * Cauchy threshold (ngclearn's intended formula; its code always raises):
 * `r = sqrt(max(x² − λ, 0))`, `f = (x + r)/2`, `g = (x − r)/2`, result
 * `f·[x ≥ λ] + g·[x ≤ −λ]`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { thresholdCauchy } from "./thresholds.ts";
 * using y = thresholdCauchy([-1, 0, 1], 0.5);
 * const v = y.dataSync();
 * const r = Math.sqrt(0.5);
 * console.assert(Math.abs(v[0] - (-1 - r) / 2) < 1e-6 && v[1] === 0 && Math.abs(v[2] - (1 + r) / 2) < 1e-6);
 * ```
 */
export function thresholdCauchy(x: TensorLike, lmbda: number): Tensor {
  const l = checkNumber("thresholdCauchy", "lmbda", lmbda);
  return tidy(() => {
    const t = floatInput("thresholdCauchy", x);
    const r = sqrt(maximum(sub(square(t), l), 0));
    const f = mul(add(t, r), 0.5);
    const g = mul(sub(t, r), 0.5);
    const up = cast(greaterEqual(t, l), t.dtype);
    const down = cast(lessEqual(t, -l), t.dtype);
    return add(mul(f, up), mul(g, down));
  });
}
