/**
 * Integration-method names → ngclearn's integer codes
 * (`ode_utils.get_integrator_code`), and name resolution for `solveOde`.
 *
 * @module
 */

import { rangeError, typeError } from "../../core/errors.ts";
import type { MethodName } from "./steps.ts";

/** Every recognised name, with its code and canonical method. */
const NAMES: Readonly<Record<string, readonly [number, MethodName]>> = {
  euler: [0, "euler"],
  rk1: [0, "euler"],
  midpoint: [1, "rk2"],
  rk2: [1, "rk2"],
  rk2_heun: [2, "heun"],
  heun: [2, "heun"],
  rk2_ralston: [3, "ralston"],
  ralston: [3, "ralston"],
  rk4: [4, "rk4"],
};

/**
 * The recognised method names, as `getIntegratorCode` and `solveOde` accept
 * them (case-sensitive, as ngclearn).
 *
 * @example
 * ```ts
 * import { INTEGRATOR_NAMES } from "./integrator_code.ts";
 * console.assert(INTEGRATOR_NAMES.includes("rk1"));
 * ```
 */
export const INTEGRATOR_NAMES: readonly string[] = Object.freeze(Object.keys(NAMES));

/**
 * Options of {@link getIntegratorCode}.
 *
 * @example
 * ```ts
 * import type { IntegratorCodeOptions } from "./integrator_code.ts";
 * const o: IntegratorCodeOptions = { strict: true };
 * console.assert(o.strict);
 * ```
 */
export interface IntegratorCodeOptions {
  /**
   * Throw a `RangeError` on an unrecognised name instead of returning 0
   * (Euler) with a `console.warn` as ngclearn does (default false).
   */
  readonly strict?: boolean;
}

function checkName(fn: string, name: unknown): string {
  if (typeof name !== "string") {
    throw typeError(fn, `the method name must be a string, got ${typeof name}`);
  }
  return name;
}

/**
 * The integer code of an integration method: "euler"/"rk1" → 0,
 * "midpoint"/"rk2" → 1, "rk2_heun"/"heun" → 2, "rk2_ralston"/"ralston" → 3,
 * "rk4" → 4. An unrecognised name returns 0 (Euler) after a `console.warn`,
 * as ngclearn does, or throws a `RangeError` with `{ strict: true }`. Unlike
 * ngclearn, the valid "rk1" is not reported as unrecognised.
 *
 * @example
 * ```ts
 * import { getIntegratorCode } from "./mod.ts";
 * console.assert(getIntegratorCode("rk4") === 4);
 * console.assert(getIntegratorCode("rk1") === 0); // no warning
 * console.assert(getIntegratorCode("midpoint") === 1);
 * ```
 */
export function getIntegratorCode(
  integrationType: string,
  options: IntegratorCodeOptions = {},
): number {
  const name = checkName("getIntegratorCode", integrationType);
  const hit = Object.hasOwn(NAMES, name) ? NAMES[name] : undefined;
  if (hit) return hit[0];
  const msg = `unrecognized integration method ${JSON.stringify(name)}; known: ${
    INTEGRATOR_NAMES.join(", ")
  }`;
  if (options?.strict) throw rangeError("getIntegratorCode", msg);
  console.warn(`getIntegratorCode(): ${msg}; defaulting to Euler (code 0)`);
  return 0;
}

/**
 * The canonical method of a recognised name (aliases included), or a
 * `RangeError` naming the valid ones, reported as `fn(): ...`.
 *
 * @example
 * ```ts
 * import { resolveMethod } from "./integrator_code.ts";
 * console.assert(resolveMethod("solveOde", "midpoint") === "rk2");
 * ```
 */
export function resolveMethod(fn: string, name: unknown): MethodName {
  const s = checkName(fn, name);
  const hit = Object.hasOwn(NAMES, s) ? NAMES[s] : undefined;
  if (!hit) {
    throw rangeError(
      fn,
      `unknown method ${JSON.stringify(s)}; valid: ${INTEGRATOR_NAMES.join(", ")}`,
    );
  }
  return hit[1];
}
