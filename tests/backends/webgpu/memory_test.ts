/**
 * webgpu resource behaviour: no live buffers leak over 10,000 ops and the
 * pool stays bounded and reused; readSync is refused clearly; device loss
 * and a failed adapter request give clear errors and leave the cpu backend
 * usable; "auto" eligibility rejects software adapters.
 */

import assert from "node:assert/strict";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { createWebGpuBackend, isSoftwareAdapter } from "../../../backends/webgpu/mod.ts";
import { sizeClass } from "../../../backends/webgpu/buffers.ts";
import { gpuTest } from "./harness.ts";

gpuTest("10,000 ops leave no live buffers beyond the pool, and the pool is reused", async (g) => {
  const base = g.memory().buffers;
  const x = g.write(Float32Array.from({ length: 300 }, (_, i) => i / 300), [300], "float32");
  const created0 = g.poolStats().created;
  let acc = g.fill([300], 0, "float32");
  for (let i = 0; i < 2500; i++) {
    const y = g.unary("sin", x); // 1
    const z = g.binary("add", acc, y); // 2
    const s = g.reduce("sum", z, [0]); // 3
    g.dispose(y);
    g.dispose(acc);
    g.dispose(s);
    const xr = g.reshape(x, [300]); // shares storage (a reference, not a buffer)
    acc = g.binary("mul", z, xr); // 4
    g.dispose(xr);
    g.dispose(z);
  }
  const out = await g.read(acc);
  assert.ok(out.every(Number.isFinite));
  g.dispose(acc);
  g.dispose(x);
  const mem = g.memory();
  assert.equal(mem.buffers, base, "no live buffers left");
  assert.equal(mem.bytes, g.memory().bytes);
  const stats = g.poolStats();
  assert.ok(
    stats.created - created0 < 32,
    `buffers are reused (created ${stats.created - created0})`,
  );
  assert.ok(stats.pooledBytes <= stats.maxPooledBytes);
  assert.equal(mem.pooledBytes, stats.pooledBytes);
});

gpuTest("the pool is bounded: beyond maxPooledBytes released buffers are destroyed", async () => {
  const small = await createWebGpuBackend({ pool: { maxPooledBytes: 8192, maxPerClass: 2 } });
  try {
    const ts = [];
    for (let i = 0; i < 40; i++) ts.push(small.fill([64 * (1 + (i % 8))], i, "float32"));
    for (const t of ts) small.dispose(t);
    small.flush(); // buffers released beyond the bound are destroyed after the next submit
    const st = small.poolStats();
    assert.ok(st.pooledBytes <= 8192, `pooled ${st.pooledBytes}`);
    assert.ok(st.destroyed > 0);
    assert.equal(small.memory().buffers, 0);
    assert.equal(sizeClass(100), 128);
    assert.equal(sizeClass(1), 64);
  } finally {
    small.destroy();
  }
});

gpuTest(
  "buffers released beyond the bound while still used by unsubmitted work stay valid",
  async () => {
    const small = await createWebGpuBackend({ pool: { maxPooledBytes: 1024, maxPerClass: 1 } });
    try {
      const x = small.fill([256], 1, "float32");
      const chain = [small.fill([256], 0, "float32")];
      for (let i = 0; i < 20; i++) chain.push(small.binary("add", chain[i], x)); // recorded, unsubmitted
      const acc = chain.pop()!;
      // Released beyond the bound while the open encoder still uses them: destroyed only after submit.
      for (const t of chain) small.dispose(t);
      assert.deepEqual(Array.from(await small.read(acc)).slice(0, 3), [20, 20, 20]);
      small.dispose(acc);
      small.dispose(x);
      small.flush();
      assert.ok(small.poolStats().destroyed > 0);
      assert.equal(small.memory().buffers, 0);
    } finally {
      small.destroy();
    }
  },
);

gpuTest("readSync throws a TypeError pointing to await t.data()", (g) => {
  const x = g.fill([2], 1, "float32");
  assert.throws(
    () => g.readSync(x),
    (e: Error) => e instanceof TypeError && /await t\.data\(\)/.test(e.message),
  );
  assert.equal(g.capabilities.readSync, false);
  assert.equal(g.capabilities.float64, false);
  assert.deepEqual([...g.capabilities.hostLinalg], []);
  g.dispose(x);
});

gpuTest("device loss gives a clear error; the cpu backend stays usable", async () => {
  const lost = await createWebGpuBackend();
  const x = lost.fill([4], 2, "float32");
  lost.device.destroy(); // what a real loss looks like to the backend
  await lost.device.lost;
  assert.ok(lost.lost);
  assert.throws(() => lost.unary("exp", x), (e: Error) => /device was lost/.test(e.message));
  await assert.rejects(lost.read(x), (e: Error) => /device was lost/.test(e.message));
  lost.dispose(x); // still safe
  const cpu = new CpuBackend();
  const c = cpu.unary("square", cpu.fill([2], 3, "float32"));
  assert.deepEqual(Array.from(cpu.readSync(c)), [9, 9]);
});

Deno.test("a failed adapter request says why (no adapter, no navigator.gpu, request error)", async () => {
  await assert.rejects(
    createWebGpuBackend({ gpu: { requestAdapter: () => Promise.resolve(null) } }),
    (e: Error) => e.message === "no WebGPU adapter",
  );
  await assert.rejects(
    createWebGpuBackend({ gpu: { requestAdapter: () => Promise.reject(new Error("boom")) } }),
    (e: Error) => /no WebGPU adapter \(boom\)/.test(e.message),
  );
  const nav = globalThis.navigator as unknown as { gpu?: unknown };
  const desc = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(nav), "gpu");
  if (desc?.configurable) {
    Object.defineProperty(nav, "gpu", { value: undefined, configurable: true });
    try {
      await assert.rejects(
        createWebGpuBackend(),
        (e: Error) => e.message === "navigator.gpu is undefined (not Deno / no WebGPU)",
      );
    } finally {
      delete (nav as { gpu?: unknown }).gpu;
    }
  }
  const cpu = new CpuBackend();
  assert.equal(cpu.readSync(cpu.fill([1], 5, "int32"))[0], 5);
});

Deno.test('software adapters are recognised ("auto" must not pick them)', () => {
  assert.ok(isSoftwareAdapter({ description: "llvmpipe (LLVM 15.0.6, 256 bits)" }));
  assert.ok(isSoftwareAdapter({ vendor: "google", architecture: "swiftshader" }));
  assert.ok(isSoftwareAdapter({ description: "lavapipe" }));
  assert.ok(isSoftwareAdapter({ vendor: "nvidia" }, true));
  assert.ok(isSoftwareAdapter({ isFallbackAdapter: true }));
  assert.ok(
    !isSoftwareAdapter({ vendor: "nvidia", architecture: "hopper", description: "NVIDIA H200" }),
  );
});
