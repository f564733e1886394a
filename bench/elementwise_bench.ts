/**
 * cpu backend vs tfjs-core's cpu backend (the baseline of each group):
 * an elementwise chain exp → mul → add on 1e6 float32, and a sum over axis 1
 * of a 1000×1000 float32. Run: `deno bench -A bench/elementwise_bench.ts`.
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

const N = 1_000_000;
const a = Float32Array.from(randomArray(N, 1));
const b = Float32Array.from(randomArray(N, 2));
const c = Float32Array.from(randomArray(N, 3));

const ta = cpu.write(a, [N], "float32");
const tb = cpu.write(b, [N], "float32");
const tc = cpu.write(c, [N], "float32");
const m = cpu.write(a, [1000, 1000], "float32");

const fa = tf.tensor1d(a, "float32");
const fb = tf.tensor1d(b, "float32");
const fc = tf.tensor1d(c, "float32");
const fm = tf.tensor2d(a, [1000, 1000], "float32");

Deno.bench({
  name: "tfjs-cpu exp·mul·add 1e6 f32",
  group: "chain",
  baseline: true,
  fn: () => {
    tf.tidy(() => tf.add(tf.mul(tf.exp(fa), fb), fc)).dispose();
  },
});

Deno.bench({
  name: "ngc cpu exp·mul·add 1e6 f32",
  group: "chain",
  fn: () => {
    const e = cpu.unary("exp", ta);
    const p = cpu.binary("mul", e, tb);
    const s = cpu.binary("add", p, tc);
    cpu.dispose(e);
    cpu.dispose(p);
    cpu.dispose(s);
  },
});

Deno.bench({
  name: "tfjs-cpu sum axis 1 of 1000×1000 f32",
  group: "sum",
  baseline: true,
  fn: () => {
    tf.sum(fm, 1).dispose();
  },
});

Deno.bench({
  name: "ngc cpu sum axis 1 of 1000×1000 f32",
  group: "sum",
  fn: () => {
    cpu.dispose(cpu.reduce("sum", m, [1]));
  },
});
