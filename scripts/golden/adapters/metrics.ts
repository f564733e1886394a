/**
 * Golden adapters for `ngclearn.utils.metric_utils.*` (metrics.jsonl): each
 * case's arrays become tensors on the current backend (dtype from the case's
 * `dtypes`, float32 otherwise), the ported function runs, inputs are freed.
 *
 * @module
 */

import { tidy } from "../../../core/engine.ts";
import { tensor } from "../../../core/ops/creation.ts";
import type { DType } from "../../../backends/backend.ts";
import type { NestedArray, Tensor } from "../../../core/tensor.ts";
import type { Adapter, AdapterContext } from "../runner.ts";
import {
  analyzeCategorizationPerformance,
  analyzeScores,
  type ClassificationReport,
  measureAcc,
  measureAri,
  measureBce,
  measureBic,
  measureBreadthOfTuningCurve,
  measureBreadthTc,
  measureCatNll,
  measureExcessKurtosis,
  measureFanoFactor,
  measureFiringRate,
  measureFmi,
  measureGaussianKld,
  measureGiniIndex,
  measureHoyerSparsity,
  measureKld,
  measureMae,
  measureMse,
  measurePearsonCorrelation,
  measureRmse,
  measureSparsity,
  measureVMeasure,
  measureWorkloadEntropy,
} from "../../../utils/metric/mod.ts";

type Args = Record<string, unknown>;

/** Tensor of argument `name` with the case's dtype for it (float32 by default). */
function arg(a: Args, ctx: AdapterContext, name: string): Tensor {
  const dtype = (ctx.case.dtypes?.[name] ?? "float32") as DType;
  return tensor(a[name] as NestedArray, { dtype });
}

/** Only the options the case sets (ngclearn's defaults otherwise). */
function opt<T extends object>(a: Args, map: Record<string, keyof T>): T {
  const out: Record<string, unknown> = {};
  for (const [snake, camel] of Object.entries(map)) {
    if (snake in a) out[camel as string] = a[snake];
  }
  return out as T;
}

const PB = { preserve_batch: "preserveBatch" } as const;

/** A synchronous measure of one or two tensor arguments plus options. */
function sync(
  names: readonly string[],
  optMap: Record<string, string>,
  f: (ts: Tensor[], o: Record<string, unknown>) => unknown,
): Adapter {
  return {
    run: (a, ctx) =>
      tidy(() => f(names.map((n) => arg(a, ctx, n)), opt<Record<string, unknown>>(a, optMap))),
  };
}

/** An async measure: inputs created, awaited, disposed. */
function asyncRun(
  names: readonly string[],
  f: (ts: Tensor[], a: Args) => Promise<unknown>,
): Adapter {
  return {
    run: async (a, ctx) => {
      const ts = names.map((n) => arg(a, ctx, n));
      try {
        return await f(ts, a);
      } finally {
        for (const t of ts) t.dispose();
      }
    },
  };
}

function reportOut(r: ClassificationReport): Record<string, unknown> {
  return {
    conf_matrix: r.confMatrix,
    precision: r.precision,
    recall: r.recall,
    misses: r.misses,
    acc: r.acc,
    adj_acc: r.adjAcc,
  };
}

const M = "ngclearn.utils.metric_utils.";
const LABELS = ["labels_true", "labels_pred"] as const;

/** Adapters by ngclearn name. */
export const METRICS_ADAPTERS: Record<string, Adapter> = {
  [M + "measure_fanoFactor"]: sync(["spikes"], PB, ([s], o) => measureFanoFactor(s, o)),
  [M + "measure_firingRate"]: sync(["spikes"], PB, ([s], o) => measureFiringRate(s, o)),
  [M + "measure_workload_entropy"]: sync(["spike_count_matrix"], {}, ([c]) => {
    const w = measureWorkloadEntropy(c);
    return {
      min_act: w.minAct,
      max_act: w.maxAct,
      mean_act: w.meanAct,
      entropy: w.entropy,
      dead_neurons: w.deadNeurons,
    };
  }),
  [M + "measure_breadthOfTuningCurve"]: sync(
    ["responses"],
    PB,
    ([r], o) => measureBreadthOfTuningCurve(r, o),
  ),
  [M + "measure_breadth_TC"]: sync(["responses"], PB, ([r], o) => measureBreadthTc(r, o)),
  [M + "measure_Pearson_correlation"]: sync(
    ["a", "b"],
    PB,
    ([x, y], o) => measurePearsonCorrelation(x, y, o),
  ),
  [M + "measure_gini_index"]: sync(["codes"], PB, ([c], o) => measureGiniIndex(c, o)),
  [M + "measure_sparsity"]: sync(
    ["codes"],
    { ...PB, tolerance: "tolerance", flip_measure: "flipMeasure" },
    ([c], o) => measureSparsity(c, o),
  ),
  [M + "measure_hoyer_sparsity"]: sync(["codes"], PB, ([c], o) => measureHoyerSparsity(c, o)),
  [M + "measure_excess_kurtosis"]: sync(["codes"], PB, ([c], o) => measureExcessKurtosis(c, o)),
  [M + "measure_MSE"]: sync(["mu", "x"], PB, ([m, x], o) => measureMse(m, x, o)),
  [M + "measure_RMSE"]: sync(["mu", "x"], PB, ([m, x], o) => measureRmse(m, x, o)),
  [M + "measure_MAE"]: sync(["shift", "x"], PB, ([s, x], o) => measureMae(s, x, o)),
  [M + "measure_BCE"]: sync(
    ["p", "x"],
    { ...PB, offset: "offset" },
    ([p, x], o) => measureBce(p, x, o),
  ),
  [M + "measure_CatNLL"]: sync(
    ["p", "x"],
    { ...PB, offset: "offset" },
    ([p, x], o) => measureCatNll(p, x, o),
  ),
  [M + "measure_KLD"]: sync(["p_xHat", "p_x"], PB, ([q, p], o) => measureKld(q, p, o)),
  [M + "measure_gaussian_KLD"]: sync(
    ["mu1", "Sigma1", "mu2", "Sigma2"],
    { use_chol_prec: "useCholPrec" },
    ([m1, s1, m2, s2], o) => measureGaussianKld({ mu: m1, sigma: s1 }, { mu: m2, sigma: s2 }, o),
  ),
  [M + "measure_BIC"]: {
    run: (a, ctx) =>
      tidy(() =>
        measureBic(arg(a, ctx, "X"), {
          nModelParams: a.n_model_params as number,
          maxModelScore: a.max_model_score as number,
          ...(a.is_log === undefined ? {} : { isLog: a.is_log as boolean }),
        })
      ),
  },
  [M + "measure_ACC"]: sync(
    ["mu", "y"],
    { extract_label_indx: "extractLabelIndx" },
    ([m, y], o) => measureAcc(m, y, o),
  ),
  [M + "analyze_categorization_performance"]: asyncRun(
    ["mu", "y"],
    async ([m, y], a) =>
      reportOut(
        await analyzeCategorizationPerformance(
          m,
          y,
          opt(a, { extract_label_indx: "extractLabelIndx" }),
        ),
      ),
  ),
  [M + "analyze_scores"]: asyncRun(
    ["mu", "y"],
    async ([m, y], a) =>
      reportOut(await analyzeScores(m, y, opt(a, { extract_label_indx: "extractLabelIndx" }))),
  ),
  [M + "measure_ARI"]: asyncRun(LABELS, ([t, p]) => measureAri(t, p)),
  [M + "measure_FMI"]: asyncRun(LABELS, ([t, p]) => measureFmi(t, p)),
  [M + "measure_Vmeasure"]: asyncRun(
    LABELS,
    ([t, p], a) => measureVMeasure(t, p, opt(a, { beta: "beta" })),
  ),
};
