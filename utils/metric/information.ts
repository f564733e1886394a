/**
 * Model-level measures of ngclearn's `metric_utils`: the KL divergence of two
 * multivariate Gaussians and the Bayesian information criterion.
 *
 * @module
 */

import { isTensor, tidy } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  add,
  cholesky,
  eye,
  log,
  matmul,
  mul,
  pinv,
  reshape,
  slogdet,
  sub,
  sum,
  trace,
  triangularSolve,
} from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import { boolOption, checkOptions, floatInput } from "./common.ts";

/** A multivariate Gaussian: mean (D,) or (1 x D) and covariance (D x D). */
export interface Gaussian {
  /** Mean, shape (D,) or (1 x D). */
  readonly mu: TensorLike;
  /** Covariance, shape (D x D), symmetric positive definite. */
  readonly sigma: TensorLike;
}

/** Options of {@link measureGaussianKld}. */
export interface GaussianKldOptions {
  /**
   * Build q's precision from its Cholesky factor, `P = L⁻ᵀL⁻¹` (default
   * true), instead of the pseudo-inverse of `q.sigma`.
   */
  readonly useCholPrec?: boolean;
}

function gaussianParts(fn: string, name: string, g: Gaussian): [Tensor, Tensor] {
  if (typeof g !== "object" || g === null || isTensor(g) || !("mu" in g) || !("sigma" in g)) {
    throw typeError(fn, `${name} must be an object { mu, sigma }`);
  }
  const m = floatInput(fn, `${name}.mu`, g.mu);
  const s = floatInput(fn, `${name}.sigma`, g.sigma);
  const d = m.size;
  if (!(m.rank === 1 || (m.rank === 2 && m.shape[0] === 1)) || d === 0) {
    throw typeError(fn, `${name}.mu must have shape (D,) or (1 x D), got ${fmtShape(m.shape)}`);
  }
  if (s.rank !== 2 || s.shape[0] !== d || s.shape[1] !== d) {
    throw typeError(
      fn,
      `${name}.sigma must have shape (D x D) = [${d}, ${d}] to match ${name}.mu, got ${
        fmtShape(s.shape)
      }`,
    );
  }
  return [reshape(m, [1, d]), s];
}

/**
 * KL divergence `KL(p ‖ q)` of two D-dimensional Gaussians
 * (`measure_gaussian_KLD(mu1, Sigma1, mu2, Sigma2)` with p = (mu1, Sigma1),
 * q = (mu2, Sigma2)):
 * `½ (ln|Σ_q| − ln|Σ_p| + tr(Σ_q⁻¹ Σ_p) + (μ_q − μ_p) Σ_q⁻¹ (μ_q − μ_p)ᵀ − D)`
 * → shape (1 x 1). Log-determinants come from `slogdet` (sign·logabsdet, as
 * ngclearn). ngclearn's code adds the quadratic term twice; here it is
 * counted once (the correct formula, also ngclearn's docstring).
 *
 * @example
 * ```ts
 * import "../../mod.ts";
 * import { measureGaussianKld } from "./mod.ts";
 * using kl = measureGaussianKld(
 *   { mu: [0, 0], sigma: [[1, 0], [0, 1]] },
 *   { mu: [1, 0], sigma: [[1, 0], [0, 1]] },
 * );
 * console.assert(Math.abs(kl.dataSync()[0] - 0.5) < 1e-6);
 * ```
 */
export function measureGaussianKld(
  p: Gaussian,
  q: Gaussian,
  options: GaussianKldOptions = {},
): Tensor {
  const fn = "measureGaussianKld";
  checkOptions(fn, options);
  const useChol = boolOption(fn, "useCholPrec", options.useCholPrec, true);
  return tidy(() => {
    const [mu1, s1] = gaussianParts(fn, "p", p);
    const [mu2, s2] = gaussianParts(fn, "q", q);
    const d = mu1.shape[1];
    if (mu2.shape[1] !== d) {
      throw typeError(fn, `p and q must have the same dimension, got ${d} and ${mu2.shape[1]}`);
    }
    const ld = (s: Tensor): Tensor => {
      const { sign, logabsdet } = slogdet(s);
      return mul(sign, logabsdet);
    };
    let prec: Tensor;
    if (useChol) {
      // P = L⁻ᵀ L⁻¹ with Σ_q = L Lᵀ (L⁻¹ by a triangular solve, not a pseudo-inverse).
      const li = triangularSolve(cholesky(s2), eye(d, { dtype: s2.dtype }), { lower: true });
      prec = matmul(li, li, { transposeA: true });
    } else {
      prec = pinv(s2);
    }
    const tr = trace(matmul(prec, s1));
    const z = sub(mu2, mu1);
    const quad = sum(mul(matmul(z, prec), z), { axis: 1, keepdims: true });
    // (ld2 − ld1) + quad + tr − D, halved; quad counted once (ngclearn: twice).
    const inner = add(add(sub(ld(s2), ld(s1)), quad), sub(tr, d));
    return mul(inner, 0.5);
  });
}

/** Options of {@link measureBic}. */
export interface BicOptions {
  /** Number of free parameters K of the model (a non-negative number). */
  readonly nModelParams: number;
  /** The model's maximum log-likelihood L (or likelihood, with `isLog: false`). */
  readonly maxModelScore: TensorLike;
  /** `maxModelScore` is already a log-likelihood (default true); else its log is taken. */
  readonly isLog?: boolean;
}

/**
 * Bayesian information criterion (`measure_BIC(X, n_model_params,
 * max_model_score, is_log)`): `BIC = −2 L + K ln N` with N the number of rows
 * of `x` (the data the model was fitted on) → a 0-d tensor. `maxModelScore`
 * may be a number or a (size-1) tensor, so a likelihood computed on the
 * device needs no readback.
 *
 * @example
 * ```ts
 * import { zeros } from "../../mod.ts";
 * import { measureBic } from "./mod.ts";
 * using x = zeros([50, 3]);
 * using bic = measureBic(x, { nModelParams: 7, maxModelScore: -123.4 });
 * console.assert(Math.abs(bic.dataSync()[0] - (246.8 + 7 * Math.log(50))) < 1e-3);
 * ```
 */
export function measureBic(x: TensorLike, options: BicOptions): Tensor {
  const fn = "measureBic";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw typeError(fn, "options { nModelParams, maxModelScore } are required");
  }
  const k = options.nModelParams;
  if (typeof k !== "number") throw typeError(fn, `nModelParams must be a number, got ${typeof k}`);
  if (!Number.isFinite(k) || k < 0) {
    throw rangeError(fn, `nModelParams must be a finite number >= 0, got ${k}`);
  }
  if (options.maxModelScore === undefined) throw typeError(fn, "maxModelScore is required");
  const isLog = boolOption(fn, "isLog", options.isLog, true);
  const n = rowsOf(fn, x);
  if (n < 1) throw rangeError(fn, `x must have at least one row, got ${n}`);
  return tidy(() => {
    const s = floatInput(fn, "maxModelScore", options.maxModelScore);
    if (s.size !== 1) {
      throw typeError(fn, `maxModelScore must be a single value, got shape ${fmtShape(s.shape)}`);
    }
    const ll = isLog ? s : log(s);
    return add(mul(reshape(ll, []), -2), k * Math.log(n));
  });
}

/** Number of rows of x without converting a tensor (nested arrays: outer length). */
function rowsOf(fn: string, x: TensorLike): number {
  if (isTensor(x)) {
    if (x.rank < 1) throw typeError(fn, "x must have rank >= 1 (N x D), got a 0-d tensor");
    return x.shape[0];
  }
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return (x as ArrayLike<unknown>).length;
  throw typeError(fn, `x must be a tensor or an array of rows, got ${typeof x}`);
}
