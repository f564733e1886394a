/**
 * webgpu vs cpu: batched tiled matmul with odd sizes (scalar loads) and
 * multiples of 4 (vec4 loads), all four transpose combinations, batch
 * broadcasting; conv2d with strides, padding, dilation and groups.
 */

import assert from "node:assert/strict";
import type { Conv2dOptions } from "../../../backends/backend.ts";
import { Checks, cpu, free, gpuTest, randomPair } from "./harness.ts";

gpuTest("matmul: odd and vec4 sizes, every transpose combination", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [17, 33, 9],
    [64, 64, 64],
    [65, 31, 67],
    [8, 12, 20],
    [100, 4, 1],
    [2, 130, 3],
  ];
  for (const [m, k, n] of sizes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const a = randomPair(g, tA ? [k, m] : [m, k], "float32", m + k);
        const b = randomPair(g, tB ? [n, k] : [k, n], "float32", k + n + 1);
        pairs.push(a, b);
        checks.add(
          g.matmul(a.g, b.g, tA, tB),
          cpu.matmul(a.c, b.c, tA, tB),
          `matmul ${m}x${k}x${n} tA=${tA} tB=${tB}`,
          {
            rtol: 1e-4,
            atol: 1e-5,
          },
        );
      }
    }
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("matmul: batch dims broadcast (incl. rank differences and size-1 dims)", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  const cases: [number[], number[], boolean, boolean][] = [
    [[3, 4, 5], [3, 5, 6], false, false],
    [[3, 4, 5], [5, 6], false, false],
    [[4, 5], [2, 3, 5, 6], false, false],
    [[2, 1, 4, 8], [1, 3, 8, 4], false, false],
    [[2, 1, 8, 4], [1, 3, 8, 4], true, false],
    [[5, 7, 9], [1, 11, 9], false, true],
    [[0, 4, 5], [5, 3], false, false],
  ];
  for (const [sa, sb, tA, tB] of cases) {
    const a = randomPair(g, sa, "float32", 1);
    const b = randomPair(g, sb, "float32", 2);
    pairs.push(a, b);
    checks.add(g.matmul(a.g, b.g, tA, tB), cpu.matmul(a.c, b.c, tA, tB), `matmul ${sa} @ ${sb}`, {
      rtol: 1e-4,
      atol: 1e-5,
    });
  }
  await checks.run();
  const i = g.fill([2, 2], 1, "int32");
  const f = g.fill([3, 2], 1, "float32");
  assert.throws(() => g.matmul(i, i, false, false), TypeError);
  assert.throws(() => g.matmul(f, f, false, false), TypeError);
  g.dispose(i);
  g.dispose(f);
  free(g, ...pairs);
});

gpuTest("matmul 256x256 is accurate (vec4 path, many K tiles)", async (g) => {
  const a = randomPair(g, [256, 256], "float32", 5);
  const b = randomPair(g, [256, 256], "float32", 6);
  const checks = new Checks(g);
  checks.add(g.matmul(a.g, b.g, false, false), cpu.matmul(a.c, b.c, false, false), "256", {
    rtol: 1e-4,
    atol: 2e-5,
  });
  await checks.run();
  free(g, a, b);
});

gpuTest("conv2d: strides, padding, dilation, groups (incl. depthwise)", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  const cases: [number[], number[], Conv2dOptions][] = [
    [[1, 1, 5, 5], [1, 1, 3, 3], {
      strides: [1, 1],
      padding: [[0, 0], [0, 0]],
      dilations: [1, 1],
      groups: 1,
    }],
    [[2, 3, 7, 6], [4, 3, 3, 2], {
      strides: [2, 1],
      padding: [[1, 2], [0, 1]],
      dilations: [1, 1],
      groups: 1,
    }],
    [[2, 4, 9, 9], [6, 2, 3, 3], {
      strides: [1, 2],
      padding: [[1, 1], [1, 1]],
      dilations: [2, 1],
      groups: 2,
    }],
    [[1, 3, 8, 8], [3, 1, 3, 3], {
      strides: [1, 1],
      padding: [[1, 1], [1, 1]],
      dilations: [1, 1],
      groups: 3,
    }],
    [[1, 2, 3, 3], [2, 2, 5, 5], {
      strides: [1, 1],
      padding: [[0, 0], [0, 0]],
      dilations: [1, 1],
      groups: 1,
    }],
  ];
  for (const [xs, ws, o] of cases) {
    const x = randomPair(g, xs, "float32", 3);
    const w = randomPair(g, ws, "float32", 4);
    pairs.push(x, w);
    checks.add(
      g.conv2d(x.g, w.g, o),
      cpu.conv2d(x.c, w.c, o),
      `conv2d ${xs} * ${ws} g=${o.groups}`,
      {
        rtol: 1e-4,
        atol: 1e-5,
      },
    );
  }
  await checks.run();
  const [x, w] = [pairs[0], pairs[1]];
  const bad = {
    strides: [1, 1],
    padding: [[0, 0], [0, 0]],
    dilations: [1, 1],
    groups: 2,
  } as Conv2dOptions;
  assert.throws(() => g.conv2d(x.g, w.g, bad), TypeError);
  free(g, ...pairs);
});
