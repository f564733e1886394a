/**
 * Clustering conformity scores of ngclearn's `metric_utils`: adjusted Rand
 * index, Fowlkes-Mallows index and V-measure of two labelings.
 *
 * These must decide on data (the table size depends on the labels), so they
 * are `async`: each reads its two label vectors once (`await t.data()`),
 * counts the contingency table on the host in time linear in N, and resolves
 * to a plain `number` computed in float64.
 *
 * Labels may be any integers (negative or with gaps): each distinct value is
 * a class. ngclearn silently drops negative labels from its table; here they
 * count like any other label.
 *
 * @module
 */

import { rangeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { checkOptions, numberOption } from "./common.ts";
import { type Contingency, labelContingency } from "./labels.ts";

/** Σ x(x−1)/2 over the entries: the number of pairs inside each group. */
function pairSum(x: Int32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * (x[i] - 1);
  return s / 2;
}

function squareSum(x: Int32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** Entropy (nats) of the counts `x / n`: `−Σ (x/n)(ln x − ln n)`, exactly 0 for one group. */
function entropy(x: Int32Array, n: number): number {
  const ln = Math.log(n);
  let h = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > 0) h -= (v / n) * (Math.log(v) - ln);
  }
  return h;
}

/**
 * ARI from a contingency table: `(s − E) / (M − E)` with `s = Σ C(n_ij, 2)`,
 * `E = Σ C(a_i, 2)·Σ C(b_j, 2) / C(N, 2)` and `M = (Σ C(a_i, 2) + Σ C(b_j, 2)) / 2`
 * (1 when `M = E`). Evaluated as `2(s·T − sa·sb) / (T(sa + sb) − 2·sa·sb)`,
 * `T = C(N, 2)`, in exact integer (BigInt) arithmetic up to the one division.
 *
 * @example
 * ```ts
 * import { ariFromContingency } from "./clustering.ts";
 * import { contingency } from "./labels.ts";
 * const c = contingency(new Int32Array([0, 0, 1, 1]), new Int32Array([0, 1, 0, 1]));
 * console.assert(ariFromContingency(c) === -0.5);
 * ```
 */
export function ariFromContingency(c: Contingency): number {
  const n = c.n;
  if (n <= 1) return 1;
  // Pair counts are integers below 2^53 (N² / 2), so BigInt holds them exactly.
  const s = BigInt(pairSum(c.cells));
  const sa = BigInt(pairSum(c.rows));
  const sb = BigInt(pairSum(c.cols));
  const t = BigInt(n) * BigInt(n - 1) / 2n;
  const num = 2n * (s * t - sa * sb);
  const den = t * (sa + sb) - 2n * sa * sb;
  return den === 0n ? 1 : Number(num) / Number(den);
}

/**
 * FMI from a contingency table: `tk / √(tr·tc)` with `tk = (Σ n_ij² − N)/2`,
 * `tr = (Σ a_i² − N)/2`, `tc = (Σ b_j² − N)/2`; 0 when `tr·tc = 0`.
 *
 * @example
 * ```ts
 * import { fmiFromContingency } from "./clustering.ts";
 * import { contingency } from "./labels.ts";
 * const c = contingency(new Int32Array([0, 0, 1]), new Int32Array([5, 5, 6]));
 * console.assert(fmiFromContingency(c) === 1);
 * ```
 */
export function fmiFromContingency(c: Contingency): number {
  const n = c.n;
  if (n <= 1) return 0;
  const tk = (squareSum(c.cells) - n) / 2;
  const tr = (squareSum(c.rows) - n) / 2;
  const tc = (squareSum(c.cols) - n) / 2;
  if (tr === 0 || tc === 0) return 0;
  return tk / Math.sqrt(tr * tc);
}

/**
 * V-measure from a contingency table: homogeneity `h = 1 − H(C|K)/H(C)`,
 * completeness `c = 1 − H(K|C)/H(K)` (1 when the entropy in the denominator
 * is 0), `V = (1 + β)·h·c / (β·h + c)` (0 when the denominator is 0).
 *
 * @example
 * ```ts
 * import { vMeasureFromContingency } from "./clustering.ts";
 * import { contingency } from "./labels.ts";
 * const c = contingency(new Int32Array([0, 0, 1, 1]), new Int32Array([1, 1, 0, 0]));
 * console.assert(Math.abs(vMeasureFromContingency(c, 1) - 1) < 1e-12);
 * ```
 */
export function vMeasureFromContingency(c: Contingency, beta: number): number {
  const n = c.n;
  if (n <= 1) return 0;
  const ht = entropy(c.rows, n);
  const hp = entropy(c.cols, n);
  const hj = entropy(c.cells, n);
  // H(C|K) = H(C,K) − H(K), H(K|C) = H(C,K) − H(C)
  const h = ht === 0 ? 1 : 1 - (hj - hp) / ht;
  const comp = hp === 0 ? 1 : 1 - (hj - ht) / hp;
  const den = beta * h + comp;
  return den === 0 ? 0 : ((1 + beta) * h * comp) / den;
}

/**
 * Adjusted Rand index of two labelings (`measure_ARI`), as
 * `sklearn.metrics.adjusted_rand_score`: 1 for identical partitions (up to
 * relabelling), about 0 for random ones, negative below chance (ngclearn's
 * doc says [0, 1]; it is not). N ≤ 1 gives 1. Async: reads the labels once.
 * TypeError for vectors of different length or non-integer labels.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureAri } from "./mod.ts";
 * using t = tensor([0, 0, 1, 1, 2, 2], { dtype: "int32" });
 * const ari = await measureAri(t, [2, 2, 0, 0, 1, 1]);
 * console.assert(ari === 1);
 * ```
 */
export async function measureAri(labelsTrue: TensorLike, labelsPred: TensorLike): Promise<number> {
  return ariFromContingency(await labelContingency("measureAri", labelsTrue, labelsPred));
}

/**
 * Fowlkes-Mallows index of two labelings (`measure_FMI`), as
 * `sklearn.metrics.fowlkes_mallows_score`: the geometric mean of pairwise
 * precision and recall, in [0, 1]. N ≤ 1 gives 0. Async: reads the labels once.
 *
 * @example
 * ```ts
 * import { measureFmi } from "./mod.ts";
 * const fmi = await measureFmi([0, 0, 1, 1], [0, 0, 1, 2]);
 * console.assert(Math.abs(fmi - Math.SQRT1_2) < 1e-12);
 * ```
 */
export async function measureFmi(labelsTrue: TensorLike, labelsPred: TensorLike): Promise<number> {
  return fmiFromContingency(await labelContingency("measureFmi", labelsTrue, labelsPred));
}

/** Options of {@link measureVMeasure}. */
export interface VMeasureOptions {
  /** Weight of homogeneity against completeness (default 1; ≥ 0). */
  readonly beta?: number;
}

/**
 * V-measure of two labelings (`measure_Vmeasure`), as
 * `sklearn.metrics.v_measure_score`: the β-weighted harmonic mean of
 * homogeneity and completeness (natural-log entropies), in [0, 1].
 * N ≤ 1 gives 0 (ngclearn's convention). Async: reads the labels once.
 * RangeError for a negative or non-finite `beta`.
 *
 * @example
 * ```ts
 * import { measureVMeasure } from "./mod.ts";
 * const v = await measureVMeasure([0, 0, 1, 1], [0, 1, 0, 1]);
 * console.assert(v === 0);
 * ```
 */
export async function measureVMeasure(
  labelsTrue: TensorLike,
  labelsPred: TensorLike,
  options: VMeasureOptions = {},
): Promise<number> {
  const fn = "measureVMeasure";
  checkOptions(fn, options);
  const beta = numberOption(fn, "beta", options.beta, 1);
  if (beta < 0) throw rangeError(fn, `beta must be >= 0, got ${beta}`);
  return vMeasureFromContingency(await labelContingency(fn, labelsTrue, labelsPred), beta);
}
