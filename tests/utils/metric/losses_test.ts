import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/creation.ts";
import {
  measureBce,
  measureCatNll,
  measureKld,
  measureMae,
  measureMse,
  measureRmse,
} from "../../../utils/metric/mod.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";
import { hasF64, noLeak, read, throwsLike } from "./metric_helpers.ts";

const N = 5, D = 7;
const A = Array.from({ length: N }, (_, i) => Array.from(randomArray(D, 10 + i)));
const B = Array.from({ length: N }, (_, i) => Array.from(randomArray(D, 40 + i)));
/** Probabilities in (0, 1) and binary targets. */
const P = A.map((r) => r.map((v) => (v + 1) / 2));
const X = B.map((r) => r.map((v) => (v > 0 ? 1 : 0)));

const rowSums = (f: (a: number, b: number) => number, a: number[][], b: number[][]) =>
  a.map((r, i) => r.reduce((s, v, j) => s + f(v, b[i][j]), 0));
const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const clip = (v: number, o: number) => Math.min(Math.max(v, o), 1 - o);

Deno.test("measureMse/Rmse/Mae: row sums over columns, then the mean over rows", async () => {
  const se = rowSums((a, b) => (a - b) ** 2, A, B);
  const ae = rowSums((a, b) => Math.abs(a - b), A, B);
  const mse = await read(measureMse(A, B, { preserveBatch: true }));
  assert.deepEqual(mse.shape, [N, 1]);
  assert.equal(mse.dtype, "float32");
  assertAllClose(mse.v, se, { rtol: 1e-5 });
  const mseMean = await read(measureMse(A, B));
  assert.deepEqual(mseMean.shape, []);
  assertAllClose(mseMean.v, [avg(se)], { rtol: 1e-5 });
  // Not the mean over all elements (ngclearn's convention kept).
  assert.ok(Math.abs(mseMean.v[0] - avg(se) / D) > 0.1);
  assertAllClose((await read(measureRmse(A, B, { preserveBatch: true }))).v, se.map(Math.sqrt), {
    rtol: 1e-5,
  });
  // RMSE without preserveBatch: sqrt after the row mean.
  assertAllClose((await read(measureRmse(A, B))).v, [Math.sqrt(avg(se))], { rtol: 1e-5 });
  assertAllClose((await read(measureMae(A, B, { preserveBatch: true }))).v, ae, { rtol: 1e-5 });
  assertAllClose((await read(measureMae(A, B))).v, [avg(ae)], { rtol: 1e-5 });
});

Deno.test("losses: float64 stays float64, ints are promoted, rows broadcast", async () => {
  if (hasF64()) {
    const a64 = tensor(A, { dtype: "float64" });
    const b64 = tensor(B, { dtype: "float64" });
    const r = await read(measureMse(a64, b64));
    assert.equal(r.dtype, "float64");
    assertAllClose(r.v, [avg(rowSums((a, b) => (a - b) ** 2, A, B))], { rtol: 1e-12 });
    a64.dispose();
    b64.dispose();
  }
  const i = tensor([[1, 2], [3, 4]], { dtype: "int32" });
  const ri = await read(measureMae(i, [[0, 0]], { preserveBatch: true }));
  assert.equal(ri.dtype, "float32");
  assert.deepEqual(ri.v, [3, 7]);
  i.dispose();
});

Deno.test("measureBce and measureCatNll: clipping by offset, defaults", async () => {
  const bce = rowSums(
    (p, x) => -(x * Math.log(clip(p, 1e-7)) + (1 - x) * Math.log(1 - clip(p, 1e-7))),
    P,
    X,
  );
  const b = await read(measureBce(P, X, { preserveBatch: true }));
  assert.deepEqual(b.shape, [N, 1]);
  assertAllClose(b.v, bce, { rtol: 1e-4 });
  assertAllClose((await read(measureBce(P, X))).v, [avg(bce)], { rtol: 1e-4 });
  // p exactly 0/1 is clipped to [offset, 1 - offset].
  const e = await read(measureBce([[0, 1]], [[1, 0]], { offset: 1e-3 }));
  assertAllClose(e.v, [-2 * Math.log(1e-3)], { rtol: 1e-4 });
  const nll = rowSums((p, x) => -x * Math.log(clip(p, 1e-7)), P, X);
  assertAllClose((await read(measureCatNll(P, X, { preserveBatch: true }))).v, nll, {
    rtol: 1e-4,
  });
  const z = await read(measureCatNll([[0, 1]], [[1, 0]], { offset: 0.25 }));
  assertAllClose(z.v, [-Math.log(0.25)], { rtol: 1e-6 });
});

Deno.test("measureKld: row KL divided by the number of columns", async () => {
  const norm = (r: number[]) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => v / s);
  };
  const p = P.map(norm), q = P.map((r) => norm(r.map((v) => 1 - v)));
  const c = (v: number) => clip(v, 1e-6);
  const kl = p.map((r, i) =>
    r.reduce((s, v, j) => s + c(v) * (Math.log(c(v)) - Math.log(c(q[i][j]))), 0) / D
  );
  const k = await read(measureKld(q, p, { preserveBatch: true }));
  assert.deepEqual(k.shape, [N, 1]);
  assertAllClose(k.v, kl, { rtol: 1e-4, atol: 1e-6 });
  assertAllClose((await read(measureKld(q, p))).v, [avg(kl)], { rtol: 1e-4 });
  assertAllClose((await read(measureKld(p, p))).v, [0], { atol: 1e-6 });
});

Deno.test("losses: NaN propagates to its row only", async () => {
  const a = A.map((r) => [...r]);
  a[2][3] = NaN;
  const r = await read(measureMse(a, B, { preserveBatch: true }));
  assert.ok(Number.isNaN(r.v[2]));
  assert.ok(r.v.filter((_, i) => i !== 2).every(Number.isFinite));
});

Deno.test("losses: no tensor leaks", async () => {
  const a = tensor(A), b = tensor(B);
  for (const f of [measureMse, measureRmse, measureMae, measureBce, measureCatNll, measureKld]) {
    await noLeak(() => f(a, b));
    await noLeak(() => f(a, b, { preserveBatch: true }));
    await noLeak(() => f(A, B)); // plain arrays: conversions freed too
  }
  a.dispose();
  b.dispose();
});

Deno.test("losses: bad input is a clear error", async () => {
  const fns = { measureMse, measureRmse, measureMae, measureBce, measureCatNll, measureKld };
  for (const [name, f] of Object.entries(fns)) {
    await throwsLike(
      () => f(A, B.map((r) => r.slice(0, 5))),
      TypeError,
      name,
      /\[5, 7\].*\[5, 5\]/,
    );
    await throwsLike(() => f([1, 2, 3], [1, 2, 3]), TypeError, name, /rank 2/);
    await throwsLike(() => f(A, B, { preserveBatch: 1 as unknown as boolean }), TypeError, name);
    await throwsLike(() => f(A, B, 3 as unknown as object), TypeError, name);
    await throwsLike(() => f(A, "x" as unknown as number[]), TypeError, name);
  }
  for (const [name, f] of Object.entries({ measureBce, measureCatNll })) {
    await throwsLike(() => f(P, X, { offset: 0.5 }), RangeError, name, /offset/);
    await throwsLike(() => f(P, X, { offset: -1e-3 }), RangeError, name, /offset/);
    await throwsLike(() => f(P, X, { offset: NaN }), RangeError, name, /offset/);
  }
});
