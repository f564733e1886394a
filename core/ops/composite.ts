/**
 * Numerically stable composites built from ops (no recording of their own):
 * `softmax`, `logSoftmax`, `logSumExp`, `logaddexp`. The statistics
 * (`variance`, `std`, `quantile`, `median`) live in `stats.ts` and `norm` in
 * `norm.ts`; both are re-exported here.
 *
 * @module
 */

import type { Tensor } from "../tensor.ts";
import { binaryOperands, isFloat, normalizeAxes, type TensorLike } from "./convert.ts";
import {
  abs,
  add,
  div,
  exp,
  isfinite,
  isnan,
  log,
  log1p,
  maximum,
  neg,
  sub,
  where,
} from "./elementwise.ts";
import { castTo, floatOperand } from "./linalg_common.ts";
import { pReshape, scoped } from "./prim.ts";
import { reduceAxes, reducedShape } from "./reduce_axes.ts";

export {
  median,
  quantile,
  type QuantileMethod,
  type QuantileOptions,
  std,
  variance,
  type VarianceOptions,
} from "./stats.ts";
export { norm, type NormOptions, type NormOrd } from "./norm.ts";

/** Options of {@link softmax} and {@link logSoftmax}. */
export interface SoftmaxOptions {
  /** Axis or axes to normalise over. Default -1. */
  readonly axis?: number | readonly number[];
}

/**
 * Softmax along `axis` (`jax.nn.softmax`): `exp(x − max) / Σ exp(x − max)`,
 * shifted by the max for stability. As in JAX, a slice that is all −∞ gives
 * NaN. Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { softmax } from "../../mod.ts";
 * using p = softmax([1, 2, 3]);
 * const v = p.dataSync();
 * console.assert(Math.abs(v[0] + v[1] + v[2] - 1) < 1e-6 && v[2] > v[1]);
 * ```
 */
export function softmax(x: TensorLike, options: SoftmaxOptions = {}): Tensor {
  const fn = "softmax";
  return scoped(() => {
    const t = floatOperand(fn, x);
    const axes = normalizeAxes(fn, options.axis ?? -1, t.rank);
    const e = exp(sub(t, reduceAxes("max", t, axes, true)));
    return div(e, reduceAxes("sum", e, axes, true));
  });
}

/**
 * Log of the softmax along `axis` (`jax.nn.log_softmax`):
 * `(x − max) − log Σ exp(x − max)`. Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { logSoftmax } from "../../mod.ts";
 * using l = logSoftmax([0, 0]);
 * console.assert(Math.abs(l.dataSync()[0] + Math.LN2) < 1e-6);
 * ```
 */
export function logSoftmax(x: TensorLike, options: SoftmaxOptions = {}): Tensor {
  const fn = "logSoftmax";
  return scoped(() => {
    const t = floatOperand(fn, x);
    const axes = normalizeAxes(fn, options.axis ?? -1, t.rank);
    const shifted = sub(t, reduceAxes("max", t, axes, true));
    return sub(shifted, log(reduceAxes("sum", exp(shifted), axes, true)));
  });
}

/** Options of {@link logSumExp}. */
export interface LogSumExpOptions {
  /** Axis or axes to reduce (default: all). */
  readonly axis?: number | readonly number[];
  /** Keep the reduced axes as length 1. Default false. */
  readonly keepdims?: boolean;
}

/**
 * `log Σ exp(x)` over `axis` (`jax.nn.logsumexp`), stable: with
 * `m = max(x)` (replaced by 0 where not finite), `m + log Σ exp(x − m)`. A
 * slice that is all −∞ gives −∞; a +∞ entry gives +∞; NaN propagates.
 * Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { logSumExp } from "../../mod.ts";
 * using y = logSumExp([[0, 0], [-Infinity, -Infinity]], { axis: 1 });
 * const v = y.dataSync();
 * console.assert(Math.abs(v[0] - Math.LN2) < 1e-6 && v[1] === -Infinity);
 * ```
 */
export function logSumExp(x: TensorLike, options: LogSumExpOptions = {}): Tensor {
  const fn = "logSumExp";
  return scoped(() => {
    const t = floatOperand(fn, x);
    const axes = normalizeAxes(fn, options.axis, t.rank);
    const m = reduceAxes("max", t, axes, true);
    const shift = where(isfinite(m), m, 0);
    const out = add(log(reduceAxes("sum", exp(sub(t, shift)), axes, true)), shift);
    return options.keepdims ? out : pReshape(out, reducedShape(t.shape, axes, false));
  });
}

/**
 * `log(exp(a) + exp(b))` elementwise with broadcasting (`jnp.logaddexp`):
 * `max(a, b) + log1p(exp(−|a − b|))`, and `a + b` where `a − b` is NaN (both
 * infinite of one sign, or a NaN). Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { logaddexp } from "../../mod.ts";
 * using y = logaddexp([0, -Infinity], [0, -Infinity]);
 * const v = y.dataSync();
 * console.assert(Math.abs(v[0] - Math.LN2) < 1e-6 && v[1] === -Infinity);
 * ```
 */
export function logaddexp(a: TensorLike, b: TensorLike): Tensor {
  const fn = "logaddexp";
  return scoped(() => {
    const o = binaryOperands(fn, a, b);
    const d = isFloat(o.dtype) ? o.dtype : "float32";
    const ta = castTo(o.a, d), tb = castTo(o.b, d);
    const delta = sub(ta, tb);
    const stable = add(maximum(ta, tb), log1p(exp(neg(abs(delta)))));
    return where(isnan(delta), add(ta, tb), stable);
  });
}
