import assert from "node:assert/strict";
import { assertAllClose, randomArray } from "../../helpers.ts";
import type { DType } from "../../../backends/backend.ts";
import {
  BlasBackend,
  type BlasSymbols,
  createBlasBackend,
  SMALL_MATMUL_WORK,
} from "../../../backends/blas/mod.ts";
import { blas, cpu, put, skipBlas, take, tol } from "./setup.ts";

const DTYPES: DType[] = ["float32", "float64"];

/** blas and cpu matmul of the same random operands; returns both results. */
function both(
  aShape: number[],
  bShape: number[],
  dtype: DType,
  tA = false,
  tB = false,
): { got: number[]; want: number[]; shape: readonly number[]; k: number } {
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const av = randomArray(size(aShape), 7), bv = randomArray(size(bShape), 11);
  const b = blas();
  const r = b.matmul(put(b, av, aShape, dtype), put(b, bv, bShape, dtype), tA, tB);
  const c = cpu.matmul(put(cpu, av, aShape, dtype), put(cpu, bv, bShape, dtype), tA, tB);
  assert.deepEqual(r.shape, c.shape);
  assert.equal(r.dtype, dtype);
  const k = tA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  return { got: take(b, r), want: take(cpu, c), shape: r.shape, k };
}

Deno.test({
  name: "blas matmul matches cpu for 2-D shapes, f32 and f64",
  ignore: skipBlas,
  fn() {
    const cases: [number[], number[]][] = [
      [[1, 1], [1, 1]],
      [[3, 5], [5, 2]],
      [[1, 7], [7, 1]],
      [[7, 1], [1, 7]],
      [[65, 130], [130, 33]],
      [[128, 128], [128, 128]],
    ];
    for (const dtype of DTYPES) {
      for (const [as, bs] of cases) {
        const { got, want, k } = both(as, bs, dtype);
        assertAllClose(got, want, { ...tol(dtype, k), msg: `${dtype} ${as} @ ${bs}` });
      }
    }
  },
});

Deno.test({
  name: "blas matmul transposes either operand",
  ignore: skipBlas,
  fn() {
    for (const dtype of DTYPES) {
      for (const [tA, tB] of [[false, true], [true, false], [true, true]]) {
        const as = tA ? [9, 4] : [4, 9];
        const bs = tB ? [6, 9] : [9, 6];
        const { got, want, shape } = both(as, bs, dtype, tA, tB);
        assert.deepEqual(shape, [4, 6]);
        assertAllClose(got, want, { ...tol(dtype, 9), msg: `${dtype} tA=${tA} tB=${tB}` });
      }
    }
  },
});

Deno.test({
  name: "blas matmul broadcasts batch dims (and folds a shared b)",
  ignore: skipBlas,
  fn() {
    const cases: [number[], number[], boolean, boolean, number[]][] = [
      [[2, 1, 3, 4], [5, 4, 6], false, false, [2, 5, 3, 6]],
      [[3, 4], [2, 4, 5], false, false, [2, 3, 5]],
      [[4, 3, 5], [5, 2], false, false, [4, 3, 2]], // folded into one GEMM
      [[4, 5, 3], [5, 2], true, false, [4, 3, 2]],
      [[2, 3, 3, 5], [1, 3, 2, 5], false, true, [2, 3, 3, 2]],
      [[1, 1, 2, 2], [2, 2], false, false, [1, 1, 2, 2]],
    ];
    for (const dtype of DTYPES) {
      for (const [as, bs, tA, tB, expect] of cases) {
        const { got, want, shape, k } = both(as, bs, dtype, tA, tB);
        assert.deepEqual(shape, expect);
        assertAllClose(got, want, { ...tol(dtype, k), msg: `${dtype} ${as} @ ${bs}` });
      }
    }
  },
});

Deno.test({
  name: "blas matmul of empty operands gives zeros of the right shape",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const z = b.matmul(put(b, [], [2, 0], "float32"), put(b, [], [0, 3], "float32"), false, false);
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(take(b, z), [0, 0, 0, 0, 0, 0]);
    const e = b.matmul(
      put(b, [], [0, 2], "float64"),
      put(b, [1, 2], [2, 1], "float64"),
      false,
      false,
    );
    assert.deepEqual(e.shape, [0, 1]);
    assert.deepEqual(take(b, e), []);
    const batch0 = b.matmul(
      put(b, [], [0, 2, 2], "float32"),
      put(b, [1, 2, 3, 4], [2, 2], "float32"),
      false,
      false,
    );
    assert.deepEqual(batch0.shape, [0, 2, 2]);
    b.dispose(batch0);
  },
});

Deno.test({
  name: "blas matmul gives exact small products and leaves inputs untouched",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const av = [1, 2, 3, 4, 5, 6];
    const a = put(b, av, [2, 3], "float64");
    const x = put(b, [1, 0, 0, 1, 1, 1], [3, 2], "float64");
    assert.deepEqual(take(b, b.matmul(a, x, false, false)), [4, 5, 10, 11]);
    assert.deepEqual(Array.from(b.readSync(a)), av);
  },
});

Deno.test({
  name: "blas backend delegates other primitives to the cpu kernels on shared storage",
  ignore: skipBlas,
  fn() {
    const b = blas();
    assert.equal(b.name, "blas");
    assert.equal(b.capabilities.float64, true);
    assert.equal(b.capabilities.readSync, true);
    assert.match(b.capabilities.notes?.[0] ?? "", /OpenBLAS/);
    const before = b.memory().buffers;
    const a = put(b, [1, 2, 3, 4], [2, 2], "float32");
    const r = b.reshape(a, [4]);
    assert.equal(b.values(r), b.values(a)); // same typed array, no copy
    const sq = b.unary("square", r);
    assert.deepEqual(take(b, sq), [1, 4, 9, 16]);
    const ia = put(b, [1, 2], [1, 2], "float32");
    const fb = put(b, [3, 4], [2, 1], "float32");
    const ib = b.cast(fb, "int32");
    assert.throws(() => b.matmul(ia, ib, false, false), TypeError); // dtype mismatch
    for (const x of [ia, fb, ib, r, a]) b.dispose(x);
    assert.equal(b.memory().buffers, before); // nothing leaked
  },
});

Deno.test({
  name: "blas matmul runs tiny per-matrix products on the cpu kernel, larger ones in BLAS",
  ignore: skipBlas,
  fn() {
    const lib = blas().library;
    let calls = 0;
    const sgemm = lib.symbols.cblas_sgemm;
    const symbols = {
      ...lib.symbols,
      cblas_sgemm: (...args: Parameters<typeof sgemm>) => {
        calls++;
        return sgemm(...args);
      },
    } as BlasSymbols;
    const b = new BlasBackend({ ...lib, symbols });
    assert.equal(b.cpuMatmulBelow, SMALL_MATMUL_WORK);
    const run = (as: number[], bs: number[]) => {
      const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
      const av = randomArray(size(as), 1), bv = randomArray(size(bs), 2);
      const got = take(
        b,
        b.matmul(put(b, av, as, "float32"), put(b, bv, bs, "float32"), false, false),
      );
      const want = take(
        cpu,
        cpu.matmul(put(cpu, av, as, "float32"), put(cpu, bv, bs, "float32"), false, false),
      );
      assertAllClose(got, want, tol("float32", 8));
    };
    run([50, 4, 4], [50, 4, 4]); // 64 multiply-adds per matrix: cpu kernel
    run([50, 10, 1], [50, 1, 10]); // outer products (100): cpu kernel
    assert.equal(calls, 0);
    run([3, 8, 8], [3, 8, 8]); // 512: BLAS, one call per matrix
    assert.equal(calls, 3);
    assert.throws(() => createBlasBackend({ cpuMatmulBelow: -1 }), RangeError);
  },
});

Deno.test({
  name: "blas matmul reuses disposed outputs without leaking stale values",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const n = 64; // 64·64 float32 = 16 KiB: pooled
    const ones = put(b, new Array(n * n).fill(1), [n, n], "float32");
    const withNaN = put(b, new Array(n * n).fill(NaN), [n, n], "float32");
    const base = b.memory().pooledBytes ?? 0;

    const r1 = b.matmul(withNaN, ones, false, false);
    const stale = b.values(r1);
    assert.ok(Number.isNaN(stale[0]));
    const view = b.reshape(r1, [n * n]);
    b.dispose(r1);
    assert.equal(b.memory().pooledBytes, base); // a reshape still holds it
    b.dispose(view);
    b.dispose(view); // twice: a no-op, pooled once
    assert.equal(b.memory().pooledBytes, base + n * n * 4);

    const r2 = b.matmul(ones, ones, false, false);
    assert.equal(b.values(r2), stale); // the same array, reused
    assert.equal(b.memory().pooledBytes, base);
    assert.ok(take(b, r2).every((v) => v === n)); // every NaN overwritten (beta = 0)

    const e = b.matmul(put(b, [], [n, 0], "float32"), put(b, [], [0, n], "float32"), false, false);
    assert.equal(b.values(e), stale); // reused again for an empty inner dim
    assert.ok(take(b, e).every((v) => v === 0)); // zero-filled, not stale
    for (const x of [ones, withNaN]) b.dispose(x);
  },
});
