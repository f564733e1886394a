/**
 * Shared helpers of the metric tests: reading results (any backend), leak
 * checks and error assertions (type and `fnName(): ` message prefix). Tests
 * run on `NGC_BACKEND` (cpu, blas, webgpu) or the "auto" choice.
 *
 * @module
 */

import assert from "node:assert/strict";
import "../../../mod.ts";
import { collectTensors, getBackend, memory, ready } from "../../../core/engine.ts";
import type { Tensor } from "../../../core/tensor.ts";

// NGC_BACKEND (or "auto"), including the asynchronously created webgpu backend.
await ready();

/** Values, shape and dtype of a tensor (read with `await t.data()`), then dispose it. */
export async function read(t: Tensor): Promise<{ v: number[]; shape: number[]; dtype: string }> {
  const out = { v: Array.from(await t.data()), shape: [...t.shape], dtype: t.dtype as string };
  t.dispose();
  return out;
}

/** Run `fn` (sync or async), dispose the tensors it returns, assert no tensor was left behind. */
export async function noLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = memory().tensors;
  const out = await fn();
  for (const t of collectTensors(out)) t.dispose();
  assert.equal(memory().tensors, before, "tensors leaked");
  return out;
}

/** Assert `fn` throws (or rejects with) `type`, its message starts with `fnName(): ` and matches. */
export async function throwsLike(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  fnName: string,
  pattern?: RegExp,
): Promise<void> {
  const before = memory().tensors;
  let err: unknown = null;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err !== null, `${fnName}: expected ${type.name}, nothing was thrown`);
  assert.ok(err instanceof type, `expected ${type.name}, got ${err}`);
  const msg = (err as Error).message;
  assert.ok(msg.startsWith(`${fnName}(): `), `message should start with ${fnName}(): got ${msg}`);
  if (pattern) assert.match(msg, pattern);
  assert.equal(memory().tensors, before, "tensors leaked by a failing call");
}

/** Whether the current backend holds float64 (cpu, blas; not webgpu). */
export function hasF64(): boolean {
  return getBackend().capabilities.float64;
}
