/**
 * Metrics of ngclearn's `metric_utils`, ported: likelihood-style losses
 * (MSE, RMSE, MAE, BCE, categorical NLL, KLD, Gaussian KLD), BIC, accuracy
 * and the classification report, clustering scores (ARI, FMI, V-measure) and
 * neural statistics (firing rate, Fano factor, tuning-curve breadth, Pearson
 * correlation, workload entropy, Gini, sparsity, Hoyer, excess kurtosis).
 *
 * Conventions kept from ngclearn: losses sum over the columns of each row and
 * `preserveBatch: false` averages those row values (to a 0-d tensor). Tensor
 * measures are synchronous and return tensors (no readback); the label-based
 * ones (clustering scores, classification report) must decide on data, so
 * they are `async`, read the labels once and return plain numbers.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureAri, measureMse } from "./mod.ts";
 * using mse = measureMse(tensor([[1, 2]]), tensor([[1, 0]]));
 * console.assert(mse.dataSync()[0] === 4);
 * console.assert(await measureAri([0, 0, 1], [1, 1, 0]) === 1);
 * ```
 *
 * @module
 */

export {
  measureFanoFactor,
  measureFiringRate,
  measureWorkloadEntropy,
  type SpikeStatOptions,
  type WorkloadEntropy,
} from "./spikes.ts";
export {
  measureBreadthOfTuningCurve,
  measureBreadthTc,
  measurePearsonCorrelation,
  type PreserveBatchOptions,
} from "./tuning.ts";
export {
  type CodeStatOptions,
  type GiniOptions,
  measureExcessKurtosis,
  measureGiniIndex,
  measureHoyerSparsity,
  measureSparsity,
  type SparsityOptions,
} from "./sparsity.ts";
export {
  type LossOptions,
  measureBce,
  measureCatNll,
  measureKld,
  measureMae,
  measureMse,
  measureRmse,
  type ProbLossOptions,
} from "./losses.ts";
export {
  type BicOptions,
  type Gaussian,
  type GaussianKldOptions,
  measureBic,
  measureGaussianKld,
} from "./information.ts";
export {
  analyzeCategorizationPerformance,
  analyzeScores,
  type ClassificationReport,
  type LabelOptions,
  measureAcc,
} from "./classification.ts";
export { measureAri, measureFmi, measureVMeasure, type VMeasureOptions } from "./clustering.ts";
