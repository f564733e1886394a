/**
 * webgpu vs cpu: reductions over several axis sets (incl. the chunked path
 * for long reductions), argmax/argmin ties and NaN, any/all, empty inputs,
 * and cumsum in all four modes.
 */

import assert from "node:assert/strict";
import type { DType, ReduceOp } from "../../../backends/backend.ts";
import { both, Checks, cpu, free, gpuTest, randomPair } from "./harness.ts";

const AXIS_SETS: [number[], number[][]][] = [
  [[5], [[0]]],
  [[3, 4], [[0], [1], [0, 1]]],
  [[2, 3, 4, 5], [[0], [3], [1, 2], [0, 2], [1, 3], [0, 1, 2, 3], [0, 1, 3]]],
  [[130, 70], [[0], [1], [0, 1]]],
];

for (const dtype of ["float32", "int32", "uint32", "bool"] as DType[]) {
  gpuTest(`reduce over several axis sets on ${dtype} matches cpu`, async (g) => {
    const checks = new Checks(g);
    const pairs = [];
    const ops: ReduceOp[] = dtype === "bool"
      ? ["max", "min", "any", "all", "argmax", "argmin"]
      : ["sum", "prod", "max", "min", "any", "all", "argmax", "argmin"];
    for (const [shape, axesList] of AXIS_SETS) {
      const x = randomPair(g, shape, dtype, 17, dtype === "float32" ? 2 : 1);
      pairs.push(x);
      for (const op of ops) {
        for (const axes of axesList) {
          if ((op === "argmax" || op === "argmin") && axes.length !== 1) continue;
          // Products of many values over/underflow; keep them to short axes.
          if (op === "prod" && axes.reduce((n, a) => n * shape[a], 1) > 24) continue;
          const tol = op === "sum" ? { rtol: 1e-5, atol: 1e-5 } : {};
          checks.add(
            g.reduce(op, x.g, axes),
            cpu.reduce(op, x.c, axes),
            `${op} ${dtype} ${shape} over [${axes}]`,
            tol,
          );
        }
      }
    }
    await checks.run();
    free(g, ...pairs);
  });
}

gpuTest("long reductions take the chunked two-pass path", async (g) => {
  const checks = new Checks(g);
  const x = randomPair(g, [3, 40000], "float32", 5);
  const xi = randomPair(g, [70001], "int32", 6);
  for (const op of ["sum", "max", "min", "argmax", "argmin"] as ReduceOp[]) {
    checks.add(g.reduce(op, x.g, [1]), cpu.reduce(op, x.c, [1]), `${op} [3, 40000]`, {
      rtol: 1e-4,
      atol: 1e-3,
    });
    checks.add(g.reduce(op, xi.g, [0]), cpu.reduce(op, xi.c, [0]), `${op} int [70001]`);
  }
  checks.add(g.reduce("sum", x.g, [0, 1]), cpu.reduce("sum", x.c, [0, 1]), "sum all", {
    rtol: 1e-4,
    atol: 1e-2,
  });
  await checks.run();
  free(g, x, xi);
});

gpuTest("argmax/argmin: first index wins ties, NaN is the extreme (first NaN)", async (g) => {
  const rows = [
    [1, 3, 3, 2],
    [5, 5, 5, 5],
    [1, NaN, 7, NaN],
    [-Infinity, -Infinity, 0, 0],
    [0, -0, 0, -0],
  ];
  const x = both(g, rows.flat(), [5, 4], "float32");
  const checks = new Checks(g);
  for (const op of ["argmax", "argmin", "max", "min"] as ReduceOp[]) {
    checks.add(g.reduce(op, x.g, [1]), cpu.reduce(op, x.c, [1]), `${op} ties/NaN`);
  }
  await checks.run();
  const am = await g.read(g.reduce("argmax", x.g, [1]));
  assert.deepEqual(Array.from(am), [1, 0, 1, 2, 0]);
  free(g, x);
});

gpuTest("reducing an empty axis gives the identity; bool sum is refused", async (g) => {
  const checks = new Checks(g);
  for (const dtype of ["float32", "int32", "uint32"] as DType[]) {
    const x = g.fill([3, 0], 1, dtype);
    const xc = cpu.fill([3, 0], 1, dtype);
    for (const op of ["sum", "prod", "max", "min", "any", "all"] as ReduceOp[]) {
      checks.add(g.reduce(op, x, [1]), cpu.reduce(op, xc, [1]), `${op} empty ${dtype}`);
    }
    await checks.run();
    g.dispose(x);
    cpu.dispose(xc);
  }
  const b = g.fill([4], 1, "bool");
  assert.throws(() => g.reduce("sum", b, [0]), TypeError);
  assert.throws(() => g.reduce("argmax", b, [0, 0]), RangeError);
  g.dispose(b);
});

gpuTest("cumsum along each axis, inclusive/exclusive, forward/reverse", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of ["float32", "int32", "uint32"] as DType[]) {
    for (const shape of [[7], [3, 5, 4], [2, 3000]]) {
      const x = randomPair(g, shape, dtype, 23);
      pairs.push(x);
      for (let axis = 0; axis < shape.length; axis++) {
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            checks.add(
              g.cumsum(x.g, axis, exclusive, reverse),
              cpu.cumsum(x.c, axis, exclusive, reverse),
              `cumsum ${dtype} ${shape} axis ${axis} ex=${exclusive} rev=${reverse}`,
              { rtol: 1e-4, atol: 1e-4 },
            );
          }
        }
      }
    }
  }
  await checks.run();
  free(g, ...pairs);
  const b = g.fill([3], 1, "bool");
  assert.throws(() => g.cumsum(b, 0, false, false), TypeError);
  g.dispose(b);
});
