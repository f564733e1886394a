/**
 * Classification measures of ngclearn's `metric_utils`: accuracy and the
 * classification report (confusion matrix, per-class and macro precision and
 * recall, misses, accuracy, adjusted accuracy).
 *
 * @module
 */

import { isTensor, tidy } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import { isInt, type TensorLike, toTensor } from "../../core/ops/convert.ts";
import { argmax, cast, equal, mean, sum, tensor } from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import { boolOption, checkOptions, checkRank, floatInput } from "./common.ts";
import { labelCount, readLabels } from "./labels.ts";

/** Options of {@link measureAcc} and {@link analyzeCategorizationPerformance}. */
export interface LabelOptions {
  /**
   * `y` holds one row of scores / a one-hot row per sample (N x C) whose
   * argmax is the label (default true); false: `y` is a vector of N integer
   * labels.
   */
  readonly extractLabelIndx?: boolean;
}

function scores(fn: string, mu: TensorLike): Tensor {
  const m = floatInput(fn, "mu", mu);
  checkRank(fn, "mu", m, [2], "(N x C)");
  if (m.shape[1] === 0) {
    throw typeError(fn, `mu needs at least one column (class), got shape ${fmtShape(m.shape)}`);
  }
  return m;
}

/** The label tensor for `measureAcc` (inside tidy). */
function labelTensor(fn: string, y: TensorLike, n: number, extract: boolean, m: Tensor): Tensor {
  if (extract) {
    const t = toTensor(y, fn);
    if (t.rank !== 2 || t.shape[0] !== n) {
      throw typeError(
        fn,
        `y must be (N x C) = [${n}, C] one-hot rows or scores when extractLabelIndx is true ` +
          `(integer labels need extractLabelIndx: false), got shape ${fmtShape(t.shape)}`,
      );
    }
    return argmax(t, { axis: 1 });
  }
  const len = labelCount(fn, "y", y);
  if (len !== n) throw typeError(fn, `mu has ${n} rows but y has ${len} labels`);
  if (isTensor(y)) {
    if (!isInt(y.dtype)) {
      throw typeError(
        fn,
        `y must hold integer labels (int32) when extractLabelIndx is false, got dtype ${y.dtype}; ` +
          `cast(y, "int32") first (a float tensor cannot be checked without a readback)`,
      );
    }
    return y;
  }
  // Host values: check they are integers here (no readback involved).
  const vals = y as ArrayLike<number | boolean>;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw typeError(fn, `y must hold integer labels, found ${v} at index ${i}`);
    }
  }
  return tensor(y, { dtype: "int32", backend: m.backend });
}

/**
 * Accuracy (`measure_ACC`): the fraction of rows where `argmax(mu)` equals
 * the label (`argmax(y)` by default, or the integer `y` with
 * `extractLabelIndx: false`) → a 0-d tensor. ngclearn raises for
 * `extract_label_indx=False` (its label variable is never set); here the
 * documented integer-label accuracy is computed. Integer labels must be an
 * int32 tensor or host integers (a float tensor is a TypeError).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { measureAcc } from "./mod.ts";
 * using mu = tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]);
 * using a = measureAcc(mu, [0, 1, 1], { extractLabelIndx: false });
 * console.assert(Math.abs(a.dataSync()[0] - 2 / 3) < 1e-6);
 * ```
 */
export function measureAcc(mu: TensorLike, y: TensorLike, options: LabelOptions = {}): Tensor {
  const fn = "measureAcc";
  checkOptions(fn, options);
  const extract = boolOption(fn, "extractLabelIndx", options.extractLabelIndx, true);
  return tidy(() => {
    const m = scores(fn, mu);
    const labels = labelTensor(fn, y, m.shape[0], extract, m);
    const guesses = argmax(m, { axis: 1 });
    return mean(cast(equal(guesses, labels), m.dtype));
  });
}

/** Result of {@link analyzeCategorizationPerformance} (plain numbers, computed in float64). */
export interface ClassificationReport {
  /** Confusion matrix: rows are true classes, columns predicted ones, over {@link classes}. */
  readonly confMatrix: number[][];
  /** The class set: sorted union of the labels and guesses that occur. */
  readonly classes: number[];
  /** Macro-averaged precision over `classes` (a class never predicted counts 0). */
  readonly precision: number;
  /** Macro-averaged recall over `classes` (a class that never occurs counts 0). */
  readonly recall: number;
  /** Per-class precision `TP/(TP+FP)` (0 when nothing was predicted as that class). */
  readonly precisionPerClass: number[];
  /** Per-class recall `TP/(TP+FN)` (0 when the class never occurs). */
  readonly recallPerClass: number[];
  /** Number of rows of `mu` that sum to 0 (no guess). */
  readonly misses: number;
  /** Fraction of rows where the guess equals the label. */
  readonly acc: number;
  /** Fraction of rows guessed right and not missed. */
  readonly adjAcc: number;
}

/** Largest confusion matrix built (cells). */
const MAX_CONF_CELLS = 1 << 26;

/**
 * The classification report (`analyze_categorization_performance`): the
 * guess of row n is `argmax(mu_n)` (first index on ties); a row of `mu` that
 * sums to 0 is a miss. Returns the confusion matrix over the sorted union of
 * classes seen (as `sklearn.metrics.confusion_matrix`), per-class and
 * macro-averaged precision and recall (0/0 → 0), the number of misses, the
 * accuracy and the adjusted accuracy (misses count as wrong).
 *
 * Async: it must decide on data (the class set), so it reads N guesses, N
 * miss flags and N labels once (not the N x C scores) and returns plain
 * numbers. Labels are `argmax(y)` of (N x C) rows by default, or integer
 * labels with `extractLabelIndx: false` (TypeError for non-integers).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { analyzeCategorizationPerformance } from "./mod.ts";
 * using mu = tensor([[0.9, 0.1], [0.2, 0.8], [0, 0]]);
 * const r = await analyzeCategorizationPerformance(mu, [0, 1, 1], { extractLabelIndx: false });
 * console.log(r.confMatrix, r.acc, r.adjAcc, r.misses); // [[1, 0], [1, 1]] 0.667 0.667 1
 * ```
 */
export async function analyzeCategorizationPerformance(
  mu: TensorLike,
  y: TensorLike,
  options: LabelOptions = {},
): Promise<ClassificationReport> {
  return await report("analyzeCategorizationPerformance", mu, y, options);
}

/**
 * Deprecated alias of {@link analyzeCategorizationPerformance}
 * (`analyze_scores`).
 *
 * @deprecated Use {@link analyzeCategorizationPerformance}.
 *
 * @example
 * ```ts
 * import "../../mod.ts";
 * import { analyzeScores } from "./mod.ts";
 * const r = await analyzeScores([[1, 0], [0, 1]], [[1, 0], [1, 0]]);
 * console.assert(r.acc === 0.5);
 * ```
 */
export async function analyzeScores(
  mu: TensorLike,
  y: TensorLike,
  options: LabelOptions = {},
): Promise<ClassificationReport> {
  return await report("analyzeScores", mu, y, options);
}

async function report(
  fn: string,
  mu: TensorLike,
  y: TensorLike,
  options: LabelOptions,
): Promise<ClassificationReport> {
  checkOptions(fn, options);
  const extract = boolOption(fn, "extractLabelIndx", options.extractLabelIndx, true);
  const dev = tidy(() => {
    const m = scores(fn, mu);
    const n = m.shape[0];
    if (n === 0) throw rangeError(fn, "mu has no rows");
    let labels: Tensor | null = null;
    if (extract) {
      labels = labelTensor(fn, y, n, true, m);
    } else {
      const len = labelCount(fn, "y", y);
      if (len !== n) throw typeError(fn, `mu has ${n} rows but y has ${len} labels`);
    }
    return {
      guesses: argmax(m, { axis: 1 }),
      missed: equal(sum(m, { axis: 1 }), 0),
      labels,
    };
  });
  let guesses: Int32Array, missed: ArrayLike<number>, labels: Int32Array;
  try {
    [guesses, missed, labels] = await Promise.all([
      dev.guesses.data() as Promise<Int32Array>,
      dev.missed.data(),
      dev.labels ? (dev.labels.data() as Promise<Int32Array>) : readLabels(fn, "y", y),
    ]);
  } finally {
    dev.guesses.dispose();
    dev.missed.dispose();
    dev.labels?.dispose();
  }
  const n = guesses.length;
  let misses = 0, right = 0, rightNotMissed = 0;
  for (let i = 0; i < n; i++) {
    const hit = guesses[i] === labels[i];
    if (missed[i]) misses++;
    if (hit) {
      right++;
      if (!missed[i]) rightNotMissed++;
    }
  }
  const { classes, index } = classSet(fn, labels, guesses);
  const k = classes.length;
  const conf = new Float64Array(k * k);
  for (let i = 0; i < n; i++) conf[index(labels[i]) * k + index(guesses[i])]++;
  const precisionPerClass: number[] = [];
  const recallPerClass: number[] = [];
  const confMatrix: number[][] = [];
  for (let c = 0; c < k; c++) {
    let row = 0, col = 0;
    for (let j = 0; j < k; j++) {
      row += conf[c * k + j];
      col += conf[j * k + c];
    }
    const tp = conf[c * k + c];
    precisionPerClass.push(col === 0 ? 0 : tp / col);
    recallPerClass.push(row === 0 ? 0 : tp / row);
    confMatrix.push(Array.from(conf.subarray(c * k, c * k + k)));
  }
  const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return {
    confMatrix,
    classes,
    precision: avg(precisionPerClass),
    recall: avg(recallPerClass),
    precisionPerClass,
    recallPerClass,
    misses,
    acc: right / n,
    adjAcc: rightNotMissed / n,
  };
}

/** Sorted union of the values of two label vectors and a value → position map. */
function classSet(
  fn: string,
  a: Int32Array,
  b: Int32Array,
): { classes: number[]; index: (v: number) => number } {
  let lo = Infinity, hi = -Infinity;
  for (const v of [a, b]) {
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
  }
  const range = hi - lo + 1;
  let classes: number[];
  let index: (v: number) => number;
  if (range <= Math.max(2 * a.length, 1024)) {
    const pos = new Int32Array(range).fill(-1);
    for (const v of [a, b]) for (let i = 0; i < v.length; i++) pos[v[i] - lo] = 0;
    classes = [];
    for (let i = 0; i < range; i++) {
      if (pos[i] === 0) {
        pos[i] = classes.length;
        classes.push(i + lo);
      }
    }
    index = (v) => pos[v - lo];
  } else {
    classes = [...new Set([...a, ...b])].sort((x, y) => x - y);
    const pos = new Map(classes.map((c, i) => [c, i]));
    index = (v) => pos.get(v)!;
  }
  if (classes.length * classes.length > MAX_CONF_CELLS) {
    throw rangeError(
      fn,
      `${classes.length} distinct classes are too many for a dense confusion matrix`,
    );
  }
  return { classes, index };
}
