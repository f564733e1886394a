/**
 * Random-number throughput: `uniform` and `normal` of 1e6 float32 values on
 * the cpu backend, read back to the host, against the peer `@jax-js/jax`
 * (JAX in JavaScript) on its WebAssembly device, which also generates JAX's
 * partitionable Threefry stream (its `uniform` gives the same values; its
 * `normal` uses a different transform, so only speed is comparable).
 *
 * Run: `deno bench -A bench/random_bench.ts`
 *
 * @module
 */

import { setBackend } from "../mod.ts";
import { normal, uniform } from "../core/random/mod.ts";
// Peer pinned inline (bench-only dependency, not in deno.json imports).
// deno-lint-ignore no-import-prefix
import * as jax from "npm:@jax-js/jax@0.1.25";

const N = 1_000_000;

await setBackend("cpu");
await jax.init("wasm");
jax.defaultDevice("wasm");

let seed = 0;

Deno.bench({
  name: "ngc-utils cpu: uniform 1e6",
  group: "uniform 1e6",
  baseline: true,
  fn() {
    using x = uniform([0, seed++], [N]);
    x.dataSync();
  },
});

Deno.bench({
  name: "@jax-js/jax wasm: uniform 1e6",
  group: "uniform 1e6",
  async fn() {
    const x = jax.random.uniform(jax.random.key(seed++), [N]);
    await x.data();
  },
});

Deno.bench({
  name: "ngc-utils cpu: normal 1e6",
  group: "normal 1e6",
  baseline: true,
  fn() {
    using x = normal([0, seed++], [N]);
    x.dataSync();
  },
});

Deno.bench({
  name: "@jax-js/jax wasm: normal 1e6",
  group: "normal 1e6",
  async fn() {
    const x = jax.random.normal(jax.random.key(seed++), [N]);
    await x.data();
  },
});
