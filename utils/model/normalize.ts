/**
 * Normalisation and clamping helpers of `ngclearn.utils.model_utils`:
 * `normalizeMatrix`, `normalizeBlockMatrix`, `layerNormalize`,
 * `chebyshevNorm`, `clampMin`, `clampMax` (spec: model-utils.md, "Matrix
 * helpers" and `layer_normalize`).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import { normalizeAxis, type TensorLike } from "../../core/ops/convert.ts";
import {
  abs,
  add,
  div,
  max,
  maximum,
  mean,
  minimum,
  mul,
  norm,
  type NormOrd,
  reshape,
  sqrt,
  square,
  sub,
  sum,
  transpose,
} from "../../core/ops/mod.ts";
import { checkInt, checkNumber, checkRank, floatInput } from "./common.ts";

/** Options of {@link normalizeMatrix}. */
export interface NormalizeMatrixOptions {
  /** 2 for the Euclidean norm; any other value means the L1 norm (default 1). */
  readonly order?: number;
  /** Axis the norm runs along: 0 normalises columns, 1 rows (default 0). */
  readonly axis?: number;
  /** Accepted and unused, as in ngclearn (default 1). */
  readonly scale?: number;
}

/**
 * Rescale `data` so each slice along `axis` has norm `wnorm`:
 * `n = max(‖data‖ along axis, 1e-8)` (L2 when `order` is 2, else L1),
 * result `data·(wnorm/n)`. An all-zero slice stays zero. `wnorm` is a number
 * or anything that broadcasts against the norms (e.g. one target per column).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { normalizeMatrix } from "./normalize.ts";
 * using y = normalizeMatrix([[3, 0], [4, 0]], 1, { order: 2 });
 * const v = y.dataSync();
 * console.assert(Math.abs(v[0] - 0.6) < 1e-6 && v[1] === 0 && Math.abs(v[2] - 0.8) < 1e-6);
 * ```
 */
export function normalizeMatrix(
  data: TensorLike,
  wnorm: TensorLike,
  options: NormalizeMatrixOptions = {},
): Tensor {
  const fn = "normalizeMatrix";
  const order = checkNumber(fn, "order", options.order ?? 1);
  checkNumber(fn, "scale", options.scale ?? 1);
  return tidy(() => {
    const t = floatInput(fn, data);
    const axis = normalizeAxis(fn, checkInt(fn, "axis", options.axis ?? 0, -t.rank), t.rank);
    const n = order === 2
      ? sqrt(sum(square(t), { axis, keepdims: true }))
      : sum(abs(t), { axis, keepdims: true });
    return mul(t, div(wnorm, maximum(n, 1e-8)));
  });
}

const MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity] as const;

/** Options of {@link normalizeBlockMatrix}. */
export interface NormalizeBlockMatrixOptions {
  /** Norm order passed to the vector or matrix norm (default 2). */
  readonly order?: NormOrd;
  /**
   * 0: per column of each block (norm over the block's rows); 1: per row of
   * each block; any other value: one matrix norm per block (default 0).
   */
  readonly axis?: number;
  /** Target norm (default 1). */
  readonly normTarg?: number;
}

/**
 * Normalise each `(r x c)` block of a matrix: view `matrix` (M x N) as
 * blocks, take the vector norm of every block column (axis 0) or block row
 * (axis 1), or the matrix norm of every block (other axis; ord 2 = largest
 * singular value), and scale by `normTarg / (norm + 1e-8)`. RangeError
 * unless r divides M and c divides N.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { normalizeBlockMatrix } from "./normalize.ts";
 * using y = normalizeBlockMatrix([[3, 0], [4, 2]], [2, 1]);
 * const v = y.dataSync();
 * console.assert(Math.abs(v[0] - 0.6) < 1e-6 && Math.abs(v[3] - 1) < 1e-6);
 * ```
 */
export function normalizeBlockMatrix(
  matrix: TensorLike,
  blockSize: readonly [number, number],
  options: NormalizeBlockMatrixOptions = {},
): Tensor {
  const fn = "normalizeBlockMatrix";
  if (!Array.isArray(blockSize) || blockSize.length !== 2) {
    throw typeError(fn, `blockSize must be a pair [rows, cols], got ${JSON.stringify(blockSize)}`);
  }
  const r = checkInt(fn, "blockSize[0]", blockSize[0], 1);
  const c = checkInt(fn, "blockSize[1]", blockSize[1], 1);
  const axis = checkInt(fn, "axis", options.axis ?? 0, -Infinity);
  const target = checkNumber(fn, "normTarg", options.normTarg ?? 1);
  const ord = options.order ?? 2;
  const vector = axis === 0 || axis === 1;
  const ok = vector
    ? typeof ord === "number" && !Number.isNaN(ord)
    : (MATRIX_ORDS as readonly unknown[]).includes(ord);
  if (!ok) {
    throw rangeError(
      fn,
      `order ${String(ord)} is not a ${vector ? "vector" : "matrix"} norm order${
        vector ? "" : `; use one of ${MATRIX_ORDS.map(String).join(", ")}`
      }`,
    );
  }
  return tidy(() => {
    const t = floatInput(fn, matrix);
    checkRank(fn, "matrix", t, 2);
    const [M, N] = t.shape;
    if (M % r !== 0 || N % c !== 0) {
      throw rangeError(
        fn,
        `blockSize [${r}, ${c}] must divide the matrix shape ${fmtShape(t.shape)}`,
      );
    }
    // [M/r, r, N/c, c] → [M/r, N/c, r, c]: one (r x c) block per leading pair
    const blocks = transpose(reshape(t, [M / r, r, N / c, c]), [0, 2, 1, 3]);
    const normAxis = axis === 0 ? 2 : axis === 1 ? 3 : [2, 3];
    const n = norm(blocks, { ord, axis: normAxis, keepdims: true });
    const scaled = mul(blocks, div(target, add(n, 1e-8)));
    return reshape(transpose(scaled, [0, 2, 1, 3]), [M, N]);
  });
}

/** Options of {@link layerNormalize}. */
export interface LayerNormalizeOptions {
  /** Added after scaling; broadcasts (e.g. a (1 x D) row). Default 0. */
  readonly shift?: TensorLike;
  /** Multiplies the normalised values; broadcasts. Default 1. */
  readonly scale?: TensorLike;
}

/**
 * ngclearn's layer normalisation: `mu = mean(x, axis 1, keepdims)`, ONE
 * global `sigma = max(sqrt(max(mean((x − mu)²), 1e-6)), 1e-6)` over all
 * elements, result `((x − mu)/sigma)·scale + shift`. For a (B x 1 x D) input
 * the mean over axis 1 is x itself, so the output is `shift`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { layerNormalize } from "./normalize.ts";
 * using y = layerNormalize([[1, 3], [5, 7]]);
 * console.assert(y.dataSync().join() === "-1,1,-1,1");
 * ```
 */
export function layerNormalize(x: TensorLike, options: LayerNormalizeOptions = {}): Tensor {
  const fn = "layerNormalize";
  return tidy(() => {
    const t = floatInput(fn, x);
    if (t.rank < 2) {
      throw typeError(fn, `x must have at least 2 dimensions, got shape ${fmtShape(t.shape)}`);
    }
    const mu = mean(t, { axis: 1, keepdims: true });
    const centered = sub(t, mu);
    const sigma = maximum(sqrt(maximum(mean(square(centered)), 1e-6)), 1e-6);
    return add(mul(div(centered, sigma), options.scale ?? 1), options.shift ?? 0);
  });
}

/** Options of {@link chebyshevNorm}. */
export interface ChebyshevNormOptions {
  /** Axis to reduce (default −1). */
  readonly axis?: number;
  /** Keep the reduced axis as length 1 (default false). */
  readonly keepdims?: boolean;
}

/**
 * Chebyshev (L∞) norm `max(|d|)` along `axis`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { chebyshevNorm } from "./normalize.ts";
 * using n = chebyshevNorm([[2, -3], [-1, 0.5]]);
 * console.assert(n.dataSync().join() === "3,1");
 * ```
 */
export function chebyshevNorm(d: TensorLike, options: ChebyshevNormOptions = {}): Tensor {
  const fn = "chebyshevNorm";
  const axis = checkInt(fn, "axis", options.axis ?? -1, -Infinity);
  return tidy(() => {
    const t = floatInput(fn, d);
    const ax = normalizeAxis(fn, axis, t.rank);
    return max(abs(t), { axis: ax, keepdims: options.keepdims ?? false });
  });
}

/**
 * Floor at `minVal`: `x` where `x > minVal` else `minVal`; NaN stays NaN.
 * (ngclearn's `x·m + (1 − m)·minVal` also gives NaN for x = −Infinity; this
 * gives `minVal`.)
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { clampMin } from "./normalize.ts";
 * using y = clampMin([-2, 0, 0.5, NaN], 0);
 * const v = y.dataSync();
 * console.assert(v[0] === 0 && v[1] === 0 && v[2] === 0.5 && Number.isNaN(v[3]));
 * ```
 */
export function clampMin(x: TensorLike, minVal: number): Tensor {
  const v = checkNumber("clampMin", "minVal", minVal);
  return tidy(() => maximum(floatInput("clampMin", x), v));
}

/**
 * Cap at `maxVal`: `x` where `x < maxVal` else `maxVal`; NaN stays NaN.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { clampMax } from "./normalize.ts";
 * using y = clampMax([-2, 1, 3], 1);
 * console.assert(y.dataSync().join() === "-2,1,1");
 * ```
 */
export function clampMax(x: TensorLike, maxVal: number): Tensor {
  const v = checkNumber("clampMax", "maxVal", maxVal);
  return tidy(() => minimum(floatInput("clampMax", x), v));
}
