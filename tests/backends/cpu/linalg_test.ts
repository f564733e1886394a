/**
 * Tests of the cpu linear-algebra kernels (backends/cpu/linalg.ts):
 * reconstruction and orthonormality, the golden cases, JAX's NaN
 * conventions, ill-conditioned and rank-deficient inputs, batching,
 * float32/float64, bad input, and fast-check properties.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { TensorInfo, TriangularSolveOptions } from "../../../backends/backend.ts";
import * as kernels from "../../../backends/cpu/linalg.ts";
import type { FloatArray } from "../../../backends/cpu/linalg.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { assertAllClose, flat, randomArray } from "../../helpers.ts";

/** The float dtypes under test. */
type FD = "float32" | "float64";

// ---- the kernels through the backend (write → op → readSync → dispose) ----

const cpu = new CpuBackend();

/** Read a result and free it. */
function take(x: TensorInfo): FloatArray {
  const v = cpu.readSync(x) as FloatArray;
  cpu.dispose(x);
  return v;
}

/** `CpuBackend.cholesky` on plain arrays. */
function cholesky(a: FloatArray, shape: number[], dtype: FD): FloatArray {
  const x = cpu.write(a, shape, dtype);
  const l = take(cpu.cholesky(x));
  cpu.dispose(x);
  return l;
}

/** `CpuBackend.triangularSolve` on plain arrays. */
function triangularSolve(
  a: FloatArray,
  aShape: number[],
  b: FloatArray,
  bShape: number[],
  dtype: FD,
  options: TriangularSolveOptions,
): FloatArray {
  const x = cpu.write(a, aShape, dtype);
  const y = cpu.write(b, bShape, dtype);
  const r = cpu.triangularSolve(x, y, options);
  assert.deepEqual(r.shape, bShape);
  cpu.dispose(x);
  cpu.dispose(y);
  return take(r);
}

/** `CpuBackend.svd` on plain arrays. */
function svd(a: FloatArray, shape: number[], dtype: FD) {
  const x = cpu.write(a, shape, dtype);
  const r = cpu.svd(x);
  cpu.dispose(x);
  const [uShape, sShape, vhShape] = [r.u.shape, r.s.shape, r.vh.shape];
  return { uShape, sShape, vhShape, u: take(r.u), s: take(r.s), vh: take(r.vh) };
}

/** `CpuBackend.eigh` on plain arrays. */
function eigh(a: FloatArray, shape: number[], dtype: FD) {
  const x = cpu.write(a, shape, dtype);
  const r = cpu.eigh(x);
  cpu.dispose(x);
  return { values: take(r.values), vectors: take(r.vectors) };
}

/** `CpuBackend.qr` on plain arrays. */
function qr(a: FloatArray, shape: number[], dtype: FD) {
  const x = cpu.write(a, shape, dtype);
  const r = cpu.qr(x);
  cpu.dispose(x);
  const [qShape, rShape] = [r.q.shape, r.r.shape];
  return { qShape, rShape, q: take(r.q), r: take(r.r) };
}

// ---- small dense helpers (row-major Float64Array) ----

/** `a [m, k] · b [k, n]`. */
function mm(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j];
    }
  }
  return c;
}

/** Transpose of `a [m, n]`. */
function tr(a: ArrayLike<number>, m: number, n: number) {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}

/** Identity `[n, n]`. */
function eye(n: number) {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/** Largest |x|. */
function maxAbs(a: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Assert the columns of `q [m, k]` are orthonormal: qᵀq = I. */
function assertOrthonormalCols(q: ArrayLike<number>, m: number, k: number, atol: number) {
  assertAllClose(mm(tr(q, m, k), q, k, m, k), eye(k), { rtol: 0, atol, msg: "QᵀQ" });
}

/** Matrix `i` of a batch of `size`-element matrices. */
function entry(a: FloatArray, i: number, size: number) {
  return a.subarray(i * size, (i + 1) * size);
}

/** Typed input of the dtype. */
function typed(values: ArrayLike<number>, dtype: FD): FloatArray {
  return dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
}

/** Random SPD `B Bᵀ + n I` of size n (seeded). */
function spd(n: number, seed: number) {
  const b = randomArray(n * n, seed);
  const a = mm(b, tr(b, n, n), n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

/** Relative tolerances by dtype. */
const TOL = { float32: 2e-5, float64: 1e-12 } as const;
const DTYPES = ["float32", "float64"] as const;

// ---- golden cases ----

interface GoldenCase {
  id: string;
  fn: string;
  args: { a: unknown[] };
  expected: unknown;
  rtol: number;
  atol: number;
}

const goldenText = await Deno.readTextFile(
  new URL("../../../../shared/golden/linalg.jsonl", import.meta.url),
);
const golden: GoldenCase[] = goldenText.split("\n").filter((l) => l.trim() !== "").map((l) =>
  JSON.parse(l)
);
/** Golden numbers, with "NaN"/"Infinity" strings decoded. */
const num = (x: unknown) => flat(JSON.parse(JSON.stringify(x), (_k, v) => v === "NaN" ? NaN : v));

Deno.test("cholesky: golden cases (linalg.jsonl), float32 and float64", () => {
  const cases = golden.filter((c) => c.fn === "linalg.cholesky");
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    const n = c.args.a.length;
    for (const dtype of DTYPES) {
      const l = cholesky(typed(num(c.args.a), dtype), [n, n], dtype);
      assert.ok(dtype === "float64" ? l instanceof Float64Array : l instanceof Float32Array);
      assertAllClose(l, num(c.expected), { rtol: c.rtol, atol: c.atol, msg: `${c.id} ${dtype}` });
    }
  }
});

Deno.test("svd: golden cases (linalg.jsonl), S and reconstruction", () => {
  const cases = golden.filter((c) => c.fn === "linalg.svd");
  assert.ok(cases.length >= 4);
  for (const c of cases) {
    const a = num(c.args.a);
    const m = c.args.a.length, n = a.length / m, k = Math.min(m, n);
    const exp = c.expected as { S: number[]; reconstruction: number[][] };
    for (const dtype of DTYPES) {
      const r = svd(typed(a, dtype), [m, n], dtype);
      assert.deepEqual([r.uShape, r.sShape, r.vhShape], [[m, k], [k], [k, n]]);
      assertAllClose(r.s, exp.S, { rtol: c.rtol, atol: c.atol, msg: `${c.id} S ${dtype}` });
      const us = mm(r.u, diag(r.s), m, k, k);
      assertAllClose(mm(us, r.vh, m, k, n), num(exp.reconstruction), {
        rtol: c.rtol,
        atol: c.atol,
        msg: `${c.id} reconstruction ${dtype}`,
      });
    }
  }
});

/** Diagonal matrix of `s`. */
function diag(s: ArrayLike<number>) {
  const k = s.length;
  const d = new Float64Array(k * k);
  for (let i = 0; i < k; i++) d[i * k + i] = s[i];
  return d;
}

// ---- cholesky ----

Deno.test("cholesky: L Lᵀ = A, lower factor, upper triangle of input ignored", () => {
  for (const dtype of DTYPES) {
    for (const n of [1, 2, 5, 9]) {
      const a = spd(n, 10 + n);
      const junk = Float64Array.from(a);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) junk[i * n + j] = 99;
      const l = cholesky(typed(a, dtype), [n, n], dtype);
      assert.deepEqual(cholesky(typed(junk, dtype), [n, n], dtype), l);
      for (let i = 0; i < n; i++) {
        assert.ok(l[i * n + i] > 0);
        for (let j = i + 1; j < n; j++) assert.equal(l[i * n + j], 0);
      }
      assertAllClose(mm(l, tr(l, n, n), n, n, n), a, {
        rtol: TOL[dtype],
        atol: TOL[dtype] * n,
      });
    }
  }
});

Deno.test("cholesky: non-SPD entries of a batch become all NaN, others untouched", () => {
  const good = spd(3, 3);
  const indefinite = [1, 2, 0, 2, 1, 0, 0, 0, 1]; // eigenvalues 3, -1, 1
  const singular = [1, 1, 0, 1, 1, 0, 0, 0, 1]; // zero pivot
  const nan = [1, 0, 0, NaN, 1, 0, 0, 0, 1];
  const negDiag = [-1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (const dtype of DTYPES) {
    const batch = [...good, ...indefinite, ...singular, ...nan, ...negDiag];
    const l = cholesky(typed(batch, dtype), [5, 3, 3], dtype);
    assert.deepEqual(entry(l, 0, 9), cholesky(typed(good, dtype), [3, 3], dtype));
    for (let b = 1; b < 5; b++) {
      assert.ok(entry(l, b, 9).every(Number.isNaN), `entry ${b} should be all NaN`);
    }
  }
});

Deno.test("cholesky: empty shapes and bad input", () => {
  assert.equal(cholesky(new Float64Array(0), [0, 0], "float64").length, 0);
  assert.equal(cholesky(new Float32Array(0), [0, 3, 3], "float32").length, 0);
  assert.equal(cholesky(new Float64Array(0), [2, 0, 0], "float64").length, 0);
  const bad = [
    () => kernels.choleskyKernel(new Float64Array(6), [2, 3], "float64"),
    () => kernels.choleskyKernel(new Float64Array(4), [4], "float64"),
    () => kernels.choleskyKernel(new Float64Array(3), [2, 2], "float64"),
    () => kernels.choleskyKernel(new Int32Array(4) as unknown as Float64Array, [2, 2], "int32"),
  ];
  for (const f of bad) {
    assert.throws(f, (e: Error) => e instanceof TypeError && /^cholesky\(\): /.test(e.message));
  }
});

// ---- triangular solve ----

/** A random triangular matrix with a diagonal of magnitude in [1, 2], junk in the other triangle. */
function triangular(n: number, lower: boolean, seed: number) {
  const a = randomArray(n * n, seed);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = (a[i * n + i] < 0 ? -1 : 1) * (1 + Math.abs(a[i * n + i]));
    for (let j = 0; j < n; j++) if (lower ? j > i : j < i) a[i * n + j] = 1e3; // never read
  }
  return a;
}

/** op(A) as a dense matrix: the used triangle only, transposed / unit diagonal as asked. */
function opDense(a: ArrayLike<number>, n: number, o: TriangularSolveOptions) {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const used = o.lower ? j <= i : j >= i;
      const v = i === j && o.unitDiagonal ? 1 : used ? a[i * n + j] : 0;
      if (o.transposeA) t[j * n + i] = v;
      else t[i * n + j] = v;
    }
  }
  return t;
}

/** Check one solve: residual of op(A) X = B (left) or X op(A) = B (right). */
function checkSolve(n: number, m: number, o: TriangularSolveOptions, dtype: FD, seed: number) {
  const a = triangular(n, o.lower, seed);
  const bShape = o.leftSide ? [n, m] : [m, n];
  const b = randomArray(n * m, seed + 1);
  const x = triangularSolve(typed(a, dtype), [n, n], typed(b, dtype), bShape, dtype, o);
  assert.equal(x.length, n * m);
  const t = opDense(typed(a, dtype), n, o);
  const back = o.leftSide ? mm(t, x, n, n, m) : mm(x, t, m, n, n);
  // Triangular solves are backward stable: residual ~ eps · |T| · |X|.
  const tol = (dtype === "float64" ? 1e-13 : 2e-6) * n * (1 + maxAbs(x));
  assertAllClose(back, typed(b, dtype), { rtol: 0, atol: tol, msg: JSON.stringify(o) });
}

const ALL_OPTIONS: TriangularSolveOptions[] = [];
for (const lower of [true, false]) {
  for (const leftSide of [true, false]) {
    for (const transposeA of [true, false]) {
      for (const unitDiagonal of [true, false]) {
        ALL_OPTIONS.push({ lower, leftSide, transposeA, unitDiagonal });
      }
    }
  }
}

Deno.test("triangularSolve: all 16 option combinations, float32 and float64", () => {
  for (const dtype of DTYPES) {
    ALL_OPTIONS.forEach((o, i) => checkSolve(6, 3, o, dtype, 100 + i));
  }
});

Deno.test("triangularSolve: known values and batched a/b", () => {
  const o = { lower: true, leftSide: true, transposeA: false, unitDiagonal: false };
  // [[2, 0], [1, 4]] x = [4, 6]  →  x = [2, 1]
  assert.deepEqual(
    triangularSolve(
      new Float64Array([2, 0, 1, 4]),
      [2, 2],
      new Float64Array([4, 6]),
      [2, 1],
      "float64",
      o,
    ),
    new Float64Array([2, 1]),
  );
  // Upper, right side: x [[2, 1], [0, 4]] = [4, 6]  →  x = [2, 1]
  assert.deepEqual(
    triangularSolve(
      new Float64Array([2, 1, 0, 4]),
      [2, 2],
      new Float64Array([4, 6]),
      [1, 2],
      "float64",
      { ...o, lower: false, leftSide: false },
    ),
    new Float64Array([2, 1]),
  );
  const n = 4, m = 2;
  const as = [triangular(n, false, 7), triangular(n, false, 8)];
  const bs = [randomArray(n * m, 9), randomArray(n * m, 10)];
  const ob = { ...o, lower: false, transposeA: true };
  const x = triangularSolve(
    Float64Array.from([...as[0], ...as[1]]),
    [2, n, n],
    Float64Array.from([...bs[0], ...bs[1]]),
    [2, n, m],
    "float64",
    ob,
  );
  for (let b = 0; b < 2; b++) {
    const single = triangularSolve(as[b], [n, n], bs[b], [n, m], "float64", ob);
    assert.deepEqual(entry(x, b, n * m), single);
  }
});

Deno.test("triangularSolve: zero diagonal gives non-finite values, no throw", () => {
  const o = { lower: true, leftSide: true, transposeA: false, unitDiagonal: false };
  const x = triangularSolve(
    new Float64Array([0, 0, 1, 1]),
    [2, 2],
    new Float64Array([1, 1]),
    [2, 1],
    "float64",
    o,
  );
  assert.ok(x.every((v) => !Number.isFinite(v)));
  // unitDiagonal ignores the stored (zero) diagonal.
  const y = triangularSolve(
    new Float64Array([0, 0, 1, 0]),
    [2, 2],
    new Float64Array([1, 1]),
    [2, 1],
    "float64",
    { ...o, unitDiagonal: true },
  );
  assert.deepEqual(y, new Float64Array([1, 0]));
});

Deno.test("triangularSolve: zero-size systems", () => {
  const o = { lower: true, leftSide: true, transposeA: false, unitDiagonal: false };
  const e = new Float64Array(0);
  assert.equal(triangularSolve(e, [0, 0], e, [0, 3], "float64", o).length, 0);
  assert.equal(
    triangularSolve(new Float64Array([2]), [1, 1], e, [1, 0], "float64", o).length,
    0,
  );
  assert.equal(triangularSolve(e, [0, 2, 2], e, [0, 2, 5], "float64", o).length, 0);
});

Deno.test("triangularSolve: shape errors are TypeErrors", () => {
  const o = { lower: true, leftSide: true, transposeA: false, unitDiagonal: false };
  const a = new Float64Array(4);
  const bad = [
    () => kernels.triangularSolveKernel(a, [2, 2], new Float64Array(3), [3, 1], "float64", o),
    () =>
      kernels.triangularSolveKernel(a, [2, 2], new Float64Array(3), [1, 3], "float64", {
        ...o,
        leftSide: false,
      }),
    () => kernels.triangularSolveKernel(a, [1, 2, 2], new Float64Array(4), [2, 2, 1], "float64", o),
    () =>
      kernels.triangularSolveKernel(
        new Float64Array(6),
        [2, 3],
        new Float64Array(2),
        [2, 1],
        "float64",
        o,
      ),
    () => kernels.triangularSolveKernel(a, [2, 2], new Float64Array(2), [2], "float64", o),
  ];
  for (const f of bad) {
    assert.throws(
      f,
      (e: Error) => e instanceof TypeError && /^triangularSolve\(\): /.test(e.message),
    );
  }
});

// ---- SVD ----

/** Check an SVD of `a [m, n]`: shapes, s sorted ≥ 0, orthonormal u/vh, reconstruction. */
function checkSvd(a: ArrayLike<number>, m: number, n: number, dtype: FD, scale = 1) {
  const k = Math.min(m, n);
  const r = svd(typed(a, dtype), [m, n], dtype);
  assert.deepEqual([r.uShape, r.sShape, r.vhShape], [[m, k], [k], [k, n]]);
  for (let i = 0; i < k; i++) {
    assert.ok(r.s[i] >= 0, `s[${i}] = ${r.s[i]} < 0`);
    if (i > 0) assert.ok(r.s[i] <= r.s[i - 1], "s not descending");
  }
  const tol = TOL[dtype] * Math.max(m, n);
  assertOrthonormalCols(r.u, m, k, tol);
  assertOrthonormalCols(tr(r.vh, k, n), n, k, tol);
  const us = mm(r.u, diag(r.s), m, k, k);
  assertAllClose(mm(us, r.vh, m, k, n), typed(a, dtype), {
    rtol: 0,
    atol: tol * Math.max(scale, maxAbs(r.s)),
    msg: `U S Vh = A (${m}x${n} ${dtype})`,
  });
  return r;
}

Deno.test("svd: square, tall and wide matrices, float32 and float64", () => {
  for (const dtype of DTYPES) {
    for (const [m, n] of [[1, 1], [4, 4], [7, 3], [3, 7], [1, 5], [5, 1], [16, 16]]) {
      checkSvd(randomArray(m * n, m * 31 + n), m, n, dtype);
    }
  }
});

Deno.test("svd: Hilbert 8x8 in float64 matches high-precision singular values", () => {
  const n = 8;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = 1 / (i + j + 1);
  // mpmath (60 digits) on the float64-rounded Hilbert matrix.
  const exact = [
    1.6959389969219494359,
    0.29812521131693071067,
    0.026212843578119050945,
    0.0014676881177418471388,
    0.0000543694336975089627,
    1.2943320918741792919e-6,
    1.7988737460063012302e-8,
    1.1115389694888081586e-10,
  ];
  const r = checkSvd(h, n, n, "float64");
  assertAllClose(r.s, exact, { rtol: 0, atol: 2e-15 * exact[0], msg: "Hilbert s" });
  // Cross-check against the eigenvalues of the (SPD) matrix itself.
  const w = eigh(h, [n, n], "float64").values;
  assertAllClose([...w].reverse(), r.s, { rtol: 0, atol: 4e-15 * exact[0], msg: "eigh vs svd" });
});

Deno.test("svd: rank-deficient matrices have tiny trailing s and orthonormal factors", () => {
  for (const dtype of DTYPES) {
    for (const [m, n, rank] of [[6, 4, 1], [4, 6, 2], [8, 8, 5], [5, 5, 0]]) {
      const x = randomArray(m * rank, m + n);
      const y = randomArray(rank * n, rank + 1);
      const a = mm(x, y, m, rank, n);
      const r = checkSvd(a, m, n, dtype);
      const k = Math.min(m, n);
      const eps = dtype === "float64" ? 1e-15 : 1e-6;
      for (let i = rank; i < k; i++) {
        assert.ok(r.s[i] <= 4 * eps * Math.max(1, r.s[0]), `s[${i}] = ${r.s[i]}`);
      }
    }
  }
});

Deno.test("svd: zero matrix, duplicate columns and widely scaled rows", () => {
  const z = checkSvd(new Float64Array(12), 3, 4, "float64");
  assert.deepEqual([...z.s], [0, 0, 0]);
  // Exact zero singular values next to non-zero ones: the basis is completed.
  for (const [m, n] of [[2, 3], [3, 2]]) {
    const one = new Float64Array(m * n);
    one[0] = 2;
    const r = checkSvd(one, m, n, "float64");
    assert.deepEqual([...r.s], [2, 0]);
  }
  const dup = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]; // [4, 3], rank 1
  const d = checkSvd(dup, 4, 3, "float64");
  assertAllClose(d.s[0], Math.sqrt(3 * 30), { rtol: 1e-14 });
  // Graded rows 1 … 1e-150: no overflow/underflow in the norms.
  const g = new Float64Array(
    [1, 2, 3, 4].flatMap((v, i) => [v, -v, 2 * v].map((x) => x * 10 ** (-50 * i))),
  );
  const r = checkSvd(g, 4, 3, "float64");
  assert.ok(r.s[0] > 0 && Number.isFinite(r.s[0]));
  const big = svd(Float64Array.from(dup, (v) => v * 1e200), [4, 3], "float64");
  assertAllClose(big.s[0], Math.sqrt(90) * 1e200, { rtol: 1e-14 });
});

Deno.test("svd: zero-size dims, batches, and NaN input", () => {
  const e1 = svd(new Float64Array(0), [0, 3], "float64");
  assert.deepEqual([e1.uShape, e1.sShape, e1.vhShape], [[0, 0], [0], [0, 3]]);
  const e0 = svd(new Float64Array(0), [3, 0], "float64");
  assert.deepEqual([e0.uShape, e0.sShape, e0.vhShape], [[3, 0], [0], [0, 0]]);
  const e2 = svd(new Float32Array(0), [2, 3, 0], "float32");
  assert.deepEqual([e2.uShape, e2.sShape, e2.vhShape], [[2, 3, 0], [2, 0], [2, 0, 0]]);
  assert.equal(e2.u.length + e2.s.length + e2.vh.length, 0);
  const mats = [randomArray(12, 1), new Float64Array(12), randomArray(12, 2)];
  const batch = svd(Float64Array.from(mats.flatMap((x) => [...x])), [3, 4, 3], "float64");
  assert.deepEqual([batch.uShape, batch.sShape, batch.vhShape], [[3, 4, 3], [3, 3], [3, 3, 3]]);
  mats.forEach((x, b) => {
    const one = svd(x, [4, 3], "float64");
    assert.deepEqual(entry(batch.u, b, 12), one.u);
    assert.deepEqual(entry(batch.s, b, 3), one.s);
    assert.deepEqual(entry(batch.vh, b, 9), one.vh);
  });
  const nan = svd(new Float64Array([1, NaN, 0, 1, Infinity, 2, 3, 4]), [2, 2, 2], "float64");
  assert.ok([...nan.u, ...nan.s, ...nan.vh].every(Number.isNaN));
  assert.throws(
    () => kernels.svdKernel(new Float64Array(3), [3], "float64"),
    /^TypeError: svd\(\): /,
  );
});

Deno.test("svd: 128x128 stays fast and accurate", () => {
  const t0 = performance.now();
  checkSvd(randomArray(128 * 128, 5), 128, 128, "float64");
  assert.ok(performance.now() - t0 < 3000, "128x128 SVD took over 3 s");
});

// ---- eigh ----

/** Check an eigendecomposition of the symmetric part (lower triangle) of `a [n, n]`. */
function checkEigh(a: ArrayLike<number>, n: number, dtype: FD) {
  const sym = new Float64Array(n * n);
  const ta = typed(a, dtype);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) sym[i * n + j] = sym[j * n + i] = ta[i * n + j];
  }
  const { values, vectors } = eigh(ta, [n, n], dtype);
  assert.equal(values.length, n);
  for (let i = 1; i < n; i++) assert.ok(values[i] >= values[i - 1], "not ascending");
  const scale = Math.max(1, maxAbs(values));
  const tol = TOL[dtype] * Math.max(n, 1);
  assertOrthonormalCols(vectors, n, n, tol);
  const vw = mm(vectors, diag(values), n, n, n);
  assertAllClose(mm(vw, tr(vectors, n, n), n, n, n), sym, {
    rtol: 0,
    atol: tol * scale,
    msg: `V diag(w) Vᵀ = A (${n} ${dtype})`,
  });
  return { values, vectors };
}

Deno.test("eigh: reconstruction, orthonormal vectors, upper triangle ignored", () => {
  for (const dtype of DTYPES) {
    for (const n of [1, 2, 3, 6, 12, 20]) checkEigh(randomArray(n * n, 40 + n), n, dtype);
  }
  // Known spectrum: [[2, 1], [1, 2]] → 1, 3; the upper triangle (here 7) is never read.
  const { values } = eigh(new Float64Array([2, 7, 1, 2]), [2, 2], "float64");
  assertAllClose(values, [1, 3], { rtol: 1e-15, atol: 1e-15 });
});

Deno.test("eigh: repeated eigenvalues, diagonal and zero matrices", () => {
  checkEigh(eye(5), 5, "float64");
  checkEigh(new Float64Array(16), 4, "float64");
  const d = checkEigh([3, 0, 0, 0, -1, 0, 0, 0, 3], 3, "float64");
  assert.deepEqual([...d.values], [-1, 3, 3]);
  // Rank-one J (all ones): eigenvalues 0, 0, 0, 4.
  const j = checkEigh(new Float64Array(16).fill(1), 4, "float64");
  assertAllClose(j.values, [0, 0, 0, 4], { rtol: 0, atol: 1e-14 });
});

Deno.test("eigh: batches, zero size, NaN input and bad input", () => {
  const mats = [randomArray(9, 1), randomArray(9, 2)];
  const r = eigh(Float32Array.from(mats.flatMap((x) => [...x])), [2, 3, 3], "float32");
  mats.forEach((x, b) => {
    const one = eigh(Float32Array.from(x), [3, 3], "float32");
    assert.deepEqual(entry(r.values, b, 3), one.values);
    assert.deepEqual(entry(r.vectors, b, 9), one.vectors);
  });
  assert.equal(eigh(new Float64Array(0), [0, 0], "float64").values.length, 0);
  const nan = eigh(new Float64Array([1, 0, NaN, 1, 2, 0, 0, 2]), [2, 2, 2], "float64");
  assert.ok([...nan.values.subarray(0, 2), ...nan.vectors.subarray(0, 4)].every(Number.isNaN));
  assert.deepEqual([...nan.values.subarray(2)], [2, 2]);
  assert.throws(
    () => kernels.eighKernel(new Float64Array(6), [2, 3], "float64"),
    /^TypeError: eigh\(\): /,
  );
});

// ---- QR ----

/** Check a reduced QR of `a [m, n]`. */
function checkQr(a: ArrayLike<number>, m: number, n: number, dtype: FD) {
  const k = Math.min(m, n);
  const { q, r, qShape, rShape } = qr(typed(a, dtype), [m, n], dtype);
  assert.deepEqual([qShape, rShape], [[m, k], [k, n]]);
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) assert.equal(r[i * n + j], 0);
  const tol = TOL[dtype] * Math.max(m, n, 1);
  assertOrthonormalCols(q, m, k, tol);
  assertAllClose(mm(q, r, m, k, n), typed(a, dtype), {
    rtol: 0,
    atol: tol * Math.max(1, maxAbs(a)),
    msg: `QR = A (${m}x${n} ${dtype})`,
  });
  return { q, r };
}

Deno.test("qr: square, tall, wide, rank-deficient and zero matrices", () => {
  for (const dtype of DTYPES) {
    for (const [m, n] of [[1, 1], [5, 5], [8, 3], [3, 8], [1, 4], [4, 1]]) {
      checkQr(randomArray(m * n, 7 * m + n), m, n, dtype);
    }
    checkQr(new Float64Array(12), 4, 3, dtype);
    checkQr(mm(randomArray(6, 3), randomArray(6, 4), 6, 1, 6), 6, 6, dtype);
    checkQr([0, 0, 0, 1, 0, 2, 0, 3, 0], 3, 3, dtype); // zero first column
  }
  // 3-4-5: |r00| = 5, and sign as LAPACK (r00 = -5 for a positive leading entry).
  const { r } = checkQr([3, 4], 2, 1, "float64");
  assertAllClose(r[0], -5, { rtol: 1e-15 });
});

Deno.test("qr: batches and zero size", () => {
  const mats = [randomArray(8, 1), randomArray(8, 2), randomArray(8, 3)];
  const res = qr(Float64Array.from(mats.flatMap((x) => [...x])), [3, 4, 2], "float64");
  assert.deepEqual([res.qShape, res.rShape], [[3, 4, 2], [3, 2, 2]]);
  mats.forEach((x, b) => {
    const one = qr(x, [4, 2], "float64");
    assert.deepEqual(entry(res.q, b, 8), one.q);
    assert.deepEqual(entry(res.r, b, 4), one.r);
  });
  const e = qr(new Float64Array(0), [0, 3], "float64");
  assert.deepEqual([e.qShape, e.rShape], [[0, 0], [0, 3]]);
  assert.throws(
    () => kernels.qrKernel(new Int32Array(4) as unknown as Float64Array, [2, 2], "int32"),
    /^TypeError: qr\(\): /,
  );
});

// ---- property tests (fast-check, sizes ≤ 12) ----

const dims = fc.record({
  m: fc.integer({ min: 1, max: 12 }),
  n: fc.integer({ min: 1, max: 12 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  f64: fc.boolean(),
});
const dtypeOf = (f64: boolean): FD => f64 ? "float64" : "float32";
const RUNS = { numRuns: 60 };

Deno.test("property: cholesky of B Bᵀ + n I reconstructs", () => {
  fc.assert(
    fc.property(dims, ({ n, seed, f64 }) => {
      const dtype = dtypeOf(f64);
      const a = spd(n, seed);
      const l = cholesky(typed(a, dtype), [n, n], dtype);
      assertAllClose(mm(l, tr(l, n, n), n, n, n), a, {
        rtol: TOL[dtype] * 4,
        atol: TOL[dtype] * n,
      });
    }),
    RUNS,
  );
});

Deno.test("property: triangularSolve residual is small for every option set", () => {
  fc.assert(
    fc.property(dims, fc.constantFrom(...ALL_OPTIONS), ({ m, n, seed, f64 }, o) => {
      checkSolve(n, m, o, dtypeOf(f64), seed);
    }),
    RUNS,
  );
});

Deno.test("property: svd reconstructs, is orthonormal, and s² = eig(AᵀA)", () => {
  fc.assert(
    fc.property(dims, ({ m, n, seed, f64 }) => {
      const dtype = dtypeOf(f64);
      const a = randomArray(m * n, seed);
      const r = checkSvd(a, m, n, dtype);
      const ata = mm(tr(typed(a, dtype), m, n), typed(a, dtype), n, m, n);
      const w = eigh(ata, [n, n], "float64").values.reverse().subarray(0, Math.min(m, n));
      assertAllClose(Array.from(r.s, (s) => s * s), w, {
        rtol: 0,
        atol: TOL[dtype] * 10 * Math.max(1, w[0]),
      });
    }),
    RUNS,
  );
});

Deno.test("property: eigh reconstructs with orthonormal vectors", () => {
  fc.assert(
    fc.property(
      dims,
      ({ n, seed, f64 }) => void checkEigh(randomArray(n * n, seed), n, dtypeOf(f64)),
    ),
    RUNS,
  );
});

Deno.test("property: qr reconstructs with orthonormal q and triangular r", () => {
  fc.assert(
    fc.property(
      dims,
      ({ m, n, seed, f64 }) => void checkQr(randomArray(m * n, seed), m, n, dtypeOf(f64)),
    ),
    RUNS,
  );
});

Deno.test("backend: results match the kernels; every test freed its buffers", () => {
  const a = randomArray(20, 3);
  assert.deepEqual(svd(a, [4, 5], "float64").vh, kernels.svdKernel(a, [4, 5], "float64").vh);
  assert.deepEqual(qr(a, [5, 4], "float64").q, kernels.qrKernel(a, [5, 4], "float64").q);
  const s = spd(4, 2);
  assert.deepEqual(cholesky(s, [4, 4], "float64"), kernels.choleskyKernel(s, [4, 4], "float64"));
  assert.deepEqual(cpu.memory(), { buffers: 0, bytes: 0 });
});
