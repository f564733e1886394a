/**
 * Shared numeric assertions for tests.
 *
 * @module
 */

import assert from "node:assert/strict";

/** Flatten nested arrays / typed arrays / numbers into a number array. */
export function flat(x: unknown): number[] {
  if (typeof x === "number") return [x];
  if (typeof x === "boolean") return [x ? 1 : 0];
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.flatMap((v) => flat(v));
  throw new TypeError(`flat(): cannot flatten ${typeof x}`);
}

/**
 * Assert `|actual - expected| <= atol + rtol * |expected|` elementwise
 * (NaN matches NaN, equal infinities match).
 */
export function assertAllClose(
  actual: unknown,
  expected: unknown,
  { rtol = 1e-5, atol = 1e-6, msg = "" }: { rtol?: number; atol?: number; msg?: string } = {},
): void {
  const a = flat(actual);
  const e = flat(expected);
  assert.equal(a.length, e.length, `${msg} length ${a.length} != ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = e[i];
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      assert.fail(`${msg} element ${i}: actual ${x} vs expected ${y} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Deterministic pseudo-random floats in [-1, 1) for test inputs (mulberry32). */
export function randomArray(n: number, seed = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6D2B79F5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
