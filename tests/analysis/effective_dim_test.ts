/**
 * Effective dimension: participation ratio and RankMe against NumPy values
 * (from the golden generator), host formulas, invariances, the NaN
 * fallback ngclearn cannot compute under jit, dtypes, leaks and bad input.
 */

import assert from "node:assert/strict";
import { memory, tensor } from "../../mod.ts";
import { participationRatio, rankme } from "../../analysis/effective_dim.ts";
import { randomArray } from "../helpers.ts";

function matrix(n: number, d: number, seed: number): number[][] {
  const v = randomArray(n * d, seed);
  return Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * d, (i + 1) * d)));
}

/** tr(C)² / tr(C·C) of the sample covariance, in float64 on the host. */
function prRef(z: number[][]): number {
  const n = z.length, d = z[0].length;
  const mu = Array.from({ length: d }, (_, j) => z.reduce((a, r) => a + r[j], 0) / n);
  const c = Array.from(
    { length: d },
    (_, i) =>
      Array.from(
        { length: d },
        (_, j) => z.reduce((a, r) => a + (r[i] - mu[i]) * (r[j] - mu[j]), 0) / (n - 1),
      ),
  );
  let tr = 0, tr2 = 0;
  for (let i = 0; i < d; i++) {
    tr += c[i][i];
    for (let j = 0; j < d; j++) tr2 += c[i][j] * c[j][i];
  }
  return tr2 <= 0 ? 1 : (tr * tr) / tr2;
}

const close = (a: number, b: number, tol = 1e-4) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("participationRatio: NumPy values, host formula, bounds and invariances", () => {
  const before = memory().tensors;
  // numpy.linalg.eigvalsh(numpy.cov(Z)) values from the golden generator
  {
    using iso = participationRatio([[1, 0], [-1, 0], [0, 1], [0, -1]]);
    close(iso.itemSync(), 2);
    const t = [-1, -0.6, -0.2, 0.2, 0.6, 1];
    using rank1 = participationRatio(t.map((v) => [v, 2 * v, -0.5 * v]));
    close(rank1.itemSync(), 1);
  }
  for (const [n, d, seed] of [[8, 3, 1], [20, 5, 2], [50, 10, 3]]) {
    const z = matrix(n, d, seed);
    using pr = participationRatio(z);
    assert.deepEqual([...pr.shape], []);
    assert.equal(pr.dtype, "float32");
    const want = prRef(z);
    close(pr.itemSync(), want);
    assert.ok(want >= 1 && want <= d);
    // invariant to scaling and to translation
    using scaled = participationRatio(z.map((r) => r.map((v) => 7 * v + 3)));
    close(scaled.itemSync(), want);
    using z64 = tensor(z, { dtype: "float64" });
    using f64 = participationRatio(z64);
    assert.equal(f64.dtype, "float64");
    close(f64.itemSync(), want, 1e-12);
  }
  assert.equal(memory().tensors, before);
});

Deno.test("participationRatio: zero variance gives 1, or NaN with useNanFallback (ngclearn raises)", () => {
  const rows = Array.from({ length: 4 }, () => [0.25, -1.5, 3.0]);
  using one = participationRatio(rows);
  assert.equal(one.itemSync(), 1);
  using nan = participationRatio(rows, { useNanFallback: true });
  assert.ok(Number.isNaN(nan.itemSync()));
  using normal = participationRatio([[1, 0], [-1, 0], [0, 1], [0, -1]], { useNanFallback: true });
  close(normal.itemSync(), 2);
});

Deno.test("rankme: NumPy values, identity ≈ n, rank one ≈ 1, zero matrix NaN", () => {
  const before = memory().tensors;
  const z = [
    [-0.011, -0.544, -0.489],
    [-0.207, -0.245, 0.993],
    [-0.184, 0.544, 0.521],
    [-0.38, -0.307, -0.296],
    [-0.709, 0.945, 0.818],
    [0.12, -0.373, 0.776],
  ];
  {
    using r = rankme(z);
    close(r.itemSync(), 2.739483058026987); // numpy.linalg.svd + the entropy formula
    using eye = rankme([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
    close(eye.itemSync(), 4.000000618070706);
    using r1 = rankme([[0.5, 0.5, 1, -2], [1, 1, 2, -4], [-0.5, -0.5, -1, 2]]);
    close(r1.itemSync(), 1.0000031236240052);
    using wide = rankme(
      [[0.351, -0.911, -0.313, 0.288, -0.432], [0.899, -0.685, -0.224, 0.18, -0.024], [
        -0.651,
        -0.564,
        0.293,
        -0.5,
        -0.18,
      ]],
      { eps: 0 },
    );
    close(wide.itemSync(), 2.644590862203787);
    using zero = rankme([[0, 0], [0, 0], [0, 0]]);
    assert.ok(Number.isNaN(zero.itemSync()));
    using z64 = tensor(z, { dtype: "float64" });
    using f64 = rankme(z64);
    assert.equal(f64.dtype, "float64");
    close(f64.itemSync(), 2.739483058026987, 1e-10);
    // eps shifts every p: larger eps, larger value
    using big = rankme(z, { eps: 0.1 });
    assert.ok(big.itemSync() > 2.7395);
  }
  assert.equal(memory().tensors, before);
});

Deno.test("effective dimension: bad input", () => {
  const before = memory().tensors;
  assert.throws(
    () => participationRatio([1, 2, 3]),
    /^TypeError: participationRatio\(\): latentCodes must be a matrix \(N x D\), got shape \[3\]/,
  );
  assert.throws(() => rankme([[[1]]]), /^TypeError: rankme\(\): latentCodes must be a matrix/);
  assert.throws(
    () => rankme([[1, 2]], { eps: -1 }),
    /^RangeError: rankme\(\): eps must be finite and >= 0, got -1/,
  );
  assert.throws(() => rankme([[1, 2]], { eps: NaN }), RangeError);
  assert.throws(() => rankme([[1, 2]], { eps: "1" as never }), TypeError);
  assert.throws(() => participationRatio([[1, 2]], { useNanFallback: 1 as never }), TypeError);
  assert.throws(
    () => participationRatio([[1], [2, 3]] as never),
    /^TypeError: participationRatio\(\): latentCodes: ragged/,
  );
  // integer codes are promoted to float32
  {
    using i32 = tensor([[1, 0], [-1, 0], [0, 1], [0, -1]], { dtype: "int32" });
    using ints = participationRatio(i32);
    close(ints.itemSync(), 2);
  }
  assert.equal(memory().tensors, before);
});
