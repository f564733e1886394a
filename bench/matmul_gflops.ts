/**
 * `deno run -A bench/matmul_gflops.ts [--tfjs]`: GFLOP/s (2n³ / time) of the
 * cpu backend's float32 matmul at n = 512 and 1024, best of several runs;
 * with `--tfjs`, also TensorFlow.js's cpu backend and the speed ratio.
 *
 * @module
 */

import { CpuBackend } from "../backends/cpu/mod.ts";
import { randomArray } from "../tests/helpers.ts";

/** Best wall time (ms) of `reps` calls of `f` after one warm-up call. */
function best(f: () => void, reps: number): number {
  f();
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

const withTfjs = Deno.args.includes("--tfjs");
// Peers pinned inline (bench-only dependencies, not in deno.json imports).
// deno-lint-ignore no-import-prefix
const tf = withTfjs ? await import("npm:@tensorflow/tfjs-core@4.22.0") : undefined;
if (tf) {
  // deno-lint-ignore no-import-prefix
  await import("npm:@tensorflow/tfjs-backend-cpu@4.22.0");
  await tf.setBackend("cpu");
}
const cpu = new CpuBackend();

for (const n of [512, 1024]) {
  const a = Float32Array.from(randomArray(n * n, 1));
  const b = Float32Array.from(randomArray(n * n, 2));
  const x = cpu.write(a, [n, n], "float32");
  const y = cpu.write(b, [n, n], "float32");
  const reps = n <= 512 ? 10 : 4;
  const ms = best(() => cpu.dispose(cpu.matmul(x, y, false, false)), reps);
  const gflops = (2 * n ** 3) / (ms * 1e6);
  let line = `matmul ${n}x${n} float32: ngc-utils cpu ${ms.toFixed(1)} ms, ${
    gflops.toFixed(2)
  } GFLOP/s`;
  if (tf) {
    const ta = tf.tensor2d(a, [n, n]);
    const tb = tf.tensor2d(b, [n, n]);
    const tms = best(() => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    }, reps);
    line += `; tfjs-backend-cpu ${tms.toFixed(1)} ms, ${
      ((2 * n ** 3) / (tms * 1e6)).toFixed(2)
    } GFLOP/s; ratio ${(tms / ms).toFixed(2)}x`;
    ta.dispose();
    tb.dispose();
  }
  console.log(line);
  cpu.dispose(x);
  cpu.dispose(y);
}
