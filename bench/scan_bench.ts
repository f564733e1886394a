/**
 * A 1,000-step recurrent scan, `h ← tanh(W·h + x_t)` with a [256] float32
 * carry and W [256, 256], on every available backend, against a peer in the
 * same group: `@jax-js/jax` (no `lax.scan` in jax-js, so a JS loop over a
 * `jit`-compiled step, its idiomatic form) on its wasm device and, when it
 * finds one, its webgpu device. Each iteration ends with one readback of the
 * final carry, so queued GPU work is counted.
 *
 * Run: `deno bench -A bench/scan_bench.ts`
 *
 * @module
 */

import "../backends/registry.ts";
import { backendByName, backends } from "../core/engine.ts";
import { tensor, zeros } from "../core/ops/creation.ts";
import { add, tanh } from "../core/ops/elementwise.ts";
import { matmul } from "../core/ops/matmul.ts";
import type { Tensor } from "../core/tensor.ts";
import { scan } from "../core/scan.ts";
// Peer pinned inline (bench-only dependency, not in deno.json imports).
// deno-lint-ignore no-import-prefix
import * as jax from "npm:@jax-js/jax@0.1.25";

const N = 256, T = 1000;
const GROUP = `scan ${T} steps, h[${N}] = tanh(W·h + x)`;
const wVals = Float32Array.from({ length: N * N }, (_, i) => Math.sin(i) * 0.05);
const xVals = Float32Array.from({ length: T * N }, (_, i) => Math.cos(i) * 0.1);

for (const report of await backends()) {
  if (!report.available) continue;
  const b = await backendByName(report.name);
  const w = tensor(wVals, { shape: [N, N], backend: b });
  const xs = tensor(xVals, { shape: [T, N], backend: b });
  const h0 = zeros([N], { backend: b });
  Deno.bench({
    name: `ngc-utils scan [${report.name}]`,
    group: GROUP,
    baseline: report.name === "cpu",
    n: 5,
    warmup: 1,
    async fn() {
      const [h] = scan(
        (h: Tensor, x: Tensor) => [tanh(add(matmul(w, h), x)), null] as const,
        h0,
        xs,
      );
      await h.data();
      h.dispose();
    },
  });
}

const jaxDevices = await jax.init();
const np = jax.numpy;
for (const device of ["wasm", "webgpu"] as const) {
  if (!jaxDevices.includes(device)) continue;
  const w = np.array(wVals, { shape: [N, N], device });
  const xs = np.array(xVals, { shape: [T, N], device });
  // jax-js arrays are reference counted: every argument is consumed, `.ref` keeps one
  const step = jax.jit((w: jax.Array, h: jax.Array, x: jax.Array) => np.tanh(np.dot(w, h).add(x)));
  Deno.bench({
    name: `@jax-js/jax 0.1.25 [${device}] jit step in a JS loop`,
    group: GROUP,
    n: 5,
    warmup: 1,
    async fn() {
      let h = np.zeros([N], { device });
      for (let t = 0; t < T; t++) h = step(w.ref, h, xs.ref.slice(t));
      await h.data();
    },
  });
}
