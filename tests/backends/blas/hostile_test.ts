/**
 * Hostile operands passed straight to the blas backend methods (bypassing
 * `core/ops` validation) must give a clear TypeError/RangeError naming the
 * method, never reach C with a bad shape, stride or leading dimension.
 */

import assert from "node:assert/strict";
import type { TensorInfo, TriangularSolveOptions } from "../../../backends/backend.ts";
import { blas, put, skipBlas, take } from "./setup.ts";

/** A raw reference with any storage, shape and dtype (no checks). */
function raw(values: unknown, shape: unknown, dtype = "float32"): TensorInfo {
  return { id: { values, refs: 1 }, shape, dtype } as unknown as TensorInfo;
}

const OPTS: TriangularSolveOptions = {
  lower: true,
  leftSide: true,
  transposeA: false,
  unitDiagonal: false,
};

function throwsClearly(
  fn: () => unknown,
  kind: typeof TypeError | typeof RangeError,
  method: string,
  pattern?: RegExp,
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e}`);
    assert.match((e as Error).message, new RegExp(`^${method}\\(\\): `));
    if (pattern) assert.match((e as Error).message, pattern);
    return true;
  });
}

Deno.test({
  name: "blas matmul rejects hostile shapes before calling C",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const f = (n: number) => new Float32Array(n);
    const ok = raw(f(6), [2, 3]);
    const mat = (a: TensorInfo, x: TensorInfo) => () => b.matmul(a, x, false, false);
    throwsClearly(mat(raw(f(6), [2, -3]), ok), RangeError, "matmul", /dims must be in/);
    throwsClearly(mat(raw(f(6), [2, NaN]), ok), TypeError, "matmul", /integers/);
    throwsClearly(mat(raw(f(6), [2, 1.5]), ok), TypeError, "matmul", /integers/);
    throwsClearly(mat(raw(f(6), [2, "3"]), ok), TypeError, "matmul", /integers/);
    throwsClearly(mat(raw(f(6), [2, Infinity]), ok), TypeError, "matmul");
    throwsClearly(mat(raw(f(6), "2x3"), ok), TypeError, "matmul", /array/);
    throwsClearly(mat(raw(f(2), [2 ** 31, 1]), ok), RangeError, "matmul", /2147483647/);
    throwsClearly(mat(raw(f(2), [2 ** 20, 2 ** 20, 2 ** 20]), ok), RangeError, "matmul");
    // a buffer shorter than its shape claims (the classic out-of-bounds read)
    throwsClearly(mat(raw(f(5), [2, 3]), raw(f(6), [3, 2])), TypeError, "matmul", /holds 5/);
    throwsClearly(mat(ok, raw(f(6), [3, 4])), TypeError, "matmul", /holds 6/);
    throwsClearly(
      mat(raw(f(4), [65536, 65536]), raw(f(4), [65536, 1])),
      TypeError,
      "matmul",
      /holds 4/,
    );
    // mismatched inner dims, for each transpose combination
    throwsClearly(mat(ok, raw(f(8), [4, 2])), TypeError, "matmul", /inner dims/);
    throwsClearly(() => b.matmul(ok, raw(f(6), [3, 2]), true, false), TypeError, "matmul");
    throwsClearly(() => b.matmul(ok, raw(f(6), [3, 2]), false, true), TypeError, "matmul");
    // batch dims that do not broadcast; rank < 2
    throwsClearly(
      mat(raw(f(12), [2, 2, 3]), raw(f(18), [3, 3, 2])),
      TypeError,
      "matmul",
      /broadcast/,
    );
    throwsClearly(mat(raw(f(3), [3]), raw(f(3), [3, 1])), TypeError, "matmul", /rank/);
    // storage that does not match the dtype, or is missing
    throwsClearly(mat(raw(new Float64Array(6), [2, 3]), ok), TypeError, "matmul", /Float32Array/);
    throwsClearly(mat(raw([1, 2, 3, 4, 5, 6], [2, 3]), ok), TypeError, "matmul");
    throwsClearly(mat(raw(undefined, [2, 3]), ok), TypeError, "matmul");
    throwsClearly(
      mat(ok, raw(new Float64Array(6), [3, 2], "float64")),
      TypeError,
      "matmul",
      /share a dtype/,
    );
    throwsClearly(mat(null as unknown as TensorInfo, ok), TypeError, "matmul");
    // still alive and correct afterwards
    const x = put(b, [1, 2, 3, 4], [2, 2], "float32");
    assert.deepEqual(take(b, b.matmul(x, x, false, false)), [7, 10, 15, 22]);
  },
});

Deno.test({
  name: "blas triangularSolve rejects hostile shapes before calling C",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const f = (n: number) => new Float64Array(n);
    const ts = (a: TensorInfo, x: TensorInfo, o: TriangularSolveOptions = OPTS) => () =>
      b.triangularSolve(a, x, o);
    const a = raw(f(9), [3, 3], "float64");
    throwsClearly(
      ts(raw(f(6), [2, 3], "float64"), raw(f(6), [2, 3], "float64")),
      TypeError,
      "triangularSolve",
    );
    throwsClearly(
      ts(a, raw(f(8), [4, 2], "float64")),
      TypeError,
      "triangularSolve",
      /do not match/,
    );
    throwsClearly(
      ts(a, raw(f(8), [2, 4], "float64"), { ...OPTS, leftSide: false }),
      TypeError,
      "triangularSolve",
    );
    throwsClearly(ts(a, raw(f(5), [3, 2], "float64")), TypeError, "triangularSolve", /holds 5/);
    throwsClearly(
      ts(raw(f(8), [3, 3], "float64"), raw(f(6), [3, 2], "float64")),
      TypeError,
      "triangularSolve",
    );
    throwsClearly(
      ts(raw(f(18), [2, 3, 3], "float64"), raw(f(6), [3, 2], "float64")),
      TypeError,
      "triangularSolve",
      /broadcast/,
    );
    throwsClearly(ts(a, raw(f(6), [3, -2], "float64")), RangeError, "triangularSolve");
    throwsClearly(
      ts(a, raw(new Float32Array(6), [3, 2], "float32")),
      TypeError,
      "triangularSolve",
      /share a dtype/,
    );
    throwsClearly(
      ts(a, raw(f(6), [3, 2], "float64"), null as unknown as TriangularSolveOptions),
      TypeError,
      "triangularSolve",
    );
  },
});

Deno.test({
  name: "blas factorizations reject hostile shapes before calling C",
  ignore: skipBlas,
  fn() {
    const b = blas();
    const f = (n: number) => new Float32Array(n);
    throwsClearly(() => b.cholesky(raw(f(6), [2, 3])), TypeError, "cholesky", /square/);
    throwsClearly(() => b.cholesky(raw(f(8), [3, 3])), TypeError, "cholesky", /holds 8/);
    throwsClearly(() => b.cholesky(raw(f(9), [3, 3.5])), TypeError, "cholesky");
    throwsClearly(() => b.eigh(raw(f(6), [3, 2])), TypeError, "eigh", /square/);
    throwsClearly(() => b.eigh(raw(f(3), [2, 2])), TypeError, "eigh", /holds 3/);
    throwsClearly(() => b.svd(raw(f(5), [2, 3])), TypeError, "svd", /holds 5/);
    throwsClearly(() => b.svd(raw(f(6), [-2, -3])), RangeError, "svd");
    throwsClearly(() => b.svd(raw(f(6), [6])), TypeError, "svd", /rank/);
    throwsClearly(() => b.qr(raw(f(5), [2, 3])), TypeError, "qr", /holds 5/);
    throwsClearly(() => b.qr(raw(f(1), [2 ** 31, 2 ** 31])), RangeError, "qr");
    throwsClearly(() => b.qr(raw(new Float64Array(6), [2, 3])), TypeError, "qr");
  },
});
