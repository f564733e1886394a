/**
 * `deno bench -A bench/diffeq_bench.ts`: fixed-step RK4 (`solveOde`, one
 * `scan`) on a 1,000-dimensional linear system `dx/dt = x·Aᵀ` for 1,000 steps
 * of dt = 0.01, float32, on every available backend of ngc-utils (cpu is the
 * baseline of the group, so the ratios print). The numpy peer of the same
 * computation (same A, x0, dt, T; plus `scipy.integrate.solve_ivp` for
 * reference) is `bench/peers/numpy_rk4.py`; run it alongside and compare
 * its milliseconds per run. Each iteration ends with one readback of the
 * final state (so queued GPU work is counted); the trajectory `xs` is kept
 * on the device (solsOnly) as ngclearn returns it.
 *
 * `DIFFEQ_BENCH_BACKENDS=cpu,blas` restricts the backends;
 * `DIFFEQ_BENCH_T` changes the number of steps (on Mesa's software WebGPU,
 * lavapipe, a 1000 x 1000 matrix-vector product takes ~30 ms, so the webgpu
 * entry needs minutes at T = 1000).
 *
 * A is `-I + 0.9/√n · sin(1 + 1.7·i + 0.3·j)` (row i, column j; a stable,
 * non-normal matrix) and `x0[i] = cos(i)`: formulas both sides evaluate in
 * float64 then round to float32, so the peer integrates the same system.
 *
 * @module
 */

import "../backends/registry.ts";
import { backends, setBackend, tidy } from "../core/engine.ts";
import { matmul, norm, slice, squeeze, tensor } from "../core/ops/mod.ts";
import type { Tensor } from "../core/tensor.ts";
import { type OdeFn, solveOde } from "../utils/diffeq/mod.ts";

const N = 1000, DT = 0.01;
const T = Number(Deno.env.get("DIFFEQ_BENCH_T") ?? 1000);
const only = Deno.env.get("DIFFEQ_BENCH_BACKENDS")?.split(",");

/** Aᵀ (row-major, [j][i] = A[i][j]) and x0, as float32 values. */
function system(): { aT: Float32Array; x0: Float32Array } {
  const aT = new Float32Array(N * N);
  const c = 0.9 / Math.sqrt(N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      aT[j * N + i] = (i === j ? -1 : 0) + c * Math.sin(1 + 1.7 * i + 0.3 * j);
    }
  }
  return { aT, x0: Float32Array.from({ length: N }, (_, i) => Math.cos(i)) };
}

const { aT, x0 } = system();
const GROUP = `RK4, ${N}-dim linear system, ${T} steps (float32)`;
// dx/dt = x · Aᵀ; Aᵀ rides in params (a tensor on the backend, uploaded once)
const linear: OdeFn<Tensor> = (_t, x, m) => matmul(x, m);

for (const r of await backends()) {
  if (!r.available) {
    console.log(`# ${r.name} unavailable: ${r.reason}`);
    continue;
  }
  if (only && !only.includes(r.name)) continue;
  await setBackend(r.name);
  const m = tensor(aT, { shape: [N, N] });
  const x = tensor(x0);
  // one untimed run (also the warm-up): the final-state norm, to compare with the numpy peer's
  const check = tidy(() => {
    const { xs } = solveOde(linear, x, { method: "rk4", T, dt: DT, params: m });
    return norm(squeeze(slice(xs, [T - 1, 0], [1, N]), 0));
  });
  console.log(`# ${r.name}: |x_T| = ${(await check.item()).toPrecision(7)}`);
  check.dispose();
  Deno.bench({
    name: `ngc-utils solveOde rk4 [${r.name}]`,
    group: GROUP,
    baseline: r.name === "cpu",
    n: r.name === "webgpu" ? 1 : 5,
    warmup: 0,
    async fn() {
      await setBackend(r.name);
      const { ts, xs } = solveOde(linear, x, { method: "rk4", T, dt: DT, params: m });
      const last = slice(xs, [T - 1, 0], [1, 1]);
      await last.data();
      for (const t of [ts, xs, last]) t.dispose();
    },
  });
}
