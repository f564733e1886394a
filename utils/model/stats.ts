/**
 * Inspection helpers of `ngclearn.utils.model_utils`: `tensorstats` and
 * `pullEquations` (spec: model-utils.md, "Matrix helpers").
 *
 * @module
 */

import { isTensor, tidy } from "../../core/engine.ts";
import { typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { abs, concat, max, mean, min, reshape, std } from "../../core/ops/mod.ts";
import { floatInput } from "./common.ts";

/** Summary statistics returned by {@link tensorstats} (0-d tensors). */
export interface TensorStats {
  /** Mean of all values. */
  readonly mean: Tensor;
  /** Standard deviation (ddof 0). */
  readonly std: Tensor;
  /** Largest magnitude `max|x|`. */
  readonly mag: Tensor;
  /** Smallest value. */
  readonly min: Tensor;
  /** Largest value. */
  readonly max: Tensor;
}

/** A tensor, or a list or record of tensors whose values are pooled. */
export type TensorStatsInput = TensorLike | readonly Tensor[] | Readonly<Record<string, Tensor>>;

function leaves(fn: string, value: TensorStatsInput): TensorLike[] {
  if (isTensor(value)) return [value];
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => isTensor(v))) return value;
    if (value.some((v) => isTensor(v))) {
      throw typeError(fn, "a list must hold only tensors (or be a nested array of numbers)");
    }
    return [value as TensorLike];
  }
  if (ArrayBuffer.isView(value) || typeof value === "number" || typeof value === "boolean") {
    return [value as TensorLike];
  }
  if (
    value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype
  ) {
    const vals = Object.values(value);
    if (vals.length === 0 || !vals.every((v) => isTensor(v))) {
      throw typeError(fn, "a record must map names to tensors and hold at least one");
    }
    return vals as Tensor[];
  }
  throw typeError(
    fn,
    `expected a tensor, a list of tensors or a record of tensors, got ${typeof value}`,
  );
}

/**
 * Summary statistics `{ mean, std (ddof 0), mag = max|x|, min, max }` of a
 * tensor, as 0-d tensors (ngclearn's docstring says it prints; it returns a
 * dict). A list or record of tensors is pooled: each leaf is flattened and
 * the leaves stacked, so all must have the same size (TypeError otherwise;
 * ngclearn returns None then, and for any other input).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { tensorstats } from "./stats.ts";
 * const s = tensorstats([[1, -3], [2, 4]]);
 * console.assert(s.mean.itemSync() === 1 && s.mag.itemSync() === 4 && s.min.itemSync() === -3);
 * for (const t of Object.values(s)) t.dispose();
 * ```
 */
export function tensorstats(tensor: TensorStatsInput): TensorStats {
  const fn = "tensorstats";
  const list = leaves(fn, tensor);
  return tidy(() => {
    const flats = list.map((l) => reshape(floatInput(fn, l), [-1]));
    const size = flats[0].shape[0];
    for (const f of flats) {
      if (f.shape[0] !== size) {
        throw typeError(
          fn,
          `all leaves must have the same size to be stacked, got ${
            flats.map((g) => g.shape[0]).join(", ")
          }`,
        );
      }
    }
    const all = flats.length === 1 ? flats[0] : concat(flats, 0);
    return {
      mean: mean(all),
      std: std(all),
      mag: max(abs(all)),
      min: min(all),
      max: max(all),
    };
  });
}

/** A component of a controller: any object; its `equation` (when not a function) is listed. */
export interface EquationComponent {
  /** The component's equation text (or any value with a string form). */
  readonly equation?: unknown;
  /** Any other attributes (ignored). */
  readonly [attribute: string]: unknown;
}

/** What {@link pullEquations} reads: a controller with named components. */
export interface EquationController {
  /** Components by name (a record or a Map). */
  readonly components:
    | Readonly<Record<string, EquationComponent>>
    | ReadonlyMap<string, EquationComponent>;
}

/**
 * The equations of a controller's components, one `"\n<name>:  <equation>"`
 * entry appended per component that has a non-function `equation`
 * attribute; `""` when none has one. (ngclearn's code raises IndexError as
 * soon as a component has an equation: its format string has three
 * placeholders for two arguments; this is the intended output.)
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { pullEquations } from "./stats.ts";
 * const text = pullEquations({ components: { z0: { equation: "dz/dt = -z" }, w: {} } });
 * console.assert(text === "\nz0:  dz/dt = -z");
 * ```
 */
export function pullEquations(controller: EquationController): string {
  const fn = "pullEquations";
  if (controller === null || typeof controller !== "object" || !("components" in controller)) {
    throw typeError(fn, "controller must be an object with a components record");
  }
  const comps = controller.components;
  if (comps === null || typeof comps !== "object") {
    throw typeError(fn, "controller.components must be a record or a Map of components");
  }
  const entries = comps instanceof Map ? [...comps.entries()] : Object.entries(comps);
  let eqs = "";
  for (const [name, component] of entries) {
    if (component === null || typeof component !== "object" || !("equation" in component)) continue;
    const eq = (component as EquationComponent).equation;
    if (typeof eq === "function") continue;
    eqs = `${eqs}\n${name}:  ${String(eq)}`;
  }
  return eqs;
}
