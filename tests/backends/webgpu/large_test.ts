/**
 * webgpu vs cpu on inputs large enough to cross two limits:
 *
 * - llvmpipe (lavapipe) gives every shader invocation 65535 loop iterations
 *   over all its loops and then silently runs each loop body once, so a
 *   kernel whose per-invocation loops grow with the data returns wrong
 *   values without an error (matmul with a long K, conv2d with many taps,
 *   scatter-add with a long run of one index, cumsum over very long lines);
 * - a dispatch has at most 65535 workgroups per dimension, so grids over
 *   more than 65535 · 256 elements (or 65535 tiles / batches) fold or split.
 *
 * Sizes are just past the limits. Data are integer-valued where sums are
 * compared (exact in float32 on both backends), and the extreme of an
 * argmax sits at a late position, so a truncated loop cannot pass by luck.
 */

import assert from "node:assert/strict";
import type { DType, TensorInfo, TypedArray } from "../../../backends/backend.ts";
import type { WebGpuBackend } from "../../../backends/webgpu/mod.ts";
import { cpu, gpuTest } from "./harness.ts";
import { randomArray } from "../../helpers.ts";

/** Integers in [lo, hi] from a seeded uniform stream. */
function ints(n: number, lo: number, hi: number, seed: number): Float64Array {
  const r = randomArray(n, seed);
  for (let i = 0; i < n; i++) r[i] = lo + Math.floor(((r[i] + 1) / 2) * (hi - lo + 1));
  return r;
}

function typed(values: ArrayLike<number>, dtype: DType): TypedArray {
  switch (dtype) {
    case "int32":
      return Int32Array.from(values);
    case "uint32":
      return Uint32Array.from(values);
    case "bool":
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
    default:
      return Float32Array.from(values);
  }
}

/** A tensor on both backends. */
interface Both {
  readonly g: TensorInfo;
  readonly c: TensorInfo;
}

/** Tracks the tensors of one test: writes, compares, and checks nothing leaks. */
class Scope {
  readonly #g: WebGpuBackend;
  readonly #before: number;
  readonly #gpu: TensorInfo[] = [];
  readonly #cpu: TensorInfo[] = [];

  constructor(g: WebGpuBackend) {
    this.#g = g;
    this.#before = g.memory().buffers;
  }

  /** `values` as `dtype` of `shape` on both backends. */
  put(values: ArrayLike<number>, shape: readonly number[], dtype: DType = "float32"): Both {
    const host = typed(values, dtype);
    const t = { g: this.#g.write(host, shape, dtype), c: cpu.write(host, shape, dtype) };
    this.#gpu.push(t.g);
    this.#cpu.push(t.c);
    return t;
  }

  /**
   * Compare a webgpu result with the cpu one (shape, dtype, values: exact
   * unless `tol` is given, then |a - b| ≤ atol + rtol·|b|), disposing both.
   */
  async same(
    got: TensorInfo,
    want: TensorInfo,
    msg: string,
    tol?: { rtol: number; atol: number },
  ): Promise<void> {
    try {
      assert.deepEqual([...got.shape], [...want.shape], `${msg}: shape`);
      assert.equal(got.dtype, want.dtype, `${msg}: dtype`);
      const a = await this.#g.read(got);
      const b = cpu.readSync(want);
      assert.equal(a.length, b.length, `${msg}: length`);
      for (let i = 0; i < a.length; i++) {
        const x = a[i], y = b[i];
        if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
        if (tol && Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y)) continue;
        assert.fail(`${msg}: element ${i} is ${x}, cpu has ${y}`);
      }
    } finally {
      this.#g.dispose(got);
      cpu.dispose(want);
    }
  }

  /** Dispose the inputs and check that no webgpu tensor is left. */
  close(): void {
    for (const t of this.#gpu) this.#g.dispose(t);
    for (const t of this.#cpu) cpu.dispose(t);
    assert.equal(this.#g.memory().buffers, this.#before, "webgpu tensors leaked");
  }
}

const F32 = { rtol: 1e-5, atol: 1e-5 };

gpuTest("large: reductions over long rows (1 row of 1e6, [4, 3e5], [64, 3e5])", async (g) => {
  const s = new Scope(g);
  for (const shape of [[1_000_000], [4, 300_000], [64, 300_000]]) {
    const n = shape.reduce((a, b) => a * b, 1);
    const axis = shape.length - 1;
    const sums = s.put(ints(n, -3, 3, 11), shape);
    await s.same(
      g.reduce("sum", sums.g, [axis]),
      cpu.reduce("sum", sums.c, [axis]),
      `sum ${shape}`,
    );
    // Distinct values with the extremes of every row late in the row.
    const v = Float32Array.from(randomArray(n, 12));
    const len = shape[axis];
    for (let row = 0; row < n / len; row++) {
      v[row * len + len - 1 - row] = 2 + row;
      v[row * len + len - 2 - row] = -2 - row;
    }
    const x = s.put(v, shape);
    for (const op of ["max", "min", "argmax", "argmin"] as const) {
      await s.same(g.reduce(op, x.g, [axis]), cpu.reduce(op, x.c, [axis]), `${op} ${shape}`);
    }
    const xi = s.put(ints(n, -1000, 1000, 13), shape, "int32");
    await s.same(g.reduce("sum", xi.g, [axis]), cpu.reduce("sum", xi.c, [axis]), `isum ${shape}`);
  }
  s.close();
});

gpuTest("large: cumsum along lines of 9e6 and [2, 2.2e6, 2] (several segments)", async (g) => {
  const s = new Scope(g);
  const x = s.put(ints(9_000_000, -2, 2, 21), [9_000_000]);
  for (const [exclusive, reverse] of [[false, false], [true, true]]) {
    await s.same(
      g.cumsum(x.g, 0, exclusive, reverse),
      cpu.cumsum(x.c, 0, exclusive, reverse),
      `cumsum 9e6 exclusive=${exclusive} reverse=${reverse}`,
    );
  }
  const y = s.put(ints(2 * 2_200_000 * 2, -50, 50, 22), [2, 2_200_000, 2], "int32");
  for (const [exclusive, reverse] of [[true, false], [false, true]]) {
    await s.same(
      g.cumsum(y.g, 1, exclusive, reverse),
      cpu.cumsum(y.c, 1, exclusive, reverse),
      `cumsum int32 [2, 2.2e6, 2] exclusive=${exclusive} reverse=${reverse}`,
    );
  }
  s.close();
});

gpuTest("large: matmul with long K (7e4, scalar loads, 3e5 transposed)", async (g) => {
  const s = new Scope(g);
  const cases: [number, number, number, boolean, boolean][] = [
    [2, 70_000, 2, false, false],
    [3, 300_000, 4, false, true],
    [2, 70_001, 3, true, false],
  ];
  for (const [m, k, n, tA, tB] of cases) {
    const a = s.put(ints(m * k, -1, 1, 31), tA ? [k, m] : [m, k]);
    const b = s.put(ints(k * n, -1, 1, 32), tB ? [n, k] : [k, n]);
    await s.same(
      g.matmul(a.g, b.g, tA, tB),
      cpu.matmul(a.c, b.c, tA, tB),
      `matmul ${m}x${k}x${n} tA=${tA} tB=${tB}`,
    );
  }
  s.close();
});

gpuTest("large: matmul grids past 65535 row tiles and 65535 batches", async (g) => {
  const s = new Scope(g);
  const a = s.put(randomArray(4_200_000 * 3, 33), [4_200_000, 3]);
  const b = s.put(randomArray(3 * 2, 34), [3, 2]);
  await s.same(g.matmul(a.g, b.g, false, false), cpu.matmul(a.c, b.c, false, false), "tall", F32);
  const c = s.put(randomArray(65_600 * 2 * 3, 35), [65_600, 2, 3]);
  const d = s.put(randomArray(3 * 4, 36), [1, 3, 4]);
  await s.same(g.matmul(c.g, d.g, false, false), cpu.matmul(c.c, d.c, false, false), "batch", F32);
  s.close();
});

gpuTest("large: conv2d with many taps per output (rows and columns split)", async (g) => {
  const s = new Scope(g);
  const cases: [number[], number[], number, [number, number], [number, number]][] = [
    // 64 channels × 33 × 33 taps.
    [[1, 64, 40, 40], [2, 64, 33, 33], 1, [1, 1], [0, 0]],
    // 2 groups of 64 channels × 20 × 20 taps, strided and padded.
    [[2, 128, 24, 24], [4, 64, 20, 20], 2, [2, 1], [3, 2]],
    // One row of 35000 columns (wider than one invocation may loop).
    [[1, 1, 1, 36_000], [1, 1, 1, 35_000], 1, [1, 1], [0, 0]],
  ];
  for (const [xs, ws, groups, strides, pad] of cases) {
    const x = s.put(ints(xs.reduce((p, q) => p * q, 1), -2, 2, 41), xs);
    const w = s.put(ints(ws.reduce((p, q) => p * q, 1), -2, 2, 42), ws);
    const o = {
      strides,
      padding: [[pad[0], pad[0]], [pad[1], pad[1]]] as const,
      dilations: [1, 1] as const,
      groups,
    };
    await s.same(g.conv2d(x.g, w.g, o), cpu.conv2d(x.c, w.c, o), `conv2d ${xs} * ${ws}`);
  }
  s.close();
});

gpuTest(
  "large: scatter with 71429 updates on one index (add in order, set, dropped)",
  async (g) => {
    const s = new Scope(g);
    const m = 100_000;
    // 71429 × index 3, 14286 × out of range (-1, 99), the rest spread over 0..9.
    const idx = new Int32Array(m);
    const spread = ints(m, 0, 9, 51);
    for (let i = 0; i < m; i++) {
      idx[i] = i % 7 < 5 ? 3 : i % 7 === 5 ? (i % 2 ? -1 : 99) : spread[i];
    }
    const indices = s.put(idx, [m], "int32");
    const x = s.put(ints(10 * 3, -5, 5, 52), [10, 3]);
    const u = s.put(ints(m * 3, -3, 3, 53), [m, 3]);
    for (const mode of ["add", "set"] as const) {
      await s.same(
        g.scatter(x.g, indices.g, u.g, 0, mode),
        cpu.scatter(x.c, indices.c, u.c, 0, mode),
        `scatter ${mode}`,
      );
    }
    // Along a middle axis, int32.
    const xi = s.put(ints(2 * 10 * 2, -5, 5, 54), [2, 10, 2], "int32");
    const ui = s.put(ints(2 * m * 2, -9, 9, 55), [2, m, 2], "int32");
    await s.same(
      g.scatter(xi.g, indices.g, ui.g, 1, "add"),
      cpu.scatter(xi.c, indices.c, ui.c, 1, "add"),
      "scatter add int32 axis 1",
    );
    s.close();
  },
);

gpuTest("large: sort, argsort and top-k on rows of 1e5", async (g) => {
  const s = new Scope(g);
  const x = s.put(ints(2 * 100_000, -20_000, 20_000, 61), [2, 100_000]);
  await s.same(g.sort(x.g, 1, false), cpu.sort(x.c, 1, false), "sort");
  await s.same(g.argsort(x.g, 1, true), cpu.argsort(x.c, 1, true), "argsort descending");
  const { values, indices } = g.topk(x.g, 7);
  const want = cpu.topk(x.c, 7);
  await s.same(values, want.values, "topk values");
  await s.same(indices, want.indices, "topk indices");
  s.close();
});

gpuTest("large: elementwise, layout and gather past 65535 workgroups", async (g) => {
  const s = new Scope(g);
  const n = 65_535 * 256 + 4 * 1001; // needs a 2-D grid
  const x = s.put(randomArray(n, 71), [n / 4, 4]);
  const y = s.put(randomArray(4, 72), [4]);
  await s.same(g.unary("exp", x.g), cpu.unary("exp", x.c), "exp", F32);
  await s.same(g.binary("mul", x.g, y.g), cpu.binary("mul", x.c, y.c), "mul broadcast");
  await s.same(g.cast(x.g, "int32"), cpu.cast(x.c, "int32"), "cast");
  await s.same(g.transpose(x.g, [1, 0]), cpu.transpose(x.c, [1, 0]), "transpose");
  await s.same(
    g.slice(x.g, [n / 4 - 1, 3], [n / 4, 4], [-1, -1]),
    cpu.slice(x.c, [n / 4 - 1, 3], [n / 4, 4], [-1, -1]),
    "reversed slice",
  );
  await s.same(
    g.pad(x.g, [[2, 1], [1, 2]], "reflect", 0),
    cpu.pad(x.c, [[2, 1], [1, 2]], "reflect", 0),
    "pad",
  );
  const col = s.put(randomArray(n / 4, 73), [n / 4, 1]);
  await s.same(g.concat([x.g, col.g], 1), cpu.concat([x.c, col.c], 1), "concat");
  const m = 1_000_000;
  const idx = s.put(Int32Array.from({ length: m }, (_, i) => (i * 7919) % (n / 4)), [m], "int32");
  await s.same(g.gather(x.g, idx.g, 0), cpu.gather(x.c, idx.c, 0), "gather 1e6 rows");
  s.close();
});

gpuTest("large: threefry2x32 on 1e6 counters", async (g) => {
  const s = new Scope(g);
  const n = 1_000_000;
  const k0 = s.put([0x12345678], [1], "uint32");
  const k1 = s.put([0x9abcdef0], [1], "uint32");
  const x0 = s.put(Uint32Array.from({ length: n }, (_, i) => i), [n], "uint32");
  const x1 = s.put(
    Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0),
    [n],
    "uint32",
  );
  const [a0, a1] = g.threefry2x32(k0.g, k1.g, x0.g, x1.g);
  const [b0, b1] = cpu.threefry2x32(k0.c, k1.c, x0.c, x1.c);
  await s.same(a0, b0, "threefry y0");
  await s.same(a1, b1, "threefry y1");
  s.close();
});
