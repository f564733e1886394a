/**
 * Response statistics of ngclearn's `metric_utils`: breadth of tuning curve
 * and the Pearson correlation of two recordings over time.
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, typeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  add,
  div,
  equal,
  mean,
  mul,
  reciprocal,
  sqrt,
  square,
  squeeze,
  sub,
  sum,
  variance,
  where,
} from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import { boolOption, checkOptions, checkRank, floatInput, reduceBatch } from "./common.ts";

/** Options of the tuning-curve and correlation measures. */
export interface PreserveBatchOptions {
  /** Keep one value per neuron / per sample (default false: their mean, 0-d). */
  readonly preserveBatch?: boolean;
}

/**
 * Breadth of the tuning curve of each neuron
 * (`measure_breadthOfTuningCurve`), for `responses` of shape (B x T x D):
 * B trials, T stimulus conditions, D neurons. With `c` the trial mean (T x D),
 * `μ` and `σ²` its mean and population variance over conditions,
 * `C = σ²/μ` (variance over mean, as ngclearn) and `BTC = 1/(1 + C²)`;
 * a neuron with `μ = 0` gets 0. The result is squeezed to (D,) (a 0-d tensor
 * when D = 1), or its mean over neurons.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureBreadthOfTuningCurve } from "./mod.ts";
 * using r = tensor([[[1, 0], [1, 0], [1, 0]]]); // 1 trial, 3 conditions, 2 neurons
 * using b = measureBreadthOfTuningCurve(r, { preserveBatch: true });
 * console.assert(b.dataSync().join() === "1,0");
 * ```
 */
export function measureBreadthOfTuningCurve(
  responses: TensorLike,
  options: PreserveBatchOptions = {},
): Tensor {
  return btc("measureBreadthOfTuningCurve", responses, options, false);
}

/**
 * Deprecated alias of {@link measureBreadthOfTuningCurve}
 * (`measure_breadth_TC`). A 3-D input (B x T x D) gives exactly
 * `measureBreadthOfTuningCurve`; a 2-D input (T x D) is read as the formula
 * of ngclearn's older docs: `C = var_t/mean_t` per neuron, `BTC = 1/(1+C²)`
 * (1 x D), without the zero guard (a silent neuron gives NaN).
 *
 * @deprecated Use {@link measureBreadthOfTuningCurve}.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureBreadthTc } from "./mod.ts";
 * using b = measureBreadthTc(tensor([[[2, 2], [2, 2]]]));
 * console.assert(b.dataSync()[0] === 1);
 * ```
 */
export function measureBreadthTc(
  responses: TensorLike,
  options: PreserveBatchOptions = {},
): Tensor {
  return btc("measureBreadthTc", responses, options, true);
}

function btc(
  fn: string,
  responses: TensorLike,
  options: PreserveBatchOptions,
  allow2d: boolean,
): Tensor {
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, false);
  return tidy(() => {
    const r = floatInput(fn, "responses", responses);
    checkRank(
      fn,
      "responses",
      r,
      allow2d ? [2, 3] : [3],
      allow2d ? "(B x T x D) or (T x D)" : "(B x T x D)",
    );
    if (r.rank === 2) {
      // Seed-era formula on (T x D): no zero guard.
      const mu = mean(r, { axis: 0, keepdims: true });
      const c = div(variance(r, { axis: 0, keepdims: true }), mu);
      return reduceBatch(reciprocal(add(square(c), 1)), pb);
    }
    const c = mean(r, { axis: 0, keepdims: true });
    const mu = mean(c, { axis: 1, keepdims: true });
    const v = variance(c, { axis: 1, keepdims: true });
    const zero = equal(mu, 0);
    const ratio = div(v, where(zero, 1, mu));
    const b = where(zero, 0, reciprocal(add(square(ratio), 1)));
    return reduceBatch(squeeze(b), pb);
  });
}

/**
 * Pearson correlation over time of two recordings `a`, `b` of shape
 * (N x T x D) (`measure_Pearson_correlation`), one per (sample, neuron):
 * `r = Σ_t da·db / √(Σ_t da² · Σ_t db²)` with `da = a − mean_t a`; a
 * constant channel (zero denominator) gives `r = 0`. With `preserveBatch`
 * the mean over neurons (N x 1), else the mean over all N·D values (0-d).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measurePearsonCorrelation } from "./mod.ts";
 * using a = tensor([[[1], [2], [3]]]);
 * using b = tensor([[[6], [4], [2]]]);
 * using r = measurePearsonCorrelation(a, b);
 * console.assert(Math.abs(r.dataSync()[0] + 1) < 1e-6);
 * ```
 */
export function measurePearsonCorrelation(
  a: TensorLike,
  b: TensorLike,
  options: PreserveBatchOptions = {},
): Tensor {
  const fn = "measurePearsonCorrelation";
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, false);
  return tidy(() => {
    const ta = floatInput(fn, "a", a);
    const tb = floatInput(fn, "b", b);
    checkRank(fn, "a", ta, [3], "(N x T x D)");
    if (ta.shape.join() !== tb.shape.join()) {
      throw typeError(
        fn,
        `a and b must have the same shape, got ${fmtShape(ta.shape)} and ${fmtShape(tb.shape)}`,
      );
    }
    const da = sub(ta, mean(ta, { axis: 1, keepdims: true }));
    const db = sub(tb, mean(tb, { axis: 1, keepdims: true }));
    const cov = sum(mul(da, db), { axis: 1 });
    const den = sqrt(mul(sum(square(da), { axis: 1 }), sum(square(db), { axis: 1 })));
    const zero = equal(den, 0);
    const r = where(zero, 0, div(cov, where(zero, 1, den)));
    return pb ? mean(r, { axis: 1, keepdims: true }) : mean(r);
  });
}
