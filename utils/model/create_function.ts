/**
 * `createFunction(name)`: an activation and its derivative by ngclearn name
 * (`create_function` of `ngclearn.utils.model_utils`; spec: model-utils.md).
 *
 * @module
 */

import { rangeError, typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import * as A from "./activations.ts";
import { dSoftmax, softmax } from "./softmax.ts";
import { bkwta } from "./wta.ts";

/** An activation `fx` or its derivative `dfx` as returned by {@link createFunction}. */
export type ActivationFn = (x: TensorLike) => Tensor;

/** The names {@link createFunction} accepts exactly (plus any name containing "heaviside"). */
export const ACTIVATION_NAMES: readonly string[] = [
  "tanh",
  "bkwta",
  "sine",
  "sigmoid",
  "relu",
  "lrelu",
  "relu6",
  "elu",
  "silu",
  "gelu",
  "telu",
  "softplus",
  "softmax",
  "unit_threshold",
  "heaviside",
  "identity",
];

const TABLE: Readonly<Record<string, readonly [ActivationFn, ActivationFn]>> = {
  tanh: [A.tanh, A.dTanh],
  // ngclearn returns bkwta (nWTA 5) for both: there is no derivative
  bkwta: [(x) => bkwta(x), (x) => bkwta(x)],
  sine: [(x) => A.sine(x), (x) => A.dSine(x)],
  sigmoid: [A.sigmoid, A.dSigmoid],
  relu: [A.relu, A.dRelu],
  lrelu: [A.lrelu, A.dLrelu],
  relu6: [A.relu6, A.dRelu6],
  elu: [(x) => A.elu(x), (x) => A.dElu(x)],
  silu: [A.silu, A.dSilu],
  gelu: [A.gelu, A.dGelu],
  telu: [A.telu, A.dTelu],
  softplus: [A.softplus, A.dSoftplus],
  softmax: [(x) => softmax(x), (x) => dSoftmax(x)],
  unit_threshold: [(x) => A.threshold(x), (x) => A.dThreshold(x)],
  identity: [A.identity, A.dIdentity],
};

const HEAVISIDE: readonly [ActivationFn, ActivationFn] = [A.heaviside, A.dHeaviside];

/**
 * The pair `[fx, dfx]` for an ngclearn activation name: "tanh", "sine",
 * "sigmoid", "relu", "lrelu", "relu6", "elu", "silu", "gelu", "telu",
 * "softplus", "identity" (function and derivative), "softmax" (the row
 * softmax and its Jacobian), "bkwta" (bkwta with nWTA 5 for both),
 * "unit_threshold" (threshold at 1 and its straight-through derivative), and
 * any name containing "heaviside". Other names are a RangeError (ngclearn:
 * RuntimeError "Activation function (...) is not recognized/supported!").
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { createFunction } from "./create_function.ts";
 * const [fx, dfx] = createFunction("relu");
 * using y = fx([-1, 2]);
 * using d = dfx([-1, 2]);
 * console.assert(y.dataSync().join() === "0,2" && d.dataSync().join() === "0,1");
 * ```
 */
export function createFunction(funName: string): [ActivationFn, ActivationFn] {
  const fn = "createFunction";
  if (typeof funName !== "string") {
    throw typeError(fn, `funName must be a string, got ${typeof funName}`);
  }
  const hit = Object.hasOwn(TABLE, funName)
    ? TABLE[funName]
    : funName.includes("heaviside")
    ? HEAVISIDE
    : undefined;
  if (!hit) {
    throw rangeError(
      fn,
      `activation function (${funName}) is not recognized/supported; known: ${
        ACTIVATION_NAMES.join(", ")
      } (or any name containing "heaviside")`,
    );
  }
  return [hit[0], hit[1]];
}
