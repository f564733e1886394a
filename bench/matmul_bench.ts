/**
 * `deno bench -A bench/matmul_bench.ts`: float32 square matmul on the cpu
 * backend against TensorFlow.js's cpu backend (the baseline, so the ratio
 * prints). Only the multiply (and, for tfjs, the `dataSync` that forces it)
 * is timed; inputs are created once per group.
 *
 * @module
 */

// Peers pinned inline (bench-only dependencies, not in deno.json imports).
// deno-lint-ignore no-import-prefix
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
// deno-lint-ignore no-import-prefix
import "npm:@tensorflow/tfjs-backend-cpu@4.22.0";
import { CpuBackend } from "../backends/cpu/mod.ts";
import { randomArray } from "../tests/helpers.ts";

await tf.setBackend("cpu");
const cpu = new CpuBackend();

for (const n of [128, 512, 1024]) {
  const group = `matmul ${n}`;
  // Fixed iteration counts for the big sizes (tfjs takes seconds at 1024).
  const iters = n >= 1024 ? { n: 5, warmup: 1 } : n >= 512 ? { n: 20, warmup: 2 } : {};
  const a = Float32Array.from(randomArray(n * n, 1));
  const b = Float32Array.from(randomArray(n * n, 2));
  const x = cpu.write(a, [n, n], "float32");
  const y = cpu.write(b, [n, n], "float32");
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);

  Deno.bench(`tfjs-backend-cpu ${n}x${n}`, { group, baseline: true, ...iters }, (t) => {
    t.start();
    const c = tf.matMul(ta, tb);
    c.dataSync();
    t.end();
    c.dispose();
  });

  Deno.bench(`ngc-utils cpu ${n}x${n}`, { group, ...iters }, (t) => {
    t.start();
    const z = cpu.matmul(x, y, false, false);
    t.end();
    cpu.dispose(z);
  });
}
