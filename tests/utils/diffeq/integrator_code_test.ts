/**
 * getIntegratorCode: ngclearn's name → code table, "rk1" accepted without a
 * warning (ngclearn's inverted condition prints one), unknown names → 0 with
 * a warning, or a RangeError with { strict: true }.
 */

import assert from "node:assert/strict";
import { getIntegratorCode, INTEGRATOR_NAMES } from "../../../utils/diffeq/mod.ts";
import { resolveMethod } from "../../../utils/diffeq/integrator_code.ts";

function warnings<T>(fn: () => T): [T, string[]] {
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.join(" "));
  try {
    return [fn(), seen];
  } finally {
    console.warn = warn;
  }
}

Deno.test("getIntegratorCode: every recognised name, no warning (rk1 included)", () => {
  const table: Record<string, number> = {
    euler: 0,
    rk1: 0,
    midpoint: 1,
    rk2: 1,
    rk2_heun: 2,
    heun: 2,
    rk2_ralston: 3,
    ralston: 3,
    rk4: 4,
  };
  assert.deepEqual([...INTEGRATOR_NAMES].sort(), Object.keys(table).sort());
  for (const [name, code] of Object.entries(table)) {
    const [got, warned] = warnings(() => getIntegratorCode(name));
    assert.equal(got, code, name);
    assert.deepEqual(warned, [], `${name} must not warn`);
  }
});

Deno.test("getIntegratorCode: unknown names default to Euler with a warning (case-sensitive)", () => {
  for (const name of ["rk45", "RK4", "", "Euler"]) {
    const [got, warned] = warnings(() => getIntegratorCode(name));
    assert.equal(got, 0);
    assert.equal(warned.length, 1);
    assert.match(warned[0], /getIntegratorCode\(\): unrecognized integration method/);
  }
});

Deno.test("getIntegratorCode: strict mode and bad types", () => {
  assert.throws(
    () => getIntegratorCode("rk45", { strict: true }),
    /getIntegratorCode\(\): unrecognized integration method "rk45"/,
  );
  assert.equal(getIntegratorCode("heun", { strict: true }), 2);
  assert.throws(() => getIntegratorCode(4 as unknown as string), TypeError);
});

Deno.test("resolveMethod: aliases map to the canonical methods; unknown is a RangeError", () => {
  assert.equal(resolveMethod("f", "rk1"), "euler");
  assert.equal(resolveMethod("f", "midpoint"), "rk2");
  assert.equal(resolveMethod("f", "rk2_heun"), "heun");
  assert.equal(resolveMethod("f", "rk2_ralston"), "ralston");
  assert.equal(resolveMethod("f", "rk4"), "rk4");
  assert.throws(
    () => resolveMethod("f", "rk45"),
    /f\(\): unknown method "rk45"; valid: euler, rk1/,
  );
  assert.throws(() => resolveMethod("f", null), TypeError);
  assert.throws(() => resolveMethod("f", "toString"), RangeError);
});
