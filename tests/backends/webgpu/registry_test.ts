/**
 * The webgpu registry entry: available by name when an adapter exists, and
 * "auto" picks it only for a hardware adapter.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { backendByName, backends, getBackend, setBackend } from "../../../core/engine.ts";
import type { WebGpuBackend } from "../../../backends/webgpu/mod.ts";
import { gpu, required } from "./harness.ts";

Deno.test({
  name: 'webgpu registry: by name when available; "auto" only for a hardware adapter',
  ignore: gpu === null && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const b = (await backendByName("webgpu")) as WebGpuBackend;
    assert.equal(b.name, "webgpu");
    const report = (await backends()).find((r) => r.name === "webgpu");
    assert.ok(report?.available);
    await setBackend("auto");
    if (b.gpu.software) {
      assert.notEqual(getBackend().name, "webgpu", "auto must not pick a software adapter");
      assert.match(report!.reason, /not chosen by "auto"/);
    } else {
      assert.equal(getBackend().name, "webgpu");
    }
  },
});
