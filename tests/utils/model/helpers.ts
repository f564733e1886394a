/**
 * Shared helpers of the model-utils, surrogate, distribution and matrix
 * tests: the cpu backend made current, leak checks, error assertions and
 * readers.
 *
 * @module
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { collectTensors, memory, setBackend } from "../../../core/engine.ts";
import type { Tensor } from "../../../core/tensor.ts";

await setBackend("cpu");

/** Live tensors over all backends. */
export function live(): number {
  return memory().tensors;
}

/**
 * Run `fn`, read every tensor it returns (nested in arrays/objects) as flat
 * numbers, dispose them, and assert that nothing else was left alive.
 */
export function noLeak<T>(fn: () => T): T {
  const before = live();
  const out = fn();
  for (const t of collectTensors(out)) t.dispose();
  assert.equal(live(), before, "tensors leaked");
  return out;
}

/** Assert that `fn` throws `type` with a message starting `fnName(): `, leaking nothing. */
export function throwsNoLeak(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  fnName: string,
  pattern?: RegExp,
): void {
  const before = live();
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
    assert.ok(
      (e as Error).message.startsWith(`${fnName}(): `),
      `message should start with "${fnName}(): ", got "${(e as Error).message}"`,
    );
    if (pattern) assert.match((e as Error).message, pattern);
    return true;
  });
  assert.equal(live(), before, "tensors leaked by a failing call");
}

/** Flat values, shape and dtype of a tensor, then dispose it. */
export function read(t: Tensor): { v: number[]; shape: number[]; dtype: string } {
  const out = { v: Array.from(t.dataSync()), shape: [...t.shape], dtype: t.dtype as string };
  t.dispose();
  return out;
}

/** Flat values of a tensor, then dispose it. */
export function vals(t: Tensor): number[] {
  return read(t).v;
}

/** A float32-rounded copy of nested numbers, flattened. */
export function f32(values: number[]): number[] {
  return values.map((v) => Math.fround(v));
}

/** The rows of the test batch used throughout (kinks, zeros, tiny values, large values). */
export const X: number[][] = [
  [-7, -3, -1, -0.5, 0, 0.5],
  [1, 2.5, 6, 7, -0.001, 0.001],
  [-2.516, 0.435, -2.29, 0.037, 2.884, -0.002],
];

/** {@link X} flattened, float32-rounded (the values a float32 tensor holds). */
export const XF: number[] = f32(X.flat());
