/**
 * webgpu vs cpu: stable sort/argsort on every dtype and axis (ties, NaN,
 * ±0, descending), long lines that need global bitonic merges, and top-k
 * with ties and NaN.
 */

import assert from "node:assert/strict";
import type { DType } from "../../../backends/backend.ts";
import { both, Checks, cpu, free, gpuTest, randomPair } from "./harness.ts";

/** Values with many ties (few distinct values). */
function tied(n: number, dtype: DType, seed: number): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const v = (s >>> 16) % 5;
    out.push(dtype === "int32" ? v - 2 : dtype === "bool" ? v & 1 : v);
  }
  return out;
}

for (const dtype of ["float32", "int32", "uint32", "bool"] as DType[]) {
  gpuTest(`sort/argsort on ${dtype}: stable, every axis, both directions`, async (g) => {
    const checks = new Checks(g);
    const pairs = [];
    for (const shape of [[1], [9], [4, 7, 3], [2, 300]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const x of [randomPair(g, shape, dtype, 3), both(g, tied(n, dtype, 5), shape, dtype)]) {
        pairs.push(x);
        for (let axis = 0; axis < shape.length; axis++) {
          for (const desc of [false, true]) {
            checks.add(
              g.sort(x.g, axis, desc),
              cpu.sort(x.c, axis, desc),
              `sort ${dtype} ${shape} ax ${axis} desc=${desc}`,
            );
            checks.add(
              g.argsort(x.g, axis, desc),
              cpu.argsort(x.c, axis, desc),
              `argsort ${dtype} ${shape} ax ${axis} desc=${desc}`,
            );
          }
        }
      }
    }
    await checks.run();
    free(g, ...pairs);
  });
}

gpuTest("float sort keys: NaN last ascending / first descending, -0 ties +0, ±Inf", async (g) => {
  const v = [3, NaN, 1, -0, 0, -Infinity, Infinity, NaN, 1, -0, 2, 0, -5];
  const x = both(g, v, [v.length], "float32");
  const checks = new Checks(g);
  for (const desc of [false, true]) {
    checks.add(g.argsort(x.g, 0, desc), cpu.argsort(x.c, 0, desc), `argsort special desc=${desc}`);
    checks.add(g.sort(x.g, 0, desc), cpu.sort(x.c, 0, desc), `sort special desc=${desc}`);
  }
  await checks.run();
  free(g, x);
});

gpuTest(
  "long lines use global bitonic merges (stable, uint32 keys as permutation() needs)",
  async (g) => {
    const checks = new Checks(g);
    const n = 5000;
    const keys = both(
      g,
      Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 0) % 4000),
      [n],
      "uint32",
    );
    const f = randomPair(g, [2, 2500], "float32", 77);
    checks.add(g.argsort(keys.g, 0, false), cpu.argsort(keys.c, 0, false), "argsort u32 5000");
    checks.add(g.sort(keys.g, 0, true), cpu.sort(keys.c, 0, true), "sort u32 desc 5000");
    checks.add(g.argsort(f.g, 1, false), cpu.argsort(f.c, 1, false), "argsort f32 2x2500");
    checks.add(g.sort(f.g, 0, false), cpu.sort(f.c, 0, false), "sort f32 axis 0");
    await checks.run();
    free(g, keys, f);
  },
);

gpuTest("topk: descending values, ties to the lower index, NaN largest", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of ["float32", "int32", "uint32", "bool"] as DType[]) {
    const x = both(g, tied(4 * 33, dtype, 9), [4, 33], dtype);
    const r = randomPair(g, [3, 1200], dtype, 21);
    pairs.push(x, r);
    for (const k of [0, 1, 5, 33]) {
      const a = g.topk(x.g, k), b = cpu.topk(x.c, k);
      checks.add(a.values, b.values, `topk ${dtype} k=${k} values`);
      checks.add(a.indices, b.indices, `topk ${dtype} k=${k} indices`);
    }
    const a = g.topk(r.g, 17), b = cpu.topk(r.c, 17);
    checks.add(a.values, b.values, `topk ${dtype} long values`);
    checks.add(a.indices, b.indices, `topk ${dtype} long indices`);
  }
  const nan = both(g, [1, NaN, 5, 5, NaN, 0], [6], "float32");
  pairs.push(nan);
  const a = g.topk(nan.g, 4), b = cpu.topk(nan.c, 4);
  checks.add(a.values, b.values, "topk NaN values");
  checks.add(a.indices, b.indices, "topk NaN indices");
  await checks.run();
  assert.throws(() => g.topk(nan.g, 7), RangeError);
  free(g, ...pairs);
});
