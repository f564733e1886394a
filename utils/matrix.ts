/**
 * Matrix decompositions of `ngclearn.utils.matrix_utils` (spec:
 * model-utils.md, "matrix_utils.decompose_to_mps").
 *
 * @module
 */

import { tidy } from "../core/engine.ts";
import type { Tensor } from "../core/tensor.ts";
import type { TensorLike } from "../core/ops/convert.ts";
import { expandDims, mul, reshape, slice, sqrt, svd } from "../core/ops/mod.ts";
import { checkInt, checkRank, floatInput } from "./model/common.ts";

/** Options of {@link decomposeToMps}. */
export interface DecomposeToMpsOptions {
  /** Largest bond dimension k kept (default 16); must be ≥ 1. */
  readonly bondDim?: number;
}

/** The two cores of {@link decomposeToMps}. */
export interface MpsCores {
  /** `(U[:, :k]·sqrt(S[:k]))` reshaped to `[1, I, k]`. */
  readonly core1: Tensor;
  /** `(sqrt(S[:k])[:, None]·Vh[:k, :])` reshaped to `[k, O, 1]`. */
  readonly core2: Tensor;
}

/**
 * Two-core matrix-product-state decomposition of `W` (I x O) by a thin SVD
 * `W = U diag(S) Vh`: with `k = min(bondDim, min(I, O))`,
 * `core1 = (U[:, :k]·sqrt(S[:k])).reshape(1, I, k)` and
 * `core2 = (sqrt(S[:k])[:, None]·Vh[:k]).reshape(k, O, 1)`, so
 * `core1[0] @ core2[..., 0]` is the best rank-k approximation of W (the
 * cores themselves are unique only up to the signs of the singular vectors).
 * RangeError when `bondDim < 1`; TypeError unless W is 2-D.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { decomposeToMps } from "./matrix.ts";
 * import { matmul, reshape } from "../core/ops/mod.ts";
 * const { core1, core2 } = decomposeToMps([[3, 0], [0, 1]], { bondDim: 1 });
 * using r = matmul(reshape(core1, [2, 1]), reshape(core2, [1, 2]));
 * console.assert(core1.shape.join() === "1,2,1" && Math.abs(r.dataSync()[0] - 3) < 1e-5);
 * core1.dispose();
 * core2.dispose();
 * ```
 */
export function decomposeToMps(W: TensorLike, options: DecomposeToMpsOptions = {}): MpsCores {
  const fn = "decomposeToMps";
  const bond = checkInt(fn, "bondDim", options.bondDim ?? 16, 1);
  return tidy(() => {
    const w = floatInput(fn, W);
    checkRank(fn, "W", w, 2);
    const [I, O] = w.shape;
    const { u, s, vh } = svd(w);
    const k = Math.min(bond, s.shape[0]);
    const root = sqrt(slice(s, [0], [k]));
    const core1 = mul(slice(u, [0, 0], [I, k]), expandDims(root, 0));
    const core2 = mul(expandDims(root, 1), slice(vh, [0, 0], [k, O]));
    return { core1: reshape(core1, [1, I, k]), core2: reshape(core2, [k, O, 1]) };
  });
}
