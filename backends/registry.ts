/**
 * Registers the built-in backends with the engine. Priorities for "auto":
 * webgpu (hardware adapters only) > blas > cpu.
 *
 * @module
 */

import { registerBackend } from "../core/engine.ts";
import { CpuBackend } from "./cpu/mod.ts";

registerBackend({ name: "cpu", priority: 0, create: () => new CpuBackend() });
