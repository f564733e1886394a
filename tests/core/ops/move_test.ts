import assert from "node:assert/strict";
import { memory } from "../../../core/engine.ts";
import { tensor } from "../../../core/ops/creation.ts";
import { toBackend, toBackendSync } from "../../../core/ops/move.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import type { BackendCapabilities } from "../../../backends/backend.ts";
import { cpu, expectTensor, noF64, throwsNoLeak } from "./ops_helpers.ts";

/** A backend that reads only asynchronously (as webgpu). */
class AsyncOnly extends CpuBackend {
  override readonly name: string = "async-only";
  override readonly capabilities: BackendCapabilities = {
    float64: false,
    readSync: false,
    hostLinalg: [],
  };
}

Deno.test("toBackend copies to another backend and keeps the input alive", async () => {
  using x = tensor([[1, 2], [3, 4]], { dtype: "int32" });
  const y = await toBackend(x, noF64);
  assert.equal(y.backend, noF64);
  assert.equal(x.isDisposed, false);
  const back = await toBackend(y, "cpu");
  assert.equal(back.backend, cpu);
  y.dispose();
  expectTensor(back, [1, 2, 3, 4], [2, 2], "int32");
  const same = await toBackend(x, cpu);
  assert.notEqual(same, x);
  expectTensor(same, [1, 2, 3, 4], [2, 2], "int32");
  const fromArray = await toBackend([1, 2], noF64);
  assert.equal(fromArray.backend, noF64);
  expectTensor(fromArray, [1, 2], [2], "float32");
});

Deno.test("toBackendSync", () => {
  using x = tensor([true, false]);
  const y = toBackendSync(x, noF64);
  assert.equal(y.backend, noF64);
  expectTensor(y, [1, 0], [2], "bool");
  expectTensor(toBackendSync([1.5], "cpu"), [1.5], [1], "float32");
});

Deno.test("toBackendSync refuses a source that cannot read synchronously; toBackend works", async () => {
  const gpuLike = new AsyncOnly();
  using x = tensor([1, 2], { backend: gpuLike });
  throwsNoLeak(() => toBackendSync(x, cpu), TypeError, "toBackendSync", /await toBackend/);
  expectTensor(await toBackend(x, cpu), [1, 2], [2], "float32");
});

Deno.test("moving: bad input and capability errors", async () => {
  using f64 = tensor([1], { dtype: "float64" });
  const n = memory().tensors;
  await assert.rejects(
    () => toBackend(f64, noF64),
    (e: Error) => e instanceof TypeError && /float64/.test(e.message),
  );
  await assert.rejects(() => toBackend(f64, "nope"), RangeError);
  await assert.rejects(() => toBackend(f64, 3 as never), TypeError);
  assert.equal(memory().tensors, n);
  throwsNoLeak(() => toBackendSync(f64, noF64), TypeError, "toBackendSync", /float64/);
  throwsNoLeak(() => toBackendSync(f64, "nope"), RangeError, "toBackendSync", /unknown backend/);
  throwsNoLeak(() => toBackendSync(f64, {} as never), TypeError, "toBackendSync");
  const d = tensor([1]);
  d.dispose();
  await assert.rejects(() => toBackend(d, noF64), /disposed/);
});
