/**
 * One-step integrators: the five Butcher tableaux against hand-written
 * float64 reference steps, ngclearn's x_scale semantics, time handling
 * (number in → number out, 0-d tensor in → tensor out, stage times),
 * batched states, convergence order, errors and leaks.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { memory, setBackend, tidy } from "../../../core/engine.ts";
import { add, concat, mul, scalar, split, tensor } from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import {
  linear2D,
  type OdeFn,
  stepEuler,
  type StepFn,
  stepHeun,
  stepRalston,
  stepRk2,
  stepRk4,
} from "../../../utils/diffeq/mod.ts";
import { assertAllClose } from "../../helpers.ts";

await setBackend("cpu");

type Vec = number[];
type F = (t: number, x: Vec) => Vec;
const axpy = (x: Vec, a: number, y: Vec): Vec => x.map((v, i) => v + a * y[i]);
const scale = (x: Vec, s: number): Vec => x.map((v) => v * s);

/** The methods exactly as spec diffeq.md writes them (float64, s = x_scale). */
const REF: Record<string, (t: number, x: Vec, f: F, h: number, s: number) => [number, Vec]> = {
  euler: (t, x, f, h, s) => [t + h, axpy(scale(x, s), h, f(t, x))],
  rk2: (t, x, f, h, s) => {
    const k1 = f(t, x);
    const k2 = f(t + h / 2, axpy(scale(x, s), h / 2, k1));
    return [t + h, axpy(scale(x, s), h, k2)];
  },
  heun: (t, x, f, h, s) => {
    const k1 = f(t, x);
    const k2 = f(t + h, axpy(scale(x, s), h, k1));
    return [t + h, axpy(scale(x, s), h / 2, k1.map((v, i) => v + k2[i]))];
  },
  ralston: (t, x, f, h, s) => {
    const k1 = f(t, x);
    const k2 = f(t + 0.75 * h, axpy(scale(x, s), 0.75 * h, k1));
    return [t + h, axpy(scale(x, s), h, k1.map((v, i) => v / 3 + (2 * k2[i]) / 3))];
  },
  rk4: (t, x, f, h, s) => {
    const k1 = f(t, x);
    const k2 = f(t + h / 2, axpy(scale(x, s), h / 2, k1));
    const k3 = f(t + h / 2, axpy(scale(x, s), h / 2, k2));
    const k4 = f(t + h, axpy(scale(x, s), h, k3));
    const inc = k1.map((v, i) => (v + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6);
    return [t + h, axpy(scale(x, s), h, inc)];
  },
};

const STEPS: Record<string, StepFn> = {
  euler: stepEuler,
  rk2: stepRk2,
  heun: stepHeun,
  ralston: stepRalston,
  rk4: stepRk4,
};

// A time-dependent, nonlinear test system: f(t, x) = [x1·t + 1, -x0² + t²].
const refF: F = (t, x) => [x[1] * t + 1, -x[0] * x[0] + t * t];
const tsF: OdeFn<null> = (t, x) =>
  tidy(() => {
    const [x0, x1] = split(x, 2, -1);
    const t2 = typeof t === "number" ? t * t : mul(t, t); // mul(number, number) is float32
    return concat([add(mul(x1, t), 1), add(mul(mul(x0, x0), -1), t2)], -1);
  });

for (const [name, step] of Object.entries(STEPS)) {
  Deno.test(`${name}: matches the spec formula (time-dependent f, x_scale 1 and 0.9)`, () => {
    for (const s of [1, 0.9]) {
      const x0 = [0.7, -0.4], t0 = 0.3, h = 0.05;
      const [tr, xr] = REF[name](t0, x0, refF, h, s);
      using x = tensor(x0, { dtype: "float64" });
      const before = memory().tensors;
      const r = step(tsF, { t: t0, x }, { dt: h, xScale: s, params: null });
      assert.equal(typeof r.t, "number");
      assert.equal(r.t, tr);
      assert.equal(r.x.dtype, "float64");
      assertAllClose(r.x.dataSync(), xr, { rtol: 1e-13, atol: 1e-14, msg: `${name} s=${s}` });
      r.x.dispose();
      assert.equal(memory().tensors, before, "leak");
    }
  });
}

Deno.test("x_scale: k1 sees the unscaled state, later stages and the result start from s·x", () => {
  // f(t, x) = x²: with s = 0.5, Euler gives s·x + h·x² (not s·x + h·(s·x)²).
  const sq: OdeFn = (_t, x) => mul(x, x);
  using x = tensor([2], { dtype: "float64" });
  const r = stepEuler(sq, { x }, { dt: 0.1, xScale: 0.5 });
  assertAllClose(r.x.dataSync(), [0.5 * 2 + 0.1 * 4], { rtol: 1e-15 });
  r.x.dispose();
  // Heun: k2 = f(s·x + h·k1) = (1 + 0.4)² = 1.96; x' = 1 + 0.05·(4 + 1.96)
  const h = stepHeun(sq, { x }, { dt: 0.1, xScale: 0.5 });
  assertAllClose(h.x.dataSync(), [1 + 0.05 * (4 + 1.96)], { rtol: 1e-15 });
  h.x.dispose();
});

Deno.test("time: a 0-d tensor stays a tensor (float32 t + h), stage times reach dfx", () => {
  const seen: number[] = [];
  const probe: OdeFn = (t, x) => {
    assert.ok(typeof t !== "number" && t.shape.length === 0, "dfx receives a 0-d tensor");
    seen.push((t as Tensor).itemSync());
    return mul(x, 0);
  };
  using t0 = scalar(1);
  using x = tensor([1, 2]);
  const r = stepRk4(probe, { t: t0, x }, { dt: 0.5 });
  assert.ok(typeof r.t !== "number");
  assert.equal(r.t.shape.length, 0);
  assert.equal(r.t.itemSync(), 1.5);
  assert.deepEqual(seen, [1, 1.25, 1.25, 1.5]);
  assert.ok(!t0.isDisposed && !x.isDisposed, "inputs are left alone");
  r.t.dispose();
  r.x.dispose();
  // Ralston's stage time is t + 3h/4
  seen.length = 0;
  const q = stepRalston(probe, { t: t0, x }, { dt: 0.4 });
  assert.deepEqual(seen, [1, Math.fround(1 + Math.fround(0.75 * 0.4))]); // float32 t + 3h/4
  q.t.dispose();
  q.x.dispose();
});

Deno.test("t defaults to 0 and params pass through unchanged", () => {
  const params = { k: 3 };
  let got: unknown = null;
  const f: OdeFn<{ k: number }> = (t, x, p) => {
    got = p;
    assert.equal(t, 0);
    return mul(x, p.k);
  };
  using x = tensor([1]);
  const r = stepEuler(f, { x }, { dt: 0.1, params });
  assert.equal(got, params);
  assert.equal(r.t, 0.1);
  assertAllClose(r.x.dataSync(), [1.3], { rtol: 1e-6 });
  r.x.dispose();
});

Deno.test("batched states: rows are independent and equal the unbatched steps", () => {
  using xb = tensor([[3, -1.5], [0, 1], [-2, 0.5]], { dtype: "float64" });
  for (const step of Object.values(STEPS)) {
    const rb = step(linear2D, { x: xb }, { dt: 0.1, xScale: 0.95 });
    assert.deepEqual([...rb.x.shape], [3, 2]);
    const rows = (xb.arraySync() as number[][]).map((row) => {
      using xr = tensor(row, { dtype: "float64" });
      const r = step(linear2D, { x: xr }, { dt: 0.1, xScale: 0.95 });
      const v = Array.from(r.x.dataSync());
      r.x.dispose();
      return v;
    });
    assertAllClose(rb.x.dataSync(), rows.flat(), { rtol: 1e-14, atol: 1e-15 });
    rb.x.dispose();
  }
});

Deno.test("convergence order: global error ratio ≈ 2^p when h halves (x' = -x + t)", () => {
  // exact solution of x' = -x + t, x(0) = 1: x(t) = t - 1 + 2e^{-t}
  const f: OdeFn = (t, x) => add(mul(x, -1), t);
  const exact = 1 - 1 + 2 * Math.exp(-1);
  const order: Record<string, number> = { euler: 1, rk2: 2, heun: 2, ralston: 2, rk4: 4 };
  for (const [name, step] of Object.entries(STEPS)) {
    const err = (n: number) => {
      let x = tensor([1], { dtype: "float64" });
      let t = 0;
      for (let i = 0; i < n; i++) {
        const r = step(f, { t, x }, { dt: 1 / n });
        x.dispose();
        x = r.x;
        t = r.t;
      }
      const e = Math.abs(x.dataSync()[0] - exact);
      x.dispose();
      return e;
    };
    const ratio = err(16) / err(32);
    const p = Math.log2(ratio);
    assert.ok(Math.abs(p - order[name]) < 0.15, `${name}: observed order ${p}`);
  }
});

Deno.test("errors: dt, xScale, dfx, state, options", () => {
  using x = tensor([1, 2]);
  const f = linear2D;
  for (const dt of [0, -0.1, NaN, Infinity]) {
    assert.throws(() => stepRk4(f, { x }, { dt }), RangeError, `dt=${dt}`);
  }
  assert.throws(() => stepRk4(f, { x }, { dt: "0.1" as unknown as number }), TypeError);
  assert.throws(() => stepEuler(f, { x }, { dt: 0.1, xScale: NaN }), RangeError);
  assert.throws(
    () => stepEuler(f, { x }, { dt: 0.1, xScale: "1" as unknown as number }),
    TypeError,
  );
  assert.throws(
    () => stepEuler(null as unknown as OdeFn, { x }, { dt: 0.1 }),
    /stepEuler\(\): dfx/,
  );
  assert.throws(
    () => stepHeun(f, x as unknown as { x: Tensor }, { dt: 0.1 }),
    /stepHeun\(\): state must be an object/,
  );
  assert.throws(() => stepRk2(f, { x }, undefined as unknown as { dt: number }), TypeError);
  using xi = tensor([1, 2], { dtype: "int32" });
  assert.throws(() => stepRk4(f, { x: xi }, { dt: 0.1 }), /float tensor, got dtype int32/);
  using x0d = tensor(1);
  assert.throws(() => stepRk4((_t, v) => v, { x: x0d }, { dt: 0.1 }), TypeError);
  using tBad = tensor([0, 1]);
  assert.throws(() => stepRk4(f, { t: tBad, x }, { dt: 0.1 }), /t must be a number or a 0-d/);
  // dfx results must match the state's shape and dtype
  const before = memory().tensors;
  assert.throws(
    () => stepRk4(() => tensor([1, 2, 3]), { x }, { dt: 0.1 }),
    /stepRk4\(\): dfx returned a float32 tensor of shape \[3\] for a float32 state of shape \[2\]/,
  );
  assert.throws(() => stepRk4(() => 1 as unknown as Tensor, { x }, { dt: 0.1 }), TypeError);
  assert.equal(memory().tensors, before, "no leak on errors");
});
