/**
 * leapfrog: textbook velocity Verlet (ngclearn's old-momentum position update
 * is fixed and pinned here), energy conservation, second order, time
 * handling, gradients, errors and leaks.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { memory, setBackend } from "../../../core/engine.ts";
import { mul, neg, scalar, sin, sum, tensor } from "../../../core/ops/mod.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { leapfrog, type OdeFn } from "../../../utils/diffeq/mod.ts";
import { assertAllClose } from "../../helpers.ts";

await setBackend("cpu");

const spring: OdeFn<number> = (_t, q, k) => neg(mul(q, k));
const pendulum: OdeFn<number> = (_t, q, w2) => neg(mul(sin(q), w2));

/** Velocity Verlet in float64 JS (the reference the golden cases use). */
function verlet(q: number[], p: number[], a: (q: number[]) => number[], L: number, h: number) {
  for (let i = 0; i < L; i++) {
    const a0 = a(q);
    const pHalf = p.map((v, j) => v + (h / 2) * a0[j]);
    q = q.map((v, j) => v + h * pHalf[j]);
    const a1 = a(q);
    p = pHalf.map((v, j) => v + (h / 2) * a1[j]);
  }
  return { q, p };
}

Deno.test("leapfrog: velocity Verlet, pendulum in float64, t advanced on the host", () => {
  using q0 = tensor([0.5, -1], { dtype: "float64" });
  using p0 = tensor([0, 0.3], { dtype: "float64" });
  const before = memory().tensors;
  const r = leapfrog(pendulum, { t: 2, q: q0, p: p0 }, { L: 20, stepSize: 0.05, params: 1.5 });
  const ref = verlet([0.5, -1], [0, 0.3], (q) => q.map((v) => -1.5 * Math.sin(v)), 20, 0.05);
  let t = 2;
  for (let i = 0; i < 20; i++) t += 0.05;
  assert.equal(r.t, t);
  assertAllClose(r.q.dataSync(), ref.q, { rtol: 1e-13, atol: 1e-15 });
  assertAllClose(r.p.dataSync(), ref.p, { rtol: 1e-13, atol: 1e-15 });
  r.q.dispose();
  r.p.dispose();
  assert.equal(memory().tensors, before, "leak");
});

Deno.test("fixes ngclearn: q' = q + h·p½ (not q + h·p): one step of the harmonic oscillator", () => {
  // q0 = 1, p0 = 0, k = 1, h = 0.1: p½ = -0.05, q' = 1 - 0.005 = 0.995 (ngclearn would keep q' = 1)
  using q0 = tensor([1], { dtype: "float64" });
  using p0 = tensor([0], { dtype: "float64" });
  const r = leapfrog(spring, { q: q0, p: p0 }, { L: 1, stepSize: 0.1, params: 1 });
  assertAllClose(r.q.dataSync(), [0.995], { rtol: 1e-15 });
  assertAllClose(r.p.dataSync(), [-0.05 - 0.05 * 0.995], { rtol: 1e-15 });
  r.q.dispose();
  r.p.dispose();
});

Deno.test("symplectic: the energy of the harmonic oscillator stays bounded over 2000 steps", () => {
  using q0 = tensor([1, 0.3], { dtype: "float64" });
  using p0 = tensor([0.2, -0.5], { dtype: "float64" });
  const H = (q: ArrayLike<number>, p: ArrayLike<number>) =>
    Array.from(p).reduce((s, v) => s + v * v / 2, 0) +
    Array.from(q).reduce((s, v) => s + v * v / 2, 0);
  const h0 = H([1, 0.3], [0.2, -0.5]);
  const r = leapfrog(spring, { q: q0, p: p0 }, { L: 2000, stepSize: 0.1, params: 1 });
  const drift = Math.abs(H(r.q.dataSync(), r.p.dataSync()) - h0);
  assert.ok(drift < 2e-3, `energy drift ${drift}`); // O(h²) oscillation, no secular growth
  r.q.dispose();
  r.p.dispose();
});

Deno.test("second order: error vs the exact harmonic solution drops ≈ 4x when h halves", () => {
  const err = (L: number) => {
    using q0 = tensor([1], { dtype: "float64" });
    using p0 = tensor([0.5], { dtype: "float64" });
    const w = 1.5;
    const r = leapfrog(spring, { q: q0, p: p0 }, { L, stepSize: 5 / L, params: w * w });
    const qe = Math.cos(w * 5) + (0.5 / w) * Math.sin(w * 5);
    const e = Math.abs(r.q.dataSync()[0] - qe);
    r.q.dispose();
    r.p.dispose();
    return e;
  };
  const p = Math.log2(err(200) / err(400));
  assert.ok(Math.abs(p - 2) < 0.1, `observed order ${p}`);
});

Deno.test("time: a 0-d tensor t comes back as a tensor and reaches dfq; L = 0 copies the state", () => {
  const seen: number[] = [];
  const f: OdeFn<null> = (t, q) => {
    seen.push((t as Tensor).itemSync());
    return mul(q, 0);
  };
  using t0 = scalar(1);
  using q0 = tensor([1, 2]);
  using p0 = tensor([3, 4]);
  const r = leapfrog(f, { t: t0, q: q0, p: p0 }, { L: 3, stepSize: 0.5, params: null });
  assert.ok(typeof r.t !== "number");
  assert.equal(r.t.itemSync(), 2.5);
  assert.deepEqual(seen, [1, 1.5, 2, 2.5], "L + 1 force evaluations");
  assert.deepEqual([...r.q.dataSync()], [1 + 1.5 * 3, 2 + 1.5 * 4]);
  for (const x of [r.t, r.q, r.p]) x.dispose();
  const z = leapfrog(spring, { q: q0, p: p0 }, { L: 0, stepSize: 0.1, params: 1 });
  assert.equal(z.t, 0);
  assert.deepEqual([...z.q.dataSync()], [1, 2]);
  assert.ok(z.q !== q0 && !q0.isDisposed);
  z.q.dispose();
  z.p.dispose();
});

Deno.test("grad through leapfrog: d q_L / d p0 for the harmonic oscillator vs central differences", () => {
  using q0 = tensor([1], { dtype: "float64" });
  const qL = (p: Tensor) => leapfrog(spring, { q: q0, p }, { L: 50, stepSize: 0.05, params: 2 }).q;
  using p0 = tensor([0.3], { dtype: "float64" });
  using g = grad((p: Tensor) => sum(qL(p)))(p0);
  const at = (v: number) => {
    using p = tensor([v], { dtype: "float64" });
    const r = leapfrog(spring, { q: q0, p }, { L: 50, stepSize: 0.05, params: 2 });
    const out = r.q.dataSync()[0];
    r.q.dispose();
    r.p.dispose();
    return out;
  };
  assertAllClose(g.dataSync(), [(at(0.3 + 1e-6) - at(0.3 - 1e-6)) / 2e-6], { rtol: 1e-7 });
});

Deno.test("errors: L, stepSize, dfq, state", () => {
  using q = tensor([1]);
  using p = tensor([0]);
  using p2 = tensor([0, 1]);
  const before = memory().tensors;
  assert.throws(() => leapfrog(spring, { q, p }, { L: -1, stepSize: 0.1 }), RangeError);
  assert.throws(() => leapfrog(spring, { q, p }, { L: 1.5, stepSize: 0.1 }), RangeError);
  assert.throws(() => leapfrog(spring, { q, p }, { L: "2" as never, stepSize: 0.1 }), TypeError);
  assert.throws(
    () => leapfrog(spring, { q, p }, { L: 2, stepSize: 0 }),
    /leapfrog\(\): stepSize must be a finite number > 0, got 0/,
  );
  assert.throws(
    () => leapfrog(null as never, { q, p }, { L: 2, stepSize: 0.1 }),
    /dfq must be a function/,
  );
  assert.throws(
    () => leapfrog(spring, { q, p: p2 }, { L: 2, stepSize: 0.1 }),
    /q and p must have one shape/,
  );
  assert.throws(() => leapfrog(spring, null as never, { L: 2, stepSize: 0.1 }), TypeError);
  assert.throws(
    () => leapfrog(() => tensor([1, 2]), { q, p }, { L: 2, stepSize: 0.1 }),
    /leapfrog\(\): dfq returned/,
  );
  assert.equal(memory().tensors, before, "no leak on errors");
});
