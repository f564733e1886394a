/**
 * Likelihood-style losses of ngclearn's `metric_utils` (MSE, RMSE, MAE, BCE,
 * categorical NLL, KLD). ngclearn's convention is kept: each row's value is
 * a *sum* over its columns, and `preserveBatch: false` (the default) takes the
 * mean of those row sums (so `measureMse` is not the mean over all elements).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { rangeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { abs, add, clip, div, log, mul, neg, sqrt, square, sub, sum } from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import {
  boolOption,
  checkBroadcast,
  checkOptions,
  checkRank,
  floatInput,
  numberOption,
  reduceBatch,
} from "./common.ts";

/** Options of {@link measureMse}, {@link measureRmse}, {@link measureMae}, {@link measureKld}. */
export interface LossOptions {
  /** Keep one value per row, shape (N x 1) (default false: the mean of the row values, 0-d). */
  readonly preserveBatch?: boolean;
}

/** Options of {@link measureBce} and {@link measureCatNll}. */
export interface ProbLossOptions extends LossOptions {
  /** Probabilities are clipped to `[offset, 1 − offset]` before the log (default 1e-7; in [0, 0.5)). */
  readonly offset?: number;
}

/** Both operands as float (N x D) tensors that broadcast together. Call inside tidy. */
function pair(
  fn: string,
  aName: string,
  a: TensorLike,
  bName: string,
  b: TensorLike,
): [Tensor, Tensor] {
  const ta = floatInput(fn, aName, a);
  const tb = floatInput(fn, bName, b);
  checkRank(fn, aName, ta, [2], "(N x D)");
  checkRank(fn, bName, tb, [2], "(N x D)");
  checkBroadcast(fn, aName, ta.shape, bName, tb.shape);
  return [ta, tb];
}

function rowSum(x: Tensor): Tensor {
  return sum(x, { axis: 1, keepdims: true });
}

function preserve(fn: string, options: LossOptions): boolean {
  checkOptions(fn, options);
  return boolOption(fn, "preserveBatch", options.preserveBatch, false);
}

function offsetOf(fn: string, options: ProbLossOptions): number {
  const o = numberOption(fn, "offset", options.offset, 1e-7);
  if (o < 0 || o >= 0.5) {
    throw rangeError(
      fn,
      `offset must be in [0, 0.5) (probabilities are clipped to [offset, 1 - offset]), got ${o}`,
    );
  }
  return o;
}

/**
 * Squared error summed over each row (`measure_MSE`): `Σ_j (mu − x)²`
 * → (N x 1), or the mean over rows (0-d) — ngclearn's convention, not the
 * mean over all elements. NaN propagates to its row.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureMse } from "./mod.ts";
 * using e = measureMse(tensor([[1, 2], [3, 4]]), tensor([[1, 0], [0, 4]]));
 * console.assert(e.dataSync()[0] === 6.5); // rows 4 and 9
 * ```
 */
export function measureMse(mu: TensorLike, x: TensorLike, options: LossOptions = {}): Tensor {
  const fn = "measureMse";
  const pb = preserve(fn, options);
  return tidy(() => {
    const [a, b] = pair(fn, "mu", mu, "x", x);
    return reduceBatch(rowSum(square(sub(a, b))), pb);
  });
}

/**
 * Square root of {@link measureMse} (`measure_RMSE`); with
 * `preserveBatch: false` the root is taken after the mean over rows.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureRmse } from "./mod.ts";
 * using e = measureRmse(tensor([[3, 4]]), tensor([[0, 0]]));
 * console.assert(e.dataSync()[0] === 5);
 * ```
 */
export function measureRmse(mu: TensorLike, x: TensorLike, options: LossOptions = {}): Tensor {
  const fn = "measureRmse";
  const pb = preserve(fn, options);
  return tidy(() => {
    const [a, b] = pair(fn, "mu", mu, "x", x);
    return sqrt(reduceBatch(rowSum(square(sub(a, b))), pb));
  });
}

/**
 * Absolute error summed over each row (`measure_MAE`): `Σ_j |shift − x|`
 * → (N x 1), or the mean over rows.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureMae } from "./mod.ts";
 * using e = measureMae(tensor([[1, -1], [0, 2]]), tensor([[0, 0], [0, 0]]));
 * console.assert(e.dataSync()[0] === 2);
 * ```
 */
export function measureMae(shift: TensorLike, x: TensorLike, options: LossOptions = {}): Tensor {
  const fn = "measureMae";
  const pb = preserve(fn, options);
  return tidy(() => {
    const [a, b] = pair(fn, "shift", shift, "x", x);
    return reduceBatch(rowSum(abs(sub(a, b))), pb);
  });
}

/**
 * Binary cross-entropy summed over each row (`measure_BCE`): with
 * `p' = clip(p, offset, 1 − offset)`, `−Σ_j [x·log p' + (1 − x)·log(1 − p')]`
 * → (N x 1), or the mean over rows. Probabilities outside [0, 1] are clipped
 * like any other (checking values would need a device readback).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureBce } from "./mod.ts";
 * using e = measureBce(tensor([[0.5, 0.5]]), tensor([[1, 0]]));
 * console.assert(Math.abs(e.dataSync()[0] - 2 * Math.LN2) < 1e-6);
 * ```
 */
export function measureBce(p: TensorLike, x: TensorLike, options: ProbLossOptions = {}): Tensor {
  const fn = "measureBce";
  const pb = preserve(fn, options);
  const o = offsetOf(fn, options);
  return tidy(() => {
    const [tp, tx] = pair(fn, "p", p, "x", x);
    const pc = clip(tp, o, 1 - o);
    const ll = add(mul(tx, log(pc)), mul(sub(1, tx), log(sub(1, pc))));
    return reduceBatch(neg(rowSum(ll)), pb);
  });
}

/**
 * Categorical negative log-likelihood summed over each row (`measure_CatNLL`):
 * `−Σ_j x·log clip(p, offset, 1 − offset)` → (N x 1), or the mean over rows.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureCatNll } from "./mod.ts";
 * using e = measureCatNll(tensor([[0.25, 0.75]]), tensor([[0, 1]]));
 * console.assert(Math.abs(e.dataSync()[0] + Math.log(0.75)) < 1e-6);
 * ```
 */
export function measureCatNll(
  p: TensorLike,
  x: TensorLike,
  options: ProbLossOptions = {},
): Tensor {
  const fn = "measureCatNll";
  const pb = preserve(fn, options);
  const o = offsetOf(fn, options);
  return tidy(() => {
    const [tp, tx] = pair(fn, "p", p, "x", x);
    return reduceBatch(neg(rowSum(mul(tx, log(clip(tp, o, 1 - o))))), pb);
  });
}

/**
 * Kullback-Leibler divergence `KL(p_x ‖ p_xHat)` of each row divided by the
 * number of columns C (`measure_KLD`): with `P = clip(pX, 1e-6, 1 − 1e-6)` and
 * `Q = clip(pXHat, 1e-6, 1 − 1e-6)`, `(Σ_j P·log P − Σ_j P·log Q) / C`
 * → (N x 1), or the mean over rows.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureKld } from "./mod.ts";
 * using d = measureKld(tensor([[0.5, 0.5]]), tensor([[0.5, 0.5]]));
 * console.assert(Math.abs(d.dataSync()[0]) < 1e-7);
 * ```
 */
export function measureKld(pXHat: TensorLike, pX: TensorLike, options: LossOptions = {}): Tensor {
  const fn = "measureKld";
  const pb = preserve(fn, options);
  return tidy(() => {
    const [q0, p0] = pair(fn, "pXHat", pXHat, "pX", pX);
    const P = clip(p0, 1e-6, 1 - 1e-6);
    const Q = clip(q0, 1e-6, 1 - 1e-6);
    const c = Math.max(q0.shape[1], p0.shape[1]);
    const v = div(sub(rowSum(mul(P, log(P))), rowSum(mul(P, log(Q)))), c);
    return reduceBatch(v, pb);
  });
}
