/**
 * The golden-case registry: ngclearn dotted names (and `jax.*`, `numpy.*`,
 * `linalg.*` reference names) → adapters that call ngc-utils. One adapter file
 * per area under `adapters/`; add a line here when an area lands.
 *
 * @module
 */

import type { Adapter } from "./runner.ts";

/** Every registered adapter by case `fn` name. */
export const ADAPTERS: Record<string, Adapter> = {};

/** Add an area's adapters (throws on a duplicate name). */
export function register(map: Record<string, Adapter>): void {
  for (const [k, v] of Object.entries(map)) {
    if (k in ADAPTERS) throw new Error(`golden registry: ${k} registered twice`);
    ADAPTERS[k] = v;
  }
}
