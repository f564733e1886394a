/**
 * Shared helpers of the core/ops tests: leak checks, error assertions and a
 * cpu backend without float64.
 *
 * @module
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import type { BackendCapabilities } from "../../../backends/backend.ts";
import { collectTensors, getBackend, memory, setBackend } from "../../../core/engine.ts";
import type { Tensor } from "../../../core/tensor.ts";

await setBackend("cpu");
/** The cpu backend, made current for the ops tests. */
export const cpu = getBackend();

/** A cpu backend that advertises no float64 (as webgpu). */
export class NoF64Backend extends CpuBackend {
  override readonly name: string = "cpu-nof64";
  override readonly capabilities: BackendCapabilities = {
    float64: false,
    readSync: true,
    hostLinalg: [],
  };
}

/** One shared instance of {@link NoF64Backend}. */
export const noF64 = new NoF64Backend();

/** Live tensors, and live storage buffers over all backends. */
function counts(): [number, number] {
  const m = memory();
  return [m.tensors, Object.values(m.backends).reduce((n, b) => n + b.buffers, 0)];
}

/**
 * Run `fn`, dispose every tensor it returns, and assert that no tensor or
 * storage buffer was left behind. Returns what `fn` returned (disposed).
 */
export function noLeak<T>(fn: () => T): T {
  const before = counts();
  const out = fn();
  for (const t of collectTensors(out)) t.dispose();
  assert.deepEqual(counts(), before, "tensors/buffers leaked");
  return out;
}

/** Assert that `fn` leaves no tensor or buffer behind even when it throws. */
export function throwsNoLeak(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  fnName: string,
  pattern?: RegExp,
): void {
  const before = counts();
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
    assert.ok(
      (e as Error).message.startsWith(`${fnName}(): `),
      `message should start with ${fnName}(): got ${(e as Error).message}`,
    );
    if (pattern) assert.match((e as Error).message, pattern);
    return true;
  });
  assert.deepEqual(counts(), before, "tensors/buffers leaked by a failing op");
}

/** Values, shape and dtype of a tensor, then dispose it. */
export function read(t: Tensor): { v: number[]; shape: number[]; dtype: string } {
  const out = { v: Array.from(t.dataSync()), shape: [...t.shape], dtype: t.dtype as string };
  t.dispose();
  return out;
}

/** Assert a tensor's values (exact), shape and dtype, then dispose it. */
export function expectTensor(t: Tensor, v: number[], shape: number[], dtype: string): void {
  const r = read(t);
  assert.deepEqual(r.shape, shape, "shape");
  assert.equal(r.dtype, dtype, "dtype");
  assert.deepEqual(r.v, v, "values");
}
