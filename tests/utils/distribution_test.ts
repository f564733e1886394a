import assert from "node:assert/strict";
import { key, split } from "../../core/random/mod.ts";
import { keyAt } from "../../core/random/key.ts";
import { normal, uniform } from "../../core/random/mod.ts";
import { DistributionGenerator as G } from "../../utils/distribution.ts";
import { assertAllClose } from "../helpers.ts";
import { noLeak, read, throwsNoLeak, vals } from "./model/helpers.ts";

function stats(v: number[]): { mean: number; std: number; min: number; max: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

Deno.test("constant and its post-processing, in ngclearn's order", () => {
  const c = (value: number, p = {}, shape = [3, 4]) =>
    noLeak(() => read(G.constant(value, p)(shape)));
  assert.deepEqual(c(2.5).v, new Array(12).fill(2.5));
  assert.deepEqual(c(-3, { amin: -1 }).v, new Array(12).fill(-1));
  assert.deepEqual(c(3, { amax: 2 }).v, new Array(12).fill(2));
  assert.deepEqual(c(1.5, { lowerTriangle: true }, [3, 3]).v, [
    1.5,
    0,
    0,
    1.5,
    1.5,
    0,
    1.5,
    1.5,
    1.5,
  ]);
  assert.deepEqual(c(1, { upperTriangle: true }, [2, 3]).v, [1, 1, 1, 0, 1, 1]);
  assert.deepEqual(c(2, { hollow: true }, [2, 3]).v, [0, 2, 2, 2, 0, 2]);
  assert.deepEqual(c(2, { eye: true }, [3, 2]).v, [2, 0, 0, 2, 0, 0]);
  assert.deepEqual(c(1, { colMask: [0, 2] }).v, [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
  // amax, then tril, then hollow, then the column mask
  assert.deepEqual(
    c(4, { amax: 3, lowerTriangle: true, hollow: true, colMask: [1, 2, 3] }, [4, 4]).v,
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 3, 0],
  );
  assert.deepEqual(c(1, {}, [5]).shape, [5], "any rank without 2-D options");
});

Deno.test("rowMask keeps rows (ngclearn's code masks columns, or raises when R != C)", () => {
  const y = read(G.constant(1, { rowMask: [1] })([3, 4]));
  assert.deepEqual(y.v, [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
  const z = read(G.constant(0.5, { rowMask: [0, 2] })([3, 3]));
  assert.deepEqual(z.v, [0.5, 0.5, 0.5, 0, 0, 0, 0.5, 0.5, 0.5]);
  // an integer row mask on a non-square matrix keeps that many whole rows
  const r = read(G.uniform({ low: 0.5, high: 1, rowMask: 2 })([6, 4], 20));
  const rows = Array.from({ length: 6 }, (_, i) => r.v.slice(i * 4, i * 4 + 4));
  assert.equal(rows.filter((row) => row.every((v) => v > 0)).length, 2);
  assert.equal(rows.filter((row) => row.every((v) => v === 0)).length, 4);
});

Deno.test("diagOffdiag fills the diagonal and the rest", () => {
  assert.deepEqual(vals(G.diagOffdiag(1, -0.25)([3, 3])), [
    1,
    -0.25,
    -0.25,
    -0.25,
    1,
    -0.25,
    -0.25,
    -0.25,
    1,
  ]);
  assert.deepEqual(vals(G.diagOffdiag(2, 0.5, { upperTriangle: true })([2, 4])), [
    2,
    0.5,
    0.5,
    0.5,
    0,
    2,
    0.5,
    0.5,
  ]);
  throwsNoLeak(() => G.diagOffdiag(1, 0)([3]), TypeError, "DistributionGenerator.diagOffdiag");
});

Deno.test("uniform: key path = uniform(first half of split(key)); bounds and moments", () => {
  const init = G.uniform({ low: -0.5, high: 2 });
  const y = noLeak(() => read(init([64, 64], 11)));
  const s = stats(y.v);
  assert.ok(s.min >= -0.5 && s.max < 2);
  assert.ok(Math.abs(s.mean - 0.75) < 0.068 && Math.abs(s.std - 2.5 / Math.sqrt(12)) < 0.031);
  // exactly the values of jax.random.uniform(split(PRNGKey(11))[0], ...)
  using k = key(11);
  using ks = split(k, 2);
  using k0 = keyAt(ks, 0);
  assert.deepEqual(y.v, vals(uniform(k0, [64, 64], { minval: -0.5, maxval: 2 })));
  // an integer seed, a key tensor and a [k0, k1] pair give the same values
  assert.deepEqual(vals(init([4, 4], k)), vals(init([4, 4], [0, 11])));
  assert.deepEqual(vals(init([4, 4], 11)), vals(init([4, 4], k)));
  assert.notDeepEqual(vals(init([4, 4], 12)), vals(init([4, 4], 11)));
  // no key: a time-based key (still valid values)
  assert.ok(vals(init([10])).every((v) => v >= -0.5 && v < 2));
});

Deno.test("gaussian: mean + std·normal; amin clips (about half become exactly 0)", () => {
  const y = vals(G.gaussian({ mean: 1, std: 2 })([48, 64], 12));
  const s = stats(y);
  assert.ok(Math.abs(s.mean - 1) < 0.22 && Math.abs(s.std - 2) < 0.16, JSON.stringify(s));
  using k = key(12);
  using ks = split(k, 2);
  using k0 = keyAt(ks, 0);
  assertAllClose(y, vals(normal(k0, [48, 64])).map((z) => 1 + 2 * z), { rtol: 1e-6, atol: 1e-6 });
  const c = vals(G.gaussian({ amin: 0 })([64, 64], 13));
  const zeros = c.filter((v) => v === 0).length / c.length;
  assert.ok(Math.min(...c) >= 0 && Math.abs(zeros - 0.5) < 0.047, `fraction ${zeros}`);
});

Deno.test("logGaussian = exp(sigma·normal) (ngclearn's key path raises NameError)", () => {
  const y = vals(G.logGaussian({ sigma: 0.5 })([64, 64], 16));
  const s = stats(y);
  assert.ok(s.min > 0);
  // lognormal(0, 0.5): mean e^(σ²/2) = 1.1331, std sqrt((e^(σ²) − 1) e^(σ²)) = 0.6039
  assert.ok(
    Math.abs(s.mean - 1.133148) < 0.057 && Math.abs(s.std - 0.603901) < 0.08,
    JSON.stringify(s),
  );
  const logs = y.map(Math.log);
  assert.ok(Math.abs(stats(logs).std - 0.5) < 0.02);
});

Deno.test("fanInUniform uses shape[1], fanInGaussian shape[0] (ngclearn's conventions)", () => {
  const u = stats(vals(G.fanInUniform()([64, 16], 14)));
  assert.ok(u.min >= -0.25 && u.max <= 0.25 && Math.abs(u.std - 0.25 / Math.sqrt(3)) < 0.013);
  const g = stats(vals(G.fanInGaussian()([16, 64], 15)));
  assert.ok(Math.abs(g.mean) < 0.047 && Math.abs(g.std - 0.25) < 0.034, JSON.stringify(g));
  throwsNoLeak(
    () => G.fanInUniform()([8], 1),
    TypeError,
    "DistributionGenerator.fanInUniform",
    /2 dimensions/,
  );
  throwsNoLeak(() => G.fanInGaussian()([8], 1), TypeError, "DistributionGenerator.fanInGaussian");
});

Deno.test("integer masks keep that many random columns/rows, reproducibly", () => {
  const y = read(G.uniform({ low: 0.5, high: 1, colMask: 3 })([4, 7], 19));
  const cols = Array.from({ length: 7 }, (_, j) => [0, 1, 2, 3].map((i) => y.v[i * 7 + j]));
  assert.equal(cols.filter((c) => c.every((v) => v > 0)).length, 3);
  assert.equal(cols.filter((c) => c.every((v) => v === 0)).length, 4);
  assert.deepEqual(vals(G.uniform({ low: 0.5, high: 1, colMask: 3 })([4, 7], 19)), y.v);
  // both masks: column mask first, then rows from the next split
  const both = vals(G.constant(1, { colMask: 2, rowMask: 2 })([5, 5], 3));
  assert.equal(both.filter((v) => v === 1).length, 4);
  assert.equal(vals(G.constant(1, { colMask: 0 })([2, 2], 3)).filter((v) => v !== 0).length, 0);
});

Deno.test("bad options: exclusive triangles, masks out of range, unknown keys, wrong types", () => {
  const F = "DistributionGenerator.constant";
  throwsNoLeak(
    () => G.constant(1, { lowerTriangle: true, upperTriangle: true }),
    RangeError,
    F,
    /exclusive/,
  );
  throwsNoLeak(() => G.constant(1, { colMask: 5 })([3, 4], 1), RangeError, F, /colMask = 5/);
  throwsNoLeak(() => G.constant(1, { rowMask: 4 })([3, 4], 1), RangeError, F, /rowMask/);
  throwsNoLeak(() => G.constant(1, { colMask: [0, 4] })([3, 4]), RangeError, F, /index 4/);
  throwsNoLeak(() => G.constant(1, { rowMask: [-1] }), RangeError, F);
  throwsNoLeak(() => G.constant(1, { colMask: [0.5] }), RangeError, F);
  throwsNoLeak(() => G.constant(1, { hollow: true })([3]), TypeError, F, /2-D/);
  throwsNoLeak(() => G.constant(1, { lowerTriangle: true })([3]), TypeError, F);
  // deno-lint-ignore no-explicit-any
  const any = (v: unknown) => v as any;
  throwsNoLeak(() => G.constant(1, any({ amn: 0 })), TypeError, F, /unknown option "amn"/);
  throwsNoLeak(() => G.constant(any("1")), TypeError, F, /value/);
  throwsNoLeak(() => G.constant(1, { hollow: any(1) }), TypeError, F, /hollow/);
  throwsNoLeak(() => G.constant(1, { dtype: any("int32") }), TypeError, F, /dtype/);
  throwsNoLeak(() => G.uniform({ low: any("0") }), TypeError, "DistributionGenerator.uniform");
  throwsNoLeak(() => G.constant(1)([2, -1]), RangeError, F);
});

Deno.test("dtype float64 on backends that have it", () => {
  const y = read(G.gaussian({ dtype: "float64" })([3, 3], 1));
  assert.equal(y.dtype, "float64");
  assert.equal(read(G.constant(1)([2])).dtype, "float32");
});

Deno.test("useNumpy draws from NumPy's RandomState(seed) on the host", () => {
  // numpy: RandomState(5).uniform(-0.5, 2.0, size=(2, 3)), .normal(1, 2, 5), .lognormal(0, 0.5, 4)
  assertAllClose(vals(G.uniform({ low: -0.5, high: 2, useNumpy: true })([2, 3], 5)), [
    0.05498292772434876,
    1.676830765443441,
    0.016797888348565992,
    1.796527269844804,
    0.7210279719870729,
    1.0293596572566144,
  ], { rtol: 1e-6 });
  const g = read(G.gaussian({ mean: 1, std: 2, useNumpy: true, dtype: "float64" })([5], 5));
  assertAllClose(g.v, [
    1.8824549737700829,
    0.3382596962118247,
    5.86154237401556,
    0.49581574079384616,
    1.2192196831563655,
  ], {
    rtol: 1e-12,
  });
  assertAllClose(vals(G.logGaussian({ sigma: 0.5, useNumpy: true })([4], 5)), [
    1.2468417367443991,
    0.8475248861693377,
    3.3715938784028365,
    0.8815742363058295,
  ], { rtol: 1e-6 });
  // masks: a fresh RandomState(seed).choice(C, n, replace=False) per mask; numpy picks [5, 1, 2]
  const m = vals(G.constant(1, { colMask: 3, useNumpy: true })([2, 6], 9));
  assert.deepEqual(m, [0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1]);
  // numpy: RandomState(9).choice(5, 2, replace=False) = [3, 0]
  const r = vals(G.constant(1, { rowMask: 2, useNumpy: true })([5, 1], 9));
  assert.deepEqual(r, [1, 0, 0, 1, 0]);
  throwsNoLeak(
    () => G.uniform({ useNumpy: true })([2], [0, 1]),
    TypeError,
    "DistributionGenerator.uniform",
    /integer seed/,
  );
});
