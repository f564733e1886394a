/**
 * Sparsity / code statistics of ngclearn's `metric_utils`: Gini index,
 * active fraction, Hoyer sparsity and excess kurtosis, one value per row
 * (sample) of a code matrix.
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, typeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  abs,
  add,
  arange,
  cast,
  div,
  greater,
  lessEqual,
  mean,
  mul,
  reshape,
  sort,
  sqrt,
  square,
  sub,
  sum,
  variance,
} from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import {
  boolOption,
  checkOptions,
  checkRank,
  floatInput,
  numberOption,
  reduceBatch,
} from "./common.ts";

/** Options of {@link measureGiniIndex}. */
export interface GiniOptions {
  /** Keep one value per row, shape (N x 1) (default true, as ngclearn's code). */
  readonly preserveBatch?: boolean;
}

/**
 * Gini index of each row of `codes` (N x D) (`measure_gini_index`): with
 * `c = codes + [rowsum ≤ 0] + 1e-8` (a row with a non-positive sum is shifted
 * by 1, so an all-zero row scores 0) and `s` the ascending sort of `|c|`,
 * `G = Σ_i (2i − D − 1)·s_i / (D·Σ_i s_i)`, i = 1..D. 0 = dense, → 1 = sparse.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureGiniIndex } from "./mod.ts";
 * using g = measureGiniIndex(tensor([[1, 1, 1, 1], [0, 0, 0, 4]]));
 * console.log(await g.array()); // ≈ [[0], [0.75]]
 * ```
 */
export function measureGiniIndex(codes: TensorLike, options: GiniOptions = {}): Tensor {
  const fn = "measureGiniIndex";
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, true);
  return tidy(() => {
    const x = floatInput(fn, "codes", codes);
    checkRank(fn, "codes", x, [2], "(N x D)");
    const d = x.shape[1];
    if (d === 0) {
      throw typeError(fn, `codes needs at least one column, got shape ${fmtShape(x.shape)}`);
    }
    const shift = cast(lessEqual(sum(x, { axis: 1, keepdims: true }), 0), x.dtype);
    const c = add(add(x, shift), 1e-8);
    const s = sort(abs(c), { axis: 1 });
    // weights 2i − D − 1 for i = 1..D
    const w = cast(arange(1 - d, d, 2), x.dtype);
    const num = sum(mul(s, w), { axis: 1, keepdims: true });
    const den = mul(sum(s, { axis: 1, keepdims: true }), d);
    return reduceBatch(div(num, den), pb);
  });
}

/** Options of {@link measureSparsity}. */
export interface SparsityOptions {
  /** An entry is active when it is strictly greater than this (default 0). */
  readonly tolerance?: number;
  /** Keep one value per row, shape (N x 1) (default true). */
  readonly preserveBatch?: boolean;
  /** Return `1 − ρ` (the inactive fraction) instead of ρ (default false). */
  readonly flipMeasure?: boolean;
}

/**
 * Active fraction of each row of `codes` (N x D) (`measure_sparsity`):
 * `ρ = #{entries > tolerance} / D` (closer to 0 = sparser), or `1 − ρ` with
 * `flipMeasure`. ngclearn's docstring formula counts zeros; its code (kept
 * here) counts active entries.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureSparsity } from "./mod.ts";
 * using r = measureSparsity(tensor([[0, 0.5, 0.5, 1]]), { tolerance: 0.5 });
 * console.assert(r.dataSync()[0] === 0.25);
 * ```
 */
export function measureSparsity(codes: TensorLike, options: SparsityOptions = {}): Tensor {
  const fn = "measureSparsity";
  checkOptions(fn, options);
  const tol = numberOption(fn, "tolerance", options.tolerance, 0);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, true);
  const flip = boolOption(fn, "flipMeasure", options.flipMeasure, false);
  return tidy(() => {
    const x = floatInput(fn, "codes", codes);
    checkRank(fn, "codes", x, [2], "(N x D)");
    const active = cast(sum(greater(x, tol), { axis: 1, keepdims: true }), x.dtype);
    const rho = div(active, x.shape[1]);
    return reduceBatch(flip ? sub(1, rho) : rho, pb);
  });
}

/** Options of {@link measureHoyerSparsity} and {@link measureExcessKurtosis}. */
export interface CodeStatOptions {
  /** Keep one value per row (default false: their mean, 0-d). */
  readonly preserveBatch?: boolean;
}

function rows(fn: string, codes: TensorLike): Tensor {
  const x = floatInput(fn, "codes", codes);
  if (x.rank < 2) {
    throw typeError(fn, `codes must have rank >= 2 (N x ...), got shape ${fmtShape(x.shape)}`);
  }
  return reshape(x, [x.shape[0], -1]);
}

/**
 * Hoyer sparsity of each row (`measure_hoyer_sparsity`): `codes` is read as
 * (N, n) rows (trailing axes flattened), `l1 = Σ|x|`, `l2 = √(Σx² + 1e-8)`,
 * `h = (√n − l1/l2) / (√n − 1)` → shape (N,) (not (N x 1): ngclearn's code),
 * or the mean. 1 for a one-hot row, 0 for a constant row. Needs n ≥ 2.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureHoyerSparsity } from "./mod.ts";
 * using h = measureHoyerSparsity(tensor([[0, 0, 3, 0], [1, 1, 1, 1]]), { preserveBatch: true });
 * const [a, b] = h.dataSync();
 * console.assert(Math.abs(a - 1) < 1e-5 && Math.abs(b) < 1e-5);
 * ```
 */
export function measureHoyerSparsity(codes: TensorLike, options: CodeStatOptions = {}): Tensor {
  const fn = "measureHoyerSparsity";
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, false);
  return tidy(() => {
    const x = rows(fn, codes);
    const n = x.shape[1];
    if (n < 2) {
      throw typeError(fn, `each row needs at least 2 values (√n − 1 = 0 otherwise), got n = ${n}`);
    }
    const l1 = sum(abs(x), { axis: 1 });
    const l2 = sqrt(add(sum(square(x), { axis: 1 }), 1e-8));
    const rn = Math.sqrt(n);
    return reduceBatch(div(sub(rn, div(l1, l2)), rn - 1), pb);
  });
}

/**
 * Excess kurtosis of each row (`measure_excess_kurtosis`): rows of
 * `codes` (trailing axes flattened), `k = m4 / (σ⁴ + 1e-8) − 3` with the
 * population variance σ² and fourth central moment m4 → (N x 1), or the
 * mean. A constant row gives −3 (scipy would give NaN).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureExcessKurtosis } from "./mod.ts";
 * using k = measureExcessKurtosis(tensor([[-1, 1, -1, 1]]));
 * console.assert(Math.abs(k.dataSync()[0] + 2) < 1e-5);
 * ```
 */
export function measureExcessKurtosis(codes: TensorLike, options: CodeStatOptions = {}): Tensor {
  const fn = "measureExcessKurtosis";
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, false);
  return tidy(() => {
    const x = rows(fn, codes);
    const m = mean(x, { axis: 1, keepdims: true });
    const v = variance(x, { axis: 1, keepdims: true });
    const m4 = mean(square(square(sub(x, m))), { axis: 1, keepdims: true });
    return reduceBatch(sub(div(m4, add(square(v), 1e-8)), 3), pb);
  });
}
