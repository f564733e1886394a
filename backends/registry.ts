/**
 * Registers the built-in backends with the engine. Priorities for "auto":
 * webgpu (hardware adapters only) > blas > cpu.
 *
 * @module
 */

import { registerBackend } from "../core/engine.ts";
import { CpuBackend } from "./cpu/mod.ts";
import { createBlasBackend } from "./blas/mod.ts";
import { createWebGpuBackend, WebGpuBackend } from "./webgpu/mod.ts";

registerBackend({ name: "cpu", priority: 0, create: () => new CpuBackend() });

// blas: OpenBLAS through Deno.dlopen; create() throws (why) when it cannot load.
registerBackend({ name: "blas", priority: 10, create: () => createBlasBackend() });

// webgpu: navigator.gpu adapter + device; create() throws (why) when unavailable.
// "auto" takes it only for a hardware adapter, never a software one (lavapipe, SwiftShader).
registerBackend({
  name: "webgpu",
  priority: 20,
  create: async () => await createWebGpuBackend(),
  autoEligible: (b) => b instanceof WebGpuBackend && !b.gpu.software,
});
