/**
 * Randomness: JAX-compatible Threefry keys and samplers (partitionable
 * layout by default, legacy behind `{ layout: "legacy" }` or
 * {@link setDefaultLayout}) and NumPy's legacy MT19937 `RandomState`, as
 * spec/conventions-random.md §4–5 describe them.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { key, normal, split, uniform } from "./mod.ts";
 * using k = key(0);
 * using ks = split(k, 2);
 * using u = uniform(k, [3]);
 * using z = normal(k, [2, 2]);
 * console.assert(ks.shape.join() === "2,2" && u.size === 3 && z.size === 4);
 * ```
 *
 * @module
 */

export { getDefaultLayout, type Layout, type LayoutOptions, setDefaultLayout } from "./layout.ts";
export type { KeyLike } from "./keylike.ts";
export { foldIn, key, split } from "./key.ts";
export { bits, threefry2x32 } from "./threefry.ts";
export type { FloatDType } from "./floats.ts";
export {
  bernoulli,
  categorical,
  type CategoricalOptions,
  exponential,
  type FloatOptions,
  gumbel,
  lognormal,
  normal,
  randint,
  uniform,
  type UniformOptions,
} from "./samplers.ts";
export { permutation, type PermutationOptions } from "./permutation.ts";
export { choice, type ChoiceOptions } from "./choice.ts";
export { RandomState, type RandomStateChoiceOptions, type Size } from "./mt19937.ts";
