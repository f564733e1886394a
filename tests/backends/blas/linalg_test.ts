import assert from "node:assert/strict";
import { assertAllClose, randomArray } from "../../helpers.ts";
import type { DType, TriangularSolveOptions } from "../../../backends/backend.ts";
import { blas, cpu, put, skipBlas, take, tol } from "./setup.ts";

const DTYPES: DType[] = ["float32", "float64"];

/** Row-major product of an `r × k` and a `k × c` matrix (float64). */
function mm(a: number[], b: number[], r: number, k: number, c: number): number[] {
  const out = new Array<number>(r * c).fill(0);
  for (let i = 0; i < r; i++) {
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < c; j++) out[i * c + j] += a[i * k + p] * b[p * c + j];
    }
  }
  return out;
}

/** Transpose of a row-major `r × c` matrix. */
function tr(a: number[], r: number, c: number): number[] {
  const out = new Array<number>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

function eye(n: number): number[] {
  const out = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** A symmetric positive definite `n × n` matrix `M Mᵀ + n I`. */
function spd(n: number, seed: number): number[] {
  const m = Array.from(randomArray(n * n, seed));
  const a = mm(m, tr(m, n, n), n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

/** Matrix `i` of a batch of `size`-element matrices. */
function at(x: number[], i: number, size: number): number[] {
  return x.slice(i * size, (i + 1) * size);
}

Deno.test({
  name: "blas cholesky matches cpu, reads the lower triangle, NaNs a non-SPD entry",
  ignore: skipBlas,
  fn() {
    const b = blas();
    for (const dtype of DTYPES) {
      for (const n of [1, 4, 37]) {
        const good = spd(n, n);
        const bad = spd(n, n + 1);
        bad[(n - 1) * n + n - 1] = -1e3; // last pivot negative
        const input = [...good, ...bad];
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) input[i * n + j] = 99;
        const got = take(b, b.cholesky(put(b, input, [2, n, n], dtype)));
        const want = take(cpu, cpu.cholesky(put(cpu, input, [2, n, n], dtype)));
        const l = at(got, 0, n * n);
        assertAllClose(l, at(want, 0, n * n), { ...tol(dtype, n), msg: `${dtype} n=${n}` });
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(l[i * n + j], 0);
        assertAllClose(mm(l, tr(l, n, n), n, n, n), good, { ...tol(dtype, n * n) });
        assert.ok(at(got, 1, n * n).every(Number.isNaN), `${dtype} n=${n}: non-SPD → NaN`);
        assert.ok(at(want, 1, n * n).every(Number.isNaN));
      }
    }
  },
});

Deno.test({
  name: "blas triangularSolve matches cpu for every side/uplo/transpose/diag",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const n = 5, m = 3;
    const av = Array.from(randomArray(2 * n * n, 3));
    for (let k = 0; k < 2; k++) for (let i = 0; i < n; i++) av[k * n * n + i * n + i] += 3;
    for (const dtype of DTYPES) {
      for (const leftSide of [true, false]) {
        for (const lower of [true, false]) {
          for (const transposeA of [true, false]) {
            for (const unitDiagonal of [true, false]) {
              const opts: TriangularSolveOptions = { lower, leftSide, transposeA, unitDiagonal };
              const bShape = leftSide ? [2, n, m] : [2, m, n];
              const bv = randomArray(2 * n * m, 5);
              const got = b.triangularSolve(
                put(b, av, [2, n, n], dtype),
                put(b, bv, bShape, dtype),
                opts,
              );
              assert.deepEqual(got.shape, bShape);
              const want = cpu.triangularSolve(
                put(cpu, av, [2, n, n], dtype),
                put(cpu, bv, bShape, dtype),
                opts,
              );
              assertAllClose(take(b, got), take(cpu, want), {
                ...tol(dtype, 10),
                msg: `${dtype} ${JSON.stringify(opts)}`,
              });
            }
          }
        }
      }
    }
  },
});

Deno.test({
  name: "blas triangularSolve broadcasts a over b's batch",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const a = put(b, [2, 0, 1, 4], [2, 2], "float64");
    const rhs = put(b, [2, 9, 4, 10], [2, 2, 1], "float64");
    const opts = { lower: true, leftSide: true, transposeA: false, unitDiagonal: false };
    const x = b.triangularSolve(a, rhs, opts);
    assert.deepEqual(x.shape, [2, 2, 1]);
    assert.deepEqual(take(b, x), [1, 2, 2, 2]);
  },
});

const SVD_SHAPES: number[][] = [[5, 3], [3, 5], [2, 4, 4], [1, 6, 2], [1, 1], [40, 17]];

Deno.test({
  name: "blas svd: singular values match cpu, u s vh reconstructs, u and vh orthonormal",
  ignore: skipBlas,
  fn() {
    const b = blas();
    for (const dtype of DTYPES) {
      for (const shape of SVD_SHAPES) {
        const [m, n] = shape.slice(-2), k = Math.min(m, n);
        const count = shape.length === 3 ? shape[0] : 1;
        const av = Array.from(randomArray(count * m * n, m + 3 * n));
        const r = b.svd(put(b, av, shape, dtype));
        const c = cpu.svd(put(cpu, av, shape, dtype));
        assert.deepEqual(r.u.shape, c.u.shape);
        assert.deepEqual(r.s.shape, c.s.shape);
        assert.deepEqual(r.vh.shape, c.vh.shape);
        const u = take(b, r.u), s = take(b, r.s), vh = take(b, r.vh);
        cpu.dispose(c.u), cpu.dispose(c.vh);
        const msg = `${dtype} ${shape}`;
        assertAllClose(s, take(cpu, c.s), { ...tol(dtype, 4), msg });
        for (let i = 0; i < count; i++) {
          const si = at(s, i, k);
          for (let j = 1; j < k; j++) assert.ok(si[j - 1] >= si[j], `${msg}: s descending`);
          const us = at(u, i, m * k).map((v, idx) => v * si[idx % k]);
          const rec = mm(us, at(vh, i, k * n), m, k, n);
          assertAllClose(rec, at(av, i, m * n), { ...tol(dtype, 10), msg });
          const ui = at(u, i, m * k), vi = at(vh, i, k * n);
          assertAllClose(mm(tr(ui, m, k), ui, k, m, k), eye(k), { ...tol(dtype, 10), msg });
          assertAllClose(mm(vi, tr(vi, k, n), k, n, k), eye(k), { ...tol(dtype, 10), msg });
        }
      }
    }
  },
});

Deno.test({
  name: "blas svd and eigh give NaN for a matrix with a NaN, others unaffected",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const av = [4, 1, 1, 3, NaN, 0, 0, 1];
    const r = b.svd(put(b, av, [2, 2, 2], "float64"));
    const s = take(b, r.s), u = take(b, r.u), vh = take(b, r.vh);
    assert.ok(s.slice(2).every(Number.isNaN) && u.slice(4).every(Number.isNaN));
    assert.ok(vh.slice(4).every(Number.isNaN));
    assert.ok(s.slice(0, 2).every(Number.isFinite));
    const e = b.eigh(put(b, av, [2, 2, 2], "float32"));
    const w = take(b, e.values), v = take(b, e.vectors);
    assert.ok(w.slice(2).every(Number.isNaN) && v.slice(4).every(Number.isNaN));
    assertAllClose(w.slice(0, 2), [(7 - Math.sqrt(5)) / 2, (7 + Math.sqrt(5)) / 2], {
      rtol: 1e-6,
    });
  },
});

Deno.test({
  name: "blas eigh: ascending values match cpu, A v = w v, V orthonormal, lower triangle read",
  ignore: skipBlas,
  fn() {
    const b = blas();
    for (const dtype of DTYPES) {
      for (const n of [1, 2, 6, 33]) {
        const count = 2;
        const sym = [...spd(n, 2 * n), ...Array.from(randomArray(n * n, n)).map((x) => x * 3)];
        for (let k = 0; k < count; k++) { // symmetrise the second from its lower triangle
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < i; j++) sym[k * n * n + j * n + i] = sym[k * n * n + i * n + j];
          }
        }
        const input = sym.slice();
        for (let k = 0; k < count; k++) { // garbage upper triangle: must be ignored
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) input[k * n * n + i * n + j] = 77;
          }
        }
        const r = b.eigh(put(b, input, [count, n, n], dtype));
        const c = cpu.eigh(put(cpu, input, [count, n, n], dtype));
        assert.deepEqual(r.values.shape, [count, n]);
        assert.deepEqual(r.vectors.shape, [count, n, n]);
        const w = take(b, r.values), v = take(b, r.vectors);
        cpu.dispose(c.vectors);
        const msg = `${dtype} n=${n}`;
        assertAllClose(w, take(cpu, c.values), { ...tol(dtype, 4 * n), msg });
        for (let k = 0; k < count; k++) {
          const a = at(sym, k, n * n), vk = at(v, k, n * n), wk = at(w, k, n);
          for (let j = 1; j < n; j++) assert.ok(wk[j - 1] <= wk[j], `${msg}: ascending`);
          const av = mm(a, vk, n, n, n);
          const vw = vk.map((x, idx) => x * wk[idx % n]);
          assertAllClose(av, vw, { ...tol(dtype, n), msg });
          assertAllClose(mm(tr(vk, n, n), vk, n, n, n), eye(n), { ...tol(dtype, 5), msg });
        }
      }
    }
  },
});

Deno.test({
  name: "blas qr: Q R reconstructs, Q orthonormal, R upper, |diag R| matches cpu",
  ignore: skipBlas,
  fn() {
    const b = blas();
    for (const dtype of DTYPES) {
      for (const shape of SVD_SHAPES) {
        const [m, n] = shape.slice(-2), k = Math.min(m, n);
        const count = shape.length === 3 ? shape[0] : 1;
        const av = Array.from(randomArray(count * m * n, 2 * m + n));
        const r = b.qr(put(b, av, shape, dtype));
        const c = cpu.qr(put(cpu, av, shape, dtype));
        assert.deepEqual(r.q.shape, c.q.shape);
        assert.deepEqual(r.r.shape, c.r.shape);
        const q = take(b, r.q), rr = take(b, r.r);
        const cr = take(cpu, c.r);
        cpu.dispose(c.q);
        const msg = `${dtype} ${shape}`;
        for (let i = 0; i < count; i++) {
          const qi = at(q, i, m * k), ri = at(rr, i, k * n), ci = at(cr, i, k * n);
          assertAllClose(mm(qi, ri, m, k, n), at(av, i, m * n), { ...tol(dtype, 10), msg });
          assertAllClose(mm(tr(qi, m, k), qi, k, m, k), eye(k), { ...tol(dtype, 10), msg });
          for (let row = 0; row < k; row++) {
            for (let col = 0; col < row; col++) assert.equal(ri[row * n + col], 0, msg);
            const d = Math.abs(ri[row * n + row]), e = Math.abs(ci[row * n + row]);
            assertAllClose([d], [e], { ...tol(dtype, 10), msg });
          }
        }
      }
    }
  },
});

Deno.test({
  name: "blas factorizations of empty matrices return empty results of the right shapes",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const ch = b.cholesky(put(b, [], [0, 0], "float64"));
    assert.deepEqual(ch.shape, [0, 0]);
    b.dispose(ch);
    const s = b.svd(put(b, [], [0, 3], "float32"));
    assert.deepEqual([s.u.shape, s.s.shape, s.vh.shape], [[0, 0], [0], [0, 3]]);
    const q = b.qr(put(b, [], [3, 0], "float32"));
    assert.deepEqual([q.q.shape, q.r.shape], [[3, 0], [0, 0]]);
    const e = b.eigh(put(b, [], [2, 0, 0], "float64"));
    assert.deepEqual([e.values.shape, e.vectors.shape], [[2, 0], [2, 0, 0]]);
    const x = b.triangularSolve(put(b, [], [0, 0], "float64"), put(b, [], [0, 4], "float64"), {
      lower: true,
      leftSide: true,
      transposeA: false,
      unitDiagonal: false,
    });
    assert.deepEqual(x.shape, [0, 4]);
  },
});
