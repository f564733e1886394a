import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import type { TensorLike } from "../../../core/ops/convert.ts";
import * as M from "../../../utils/model/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { noLeak, read, throwsNoLeak, vals, X, XF } from "./helpers.ts";

const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** float64 reference formulas (ngclearn's maths) for each activation. */
const REF: Record<string, (x: number) => number> = {
  identity: (x) => x,
  relu: (x) => Math.max(0, x),
  lrelu: (x) => (x >= 0 ? x : 0.01 * x),
  relu6: (x) => Math.min(Math.max(0, x), 6),
  tanh: Math.tanh,
  sigmoid: sig,
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  sine: (x) => Math.sin(30 * x),
  telu: (x) => x * Math.tanh(Math.exp(x)),
  silu: (x) => x * sig(x),
  gelu: (x) => x * sig(1.702 * x),
  elu: (x) => (x >= 0 ? x : Math.exp(x) - 1),
  threshold: (x) => +(x >= 1),
  heaviside: (x) => +(x >= 0),
};

const FN: Record<string, (x: TensorLike) => Tensor> = {
  identity: M.identity,
  relu: M.relu,
  lrelu: M.lrelu,
  relu6: M.relu6,
  tanh: M.tanh,
  sigmoid: M.sigmoid,
  softplus: M.softplus,
  sine: (x) => M.sine(x),
  telu: M.telu,
  silu: M.silu,
  gelu: M.gelu,
  elu: (x) => M.elu(x),
  threshold: (x) => M.threshold(x),
  heaviside: M.heaviside,
};

const DFN: Record<string, (x: TensorLike) => Tensor> = {
  identity: M.dIdentity,
  relu: M.dRelu,
  lrelu: M.dLrelu,
  relu6: M.dRelu6,
  tanh: M.dTanh,
  sigmoid: M.dSigmoid,
  softplus: M.dSoftplus,
  sine: (x) => M.dSine(x),
  telu: M.dTelu,
  silu: M.dSilu,
  gelu: M.dGelu,
  elu: (x) => M.dElu(x),
};

Deno.test("activations match their float64 formulas on a float32 batch, shape and dtype kept", () => {
  for (const [name, f] of Object.entries(FN)) {
    const r = noLeak(() => read(f(X)));
    assert.deepEqual(r.shape, [3, 6], name);
    assert.equal(r.dtype, "float32", name);
    // sine at omega 30 amplifies the float32 rounding of the input
    const atol = name === "sine" ? 1e-4 : 1e-6;
    assertAllClose(r.v, XF.map(REF[name]), { rtol: 1e-5, atol, msg: name });
  }
});

Deno.test("derivatives agree with central differences of their function (float64)", () => {
  // points away from the kinks (0, 6) so the one-sided limits agree
  const pts = [-3.1, -0.7, -0.2, 0.3, 0.9, 2.2, 5.5, 6.4];
  const h = 1e-6;
  for (const [name, df] of Object.entries(DFN)) {
    const f = FN[name];
    const at = (d: number) => vals(f(tensor(pts.map((p) => p + d), { dtype: "float64" })));
    const hi = at(h), lo = at(-h);
    const fd = hi.map((v, i) => (v - lo[i]) / (2 * h));
    using x = tensor(pts, { dtype: "float64" });
    const got = noLeak(() => read(df(x)));
    assert.equal(got.dtype, "float64", name);
    assertAllClose(got.v, fd, { rtol: 1e-5, atol: 1e-5, msg: name });
  }
});

Deno.test("derivative conventions at the kinks: d_relu(0)=1, d_relu6 closed [0,6], d_lrelu(0)=1", () => {
  assert.deepEqual(vals(M.dRelu([-1e-7, 0, 1e-7])), [0, 1, 1]);
  assert.deepEqual(vals(M.dRelu6([-1e-6, 0, 6, 6.001])), [0, 1, 1, 0]);
  assertAllClose(vals(M.dLrelu([-1, 0, 2])), [0.01, 1, 1]);
  assert.deepEqual(vals(M.dThreshold([-5, 5], { thr: 3 })), [1, 1]);
  assert.deepEqual(vals(M.dHeaviside([[-1, 1]])), [1, 1]);
  assert.deepEqual(vals(M.threshold([2.9, 3, 3.1], { thr: 3 })), [0, 1, 1]);
  assert.deepEqual(vals(M.heaviside([-0.5, 0, 0.5])), [0, 1, 1]);
});

Deno.test("elu, dElu, dTelu do not turn 0·inf into NaN for large x (ngclearn returns NaN)", () => {
  assert.deepEqual(vals(M.elu([100, 88.5, -100, 0], { alpha: 2 })), [100, 88.5, -2, 0]);
  assert.deepEqual(vals(M.dElu([100, 1000], { alpha: 2 })), [1, 1]);
  assert.deepEqual(vals(M.dTelu([90, 1000])), [1, 1]);
  assert.deepEqual(vals(M.telu([100])), [100]);
  // below the overflow the formula is used as is
  assertAllClose(vals(M.dElu([-1], { alpha: 0.3 })), [0.3 * Math.exp(-1)]);
});

Deno.test("swish / silu / gelu and their derivatives", () => {
  assertAllClose(vals(M.swish(X, 0.5)), XF.map((x) => x * sig(0.5 * x)), { atol: 1e-6 });
  const ds = (x: number, b: number) => sig(b * x) + b * x * sig(b * x) * (1 - sig(b * x));
  assertAllClose(vals(M.dSwish(X, 2)), XF.map((x) => ds(x, 2)), { atol: 1e-6 });
  assertAllClose(vals(M.dSilu(X)), XF.map((x) => ds(x, 1)), { atol: 1e-6 });
  assertAllClose(vals(M.dGelu(X)), XF.map((x) => ds(x, 1.702)), { atol: 1e-6 });
});

Deno.test("sine and dSine honour omega0", () => {
  assertAllClose(vals(M.sine([0.1, -0.2], { omega0: 1.5 })), [Math.sin(0.15), Math.sin(-0.3)]);
  assertAllClose(vals(M.dSine([0.1], { omega0: 2 })), [2 * Math.cos(0.2)]);
});

Deno.test("softplus is stable for large |x| and d_softplus is sigmoid", () => {
  const v = vals(M.softplus([-1000, 0, 1000]));
  assert.equal(v[0], 0);
  assertAllClose(v[1], Math.LN2);
  assert.equal(v[2], 1000);
  assertAllClose(vals(M.dSoftplus([0, 2])), [0.5, sig(2)]);
});

Deno.test("binarize is strict, clip/dClip use the closed interval", () => {
  assert.deepEqual(vals(M.binarize([[0.25, 0.5, 0.75]])), [0, 0, 1]);
  assert.deepEqual(vals(M.binarize([0.75, 1], { threshold: 0.75 })), [0, 1]);
  assertAllClose(vals(M.clip([-2, 0.5, 3], { minVal: -1, maxVal: 2.5 })), [-1, 0.5, 2.5]);
  assert.deepEqual(vals(M.dClip([-1.01, -1, 2.5, 2.51], { minVal: -1, maxVal: 2.5 })), [
    0,
    1,
    1,
    0,
  ]);
  assert.deepEqual(vals(M.clip([-1e30, 1e30])), [-1e30, 1e30].map(Math.fround));
});

Deno.test("NaN propagates through the elementwise activations", () => {
  for (const [name, f] of Object.entries(FN)) {
    if (name === "threshold" || name === "heaviside") continue; // comparisons give 0
    const v = vals(f([NaN, 1]));
    assert.ok(Number.isNaN(v[0]), `${name}(NaN)`);
  }
});

Deno.test("int and bool inputs give float32; float64 stays float64", () => {
  const i = read(M.relu(new Int32Array([-2, 3])));
  assert.equal(i.dtype, "float32");
  assert.deepEqual(i.v, [0, 3]);
  assert.equal(read(M.sigmoid([true, false])).dtype, "float32");
  assert.equal(read(M.tanh(tensor([0.5], { dtype: "float64" }))).dtype, "float64");
  const id = tensor([1, 2]);
  const copy = M.identity(id);
  assert.notEqual(copy, id, "identity returns a new tensor");
  copy.dispose();
  id.dispose();
});

Deno.test("bad parameters are TypeErrors naming the function; nothing leaks", () => {
  // deno-lint-ignore no-explicit-any
  const any = (v: unknown) => v as any;
  throwsNoLeak(() => M.swish([1], any("2")), TypeError, "swish", /beta/);
  throwsNoLeak(() => M.sine([1], { omega0: any("30") }), TypeError, "sine", /omega0/);
  throwsNoLeak(() => M.elu([1], { alpha: any("x") }), TypeError, "elu", /alpha/);
  throwsNoLeak(() => M.threshold([1], { thr: any([1]) }), TypeError, "threshold", /thr/);
  throwsNoLeak(() => M.binarize([1], { threshold: any(true) }), TypeError, "binarize");
  throwsNoLeak(() => M.clip([1], { minVal: any("0") }), TypeError, "clip", /minVal/);
  throwsNoLeak(() => M.relu(any({ a: 1 })), TypeError, "relu");
});
