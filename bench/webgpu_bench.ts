/**
 * webgpu vs cpu on the Backend primitives: matmul 256/1024/2048, a
 * five-op elementwise chain over 1M floats, and reductions. Each iteration
 * ends by awaiting a read of one element of the result, so queued GPU work
 * is counted (the read waits for everything submitted before it).
 *
 *   deno bench -A bench/webgpu_bench.ts
 *
 * Without a WebGPU adapter only the cpu cases run.
 *
 * @module
 */

import type { Backend, TensorInfo } from "../backends/backend.ts";
import { CpuBackend } from "../backends/cpu/mod.ts";
import { createWebGpuBackend } from "../backends/webgpu/mod.ts";

const cpu = new CpuBackend();
const gpu = await createWebGpuBackend().catch((e) => {
  console.error(`webgpu unavailable: ${e instanceof Error ? e.message : e}`);
  return null;
});
if (gpu) console.error(`webgpu adapter: ${gpu.gpu.description}`);
const backends: Backend[] = gpu ? [gpu, cpu] : [cpu];

function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** Read one element of `x` (forces completion), then dispose it. */
async function settle(b: Backend, x: TensorInfo): Promise<void> {
  const first = b.slice(x, x.shape.map(() => 0), x.shape.map(() => 1), x.shape.map(() => 1));
  await b.read(first);
  b.dispose(first);
  b.dispose(x);
}

for (const n of [256, 1024, 2048]) {
  const heavy = n >= 1024;
  for (const b of backends) {
    const a = b.write(random(n * n, 1), [n, n], "float32");
    const c = b.write(random(n * n, 2), [n, n], "float32");
    Deno.bench({
      name: `matmul ${n}x${n} ${b.name}`,
      group: `matmul ${n}`,
      baseline: b.name === "cpu",
      n: heavy ? (n === 2048 ? 2 : 4) : undefined,
      warmup: heavy ? 1 : undefined,
      fn: async () => await settle(b, b.matmul(a, c, false, false)),
    });
  }
}

const N = 1 << 20;
for (const b of backends) {
  const x = b.write(random(N, 3), [N], "float32");
  const y = b.write(random(N, 4), [N], "float32");
  Deno.bench({
    name: `elementwise chain (exp, mul, add, tanh, sigmoid) 1M ${b.name}`,
    group: "elementwise",
    baseline: b.name === "cpu",
    fn: async () => {
      const t1 = b.unary("exp", x);
      const t2 = b.binary("mul", t1, y);
      const t3 = b.binary("add", t2, x);
      const t4 = b.unary("tanh", t3);
      const t5 = b.unary("sigmoid", t4);
      for (const t of [t1, t2, t3, t4]) b.dispose(t);
      await settle(b, t5);
    },
  });
  const m = b.write(random(N, 5), [1024, 1024], "float32");
  Deno.bench({
    name: `sum over rows [1024, 1024] -> [1024] ${b.name}`,
    group: "reduce rows",
    baseline: b.name === "cpu",
    fn: async () => await settle(b, b.reduce("sum", m, [1])),
  });
  Deno.bench({
    name: `sum of all 1M ${b.name}`,
    group: "reduce all",
    baseline: b.name === "cpu",
    fn: async () => await settle(b, b.reduce("sum", m, [0, 1])),
  });
}
