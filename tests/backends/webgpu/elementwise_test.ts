/**
 * webgpu vs cpu: unary ops on every dtype, binary ops with broadcasting,
 * select, cast, fill, and edge values (NaN, ±Inf, ±0, extremes).
 */

import assert from "node:assert/strict";
import {
  BINARY_OPS,
  type BinaryOp,
  type DType,
  UNARY_OPS,
  type UnaryOp,
} from "../../../backends/backend.ts";
import { both, Checks, cpu, free, gpuTest, randomPair } from "./harness.ts";

const SPECIAL_F32 = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  3,
  1e-3,
  -1e-3,
  1e-7,
  10,
  -10,
  50,
  -50,
  100,
  -100,
  1e10,
  -1e10,
  3e38,
  -3e38,
  NaN,
  Infinity,
  -Infinity,
  0.999,
  -0.999,
  1e-20,
  89,
  -89,
  0.1,
  4096.5,
  -5000.25,
  123456.7,
  1e-40,
  2e-38,
  0.75,
  1.0000001,
  0.9999999,
];
const SPECIAL_I32 = [0, 1, -1, 2, -2, 7, -7, 100, -100, 2147483647, -2147483648, 65536, 46341];
const SPECIAL_U32 = [0, 1, 2, 7, 100, 65536, 2147483648, 4294967295, 4294967294, 3];
const SPECIAL: Record<string, number[]> = {
  float32: SPECIAL_F32,
  int32: SPECIAL_I32,
  uint32: SPECIAL_U32,
  bool: [0, 1, 1, 0],
};

function cpuDefines(f: () => void): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

for (const dtype of ["float32", "int32", "uint32", "bool"] as DType[]) {
  gpuTest(`unary ops on ${dtype} match cpu (random and edge values)`, async (g) => {
    const checks = new Checks(g);
    const r = randomPair(g, [3, 37], dtype, 7, 3);
    const big = randomPair(g, [64], dtype, 9, 20);
    const s = both(g, SPECIAL[dtype], [SPECIAL[dtype].length], dtype);
    let defined = 0;
    for (const op of UNARY_OPS) {
      if (!cpuDefines(() => cpu.dispose(cpu.unary(op, r.c)))) {
        assert.throws(() => g.unary(op, r.g), TypeError, `${op} on ${dtype} should throw`);
        continue;
      }
      defined++;
      const tol = { rtol: 1e-5, atol: 1e-6 };
      checks.add(g.unary(op, r.g), cpu.unary(op, r.c), `${op} ${dtype} random`, tol);
      checks.add(g.unary(op, big.g), cpu.unary(op, big.c), `${op} ${dtype} wide range`, tol);
      checks.add(g.unary(op, s.g), cpu.unary(op, s.c), `${op} ${dtype} special`, tol);
    }
    await checks.run();
    free(g, r, big, s);
    assert.ok(defined >= (dtype === "float32" ? 35 : 4), `${defined} ops defined on ${dtype}`);
  });
}

gpuTest("erfinv float32 follows XLA's Giles formula (as normal() needs)", async (g) => {
  const u = Array.from({ length: 400 }, (_, i) => -1 + (i + 0.5) / 200);
  u.push(-1, 1, 0.9999999, -0.9999999, 1e-30, 1.5, NaN);
  const p = both(g, u, [u.length], "float32");
  const checks = new Checks(g);
  checks.add(g.unary("erfinv", p.g), cpu.unary("erfinv", p.c), "erfinv", {
    rtol: 2e-6,
    atol: 1e-7,
  });
  await checks.run();
  free(g, p);
});

gpuTest("sin/cos/tan reduce huge arguments exactly (Payne–Hanek path)", async (g) => {
  const x = [1e5, -3e6, 1e10, 3e38, 12345.678, 8388607, 1.5e30, -7.7e20, 4097, 65536];
  const p = both(g, x, [x.length], "float32");
  const checks = new Checks(g);
  for (const op of ["sin", "cos", "tan"] as UnaryOp[]) {
    checks.add(g.unary(op, p.g), cpu.unary(op, p.c), `${op} huge`, { rtol: 1e-5, atol: 2e-6 });
  }
  await checks.run();
  free(g, p);
});

const SHAPE_PAIRS: [number[], number[]][] = [
  [[4, 5], [4, 5]],
  [[4, 5], []],
  [[], [4, 5]],
  [[4, 1], [1, 5]],
  [[2, 3, 4, 5], [3, 1, 5]],
  [[0, 3], [3]],
];

function fillShape(shape: number[], f: (i: number) => number): number[] {
  let n = 1;
  for (const d of shape) n *= d;
  return Array.from({ length: n }, (_, i) => f(i));
}

for (const dtype of ["float32", "int32", "uint32", "bool"] as DType[]) {
  gpuTest(`binary ops on ${dtype} with broadcasting match cpu`, async (g) => {
    const checks = new Checks(g);
    const made = SHAPE_PAIRS.map(([sa, sb]) => ({
      sa,
      sb,
      a: randomPair(g, sa, dtype, 3),
      b: randomPair(g, sb, dtype, 11),
      small: both(g, fillShape(sb, (i) => i % 5), sb, dtype),
    }));
    for (const op of BINARY_OPS) {
      const probe = made[0];
      if (!cpuDefines(() => cpu.dispose(cpu.binary(op, probe.a.c, probe.b.c)))) {
        assert.throws(() => g.binary(op, probe.a.g, probe.b.g), TypeError, `${op} on ${dtype}`);
        continue;
      }
      for (const { sa, sb, a, b, small } of made) {
        // Integer powers with small exponents (large ones overflow differently in double).
        const rhs = op === "pow" && dtype !== "float32" ? small : b;
        checks.add(
          g.binary(op, a.g, rhs.g),
          cpu.binary(op, a.c, rhs.c),
          `${op} ${dtype} ${sa}|${sb}`,
        );
      }
    }
    await checks.run();
    for (const m of made) free(g, m.a, m.b, m.small);
  });
}

gpuTest(
  "binary float32 edge values (NaN, Inf, signed zeros, pow/mod/floorDiv corners)",
  async (g) => {
    const vals = [
      0,
      -0,
      1,
      -1,
      2,
      -2,
      0.5,
      -3.5,
      7,
      NaN,
      Infinity,
      -Infinity,
      1e30,
      -1e-30,
      3,
      1e-3,
    ];
    const av: number[] = [], bv: number[] = [];
    for (const x of vals) for (const y of vals) (av.push(x), bv.push(y));
    const a = both(g, av, [av.length], "float32");
    const b = both(g, bv, [bv.length], "float32");
    const checks = new Checks(g);
    for (const op of BINARY_OPS) {
      if (
        ["bitwiseAnd", "bitwiseOr", "bitwiseXor", "shiftLeft", "shiftRight"].includes(op)
      ) continue;
      checks.add(g.binary(op as BinaryOp, a.g, b.g), cpu.binary(op, a.c, b.c), `${op} edge`, {
        rtol: 2e-6,
      });
    }
    await checks.run();
    free(g, a, b);
  },
);

gpuTest("integer corner cases: division by zero, INT_MIN, shifts mod 32", async (g) => {
  const vals = [0, 1, -1, 7, -7, 3, -3, 2147483647, -2147483648, 32, 33, -1];
  const av: number[] = [], bv: number[] = [];
  for (const x of vals) for (const y of vals) (av.push(x), bv.push(y));
  const checks = new Checks(g);
  for (const dtype of ["int32", "uint32"] as DType[]) {
    const a = both(g, av, [av.length], dtype);
    const b = both(g, bv, [bv.length], dtype);
    for (
      const op of [
        "floorDiv",
        "mod",
        "add",
        "sub",
        "mul",
        "shiftLeft",
        "shiftRight",
        "maximum",
        "less",
      ] as BinaryOp[]
    ) {
      checks.add(g.binary(op, a.g, b.g), cpu.binary(op, a.c, b.c), `${op} ${dtype} corners`);
    }
    await checks.run();
    free(g, a, b);
  }
});

gpuTest("select broadcasts all three operands", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const dtype of ["float32", "int32", "uint32", "bool"] as DType[]) {
    const cases: [number[], number[], number[]][] = [
      [[3, 4], [3, 4], [3, 4]],
      [[3, 1], [1, 4], []],
      [[2, 1, 4], [3, 1], [4]],
    ];
    for (const [sc, sa, sb] of cases) {
      const c = randomPair(g, sc, "bool", 5);
      const a = randomPair(g, sa, dtype, 6);
      const b = randomPair(g, sb, dtype, 8);
      checks.add(
        g.select(c.g, a.g, b.g),
        cpu.select(c.c, a.c, b.c),
        `select ${dtype} ${sc}|${sa}|${sb}`,
      );
      pairs.push(a, b, c);
    }
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("cast between every dtype pair (saturating float→int, NaN→0, !=0 → bool)", async (g) => {
  const dtypes: DType[] = ["float32", "int32", "uint32", "bool"];
  const src: Record<string, number[]> = {
    float32: [-1.7, 2.9, NaN, 3e9, -3e9, 5e9, 0, -0, 1, Infinity, -Infinity, 0.5, -0.5, 16777217],
    int32: [-5, 0, 1, 2147483647, -2147483648, 42, -1, 16777217],
    uint32: [0, 1, 4294967295, 2147483648, 77],
    bool: [0, 1, 1, 0],
  };
  const checks = new Checks(g);
  const pairs = [];
  for (const from of dtypes) {
    const x = both(g, src[from], [src[from].length], from);
    pairs.push(x);
    for (const to of dtypes) {
      checks.add(g.cast(x.g, to), cpu.cast(x.c, to), `cast ${from}->${to}`, { rtol: 0, atol: 0 });
    }
  }
  await checks.run();
  free(g, ...pairs);
  const f = g.fill([2], 1, "float32");
  assert.throws(() => g.cast(f, "float64"), TypeError);
  g.dispose(f);
});

gpuTest("fill and write round-trip every dtype; float64 and bad sizes are refused", async (g) => {
  const checks = new Checks(g);
  for (
    const [dtype, v] of [["float32", -2.5], ["int32", -7], ["uint32", 4294967295], ["bool", 1]] as [
      DType,
      number,
    ][]
  ) {
    checks.add(g.fill([3, 2], v, dtype), cpu.fill([3, 2], v, dtype), `fill ${dtype}`);
    const w = both(g, [1, 0, 3], [3], dtype);
    checks.add(w.g, w.c, `write ${dtype}`);
  }
  await checks.run();
  assert.throws(() => g.write(new Float64Array(2), [2], "float64"), TypeError);
  assert.throws(() => g.write(new Float32Array(3), [2], "float32"), TypeError);
  const empty = g.fill([0, 4], 1, "float32");
  assert.equal((await g.read(empty)).length, 0);
  g.dispose(empty);
});
