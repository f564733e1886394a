/**
 * Winner-take-all and group selection of `ngclearn.utils.model_utils`:
 * `bkwta`, `oneHot`, `lkwta` / `dLkwta` (and the aliases `kwta` / `dKwta`),
 * `quantileLkwta` / `dQuantileLkwta`, `groupMean`, `sampleValuesByGroup`
 * (spec: model-utils.md, "Selection / winner-take-all"). Inputs are 2-D
 * `(B x D)` batches; group masks are `(G x D)` 0/1 matrices.
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  add,
  argmax,
  cast,
  div,
  expandDims,
  greater,
  greaterEqual,
  matmul,
  maximum,
  min,
  minimum,
  mul,
  oneHot as oneHotOp,
  quantile,
  reshape,
  slice,
  sub,
  sum,
  topk,
  transpose,
} from "../../core/ops/mod.ts";
import { type KeyLike, uniform } from "../../core/random/mod.ts";
import { checkInt, checkNumber, checkRank, floatInput } from "./common.ts";

/** Options of {@link bkwta}. */
export interface BkwtaOptions {
  /** Number of winners per row (default 5). Must be in [1, D]. */
  readonly nWTA?: number;
}

/**
 * Binary k-winners-take-all per row: `[x ≥ kth_b]` where `kth_b` is the k-th
 * largest value of row b (ties with it all win, so a row can have more than
 * k ones). RangeError unless `1 ≤ nWTA ≤ D`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { bkwta } from "./wta.ts";
 * using y = bkwta([[0.5, 0.9, 0.9, 0.1]], { nWTA: 2 });
 * console.assert(y.dataSync().join() === "0,1,1,0");
 * ```
 */
export function bkwta(x: TensorLike, options: BkwtaOptions = {}): Tensor {
  const fn = "bkwta";
  return tidy(() => {
    const t = floatInput(fn, x);
    checkRank(fn, "x", t, 2);
    const k = checkInt(fn, "nWTA", options.nWTA ?? 5, 1, t.shape[1]);
    const { values } = topk(t, k);
    const kth = slice(values, [0, k - 1], [t.shape[0], 1]);
    return cast(greaterEqual(t, kth), t.dtype);
  });
}

/**
 * One-hot rows of the argmax of each row of `P` (first maximum wins), as
 * float32: ngclearn's `one_hot(P)`. (For one-hot encoding of integer labels
 * use `oneHot` of `core/ops`.)
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { oneHot } from "./wta.ts";
 * using y = oneHot([[0.1, 0.7, 0.2], [0.4, 0.4, 0.2]]);
 * console.assert(y.dataSync().join() === "0,1,0,1,0,0");
 * ```
 */
export function oneHot(P: TensorLike): Tensor {
  const fn = "oneHot";
  return tidy(() => {
    const t = floatInput(fn, P);
    checkRank(fn, "P", t, 2);
    return oneHotOp(argmax(t, { axis: 1 }), t.shape[1], { dtype: "float32" });
  });
}

/** Options of {@link lkwta} and {@link dLkwta}. */
export interface LkwtaOptions {
  /** Winners per group (default 1). Must be in [1, D]. */
  readonly nWTA?: number;
  /** When > 0, clip the output to [−clipval, clipval] (default −1: no clipping). */
  readonly clipval?: number;
}

/** The masked batch `X3[b,g,d] = x[b,d]·m[g,d] + (1 − m[g,d])·(min(x) − 1)`. */
function groupFill(fn: string, x: TensorLike, m: TensorLike): { t: Tensor; x3: Tensor } {
  const t = floatInput(fn, x);
  checkRank(fn, "x", t, 2);
  const mt = floatInput(fn, m);
  checkRank(fn, "m", mt, 2);
  if (mt.shape[1] !== t.shape[1]) {
    throw typeError(
      fn,
      `m must be (G x ${t.shape[1]}) to match x of shape ${fmtShape(t.shape)}, got ${
        fmtShape(mt.shape)
      }`,
    );
  }
  const lo = sub(min(t), 1); // global minimum over the batch, minus 1
  const xb = expandDims(t, 1); // [B, 1, D]
  const mb = expandDims(mt, 0); // [1, G, D]
  const x3 = add(mul(xb, mb), mul(sub(1, mb), lo));
  return { t, x3 };
}

/** Row threshold of the local k-WTA: min over groups of each group's k-th value, `[B, 1]`. */
function lkwtaMask(fn: string, x: TensorLike, m: TensorLike, nWTA: unknown): {
  t: Tensor;
  mask: Tensor;
} {
  const { t, x3 } = groupFill(fn, x, m);
  const k = checkInt(fn, "nWTA", nWTA, 1, t.shape[1]);
  const { values } = topk(x3, k); // [B, G, k]
  const kth = min(values, { axis: [1, 2] }); // [B]
  const mask = cast(greaterEqual(t, expandDims(kth, 1)), t.dtype);
  return { t, mask };
}

/**
 * Local (group) k-WTA: per row, the threshold is the smallest of the top-k
 * values of every group (masked entries filled with `min(x) − 1`); output
 * `[x ≥ kth]·x`, clipped to `[−clipval, clipval]` when `clipval > 0`. As in
 * ngclearn, a group with larger values keeps more than k winners.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { lkwta } from "./wta.ts";
 * using y = lkwta([[1, 2, 5, 6]], [[1, 1, 0, 0], [0, 0, 1, 1]]);
 * console.assert(y.dataSync().join() === "0,2,5,6");
 * ```
 */
export function lkwta(x: TensorLike, m: TensorLike, options: LkwtaOptions = {}): Tensor {
  const fn = "lkwta";
  const clipval = checkNumber(fn, "clipval", options.clipval ?? -1);
  return tidy(() => {
    const { t, mask } = lkwtaMask(fn, x, m, options.nWTA ?? 1);
    const y = mul(mask, t);
    return clipval > 0 ? minimum(maximum(y, -clipval), clipval) : y;
  });
}

/**
 * Derivative mask of {@link lkwta}: `[x ≥ kth]` (no multiplication, no clip).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dLkwta } from "./wta.ts";
 * using d = dLkwta([[1, 2, 5, 6]], [[1, 1, 0, 0], [0, 0, 1, 1]]);
 * console.assert(d.dataSync().join() === "0,1,1,1");
 * ```
 */
export function dLkwta(x: TensorLike, m: TensorLike, options: LkwtaOptions = {}): Tensor {
  const fn = "dLkwta";
  checkNumber(fn, "clipval", options.clipval ?? -1);
  return tidy(() => lkwtaMask(fn, x, m, options.nWTA ?? 1).mask);
}

/**
 * Alias of {@link lkwta} (ngclearn's `kwta`).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { kwta } from "./wta.ts";
 * using y = kwta([[1, 2, 5, 6]], [[1, 1, 0, 0], [0, 0, 1, 1]], { nWTA: 2 });
 * console.assert(y.dataSync().join() === "1,2,5,6");
 * ```
 */
export function kwta(x: TensorLike, m: TensorLike, options: LkwtaOptions = {}): Tensor {
  return lkwta(x, m, options);
}

/**
 * Alias of {@link dLkwta} (ngclearn's `d_kwta`).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dKwta } from "./wta.ts";
 * using d = dKwta([[1, 2, 5, 6]], [[1, 1, 0, 0], [0, 0, 1, 1]]);
 * console.assert(d.dataSync().join() === "0,1,1,1");
 * ```
 */
export function dKwta(x: TensorLike, m: TensorLike, options: LkwtaOptions = {}): Tensor {
  return dLkwta(x, m, options);
}

/** Options of {@link quantileLkwta} and {@link dQuantileLkwta}. */
export interface QuantileLkwtaOptions {
  /** Winners per group, setting the quantile `(D − nWTA)/D` (default 20). Must be in [1, D]. */
  readonly nWTA?: number;
  /** Accepted and unused, as in ngclearn (its clipping is commented out). Default −1. */
  readonly clipval?: number;
}

/** `Σ_g [X3 ≥ quantile_g]`, the number of groups each unit wins, `[B, D]`. */
function quantileWins(fn: string, x: TensorLike, m: TensorLike, options: QuantileLkwtaOptions): {
  t: Tensor;
  wins: Tensor;
} {
  checkNumber(fn, "clipval", options.clipval ?? -1);
  const { t, x3 } = groupFill(fn, x, m);
  const D = t.shape[1];
  const k = checkInt(fn, "nWTA", options.nWTA ?? 20, 1, D);
  // linear quantile of each group's D entries (the filler values take part)
  const thr = quantile(x3, (D - k) / D, { axis: 2, keepdims: true }); // [B, G, 1]
  const W = cast(greaterEqual(x3, thr), t.dtype);
  return { t, wins: sum(W, { axis: 1 }) };
}

/**
 * Quantile-based local k-WTA: per row and group the threshold is the linear
 * quantile at `q = (D − nWTA)/D` of the filled group row; output `(Σ_g W)·x`
 * where `W = [X3 ≥ thr]` (a unit in two winning groups counts twice).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { quantileLkwta } from "./wta.ts";
 * using y = quantileLkwta([[1, 2, 3, 4]], [[1, 1, 1, 1]], { nWTA: 2 });
 * console.assert(y.dataSync().join() === "0,0,3,4");
 * ```
 */
export function quantileLkwta(
  x: TensorLike,
  m: TensorLike,
  options: QuantileLkwtaOptions = {},
): Tensor {
  return tidy(() => {
    const { t, wins } = quantileWins("quantileLkwta", x, m, options);
    return mul(wins, t);
  });
}

/**
 * Derivative of {@link quantileLkwta}: `Σ_g W`, the number of groups in which
 * each unit wins.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dQuantileLkwta } from "./wta.ts";
 * using d = dQuantileLkwta([[1, 2, 3, 4]], [[1, 1, 1, 1]], { nWTA: 2 });
 * console.assert(d.dataSync().join() === "0,0,1,1");
 * ```
 */
export function dQuantileLkwta(
  x: TensorLike,
  m: TensorLike,
  options: QuantileLkwtaOptions = {},
): Tensor {
  return tidy(() => quantileWins("dQuantileLkwta", x, m, options).wins);
}

/**
 * Group means spread back to units: `mu[b,g] = Σ_d x·m / Σ_d m`,
 * `out[b,d] = Σ_g mu[b,g]·m[g,d]` (a unit in several groups gets the sum of
 * their means, a unit in none gets 0). As in ngclearn, a group with no
 * members gives 0/0 = NaN, which spreads to every unit.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { groupMean } from "./wta.ts";
 * using y = groupMean([[1, 3, 10]], [[1, 1, 0], [0, 0, 1]]);
 * console.assert(y.dataSync().join() === "2,2,10");
 * ```
 */
export function groupMean(x: TensorLike, masks: TensorLike): Tensor {
  const fn = "groupMean";
  return tidy(() => {
    const t = floatInput(fn, x);
    checkRank(fn, "x", t, 2);
    const m = floatInput(fn, masks);
    checkRank(fn, "masks", m, 2);
    if (m.shape[1] !== t.shape[1]) {
      throw typeError(
        fn,
        `masks must be (G x ${t.shape[1]}) to match x of shape ${fmtShape(t.shape)}, got ${
          fmtShape(m.shape)
        }`,
      );
    }
    const mu = div(matmul(t, transpose(m)), expandDims(sum(m, { axis: 1 }), 0)); // [B, G]
    return matmul(mu, m);
  });
}

/** Options of {@link sampleValuesByGroup}. */
export interface SampleValuesByGroupOptions {
  /** Number of equal consecutive groups K; N must be divisible by K. Required. */
  readonly nGroups: number;
}

/**
 * For `values` (B x N) split into K consecutive groups of L = N/K units: each
 * group with a positive sum is replaced by a one-hot 1.0 at
 * `argmax_l values·u` with `u ~ uniform(skey)` (a value-weighted random pick);
 * other groups keep their values.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { sampleValuesByGroup } from "./wta.ts";
 * import { key } from "../../core/random/mod.ts";
 * using k = key(3);
 * using y = sampleValuesByGroup(k, [[0, 0, 0, 2.5, -1, 0]], { nGroups: 2 });
 * console.assert(y.dataSync().join() === "0,0,0,1,0,0");
 * ```
 */
export function sampleValuesByGroup(
  skey: KeyLike,
  values: TensorLike,
  options: SampleValuesByGroupOptions,
): Tensor {
  const fn = "sampleValuesByGroup";
  if (options === null || typeof options !== "object") {
    throw typeError(fn, "options must be an object with nGroups");
  }
  return tidy(() => {
    const s = floatInput(fn, values);
    checkRank(fn, "values", s, 2);
    const [B, N] = s.shape;
    const K = checkInt(fn, "nGroups", options.nGroups, 1);
    if (N % K !== 0) {
      throw rangeError(fn, `the ${N} columns of values cannot be split into ${K} equal groups`);
    }
    const L = N / K;
    const S = reshape(s, [B, K, L]);
    const active = cast(greater(sum(S, { axis: 2, keepdims: true }), 0), s.dtype); // [B, K, 1]
    const r = mul(S, uniform(skey, [B, K, L]));
    const pick = oneHotOp(argmax(r, { axis: 2 }), L, { dtype: s.dtype });
    const out = add(mul(S, sub(1, active)), mul(pick, active));
    return reshape(out, [B, N]);
  });
}
