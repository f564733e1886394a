/**
 * Effective dimensionality of a set of latent codes
 * (`ngclearn.utils.analysis.effective_dim`): the participation ratio of the
 * covariance spectrum and RankMe (the exponential of the entropy of the
 * normalised singular values).
 *
 * @module
 */

import { tidy } from "../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../core/errors.ts";
import { isFloat, type TensorLike, toTensor } from "../core/ops/convert.ts";
import {
  add,
  cast,
  div,
  exp,
  greater,
  lessEqual,
  log,
  matmul,
  mean,
  mul,
  neg,
  scalar,
  square,
  sub,
  sum,
  svd,
  trace,
  where,
} from "../core/ops/mod.ts";
import type { Tensor } from "../core/tensor.ts";

function codesInput(fn: string, x: TensorLike): Tensor {
  let t: Tensor;
  try {
    t = toTensor(x, fn);
  } catch (e) {
    if (e instanceof TypeError) {
      throw typeError(fn, `latentCodes: ${e.message.replace(/^\w+\(\): /, "")}`);
    }
    throw e;
  }
  if (t.rank !== 2) {
    throw typeError(fn, `latentCodes must be a matrix (N x D), got shape ${fmtShape(t.shape)}`);
  }
  return isFloat(t.dtype) ? t : cast(t, "float32");
}

/** Options of {@link participationRatio}. */
export interface ParticipationRatioOptions {
  /** Return NaN instead of 1 when the covariance is zero (default false). */
  readonly useNanFallback?: boolean;
}

/**
 * Participation ratio of latent codes `Z` (N x D): with
 * `C = (Z − mean)ᵀ(Z − mean) / (N − 1)` (the sample covariance),
 * `PR = tr(C)² / tr(C·C)` = (Σλ)² / Σλ² over C's eigenvalues, between 1
 * (one direction) and D (isotropic). When `tr(C·C) <= 0` (no variance) the
 * result is 1, or NaN with `useNanFallback` (ngclearn raises there under
 * jit, testing a traced value with a Python `if`). A 0-d tensor. TypeError
 * unless `Z` is 2-D.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { participationRatio } from "./effective_dim.ts";
 * using pr = participationRatio([[1, 0], [-1, 0], [0, 1], [0, -1]]);
 * console.assert(Math.abs(await pr.item() - 2) < 1e-6); // isotropic in 2-D
 * ```
 */
export function participationRatio(
  latentCodes: TensorLike,
  options: ParticipationRatioOptions = {},
): Tensor {
  const fn = "participationRatio";
  const useNan = options.useNanFallback ?? false;
  if (typeof useNan !== "boolean") {
    throw typeError(fn, `useNanFallback must be a boolean, got ${typeof useNan}`);
  }
  return tidy(() => {
    const z = codesInput(fn, latentCodes);
    const n = z.shape[0];
    const zc = sub(z, mean(z, { axis: 0, keepdims: true }));
    const c = div(matmul(zc, zc, { transposeA: true }), n - 1);
    // tr(C·C) = Σ_ij C_ij² because C is symmetric.
    const trCC = sum(square(c));
    const pr = div(square(trace(c)), trCC);
    const fallback = scalar(useNan ? NaN : 1, pr.dtype);
    return where(lessEqual(trCC, 0), fallback, pr);
  });
}

/** Options of {@link rankme}. */
export interface RankMeOptions {
  /** Added to every normalised singular value before the entropy (default 1e-7). */
  readonly eps?: number;
}

/**
 * RankMe of latent codes `Z` (N x D): with `s` the singular values and
 * `p = s / Σs + eps`, `exp(−Σ p·log p)` — about the number of directions
 * the codes use (eps is added to every `p`, so Σp ≠ 1, as ngclearn). NaN
 * when `Σs = 0`. A 0-d tensor. TypeError unless `Z` is 2-D; RangeError for
 * a negative or non-finite eps.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { rankme } from "./effective_dim.ts";
 * using z = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
 * using r = rankme(z);
 * console.assert(Math.abs(await r.item() - 3) < 1e-4);
 * ```
 */
export function rankme(latentCodes: TensorLike, options: RankMeOptions = {}): Tensor {
  const fn = "rankme";
  const eps = options.eps ?? 1e-7;
  if (typeof eps !== "number") throw typeError(fn, `eps must be a number, got ${typeof eps}`);
  if (!Number.isFinite(eps) || eps < 0) {
    throw rangeError(fn, `eps must be finite and >= 0, got ${eps}`);
  }
  return tidy(() => {
    const z = codesInput(fn, latentCodes);
    const { s } = svd(z, { computeUv: false });
    const total = sum(s);
    const q = add(div(s, total), eps);
    const h = neg(sum(mul(q, log(q))));
    return where(greater(total, 0), exp(h), scalar(NaN, h.dtype));
  });
}
