import assert from "node:assert/strict";
import { grad, valueAndGrad } from "../../core/autodiff/mod.ts";
import { mul, sum, tensor } from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import * as S from "../../utils/surrogate.ts";
import { assertAllClose } from "../helpers.ts";
import { live, noLeak, read, throwsNoLeak, vals } from "./model/helpers.ts";

const V = [-2, -0.5, 0, 0.25, 0.5, 1, 1.5, 3];

const BUILDERS = {
  straightThrough: S.straightThroughEstimator,
  triangular: S.triangularEstimator,
  explicitTriangular: S.explicitTriangularEstimator,
  boxcar: S.boxcarEstimator,
  arctan: S.arctanEstimator,
  secantLif: S.secantLifEstimator,
};

Deno.test("every estimator's spikeFx is the strict step [v > thr]", () => {
  for (const [name, build] of Object.entries(BUILDERS)) {
    const { spikeFx } = build();
    const s = noLeak(() => read(spikeFx([V], 0.5)));
    assert.deepEqual(s.v, [0, 0, 0, 0, 0, 1, 1, 1], name);
    assert.deepEqual(s.shape, [1, 8], name);
    assert.equal(s.dtype, "float32", name);
  }
});

Deno.test("surrogate derivatives match their formulas", () => {
  const vf = V.map(Math.fround);
  const tri = S.triangularEstimator();
  assertAllClose(vals(tri.dSpikeFx(V)), vf.map((v) => Math.max(0, 1 - 2 * Math.abs(v))));
  assertAllClose(
    vals(tri.dSpikeFx(V, 0.5, { alpha: 0.75 })),
    vf.map((v) => Math.max(0, 1 - 0.75 * Math.abs(v - 0.5))),
  );
  const et = S.explicitTriangularEstimator();
  assertAllClose(
    vals(et.dSpikeFx(V, -0.25, { window: 1.5 })),
    vf.map((v) => Math.max(0, 1 - Math.abs(v + 0.25) / 1.5)),
    { atol: 1e-6 },
  );
  const box = S.boxcarEstimator();
  assert.deepEqual(vals(box.dSpikeFx(V, 0.5, { window: 1 })), [0, 1, 1, 1, 1, 1, 1, 0]);
  assert.deepEqual(vals(box.dSpikeFx([4.1, 5, 5.01])), [1, 1, 0]);
  assert.deepEqual(vals(S.straightThroughEstimator().dSpikeFx(V, 3)), new Array(8).fill(1));
  // the piecewise estimators' surrFx is the spike function itself
  assert.deepEqual(vals(tri.surrFx(V, 0)), V.map((v) => +(v > 0)));
});

Deno.test("arctan: dSpikeFx is the exact derivative of surrFx (ngclearn is off by a factor)", () => {
  const at = S.arctanEstimator();
  const a = 4, thr = 0.5;
  const surr = (v: number) => Math.atan(Math.PI * (a / 2) * (v - thr)) / Math.PI;
  assertAllClose(vals(at.surrFx(V, thr, { alpha: a })), V.map(surr), { atol: 1e-6 });
  const d = vals(at.dSpikeFx(V, thr, { alpha: a }));
  const h = 1e-5;
  assertAllClose(d, V.map((v) => (surr(v + h) - surr(v - h)) / (2 * h)), {
    rtol: 1e-4,
    atol: 1e-5,
  });
  // ngclearn's (1/π)/(1 + ...) would give 1/π at v = thr; the derivative is alpha/2
  assertAllClose(vals(at.dSpikeFx([thr], thr, { alpha: a })), [a / 2]);
  // defaults: thr 0, alpha 2 (surrFx without thr is ngclearn's surr_fx(v))
  assertAllClose(vals(at.surrFx([1.025])), [Math.atan(Math.PI * 1.025) / Math.PI], { atol: 1e-6 });
});

Deno.test("secant LIF: sech² (not sech) with omitScale true by default", () => {
  const se = S.secantLifEstimator();
  const J = [-10, -1, 0, 0.5, 2, 10, 25, 60];
  const sech2 = (z: number) => 1 / Math.cosh(z) ** 2;
  assertAllClose(vals(se.dSpikeFx(J)), J.map((j) => (j > 0 ? sech2(0.08 * j) : 0)), { atol: 1e-7 });
  assertAllClose(
    vals(se.dSpikeFx(J, 0, { c1: 1.5, c2: 0.3, omitScale: false })),
    J.map((j) => (j > 0 ? 0.45 * sech2(0.3 * j) : 0)),
    { atol: 1e-7 },
  );
  // sech (ngclearn) differs visibly at j = 25: sech(2) = 0.266 vs sech²(2) = 0.0707
  assert.ok(Math.abs(vals(se.dSpikeFx([25]))[0] - 1 / Math.cosh(2)) > 0.1);
  assertAllClose(vals(se.surrFx(J)), J.map((j) => Math.max(0, 0.82 * Math.tanh(0.08 * j))), {
    atol: 1e-6,
  });
  // dSpikeFx is the derivative of surrFx / (c1 c2) on j > 0
  const h = 1e-4;
  using jp = tensor([3 + h], { dtype: "float64" });
  using jm = tensor([3 - h], { dtype: "float64" });
  using j0 = tensor([3], { dtype: "float64" });
  const fd = (vals(se.surrFx(jp))[0] - vals(se.surrFx(jm))[0]) / (2 * h);
  assertAllClose(vals(se.dSpikeFx(j0, 0, { omitScale: false }))[0], fd, { rtol: 1e-6 });
});

Deno.test("grad through spikeFx uses the estimator's surrogate derivative (customVjp)", () => {
  for (const [name, build] of Object.entries(BUILDERS)) {
    const est = build();
    using v = tensor(V);
    using w = tensor([1, 2, 3, 4, 5, 6, 7, 8]);
    const before = live();
    const g = read(grad((x: Tensor) => sum(mul(est.spikeFx(x, 0.5), w)))(v));
    const d = vals(est.dSpikeFx(v, 0.5));
    assertAllClose(g.v, d.map((x, i) => x * (i + 1)), { atol: 1e-6, msg: name });
    assert.equal(live(), before, `${name}: tensors leaked`);
  }
});

Deno.test("a tensor threshold receives minus the surrogate gradient, reduced to its shape", () => {
  const est = S.triangularEstimator({ alpha: 1 });
  using v = tensor([[0.2, 0.9], [1.4, -0.3]]);
  using thr = tensor([0.5]);
  const [gv, gt] = grad((x: Tensor, t: Tensor) => sum(est.spikeFx(x, t)), { argnums: [0, 1] })(
    v,
    thr,
  );
  const d = vals(est.dSpikeFx(v, 0.5));
  assertAllClose(read(gv).v, d, { atol: 1e-6 });
  const t = read(gt);
  assert.deepEqual(t.shape, [1]);
  assertAllClose(t.v, [-d.reduce((a, b) => a + b)], { atol: 1e-6 });
  // value and gradient together
  const [value, g2] = valueAndGrad((x: Tensor) => sum(est.spikeFx(x, 0.5)))(v);
  assert.equal(value.itemSync(), 2);
  value.dispose();
  g2.dispose();
});

Deno.test("builder options set the gradient's parameters", () => {
  const est = S.boxcarEstimator({ window: 0.1 });
  using v = tensor([0.45, 0.9]);
  const g = vals(grad((x: Tensor) => sum(est.spikeFx(x, 0.5)))(v));
  assert.deepEqual(g, [1, 0]);
  assert.deepEqual(vals(est.dSpikeFx(v, 0.5)), [1, 0], "dSpikeFx defaults follow the builder");
  assert.deepEqual(vals(est.dSpikeFx(v, 0.5, { window: 1 })), [1, 1]);
});

Deno.test("bad options are TypeErrors naming the builder", () => {
  // deno-lint-ignore no-explicit-any
  const any = (v: unknown) => v as any;
  throwsNoLeak(
    () => S.triangularEstimator({ alpha: any("2") }),
    TypeError,
    "triangularEstimator",
    /alpha/,
  );
  throwsNoLeak(() => S.boxcarEstimator(any(3)), TypeError, "boxcarEstimator");
  throwsNoLeak(() => S.secantLifEstimator({ omitScale: any(1) }), TypeError, "secantLifEstimator");
  const est = S.arctanEstimator();
  throwsNoLeak(() => est.dSpikeFx([1], 0, { alpha: any("x") }), TypeError, "arctanEstimator");
  throwsNoLeak(() => est.spikeFx([1], any(undefined)), TypeError, "arctanEstimator", /thr/);
});
