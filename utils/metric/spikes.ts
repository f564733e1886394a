/**
 * Spike-train statistics of ngclearn's `metric_utils`: Fano factor, firing
 * rate and the workload entropy of a population.
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { typeError } from "../../core/errors.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  div,
  equal,
  greater,
  log2,
  logicalAnd,
  max,
  mean,
  min,
  mul,
  neg,
  sum,
  variance,
  where,
} from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import { boolOption, checkOptions, checkRank, floatInput, reduceBatch } from "./common.ts";

/** Options of {@link measureFanoFactor} and {@link measureFiringRate}. */
export interface SpikeStatOptions {
  /** Keep one value per neuron, shape (1 x D) (default false: their mean, 0-d). */
  readonly preserveBatch?: boolean;
}

/**
 * Fano factor of each neuron over time (`measure_fanoFactor`):
 * `var_t(spikes) / mean_t(spikes)` with the population variance, for
 * `spikes` of shape (T x D). A neuron that never spikes gives 0/0 = NaN, as
 * in ngclearn (no guard), and so does the mean over neurons then.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureFanoFactor } from "./mod.ts";
 * using s = tensor([[1, 0], [0, 1], [1, 1], [0, 1]]);
 * using f = measureFanoFactor(s, { preserveBatch: true });
 * console.log(await f.array()); // [[0.5, 0.25]]
 * ```
 */
export function measureFanoFactor(spikes: TensorLike, options: SpikeStatOptions = {}): Tensor {
  const fn = "measureFanoFactor";
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, false);
  return tidy(() => {
    const s = floatInput(fn, "spikes", spikes);
    checkRank(fn, "spikes", s, [2], "(T x D)");
    const mu = mean(s, { axis: 0, keepdims: true });
    const v = variance(s, { axis: 0, keepdims: true });
    // 0/0 for a silent neuron is NaN; written explicitly so every backend agrees.
    const zeroByZero = logicalAnd(equal(mu, 0), equal(v, 0));
    return reduceBatch(where(zeroByZero, NaN, div(v, mu)), pb);
  });
}

/**
 * Mean firing rate of each neuron (`measure_firingRate`): spike count over
 * the T rows of `spikes` (T x D) divided by T → (1 x D), or its mean.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureFiringRate } from "./mod.ts";
 * using s = tensor([[1, 0], [0, 0], [1, 1], [0, 1]]);
 * using r = measureFiringRate(s);
 * console.assert(r.dataSync()[0] === 0.5);
 * ```
 */
export function measureFiringRate(spikes: TensorLike, options: SpikeStatOptions = {}): Tensor {
  const fn = "measureFiringRate";
  checkOptions(fn, options);
  const pb = boolOption(fn, "preserveBatch", options.preserveBatch, false);
  return tidy(() => {
    const s = floatInput(fn, "spikes", spikes);
    checkRank(fn, "spikes", s, [2], "(T x D)");
    return reduceBatch(mean(s, { axis: 0, keepdims: true }), pb);
  });
}

/** Result of {@link measureWorkloadEntropy} (0-d tensors). */
export interface WorkloadEntropy {
  /** Smallest total count of a neuron. */
  readonly minAct: Tensor;
  /** Largest total count of a neuron. */
  readonly maxAct: Tensor;
  /** Mean total count per neuron. */
  readonly meanAct: Tensor;
  /** Entropy in bits of the share of the total count each neuron carries (0 when nothing fired). */
  readonly entropy: Tensor;
  /** Number of neurons with a zero total count (int32). */
  readonly deadNeurons: Tensor;
}

/**
 * How evenly a population shares the work (`measure_workload_entropy`):
 * with `a` the column sums of `spikeCountMatrix` (N x D) and `p = a / Σa`,
 * returns min/max/mean of `a`, the entropy `H = −Σ_{p>0} p·log2 p` (0 when
 * `Σa = 0`) and the number of dead neurons (`a == 0`). ngclearn returns the
 * tuple `((min, max, mean), H, dead)`; here it is an object of 0-d tensors.
 * Counts are expected non-negative (not checked: that would need a readback).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureWorkloadEntropy } from "./mod.ts";
 * using c = tensor([[1, 1, 0, 0], [1, 1, 0, 0]]);
 * const w = measureWorkloadEntropy(c);
 * console.assert(w.entropy.dataSync()[0] === 1 && w.deadNeurons.dataSync()[0] === 2);
 * for (const t of Object.values(w)) t.dispose();
 * ```
 */
export function measureWorkloadEntropy(spikeCountMatrix: TensorLike): WorkloadEntropy {
  const fn = "measureWorkloadEntropy";
  return tidy(() => {
    const c = floatInput(fn, "spikeCountMatrix", spikeCountMatrix);
    checkRank(fn, "spikeCountMatrix", c, [2], "(N x D)");
    if (c.shape[1] === 0) {
      throw typeError(fn, "spikeCountMatrix needs at least one column (neuron), got shape [N, 0]");
    }
    const a = sum(c, { axis: 0 });
    const total = sum(a);
    const p = div(a, where(greater(total, 0), total, 1));
    // 0·log 0 = 0: the p > 0 mask also hides the 0/0 of an all-zero matrix.
    const pos = greater(p, 0);
    const terms = where(pos, mul(p, log2(where(pos, p, 1))), 0);
    return {
      minAct: min(a),
      maxAct: max(a),
      meanAct: mean(a),
      entropy: neg(sum(terms)),
      deadNeurons: sum(equal(a, 0)),
    };
  });
}
