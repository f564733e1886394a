/**
 * webgpu vs cpu: reshape, transpose, strided slice (negative strides),
 * concat (contiguous and strided), pad in every mode, gather (clamped),
 * gatherAlong (broadcasting) and scatter set/add (duplicates, dropped
 * out-of-range indices).
 */

import assert from "node:assert/strict";
import type { DType, PadMode } from "../../../backends/backend.ts";
import { both, Checks, cpu, free, gpuTest, randomPair } from "./harness.ts";

const DTYPES: DType[] = ["float32", "int32", "uint32", "bool"];

gpuTest("reshape shares storage; transpose matches cpu for several perms", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of DTYPES) {
    const x = randomPair(g, [2, 3, 4, 5], dtype, 2);
    pairs.push(x);
    for (const perm of [[0, 1, 2, 3], [3, 2, 1, 0], [0, 2, 1, 3], [1, 0, 3, 2], [2, 3, 0, 1]]) {
      checks.add(g.transpose(x.g, perm), cpu.transpose(x.c, perm), `transpose ${dtype} ${perm}`);
    }
    checks.add(g.reshape(x.g, [6, 20]), cpu.reshape(x.c, [6, 20]), `reshape ${dtype}`);
  }
  const before = g.memory().buffers;
  const r = g.reshape(pairs[0].g, [120]);
  assert.equal(g.memory().buffers, before, "reshape allocates nothing");
  g.dispose(r);
  await checks.run();
  free(g, ...pairs);
  const y = g.fill([2, 2], 0, "float32");
  assert.throws(() => g.transpose(y, [0, 0]), RangeError);
  assert.throws(() => g.reshape(y, [3]), TypeError);
  g.dispose(y);
});

gpuTest("strided slices, negative strides, empty slices", async (g) => {
  const checks = new Checks(g);
  const x = randomPair(g, [6, 7, 5], "float32", 4);
  const xi = randomPair(g, [6, 7, 5], "int32", 4);
  const cases: [number[], number[], number[]][] = [
    [[0, 0, 0], [6, 7, 5], [1, 1, 1]],
    [[1, 2, 0], [3, 4, 5], [1, 1, 1]],
    [[5, 6, 4], [6, 7, 5], [-1, -1, -1]],
    [[0, 1, 4], [3, 3, 2], [2, 2, -3]],
    [[2, 0, 0], [0, 7, 5], [1, 1, 1]],
  ];
  for (const [b, s, st] of cases) {
    checks.add(g.slice(x.g, b, s, st), cpu.slice(x.c, b, s, st), `slice f32 ${b}/${s}/${st}`);
    checks.add(g.slice(xi.g, b, s, st), cpu.slice(xi.c, b, s, st), `slice i32 ${b}/${s}/${st}`);
  }
  await checks.run();
  assert.throws(() => g.slice(x.g, [0, 0, 0], [7, 1, 1], [1, 1, 1]), RangeError);
  free(g, x, xi);
});

gpuTest("concat along each axis (contiguous copies and strided writes)", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of DTYPES) {
    for (let axis = 0; axis < 3; axis++) {
      const shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]].map((s, i) =>
        s.map((d, k) => (k === axis ? d + i : d))
      );
      const xs = shapes.map((s, i) => randomPair(g, s, dtype, 30 + i));
      pairs.push(...xs);
      checks.add(
        g.concat(xs.map((p) => p.g), axis),
        cpu.concat(xs.map((p) => p.c), axis),
        `concat ${dtype} axis ${axis}`,
      );
    }
    const e = randomPair(g, [0, 4], dtype, 1);
    const f = randomPair(g, [2, 4], dtype, 2);
    pairs.push(e, f);
    checks.add(
      g.concat([e.g, f.g, e.g], 0),
      cpu.concat([e.c, f.c, e.c], 0),
      `concat ${dtype} with empty`,
    );
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("pad: constant (value), edge and reflect (incl. pads wider than the axis)", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of DTYPES) {
    const x = randomPair(g, [3, 4], dtype, 8);
    const one = randomPair(g, [1, 5], dtype, 9);
    pairs.push(x, one);
    for (const mode of ["constant", "edge", "reflect"] as PadMode[]) {
      for (
        const pads of [[[1, 2], [0, 3]], [[0, 0], [2, 2]], [[5, 7], [9, 1]]] as [number, number][][]
      ) {
        checks.add(
          g.pad(x.g, pads, mode, 7),
          cpu.pad(x.c, pads, mode, 7),
          `pad ${dtype} ${mode} ${pads}`,
        );
      }
      checks.add(
        g.pad(one.g, [[2, 1], [1, 1]], mode, -1),
        cpu.pad(one.c, [[2, 1], [1, 1]], mode, -1),
        `pad ${dtype} ${mode} size-1 axis`,
      );
    }
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("gather along each axis with clamped (also negative) indices", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of DTYPES) {
    const x = randomPair(g, [4, 5, 3], dtype, 12);
    pairs.push(x);
    const idx = both(g, [0, 3, -2, 9, 1, 1], [2, 3], "int32");
    pairs.push(idx);
    for (let axis = 0; axis < 3; axis++) {
      checks.add(
        g.gather(x.g, idx.g, axis),
        cpu.gather(x.c, idx.c, axis),
        `gather ${dtype} axis ${axis}`,
      );
    }
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("gatherAlong broadcasts indices and x, clamps", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of DTYPES) {
    const x = randomPair(g, [3, 5], dtype, 13);
    const xb = randomPair(g, [1, 5], dtype, 14);
    const idx = both(g, [0, 4, 2, 7, -1, 3, 1, 1, 0], [3, 3], "int32");
    const idxCol = both(g, [4, 0, 2], [3, 1], "int32");
    pairs.push(x, xb, idx, idxCol);
    checks.add(
      g.gatherAlong(x.g, idx.g, 1),
      cpu.gatherAlong(x.c, idx.c, 1),
      `gatherAlong ${dtype} axis 1`,
    );
    checks.add(
      g.gatherAlong(x.g, idxCol.g, 1),
      cpu.gatherAlong(x.c, idxCol.c, 1),
      `gatherAlong ${dtype} [3,1]`,
    );
    checks.add(
      g.gatherAlong(xb.g, idx.g, 1),
      cpu.gatherAlong(xb.c, idx.c, 1),
      `gatherAlong ${dtype} x broadcast`,
    );
    const idx0 = both(g, [2, 0, 1, 1, 2], [1, 5], "int32");
    pairs.push(idx0);
    checks.add(
      g.gatherAlong(x.g, idx0.g, 0),
      cpu.gatherAlong(x.c, idx0.c, 0),
      `gatherAlong ${dtype} axis 0`,
    );
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("scatter set (last duplicate wins) and add (in order), out-of-range dropped", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of DTYPES) {
    const x = randomPair(g, [4, 6, 3], dtype, 15);
    pairs.push(x);
    const idxVals = [5, 1, 1, -1, 6, 0, 5, 5, 2, 1, 100, 3];
    const idx = both(g, idxVals, [3, 4], "int32");
    pairs.push(idx);
    for (const axis of [0, 1, 2]) {
      const n = [4, 6, 3][axis];
      const local = both(g, idxVals.map((v) => (v === 100 ? n : v % (n + 1))), [3, 4], "int32");
      const updShape = [4, 6, 3].slice(0, axis).concat([3, 4], [4, 6, 3].slice(axis + 1));
      const upd = randomPair(g, updShape, dtype, 40 + axis);
      pairs.push(local, upd);
      for (const mode of ["set", "add"] as const) {
        checks.add(
          g.scatter(x.g, local.g, upd.g, axis, mode),
          cpu.scatter(x.c, local.c, upd.c, axis, mode),
          `scatter ${mode} ${dtype} axis ${axis}`,
        );
      }
    }
  }
  // Many duplicates: a histogram-like scatter-add.
  const many = 3000;
  const hv = Array.from({ length: many }, (_, i) => (i * 7919) % 13);
  const hIdx = both(g, hv, [many], "int32");
  const ones = both(g, new Array(many).fill(1), [many], "int32");
  const zero = both(g, new Array(13).fill(0), [13], "int32");
  const fu = randomPair(g, [many], "float32", 99);
  const fz = both(g, new Array(13).fill(0), [13], "float32");
  pairs.push(hIdx, ones, zero, fu, fz);
  checks.add(
    g.scatter(zero.g, hIdx.g, ones.g, 0, "add"),
    cpu.scatter(zero.c, hIdx.c, ones.c, 0, "add"),
    "histogram",
  );
  checks.add(
    g.scatter(fz.g, hIdx.g, fu.g, 0, "add"),
    cpu.scatter(fz.c, hIdx.c, fu.c, 0, "add"),
    "float add order",
    {
      rtol: 0,
      atol: 0,
    },
  );
  checks.add(
    g.scatter(fz.g, hIdx.g, fu.g, 0, "set"),
    cpu.scatter(fz.c, hIdx.c, fu.c, 0, "set"),
    "set last wins",
  );
  await checks.run();
  free(g, ...pairs);
});
