import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/mod.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import { mul, sum } from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import * as M from "../../../utils/model/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { noLeak, read, throwsNoLeak, vals, X, XF } from "./helpers.ts";

Deno.test("inverseTanh is the true inverse atanh (ngclearn returns 2·atanh)", () => {
  const xs = [-0.999, -0.9, -0.5, 0, 0.3, 0.75, 0.99];
  const v = noLeak(() => vals(M.inverseTanh([xs])));
  assertAllClose(v, xs.map((x) => Math.atanh(Math.fround(x))), { rtol: 1e-5 });
  // round trip tanh(inverseTanh(x)) = x, and NOT log((1+x)/(1-x))
  assertAllClose(vals(M.tanh(M.inverseTanh([0.5]))), [0.5], { rtol: 1e-6 });
  assert.ok(Math.abs(v[2] - Math.log(0.5 / 1.5)) > 0.5);
  assert.deepEqual(vals(M.inverseTanh([1, -1])), [Infinity, -Infinity]);
  assert.ok(Number.isNaN(vals(M.inverseTanh([2]))[0]));
});

Deno.test("inverseLogistic / inverseSigmoid clip, then log(x/((1−x)+1e-6)), for any clipBound", () => {
  const xs = [0, 0.01, 0.03, 0.2, 0.5, 0.8, 0.97, 0.99, 1];
  const ref = (cb: number) =>
    xs.map((x) => {
      const c = cb > 0 ? Math.min(Math.max(Math.fround(x), cb), 1 - cb) : x;
      return Math.log(c / ((1 - c) + 1e-6));
    });
  assertAllClose(vals(M.inverseLogistic(xs)), ref(0.03), { rtol: 1e-4, atol: 1e-5 });
  // an explicit clipBound works (ngclearn raises under jit)
  assertAllClose(vals(M.inverseLogistic(xs, { clipBound: 0.1 })), ref(0.1), {
    rtol: 1e-4,
    atol: 1e-5,
  });
  assertAllClose(vals(M.inverseSigmoid(xs)), ref(0.03), { rtol: 1e-4, atol: 1e-5 });
  assertAllClose(vals(M.inverseSigmoid(xs, { clipBound: 0.2 })), ref(0.2), {
    rtol: 1e-4,
    atol: 1e-5,
  });
  // clipBound 0 disables clipping: log(0) = -Infinity
  assert.equal(vals(M.inverseLogistic([0], { clipBound: 0 }))[0], -Infinity);
  // it inverts the sigmoid inside the clip range
  assertAllClose(vals(M.inverseSigmoid(M.sigmoid([0.7]))), [0.7], { atol: 1e-4 });
});

Deno.test("thresholdSoft shrinks towards 0 by lambda", () => {
  const ref = (x: number) => Math.max(x - 0.5, 0) - Math.max(-x - 0.5, 0);
  assertAllClose(vals(M.thresholdSoft(X, 0.5)), XF.map(ref), { atol: 1e-6 });
});

Deno.test("thresholdCauchy implements the intended formula (ngclearn always raises)", () => {
  const l = 0.5;
  const ref = (x: number) => {
    const r = Math.sqrt(Math.max(x * x - l, 0));
    return ((x + r) / 2) * +(x >= l) + ((x - r) / 2) * +(x <= -l);
  };
  assertAllClose(vals(M.thresholdCauchy(X, l)), XF.map(ref), { atol: 1e-6 });
  assertAllClose(vals(M.thresholdCauchy([0.49, -0.49, 0], l)), [0, 0, 0], { atol: 0 });
});

Deno.test("clampMin / clampMax: bound at equality, NaN stays NaN, ±Infinity clamps", () => {
  const lo = vals(M.clampMin([-2, -0.5, 0, 0.5, NaN, -Infinity], 0));
  assert.deepEqual(lo.slice(0, 4), [0, 0, 0, 0.5]);
  assert.ok(Number.isNaN(lo[4]));
  assert.equal(lo[5], 0);
  const hi = vals(M.clampMax([-2, 0.5, 1, 3, NaN, Infinity], 1));
  assert.deepEqual(hi.slice(0, 4), [-2, 0.5, 1, 1]);
  assert.ok(Number.isNaN(hi[4]));
  assert.equal(hi[5], 1);
});

Deno.test("chebyshevNorm: max |d| along an axis", () => {
  const d = [[2.439, -1.28, -1.795, 0.277], [-1.253, -0.587, -0.66, -0.599]];
  assertAllClose(vals(M.chebyshevNorm(d)), [2.439, 1.253]);
  const k = read(M.chebyshevNorm(d, { axis: 0, keepdims: true }));
  assert.deepEqual(k.shape, [1, 4]);
  assertAllClose(k.v, [2.439, 1.28, 1.795, 0.599]);
  throwsNoLeak(() => M.chebyshevNorm(d, { axis: 2 }), RangeError, "chebyshevNorm");
});

Deno.test("softmax over rows with temperature; huge and equal logits", () => {
  const x = [[1000, 0, -1000], [-500, -500, -501], [0.001, 0.002, 0]];
  const p = noLeak(() => vals(M.softmax(x)));
  const ref = x.flatMap((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  });
  assertAllClose(p, ref, { rtol: 1e-5, atol: 1e-7 });
  // tau = 2 equals softmax(x / 2); tau <= 0 means no temperature
  assertAllClose(vals(M.softmax([[1, 2, 3]], { tau: 2 })), vals(M.softmax([[0.5, 1, 1.5]])));
  assertAllClose(vals(M.softmax([[1, 2, 3]], { tau: -2 })), vals(M.softmax([[1, 2, 3]])));
  throwsNoLeak(() => M.softmax([1, 2, 3]), TypeError, "softmax", /2-D/);
});

Deno.test("dSoftmax is the per-row Jacobian (checked against autodiff), divided by tau", () => {
  const x = [[-1.083, -1.256, 0.348, 0.217], [-0.572, 0.074, 0.702, 1.743]];
  for (const tau of [0, 2]) {
    const J = read(M.dSoftmax(x, { tau, vmapForm: tau > 0 }));
    assert.deepEqual(J.shape, [2, 4, 4]);
    // row b, output i: gradient of s[b,i] w.r.t. x[b,:] is J[b,i,:]
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 4; i++) {
        const w = [[0, 0, 0, 0], [0, 0, 0, 0]];
        w[b][i] = 1;
        using wt = tensor(w, { dtype: "float64" });
        using xt = tensor(x, { dtype: "float64" });
        const g = vals(grad((z: Tensor) => sum(mul(M.softmax(z, { tau }), wt)))(xt));
        assertAllClose(J.v.slice(b * 16 + i * 4, b * 16 + i * 4 + 4), g.slice(b * 4, b * 4 + 4), {
          rtol: 1e-5,
          atol: 1e-6,
          msg: `tau ${tau} row ${b} out ${i}`,
        });
      }
    }
  }
});

Deno.test("createFunction returns [fx, dfx] for every name ngclearn accepts", () => {
  const probe = [[-7, -3, -1, -0.5, 0, 0.5, 1, 2.5], [6, 7, -0.001, 0.001, -2.5, 0.4, -2.3, 0.04]];
  const pairs: Record<string, [(x: number[][]) => Tensor, (x: number[][]) => Tensor]> = {
    tanh: [M.tanh, M.dTanh],
    sine: [(x) => M.sine(x), (x) => M.dSine(x)],
    sigmoid: [M.sigmoid, M.dSigmoid],
    relu: [M.relu, M.dRelu],
    lrelu: [M.lrelu, M.dLrelu],
    relu6: [M.relu6, M.dRelu6],
    elu: [(x) => M.elu(x), (x) => M.dElu(x)],
    silu: [M.silu, M.dSilu],
    gelu: [M.gelu, M.dGelu],
    telu: [M.telu, M.dTelu],
    softplus: [M.softplus, M.dSoftplus],
    softmax: [(x) => M.softmax(x), (x) => M.dSoftmax(x)],
    unit_threshold: [(x) => M.threshold(x, { thr: 1 }), (x) => M.dThreshold(x)],
    identity: [M.identity, M.dIdentity],
    bkwta: [(x) => M.bkwta(x, { nWTA: 5 }), (x) => M.bkwta(x, { nWTA: 5 })],
    heaviside: [M.heaviside, M.dHeaviside],
    leaky_heaviside_fx: [M.heaviside, M.dHeaviside],
  };
  assert.deepEqual(
    [...M.ACTIVATION_NAMES].sort(),
    Object.keys(pairs).filter((k) => k !== "leaky_heaviside_fx").sort(),
  );
  for (const [name, [f, df]] of Object.entries(pairs)) {
    const [fx, dfx] = M.createFunction(name);
    const a = noLeak(() => read(fx(probe)));
    const b = read(f(probe));
    assert.deepEqual(a, b, `${name} fx`);
    assert.deepEqual(noLeak(() => read(dfx(probe))), read(df(probe)), `${name} dfx`);
  }
  assert.equal(read(M.createFunction("softmax")[1](probe)).shape.join(), "2,8,8");
});

Deno.test("createFunction rejects unknown names (RangeError) and non-strings (TypeError)", () => {
  throwsNoLeak(() => M.createFunction("swishy"), RangeError, "createFunction", /swishy/);
  throwsNoLeak(() => M.createFunction("Tanh"), RangeError, "createFunction");
  // deno-lint-ignore no-explicit-any
  throwsNoLeak(() => M.createFunction(3 as any), TypeError, "createFunction");
});
