/**
 * The two Threefry stream layouts of JAX (spec/conventions-random.md §4.3)
 * and the module-level default.
 *
 * - `"partitionable"` (JAX ≥ 0.5 default, `jax_threefry_partitionable=True`):
 *   element `j` of a bit stream hashes the counter `(hi32(j), lo32(j))`.
 * - `"legacy"` (older JAX): the counters `0..m-1` are split into two halves
 *   that are hashed pairwise.
 *
 * `key`, `foldIn` and the raw `threefry2x32` block do not depend on the
 * layout; `split`, `bits` and every sampler do.
 *
 * @module
 */

import { rangeError } from "../errors.ts";

/** A Threefry stream layout (spec §4.3). */
export type Layout = "partitionable" | "legacy";

/** The per-call option every layout-dependent function accepts. */
export interface LayoutOptions {
  /** Stream layout for this call (default: {@link getDefaultLayout}). */
  readonly layout?: Layout;
}

let defaultLayout: Layout = "partitionable";

/**
 * Set the layout used when a call does not pass `{ layout }`. The initial
 * default is `"partitionable"` (JAX ≥ 0.5). Returns the previous default so a
 * caller can restore it.
 *
 * @example
 * ```ts
 * import { getDefaultLayout, setDefaultLayout } from "./layout.ts";
 * const previous = setDefaultLayout("legacy");
 * console.assert(getDefaultLayout() === "legacy");
 * setDefaultLayout(previous);
 * ```
 */
export function setDefaultLayout(layout: Layout): Layout {
  const checked = checkLayout("setDefaultLayout", layout);
  const previous = defaultLayout;
  defaultLayout = checked;
  return previous;
}

/**
 * The layout used when a call does not pass `{ layout }`.
 *
 * @example
 * ```ts
 * import { getDefaultLayout } from "./layout.ts";
 * console.assert(["partitionable", "legacy"].includes(getDefaultLayout()));
 * ```
 */
export function getDefaultLayout(): Layout {
  return defaultLayout;
}

/**
 * Validate a layout name; `undefined` gives the module default.
 *
 * @example
 * ```ts
 * import { resolveLayout } from "./layout.ts";
 * console.assert(resolveLayout("bits", "legacy") === "legacy");
 * ```
 */
export function resolveLayout(fn: string, layout: unknown): Layout {
  return layout === undefined ? defaultLayout : checkLayout(fn, layout);
}

function checkLayout(fn: string, layout: unknown): Layout {
  if (layout !== "partitionable" && layout !== "legacy") {
    throw rangeError(
      fn,
      `layout must be "partitionable" or "legacy", got ${JSON.stringify(layout)}`,
    );
  }
  return layout;
}
