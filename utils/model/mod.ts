/**
 * The port of `ngclearn.utils.model_utils`: activations and their
 * derivatives, `createFunction`, the k-WTA family, softmax and its Jacobian,
 * thresholds, normalisations, block matrices, keyed dropout and
 * `tensorstats` (spec: model-utils.md). Written against `core/` only, so it
 * runs on every backend; results stay tensors.
 *
 * Some names (`tanh`, `sigmoid`, `softmax`, `clip`, `oneHot`) are also
 * `core/ops` names with different semantics (ngclearn's row softmax with a
 * temperature, one-hot of the row argmax, ...): import them from here, or
 * through the `model` namespace of the package entry.
 *
 * @example
 * ```ts
 * import { bkwta, createFunction, relu, softmax } from "./mod.ts";
 * import { tidy } from "../../mod.ts";
 * const [, dfx] = createFunction("tanh");
 * using d = dfx([[0]]);
 * using p = tidy(() => bkwta(softmax(relu([[1, 3, 2, -1]])), { nWTA: 2 }));
 * console.assert(d.dataSync()[0] === 1 && p.dataSync().join() === "0,1,1,0");
 * ```
 *
 * @module
 */

export * from "./activations.ts";
export * from "./thresholds.ts";
export * from "./softmax.ts";
export * from "./wta.ts";
export * from "./normalize.ts";
export * from "./blocks.ts";
export * from "./dropout.ts";
export * from "./stats.ts";
export * from "./create_function.ts";
