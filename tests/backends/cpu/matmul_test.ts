/**
 * Tests of the cpu matmul (backends/cpu/matmul.ts, backends/cpu/gemm.ts)
 * through `CpuBackend.matmul`, against a naive triple loop: odd sizes around
 * the 4 × 4 tile and the 256/128/1024 blocks, empty dims, all transpose
 * combinations, broadcast batch dims, float32 and float64, NaN/Inf, bad input,
 * the low-level `gemm` (alpha, beta, offsets, leading dimensions) and a
 * fast-check property.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { DType } from "../../../backends/backend.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { gemm } from "../../../backends/cpu/matmul.ts";
import { setSimdGemmEnabled } from "../../../backends/cpu/simd/gemm.ts";
import { randomArray } from "../../helpers.ts";

/**
 * The float64-sum bounds below pin the TypeScript gemm path; switch the float32
 * WebAssembly SIMD path off for the test's duration (simd_gemm_test.ts covers it).
 */
function tsPathScope(): Disposable {
  const was = setSimdGemmEnabled(false);
  return { [Symbol.dispose]: () => void setSimdGemmEnabled(was) };
}

const cpu = new CpuBackend();

type Float = "float32" | "float64";

/** `op(a) @ op(b)` through the backend; returns values and shape, frees everything. */
function run(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  dtype: DType,
  ta = false,
  tb = false,
): { values: Float32Array | Float64Array; shape: number[] } {
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const x = cpu.write(Arr.from(a), aShape, dtype);
  const y = cpu.write(Arr.from(b), bShape, dtype);
  try {
    const z = cpu.matmul(x, y, ta, tb);
    const values = cpu.readSync(z) as Float32Array | Float64Array;
    const shape = [...z.shape];
    assert.equal(z.dtype, dtype);
    cpu.dispose(z);
    return { values, shape };
  } finally {
    cpu.dispose(x);
    cpu.dispose(y);
  }
}

/**
 * Naive reference in float64: broadcast batch by modulo indexing, then
 * `C[i, j] = Σ_p A[i, p]·B[p, j]`. Also returns `Σ_p |A[i, p]·B[p, j]|` for
 * the error bound.
 */
function naive(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  ta: boolean,
  tb: boolean,
): { values: Float64Array; abs: Float64Array; shape: number[] } {
  const ra = aShape.length, rb = bShape.length;
  const [ar, ac] = aShape.slice(ra - 2), [br, bc] = bShape.slice(rb - 2);
  const m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
  const ab = aShape.slice(0, ra - 2), bb = bShape.slice(0, rb - 2);
  const rank = Math.max(ab.length, bb.length);
  const pa = [...Array(rank - ab.length).fill(1), ...ab];
  const pb = [...Array(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const count = batch.reduce((x, y) => x * y, 1);
  const values = new Float64Array(count * m * n), abs = new Float64Array(count * m * n);
  for (let t = 0; t < count; t++) {
    // Unravel t, then ravel into a's and b's batch with broadcasting.
    let rest = t, ia = 0, ib = 0, sa = 1, sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % batch[d];
      rest = Math.floor(rest / batch[d]);
      ia += (idx % pa[d]) * sa;
      ib += (idx % pb[d]) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    const ao = ia * m * k, bo = ib * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, sAbs = 0;
        for (let p = 0; p < k; p++) {
          const x = a[ao + (ta ? p * m + i : i * k + p)];
          const y = b[bo + (tb ? j * k + p : p * n + j)];
          s += x * y;
          sAbs += Math.abs(x * y);
        }
        values[t * m * n + i * n + j] = s;
        abs[t * m * n + i * n + j] = sAbs;
      }
    }
  }
  return { values, abs, shape: [...batch, m, n] };
}

/** Stored shape of an operand `rows × cols` of op(X), given the transpose flag. */
function stored(batch: number[], rows: number, cols: number, t: boolean): number[] {
  return t ? [...batch, cols, rows] : [...batch, rows, cols];
}

/**
 * Compare backend and naive results. Bound: float32 rounds once per 256-deep
 * block of k (plus the float64 sums); float64 may reorder the sum.
 */
function check(
  aBatch: number[],
  bBatch: number[],
  m: number,
  k: number,
  n: number,
  dtype: Float,
  ta: boolean,
  tb: boolean,
  seed = 1,
): void {
  const aShape = stored(aBatch, m, k, ta), bShape = stored(bBatch, k, n, tb);
  const sizeA = aShape.reduce((x, y) => x * y, 1), sizeB = bShape.reduce((x, y) => x * y, 1);
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const a = Arr.from(randomArray(sizeA, seed)), b = Arr.from(randomArray(sizeB, seed + 7));
  const got = run(a, aShape, b, bShape, dtype, ta, tb);
  const want = naive(a, aShape, b, bShape, ta, tb);
  const label = `${dtype} a${JSON.stringify(aShape)} b${JSON.stringify(bShape)} ta=${ta} tb=${tb}`;
  assert.deepEqual(got.shape, want.shape, label);
  assert.ok(got.values instanceof Arr, label);
  assert.equal(got.values.length, want.values.length, label);
  const eps = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  const factor = dtype === "float32" ? Math.ceil(k / 256) + 1 : k + 2;
  for (let i = 0; i < want.values.length; i++) {
    const err = Math.abs(got.values[i] - want.values[i]);
    const tol = factor * eps * want.abs[i] + 1e-300;
    if (!(err <= tol)) {
      assert.fail(`${label} element ${i}: got ${got.values[i]}, want ${want.values[i]}`);
    }
  }
}

const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [
  true,
  true,
]];

Deno.test("matmul: 2-D shapes around tile and block edges, all transposes, both dtypes", () => {
  using _ts = tsPathScope();
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 1],
    [1, 9, 13], // one row: plain loop
    [2, 5, 3],
    [13, 6, 1], // one column: dot products
    [3, 2, 2],
    [4, 4, 4],
    [5, 3, 7],
    [17, 33, 9],
    [64, 64, 64],
    [7, 1, 9], // k = 1: outer product
    [130, 257, 131], // crosses MC = 128 and KC = 256
  ];
  for (const dtype of ["float32", "float64"] as const) {
    for (const [ta, tb] of TRANSPOSES) {
      for (const [m, k, n] of shapes) check([], [], m, k, n, dtype, ta, tb, m + k + n);
    }
  }
});

Deno.test("matmul: n beyond one 1024-column block and k beyond several 256 blocks", () => {
  using _ts = tsPathScope();
  check([], [], 5, 40, 1030, "float32", false, false);
  check([], [], 6, 40, 1030, "float64", true, true);
  check([], [], 9, 700, 11, "float32", false, true);
  check([], [], 9, 700, 11, "float64", true, false);
});

Deno.test("matmul: zero-size dims give empty results or zeros", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const [ta, tb] of TRANSPOSES) {
      const z0 = run(
        [],
        stored([], 0, 3, ta),
        new Array(12).fill(1),
        stored([], 3, 4, tb),
        dtype,
        ta,
        tb,
      );
      assert.deepEqual(z0.shape, [0, 4]);
      assert.equal(z0.values.length, 0);
      const zk = run([], stored([], 3, 0, ta), [], stored([], 0, 4, tb), dtype, ta, tb);
      assert.deepEqual(zk.shape, [3, 4]);
      assert.deepEqual([...zk.values], new Array(12).fill(0));
      const zn = run(
        new Array(12).fill(1),
        stored([], 3, 4, ta),
        [],
        stored([], 4, 0, tb),
        dtype,
        ta,
        tb,
      );
      assert.deepEqual(zn.shape, [3, 0]);
      const zb = run(
        [],
        stored([0], 3, 4, ta),
        new Array(20).fill(1),
        stored([], 4, 5, tb),
        dtype,
        ta,
        tb,
      );
      assert.deepEqual(zb.shape, [0, 3, 5]);
    }
  }
  // Large k = 0 with the blocked shape path.
  const big = run([], [40, 0], [], [0, 50], "float32");
  assert.deepEqual(big.shape, [40, 50]);
  assert.ok(big.values.every((v) => v === 0));
});

Deno.test("matmul: broadcast batch dims, all transposes", () => {
  using _ts = tsPathScope();
  const cases: [number[], number[]][] = [
    [[3], [3]],
    [[4], []], // b shared: folded into one product
    [[], [4]], // a shared
    [[2, 1], [5]],
    [[1, 3], [2, 1]],
    [[2, 1, 3], [1, 4, 1]],
    [[1], [1, 1, 2]],
  ];
  for (const dtype of ["float32", "float64"] as const) {
    for (const [ta, tb] of TRANSPOSES) {
      for (const [ab, bb] of cases) {
        check(ab, bb, 5, 6, 7, dtype, ta, tb, ab.length + 3 * bb.length);
        check(ab, bb, 2, 3, 1, dtype, ta, tb, 11);
      }
    }
  }
});

Deno.test("matmul: float32 products are the float64 sum rounded once (k <= 256)", () => {
  using _ts = tsPathScope();
  // With exact float64 sums, every element equals fround of the naive sum.
  const m = 9, k = 200, n = 10;
  const a = Float32Array.from(randomArray(m * k, 3)), b = Float32Array.from(randomArray(k * n, 4));
  const got = run(a, [m, k], b, [k, n], "float32");
  const want = naive(a, [m, k], b, [k, n], false, false);
  let exact = 0;
  for (let i = 0; i < m * n; i++) if (got.values[i] === Math.fround(want.values[i])) exact++;
  // Reordered float64 sums may move a handful across a float32 rounding boundary.
  assert.ok(exact >= m * n - 2, `only ${exact} of ${m * n} correctly rounded`);
});

Deno.test("matmul: NaN and Inf propagate to the affected rows and columns only", () => {
  for (const [m, k, n] of [[6, 5, 7], [1, 5, 7], [6, 5, 1]]) {
    const a = Array.from(randomArray(m * k, 5)), b = Array.from(randomArray(k * n, 6));
    a[(m - 1) * k + 2] = NaN; // last row of A
    b[1 * n + 0] = Infinity; // first column of B
    const got = run(a, [m, k], b, [k, n], "float64");
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = got.values[i * n + j];
        if (i === m - 1) assert.ok(Number.isNaN(v), `(${i}, ${j}) should be NaN`);
        else if (j === 0) assert.ok(!Number.isFinite(v), `(${i}, ${j}) should be ±Inf`);
        else assert.ok(Number.isFinite(v), `(${i}, ${j}) should be finite, got ${v}`);
      }
    }
  }
});

Deno.test("matmul: bad input throws TypeError naming matmul", () => {
  const f32 = (n: number) => new Float32Array(n);
  const bad: [() => unknown, RegExp][] = [
    [() => run(f32(3), [3], f32(3), [3, 1], "float32"), /rank >= 2/],
    [() => run(f32(6), [2, 3], f32(8), [4, 2], "float32"), /inner dimensions differ, got 3 and 4/],
    [() => run(f32(6), [2, 3], f32(6), [2, 3], "float32", false, false), /inner dimensions/],
    [() => run(f32(12), [2, 2, 3], f32(18), [3, 3, 2], "float32"), /do not broadcast/],
    [
      () => run(new Int32Array(4), [2, 2], new Int32Array(4), [2, 2], "int32"),
      /float32 or float64/,
    ],
  ];
  for (const [f, re] of bad) {
    assert.throws(
      f,
      (e: unknown) =>
        e instanceof TypeError && /^matmul\(\): /.test(e.message) && re.test(e.message),
    );
  }
  // Mixed array kinds are refused too (kernel level).
  const x = cpu.write(new Float32Array(4), [2, 2], "float32");
  const y = cpu.write(new Float64Array(4), [2, 2], "float64");
  assert.throws(() => cpu.matmul(x, y, false, false), TypeError);
  cpu.dispose(x);
  cpu.dispose(y);
});

Deno.test("matmul: results are fresh; inputs are not modified or leaked", () => {
  const before = cpu.memory();
  const a = Float32Array.from(randomArray(30, 9)), b = Float32Array.from(randomArray(30, 10));
  const x = cpu.write(a, [5, 6], "float32"), y = cpu.write(b, [6, 5], "float32");
  const z = cpu.matmul(x, y, false, false);
  assert.deepEqual(cpu.readSync(x), a);
  assert.deepEqual(cpu.readSync(y), b);
  for (const t of [x, y, z]) cpu.dispose(t);
  assert.deepEqual(cpu.memory(), before);
});

Deno.test("gemm: alpha, beta, offsets and leading dimensions on sub-matrices", () => {
  for (const [m, n, k] of [[2, 3, 4], [9, 10, 11], [1, 6, 5], [7, 1, 3]]) {
    for (const [ta, tb] of TRANSPOSES) {
      // op(A) m×k stored inside a wider array (ld = cols + 3, offset 5).
      const [ar, ac] = ta ? [k, m] : [m, k];
      const [br, bc] = tb ? [n, k] : [k, n];
      const lda = ac + 3, ldb = bc + 2, ldc = n + 1;
      const a = Float64Array.from(randomArray(5 + ar * lda, 1));
      const b = Float64Array.from(randomArray(4 + br * ldb, 2));
      const c0 = Float64Array.from(randomArray(2 + m * ldc, 3));
      const c = c0.slice();
      gemm(ta, tb, m, n, k, 0.5, a, 5, lda, b, 4, ldb, -2, c, 2, ldc);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < ldc; j++) {
          const at = 2 + i * ldc + j;
          if (j >= n) {
            assert.equal(c[at], c0[at], "padding column untouched");
            continue;
          }
          let s = 0;
          for (let p = 0; p < k; p++) {
            const x = a[5 + (ta ? p * lda + i : i * lda + p)];
            const y = b[4 + (tb ? j * ldb + p : p * ldb + j)];
            s += x * y;
          }
          const want = 0.5 * s - 2 * c0[at];
          assert.ok(Math.abs(c[at] - want) <= 1e-13, `m${m} n${n} k${k} (${i}, ${j})`);
        }
      }
      assert.equal(c[0], c0[0]);
      assert.equal(c[1], c0[1]);
    }
  }
});

Deno.test("gemm: beta = 0 overwrites NaN in C; alpha = 0 only scales C", () => {
  const a = new Float32Array(64).fill(1), b = new Float32Array(64).fill(2);
  const c = new Float32Array(64).fill(NaN);
  gemm(false, false, 8, 8, 8, 1, a, 0, 8, b, 0, 8, 0, c, 0, 8);
  assert.ok(c.every((v) => v === 16));
  gemm(false, false, 8, 8, 8, 0, a, 0, 8, b, 0, 8, 0.5, c, 0, 8);
  assert.ok(c.every((v) => v === 8));
});

Deno.test("gemm: bad sizes, leading dimensions and spans throw RangeError", () => {
  const x = new Float64Array(12);
  const bad: [() => void, RegExp][] = [
    [() => gemm(false, false, -1, 2, 2, 1, x, 0, 2, x, 0, 2, 0, x, 0, 2), /m must be/],
    [() => gemm(false, false, 2, 2, 1.5, 1, x, 0, 2, x, 0, 2, 0, x, 0, 2), /k must be/],
    [() => gemm(false, false, 2, 3, 3, 1, x, 0, 2, x, 0, 3, 0, x, 0, 3), /lda must be/],
    [() => gemm(false, true, 2, 3, 3, 1, x, 0, 3, x, 0, 2, 0, x, 0, 3), /ldb must be/],
    [() => gemm(false, false, 2, 3, 3, 1, x, 0, 3, x, 0, 3, 0, x, 0, 2), /ldc must be/],
    [() => gemm(false, false, 3, 3, 3, 1, x, 4, 3, x, 0, 3, 0, x, 0, 3), /a \(3 x 3, offset 4/],
    [() => gemm(true, false, 2, 2, 2, 1, x, 0, 2, x, 11, 2, 0, x, 0, 2), /b \(2 x 2/],
    [() => gemm(false, false, 4, 4, 1, 1, x, 0, 1, x, 0, 4, 0, x, 0, 4), /c \(4 x 4/],
  ];
  for (const [f, re] of bad) {
    assert.throws(
      f,
      (e: unknown) =>
        e instanceof RangeError && /^gemm\(\): /.test(e.message) && re.test(e.message),
    );
  }
});

Deno.test("matmul property: random shapes (<= 40), batches, transposes, dtypes vs naive", () => {
  using _ts = tsPathScope();
  const dim = fc.integer({ min: 0, max: 40 });
  const batchDim = fc.constantFrom(1, 2, 3);
  fc.assert(
    fc.property(
      dim,
      dim,
      dim,
      fc.array(fc.tuple(batchDim, fc.boolean(), fc.boolean()), { maxLength: 2 }),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom<Float>("float32", "float64"),
      fc.integer({ min: 1, max: 1000 }),
      (m, k, n, batchSpec, ta, tb, dtype, seed) => {
        // Each batch axis is shared, or broadcast (1) on one side, or absent on b.
        const aBatch = batchSpec.map(([d, oneA]) => (oneA ? 1 : d));
        const bBatch = batchSpec.map(([d, oneA, oneB]) => (oneB && !oneA ? 1 : d));
        check(aBatch, bBatch.slice(seed % 2), m, k, n, dtype, ta, tb, seed);
      },
    ),
    { numRuns: 150 },
  );
});
