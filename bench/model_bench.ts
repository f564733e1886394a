/**
 * `deno bench -A bench/model_bench.ts`: the activation chain
 * `relu → softmax (rows) → bkwta (nWTA 5)` on a 4096 x 1024 float32 batch,
 * on every available backend of ngc-utils and on TensorFlow.js's cpu backend
 * (the baseline of the group, so the ratios print). The numpy peer of the
 * same chain is `bench/peers/numpy_model_chain.py` (run it alongside: it
 * prints milliseconds per chain). Inputs are made once per backend; each
 * iteration ends with the result computed (webgpu: a one-value readback of
 * the result waits for the queue).
 *
 * @module
 */

// Peers pinned inline (bench-only dependencies, not in deno.json imports).
// deno-lint-ignore no-import-prefix
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
// deno-lint-ignore no-import-prefix
import "npm:@tensorflow/tfjs-backend-cpu@4.22.0";
import { backends, setBackend, tidy } from "../core/engine.ts";
import type { Tensor } from "../core/tensor.ts";
import { slice, tensor } from "../mod.ts";
import { bkwta, relu, softmax } from "../utils/model/mod.ts";
import { randomArray } from "../tests/helpers.ts";

const B = 4096, D = 1024, K = 5;
const data = Float32Array.from(randomArray(B * D, 1));
const group = `relu → softmax → bkwta(${K}) on ${B}x${D} f32`;
const iters = { n: 10, warmup: 2 };

await tf.setBackend("cpu");
const tx = tf.tensor2d(data, [B, D]);

/** The chain in tfjs: relu, softmax over the last axis, k-th largest per row, [s ≥ kth]. */
function tfChain(x: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const s = tf.softmax(tf.relu(x));
    const kth = tf.min(tf.topk(s, K).values, 1, true);
    return tf.cast(tf.greaterEqual(s, kth), "float32");
  });
}

Deno.bench(`tfjs-backend-cpu`, { group, baseline: true, ...iters }, () => {
  const y = tfChain(tx);
  y.dataSync();
  y.dispose();
});

/** The chain in ngc-utils (intermediates freed by tidy). */
function chain(x: Tensor): Tensor {
  return tidy(() => bkwta(softmax(relu(x)), { nWTA: K }));
}

for (const r of await backends()) {
  if (!r.available) {
    console.log(`# ${r.name} unavailable: ${r.reason}`);
    continue;
  }
  await setBackend(r.name);
  const x = tensor(data, { shape: [B, D] });
  const sync = !r.capabilities?.readSync;
  // a software WebGPU adapter (lavapipe) takes seconds per chain: fewer runs
  const runs = r.name === "webgpu" ? { n: 3, warmup: 1 } : iters;
  Deno.bench(`ngc-utils ${r.name}`, { group, ...runs }, async () => {
    await setBackend(r.name);
    const y = chain(x);
    if (sync) {
      const one = slice(y, [0, 0], [1, 1]);
      await one.data();
      one.dispose();
    }
    y.dispose();
  });
}
