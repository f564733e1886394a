import assert from "node:assert/strict";
import {
  logaddexp,
  logSoftmax,
  logSumExp,
  median,
  norm,
  quantile,
  softmax,
  std,
  variance,
} from "../../../core/ops/composite.ts";
import { tensor } from "../../../core/ops/creation.ts";
import type { DType } from "../../../backends/backend.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { assertAllClose } from "../../helpers.ts";
import { expectTensor, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

/** Run an op, read its result (disposing it) and check nothing else leaked. */
function run(f: () => Tensor): { v: number[]; shape: number[]; dtype: string } {
  return noLeak(() => read(f()));
}

const X = [[1.0, -2.0, 0.5, 3.0], [0.0, 0.1, -0.3, 2.2], [-1.5, 4.0, 1.0, 1.0]];
const DTYPES: DType[] = ["float32", "float64"];
const tolOf = (
  d: DType,
) => (d === "float32" ? { rtol: 2e-6, atol: 1e-6 } : { rtol: 1e-11, atol: 1e-12 });

// ---------------------------------------------------------------------------
// softmax family (reference: scipy.special)

Deno.test("softmax: values vs scipy on axis -1, 0 and both; float32/float64", () => {
  for (const dtype of DTYPES) {
    using x = tensor(X, { dtype });
    const tol = tolOf(dtype);
    const r = run(() => softmax(x));
    assert.deepEqual([r.shape, r.dtype], [[3, 4], dtype]);
    assertAllClose(r.v, [
      0.110553750362,
      0.005504147128,
      0.067054239141,
      0.81688786337,
      0.084238882804,
      0.093098363446,
      0.062405699271,
      0.76025705448,
      0.00370292307,
      0.906075401053,
      0.045110837939,
      0.045110837939,
    ], tol);
    assertAllClose(run(() => softmax(x, { axis: 0 })).v, [
      0.689672086125,
      0.002423684457,
      0.322783662047,
      0.631048502337,
      0.253716181635,
      0.019792219093,
      0.145036048502,
      0.283548369863,
      0.05661173224,
      0.977784096449,
      0.532180289451,
      0.0854031278,
    ], tol);
    assertAllClose(run(() => softmax(x, { axis: [0, 1] })).v, [
      0.028105603437,
      0.0013992956,
      0.017046910194,
      0.20767388049,
      0.010339473686,
      0.011426885626,
      0.007659670499,
      0.093313889595,
      0.002307048419,
      0.56451613558,
      0.028105603437,
      0.028105603437,
    ], tol);
  }
});

Deno.test("softmax: stable for large inputs, NaN for an all -inf row (as JAX), ints → float32, bad axis", () => {
  assertAllClose(run(() => softmax([1000, 1000])).v, [0.5, 0.5]);
  const r = run(() => softmax([[-Infinity, -Infinity], [0, -Infinity]]));
  assert.ok(Number.isNaN(r.v[0]) && Number.isNaN(r.v[1]));
  assert.deepEqual(r.v.slice(2), [1, 0]);
  using xi = tensor([1, 2], { dtype: "int32" });
  assert.equal(run(() => softmax(xi)).dtype, "float32");
  throwsNoLeak(
    () => softmax([1, 2], { axis: 1 }),
    RangeError,
    "softmax",
    /axis 1 is out of bounds/,
  );
});

Deno.test("logSoftmax: values vs scipy, ln(1/2) for two equal logits", () => {
  for (const dtype of DTYPES) {
    using x = tensor(X, { dtype });
    assertAllClose(run(() => logSoftmax(x)).v, [
      -2.202253447679,
      -5.202253447679,
      -2.702253447679,
      -0.202253447679,
      -2.47409867331,
      -2.37409867331,
      -2.77409867331,
      -0.27409867331,
      -5.598632752282,
      -0.098632752282,
      -3.098632752282,
      -3.098632752282,
    ], tolOf(dtype));
  }
  assertAllClose(run(() => logSoftmax([0, 0])).v, [-Math.LN2, -Math.LN2]);
  throwsNoLeak(() => logSoftmax([1], { axis: [0, 0] }), RangeError, "logSoftmax", /repeated axis/);
});

Deno.test("logSumExp: all axes, one axis, keepdims, -inf rows, +inf and NaN", () => {
  for (const dtype of DTYPES) {
    using x = tensor(X, { dtype });
    const tol = tolOf(dtype);
    const all = run(() => logSumExp(x));
    assert.deepEqual(all.shape, []);
    assertAllClose(all.v, [4.571786311956135], tol);
    const ax0 = run(() => logSumExp(x, { axis: 0 }));
    assert.deepEqual(ax0.shape, [4]);
    assertAllClose(ax0.v, [1.371539031853, 4.022466393595, 1.630772957104, 3.460372553567], tol);
    const keep = run(() => logSumExp(x, { axis: 1, keepdims: true }));
    assert.deepEqual(keep.shape, [3, 1]);
    assertAllClose(keep.v, [3.202253447679, 2.47409867331, 4.098632752282], tol);
  }
  assertAllClose(run(() => logSumExp([1e4, 1e4])).v, [1e4 + Math.LN2], { rtol: 1e-7 });
  const special = run(() =>
    logSumExp([[-Infinity, -Infinity], [Infinity, 0], [NaN, 0], [-Infinity, 2]], { axis: 1 })
  );
  assert.equal(special.v[0], -Infinity);
  assert.equal(special.v[1], Infinity);
  assert.ok(Number.isNaN(special.v[2]));
  assertAllClose(special.v[3], 2);
  throwsNoLeak(() => logSumExp([[1]], { axis: 2 }), RangeError, "logSumExp", /out of bounds/);
});

Deno.test("logaddexp: values vs numpy incl. infinities, broadcasting, promotion", () => {
  for (const dtype of DTYPES) {
    using a = tensor([0.5, -3.0, 100.0, -Infinity, Infinity], { dtype });
    using b = tensor([1.5, 2.0, 99.0, 1.0, Infinity], { dtype });
    assertAllClose(run(() => logaddexp(a, b)).v, [
      1.813261687518,
      2.006715348489,
      100.313261687518,
      1.0,
      Infinity,
    ], tolOf(dtype));
  }
  const both = run(() => logaddexp([-Infinity, NaN], [-Infinity, 0]));
  assert.equal(both.v[0], -Infinity);
  assert.ok(Number.isNaN(both.v[1]));
  const bc = run(() => logaddexp([[0], [1]], [0, 1]));
  assert.deepEqual(bc.shape, [2, 2]);
  assertAllClose(bc.v, [
    Math.LN2,
    1 + Math.log1p(Math.exp(-1)),
    1 + Math.log1p(Math.exp(-1)),
    1 + Math.LN2,
  ]);
  expectTensor(logaddexp(tensor([0], { dtype: "int32" }), -Infinity), [0], [1], "float32");
});

// ---------------------------------------------------------------------------
// variance, std

Deno.test("variance and std: axes, ddof, keepdims vs numpy", () => {
  for (const dtype of DTYPES) {
    using x = tensor(X, { dtype });
    const tol = tolOf(dtype);
    assertAllClose(run(() => variance(x)).v, [2.7241666666666666], tol);
    assertAllClose(run(() => variance(x, { axis: [0, 1] })).v, [2.7241666666666666], tol);
    assertAllClose(run(() => variance(x, { axis: 0 })).v, [
      1.055555555556,
      6.18,
      0.286666666667,
      0.675555555556,
    ], tol);
    const k = run(() => variance(x, { axis: 1, ddof: 1, keepdims: true }));
    assert.deepEqual(k.shape, [3, 1]);
    assertAllClose(k.v, [4.229166666667, 1.313333333333, 5.0625], tol);
    assertAllClose(run(() => std(x, { axis: -1 })).v, [
      1.780975856097,
      0.992471662064,
      1.948557158515,
    ], tol);
    assertAllClose(run(() => std(x, { ddof: 1 })).v, [1.7238962213016715], tol);
  }
  expectTensor(variance(tensor([1, 2, 3, 4], { dtype: "int32" })), [1.25], [], "float32");
  // n <= ddof divides by 0 (JAX): 0/0 = NaN
  assert.ok(Number.isNaN(run(() => variance([5], { ddof: 1 })).v[0]));
  throwsNoLeak(() => variance([1, 2], { ddof: NaN }), RangeError, "variance", /ddof/);
  throwsNoLeak(() => std([1, 2], { axis: 3 }), RangeError, "std", /out of bounds/);
});

// ---------------------------------------------------------------------------
// quantile, median

Deno.test("quantile: linear vs numpy over all, one axis, keepdims; endpoints are min and max", () => {
  for (const dtype of DTYPES) {
    using x = tensor(X, { dtype });
    const tol = tolOf(dtype);
    const q = [0, 0.1, 0.5, 0.9, 1];
    const all = run(() => quantile(x, q));
    assert.deepEqual(all.shape, [5]);
    assertAllClose(all.v, [-2.0, -1.38, 0.75, 2.92, 4.0], tol);
    const ax1 = run(() => quantile(x, q, { axis: 1 }));
    assert.deepEqual(ax1.shape, [5, 3]);
    assertAllClose(ax1.v, [
      -2.0,
      -0.3,
      -1.5,
      -1.25,
      -0.21,
      -0.75,
      0.75,
      0.05,
      1.0,
      2.4,
      1.57,
      3.1,
      3.0,
      2.2,
      4.0,
    ], tol);
    const k0 = run(() => quantile(x, 0.3, { axis: 0, keepdims: true }));
    assert.deepEqual(k0.shape, [1, 4]);
    assertAllClose(k0.v, [-0.6, -0.74, 0.18, 1.72], tol);
    const kv = run(() => quantile(x, [0.25, 0.75], { axis: 1, keepdims: true }));
    assert.deepEqual(kv.shape, [2, 3, 1]);
    assertAllClose(kv.v, [-0.125, -0.075, 0.375, 1.5, 0.625, 1.75], tol);
    // q = 0 and q = 1 are exactly the min and the max
    assert.deepEqual(
      run(() => quantile(x, 0, { axis: 1 })).v,
      [-2, -0.3, -1.5].map((v) => dtype === "float32" ? Math.fround(v) : v),
    );
    assert.deepEqual(
      run(() => quantile(x, 1, { axis: 1 })).v,
      [3, 2.2, 4].map((v) => dtype === "float32" ? Math.fround(v) : v),
    );
  }
});

Deno.test("quantile: methods (JAX rules: nearest sends ties to the lower), NaN slices, q forms", () => {
  const row = X[0]; // sorted: -2, 0.5, 1, 3; positions 0.3, 1.5, 1.8, 2.7
  const q = [0.1, 0.5, 0.6, 0.9];
  assert.deepEqual(run(() => quantile(row, q, { method: "lower" })).v, [-2, 0.5, 0.5, 1]);
  assert.deepEqual(run(() => quantile(row, q, { method: "higher" })).v, [0.5, 1, 1, 3]);
  assert.deepEqual(run(() => quantile(row, q, { method: "nearest" })).v, [-2, 0.5, 1, 3]);
  assert.deepEqual(run(() => quantile(row, q, { method: "midpoint" })).v, [-0.75, 0.75, 0.75, 2]);
  const nan = run(() => quantile([[1, NaN, 3], [1, 2, 3]], 0.5, { axis: 1 }));
  assert.ok(Number.isNaN(nan.v[0]));
  assert.equal(nan.v[1], 2);
  using qt = tensor([0.5]);
  assert.deepEqual(run(() => quantile([1, 2, 3], qt)).shape, [1]);
  assert.deepEqual(run(() => quantile([1, 2, 3], new Float64Array([0, 1]))).v, [1, 3]);
  expectTensor(quantile(tensor([[1, 2], [3, 4]], { dtype: "int32" }), 0.5), [2.5], [], "float32");
  expectTensor(quantile(7, 0.5), [7], [], "float32");
});

Deno.test("quantile: bad inputs", () => {
  throwsNoLeak(() => quantile([1, 2], 1.5), RangeError, "quantile", /\[0, 1\], got 1.5/);
  throwsNoLeak(() => quantile([1, 2], [0.5, -0.1]), RangeError, "quantile", /got -0.1/);
  throwsNoLeak(() => quantile([1, 2], NaN), RangeError, "quantile");
  throwsNoLeak(
    () => quantile([1, 2], 0.5, { method: "cubic" as "linear" }),
    RangeError,
    "quantile",
    /method/,
  );
  throwsNoLeak(() => quantile([1, 2], [[0.5]] as unknown as number[]), TypeError, "quantile");
  using empty = tensor(new Float32Array(0));
  throwsNoLeak(() => quantile(empty, 0.5), RangeError, "quantile", /empty/);
  throwsNoLeak(() => quantile([1, 2], 0.5, { axis: 1 }), RangeError, "quantile", /out of bounds/);
});

Deno.test("median: axis, all, keepdims", () => {
  assertAllClose(run(() => median(X, { axis: 0 })).v, [0.0, 0.1, 0.5, 2.2], { rtol: 1e-6 });
  assertAllClose(run(() => median(X)).v, [0.75]);
  assert.deepEqual(run(() => median(X, { axis: 1, keepdims: true })).shape, [3, 1]);
  throwsNoLeak(() => median([1], { axis: 2 }), RangeError, "median", /out of bounds/);
});

// ---------------------------------------------------------------------------
// norm

Deno.test("norm: vector orders vs numpy (0, 1, 2, inf, -inf, p, negative p)", () => {
  const v = [3, -4, 0, 1];
  const cases: [number | undefined, number][] = [
    [undefined, 5.0990195135927845],
    [0, 3],
    [1, 8],
    [2, 5.0990195135927845],
    [Infinity, 4],
    [-Infinity, 0],
    [3, 4.514357435474001],
    [0.5, 22.392304845413257],
    [-1, 0],
  ];
  for (const dtype of DTYPES) {
    using x = tensor(v, { dtype });
    for (const [ord, want] of cases) {
      const r = run(() => norm(x, ord === undefined ? {} : { ord }));
      assert.deepEqual([r.shape, r.dtype], [[], dtype]);
      assertAllClose(r.v, [want], { ...tolOf(dtype), msg: `ord ${ord} ${dtype}` });
    }
  }
});

Deno.test("norm: matrix orders vs numpy (fro, nuc, ±1, ±2, ±inf) and axis order", () => {
  const a = [[1, -2, 3], [-4, 5, -6]];
  const cases: [number | "fro" | "nuc" | undefined, number][] = [
    [undefined, 9.539392014169456],
    ["fro", 9.539392014169456],
    ["nuc", 10.280901636369208],
    [1, 9],
    [-1, 5],
    [2, 9.508032000695724],
    [-2, 0.7728696356734843],
    [Infinity, 15],
    [-Infinity, 6],
  ];
  for (const dtype of DTYPES) {
    using x = tensor(a, { dtype });
    for (const [ord, want] of cases) {
      const opts = ord === undefined ? {} : { ord };
      assertAllClose(run(() => norm(x, opts)).v, [want], {
        ...tolOf(dtype),
        msg: `ord ${ord} ${dtype}`,
      });
      assertAllClose(run(() => norm(x, { ...opts, axis: [0, 1] })).v, [want], {
        ...tolOf(dtype),
        msg: `axis (0,1) ord ${ord}`,
      });
    }
    // axis (1, 0) swaps the roles of rows and columns: ord 1 becomes the max row sum
    assertAllClose(run(() => norm(x, { ord: 1, axis: [1, 0] })).v, [15], tolOf(dtype));
  }
});

Deno.test("norm: 3-D inputs with axis pairs, one axis, keepdims, flattened default", () => {
  using t = tensor(Float64Array.from({ length: 24 }, (_, i) => i - 11), {
    shape: [2, 3, 4],
    dtype: "float64",
  });
  const tol = tolOf("float64");
  const s2 = run(() => norm(t, { ord: 2, axis: [2, 0] }));
  assert.deepEqual(s2.shape, [3]);
  assertAllClose(s2.v, [19.712649798828, 17.031482917208, 21.299096568594], tol);
  const inf = run(() => norm(t, { ord: Infinity, axis: [0, 2], keepdims: true }));
  assert.deepEqual(inf.shape, [1, 3, 1]);
  assert.deepEqual(inf.v, [38, 26, 42]);
  const p3 = run(() => norm(t, { ord: 3, axis: 1 }));
  assert.deepEqual(p3.shape, [2, 4]);
  assertAllClose(p3.v, [
    11.937171623689,
    10.696962482479,
    9.491219958029,
    8.320335292208,
    9.491219958029,
    10.696962482479,
    11.937171623689,
    13.207708995579,
  ], tol);
  const flat = run(() => norm(t));
  assert.deepEqual(flat.shape, []);
  assertAllClose(flat.v, [34], tol);
  assert.deepEqual(run(() => norm(t, { keepdims: true })).shape, [1, 1, 1]);
  expectTensor(norm(tensor([3, 4], { dtype: "int32" })), [5], [], "float32");
  expectTensor(norm(-2), [2], [], "float32");
});

Deno.test("norm: bad orders and axes", () => {
  throwsNoLeak(
    () => norm([1, 2], { ord: "fro" }),
    RangeError,
    "norm",
    /invalid norm order "fro" for vectors/,
  );
  throwsNoLeak(
    () => norm([[1, 2]], { ord: 3 }),
    RangeError,
    "norm",
    /invalid norm order 3 for matrices/,
  );
  throwsNoLeak(
    () => norm([[1, 2]], { ord: "spectral" as "fro" }),
    RangeError,
    "norm",
    /for matrices/,
  );
  throwsNoLeak(() => norm([1, 2], { ord: NaN }), RangeError, "norm", /invalid norm order/);
  throwsNoLeak(() => norm([[[1]]], { ord: 2 }), RangeError, "norm", /1-D or 2-D/);
  throwsNoLeak(() => norm([[[1]]], { axis: [0, 1, 2] }), RangeError, "norm", /one axis .* or two/);
  throwsNoLeak(() => norm([[1]], { axis: [1, -1] }), RangeError, "norm", /repeated axis/);
  throwsNoLeak(() => norm([1], { axis: 1 }), RangeError, "norm", /out of bounds/);
});
