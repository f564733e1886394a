/**
 * solveOde: agreement with a loop of one-step integrators, ngclearn's output
 * layout (sols_only true/false, T = 0), float32 time by repeated addition,
 * batched states, accuracy against the analytic solution, no host readback,
 * gradients against central differences, user right-hand sides, errors.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { getBackend, memory, setBackend, tidy } from "../../../core/engine.ts";
import {
  add,
  matmul,
  mul,
  neg,
  scalar,
  sin,
  sum,
  take,
  tanh,
  tensor,
} from "../../../core/ops/mod.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import {
  linear2D,
  lorenz,
  type OdeFn,
  solveOde,
  stepHeun,
  stepRk4,
} from "../../../utils/diffeq/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { checkGrad } from "../../core/autodiff/check_grad.ts";

await setBackend("cpu");

function disposeAll(r: object): void {
  for (const t of Object.values(r)) (t as Tensor).dispose();
}

Deno.test("solveOde equals a loop of steps; ts by float32 repeated addition", () => {
  using x0 = tensor([3, -1.5]);
  const before = memory().tensors;
  const r = solveOde(linear2D, x0, { method: "rk4", t0: 0.25, T: 50, dt: 0.01 });
  assert.deepEqual(Object.keys(r).sort(), ["ts", "xs"]);
  assert.deepEqual([...r.ts.shape], [50]);
  assert.deepEqual([...r.xs.shape], [50, 2]);
  assert.equal(r.xs.dtype, "float32");
  // loop with a 0-d float32 time (the same kernels, so bit-equal)
  let t: Tensor = scalar(0.25);
  let x: Tensor = tensor(x0);
  const ts: number[] = [], xs: number[] = [];
  let tHost = Math.fround(0.25);
  for (let k = 0; k < 50; k++) {
    const s = stepRk4(linear2D, { t, x }, { dt: 0.01 });
    t.dispose();
    x.dispose();
    t = s.t;
    x = s.x;
    ts.push(t.itemSync());
    xs.push(...x.dataSync());
    tHost = Math.fround(tHost + Math.fround(0.01));
    assert.equal(ts[k], tHost, `ts[${k}] is float32 t + h + ... + h`);
  }
  t.dispose();
  x.dispose();
  assert.deepEqual([...r.ts.dataSync()], ts);
  assert.deepEqual([...r.xs.dataSync()], xs);
  disposeAll(r);
  assert.equal(memory().tensors, before, "leak");
});

Deno.test("solsOnly: false returns the final carry and the states before each step", () => {
  using x0 = tensor([0.5, 0.05, 0.1], { dtype: "float64" });
  const before = memory().tensors;
  const r = solveOde(lorenz, x0, { method: "ralston", T: 7, dt: 0.02, solsOnly: false });
  assert.deepEqual(
    Object.keys(r).sort(),
    ["ts", "tsPrev", "tFinal", "xFinal", "xs", "xsPrev"].sort(),
  );
  assert.deepEqual([...r.xsPrev.shape], [7, 3]);
  assert.deepEqual([...r.tsPrev.shape], [7]);
  assert.deepEqual([...r.tFinal.shape], []);
  const xs = r.xs.arraySync() as number[][], xp = r.xsPrev.arraySync() as number[][];
  const ts = [...r.ts.dataSync()], tp = [...r.tsPrev.dataSync()];
  assert.deepEqual(xp[0], [0.5, 0.05, 0.1]);
  assert.equal(tp[0], 0);
  for (let k = 1; k < 7; k++) {
    assert.deepEqual(xp[k], xs[k - 1]);
    assert.equal(tp[k], ts[k - 1]);
  }
  assert.deepEqual([...r.xFinal.dataSync()], xs[6]);
  assert.equal(r.tFinal.itemSync(), ts[6]);
  assert.equal(r.ts.dtype, "float64", "time follows x0's dtype");
  disposeAll(r);
  assert.equal(memory().tensors, before, "leak");
});

Deno.test("T = 0: empty outputs of the right shapes, final carry = initial", () => {
  using x0 = tensor([[1, 2], [3, 4]]);
  const r = solveOde(linear2D, x0, { method: "euler", T: 0, dt: 0.1, t0: 2, solsOnly: false });
  assert.deepEqual([...r.ts.shape], [0]);
  assert.deepEqual([...r.xs.shape], [0, 2, 2]);
  assert.deepEqual([...r.xsPrev.shape], [0, 2, 2]);
  assert.deepEqual([...r.xFinal.dataSync()], [1, 2, 3, 4]);
  assert.equal(r.tFinal.itemSync(), 2);
  disposeAll(r);
});

Deno.test("batched x0 (3, 2): rows are independent trajectories", () => {
  const rows = [[3, -1.5], [0, 1], [-2, 0.5]];
  using xb = tensor(rows, { dtype: "float64" });
  const rb = solveOde(linear2D, xb, { method: "heun", T: 20, dt: 0.05, xScale: 0.98 });
  assert.deepEqual([...rb.xs.shape], [20, 3, 2]);
  const all = rb.xs.arraySync() as number[][][];
  rows.forEach((row, i) => {
    using xr = tensor(row, { dtype: "float64" });
    const r = solveOde(linear2D, xr, { method: "heun", T: 20, dt: 0.05, xScale: 0.98 });
    assertAllClose(all.map((m) => m[i]), r.xs.arraySync(), { rtol: 1e-14, atol: 1e-15 });
    disposeAll(r);
  });
  disposeAll(rb);
});

Deno.test("accuracy: RK4 in float64 vs the analytic solution of linear2D (t = 8)", () => {
  // x(t) = e^{-0.1 t} R(2t) x0 with R(a) = [[cos a, sin a], [-sin a, cos a]]
  const x0 = [3, -1.5], tEnd = 8;
  const e = Math.exp(-0.1 * tEnd), c = Math.cos(2 * tEnd), s = Math.sin(2 * tEnd);
  const exact = [e * (c * x0[0] + s * x0[1]), e * (-s * x0[0] + c * x0[1])];
  const errs: Record<string, number> = {};
  for (const method of ["euler", "rk2", "rk4"]) {
    using x = tensor(x0, { dtype: "float64" });
    const r = solveOde(linear2D, x, { method, T: 800, dt: 0.01 });
    using last = take(r.xs, 799, 0);
    errs[method] = Math.max(...[...last.dataSync()].map((v, i) => Math.abs(v - exact[i])));
    disposeAll(r);
  }
  assert.ok(errs.rk4 < 1e-7, `rk4 error ${errs.rk4}`);
  assert.ok(errs.rk2 < 5e-3 && errs.rk2 > 100 * errs.rk4, `rk2 error ${errs.rk2}`);
  assert.ok(errs.euler > 100 * errs.rk2, `euler error ${errs.euler}`);
});

Deno.test("no readback: the whole run stays on the device (backend.read/readSync never called)", () => {
  const b = getBackend();
  const orig = { read: b.read, readSync: b.readSync };
  let reads = 0;
  // deno-lint-ignore no-explicit-any
  const spy = b as any;
  spy.read = (...a: unknown[]) => (reads++, orig.read.apply(b, a as never));
  spy.readSync = (...a: unknown[]) => (reads++, orig.readSync.apply(b, a as never));
  try {
    using x0 = tensor([-8, 7, 27]);
    const r = solveOde(lorenz, x0, { method: "rk4", T: 100, dt: 0.01, solsOnly: false });
    assert.equal(reads, 0);
    disposeAll(r);
  } finally {
    spy.read = orig.read;
    spy.readSync = orig.readSync;
  }
});

Deno.test("grad: d x_T / d x0 against central differences (lorenz, RK4, float64)", () => {
  const opts = { method: "rk4", T: 25, dt: 0.01 } as const;
  const final = (x0: Tensor) => solveOde(lorenz, x0, { ...opts, solsOnly: false }).xFinal;
  const x0v = [-8, 7, 27];
  const before = memory().tensors;
  // Jacobian row by row: grad of x_T[i] w.r.t. x0, vs (x_T(x0 + h e_j) - x_T(x0 - h e_j)) / 2h
  const h = 1e-6;
  const xT = (v: number[]) => tidy(() => [...final(tensor(v, { dtype: "float64" })).dataSync()]);
  for (let i = 0; i < 3; i++) {
    using x0 = tensor(x0v, { dtype: "float64" });
    using g = grad((x: Tensor) => take(final(x), i, 0))(x0);
    const numeric = [0, 1, 2].map((j) => {
      const p = [...x0v], m = [...x0v];
      p[j] += h;
      m[j] -= h;
      return (xT(p)[i] - xT(m)[i]) / (2 * h);
    });
    assertAllClose(g.dataSync(), numeric, { rtol: 1e-6, atol: 1e-6, msg: `row ${i}` });
  }
  assert.equal(memory().tensors, before, "leak");
  // and every method through the shared checker (weighted sum of all outputs)
  for (const method of ["euler", "rk2", "heun", "ralston", "rk4"]) {
    checkGrad((x: Tensor) => solveOde(linear2D, x, { method, T: 10, dt: 0.05, xScale: 0.97 }).xs, [[
      3,
      -1.5,
    ]]);
  }
});

Deno.test("grad flows into tensors passed as params (decay rate k)", () => {
  // x' = -k x, Euler: x_T = (1 - k h)^T x0, so d x_T / dk = -T h (1 - k h)^{T-1} x0
  const decay: OdeFn<Tensor> = (_t, x, k) => neg(mul(x, k));
  using x0 = tensor([2], { dtype: "float64" });
  using k = tensor(0.5, { dtype: "float64" });
  const T = 10, h = 0.1;
  using g = grad((kk: Tensor) =>
    sum(solveOde(decay, x0, { method: "euler", T, dt: h, params: kk, solsOnly: false }).xFinal)
  )(k);
  assertAllClose(g.dataSync(), [-T * h * (1 - 0.5 * h) ** (T - 1) * 2], { rtol: 1e-12 });
});

Deno.test("any user dfx written with core ops: a small time-dependent neural ODE, batched", () => {
  using w = tensor([[0.5, -1], [1, 0.25]], { dtype: "float64" });
  const nodeF: OdeFn<Tensor> = (t, x, W) => add(tanh(matmul(x, W)), sin(t));
  using x0 = tensor([[0.1, 0.2], [-0.3, 0.4]], { dtype: "float64" });
  const r = solveOde(nodeF, x0, { method: "heun", T: 5, dt: 0.1, params: w });
  // against the same steps with a float64 0-d time
  let t: Tensor = scalar(0, "float64"), x: Tensor = tensor(x0);
  for (let k = 0; k < 5; k++) {
    const s = stepHeun(nodeF, { t, x }, { dt: 0.1, params: w });
    t.dispose();
    x.dispose();
    ({ t, x } = s);
  }
  using lastRow = take(r.xs, 4, 0);
  assert.deepEqual([...lastRow.dataSync()], [...x.dataSync()]);
  t.dispose();
  x.dispose();
  disposeAll(r);
});

Deno.test("method names: aliases accepted, unknown names a RangeError", () => {
  using x0 = tensor([1, 0]);
  const a = solveOde(linear2D, x0, { method: "rk1", T: 3, dt: 0.1 });
  const b = solveOde(linear2D, x0, { method: "euler", T: 3, dt: 0.1 });
  assert.deepEqual([...a.xs.dataSync()], [...b.xs.dataSync()]);
  const c = solveOde(linear2D, x0, { method: "midpoint", T: 3, dt: 0.1 });
  const d = solveOde(linear2D, x0, { method: "rk2", T: 3, dt: 0.1 });
  assert.deepEqual([...c.xs.dataSync()], [...d.xs.dataSync()]);
  for (const r of [a, b, c, d]) disposeAll(r);
  assert.throws(
    () => solveOde(linear2D, x0, { method: "rk45", T: 3, dt: 0.1 }),
    /solveOde\(\): unknown method "rk45"/,
  );
  assert.throws(() => solveOde(linear2D, x0, { method: "RK4", T: 3, dt: 0.1 }), RangeError);
});

Deno.test("errors: dt, T, t0, x0, dfx, options", () => {
  using x0 = tensor([1, 0]);
  const before = memory().tensors;
  const base = { method: "rk4", T: 3, dt: 0.1 };
  for (const dt of [0, -1, NaN]) {
    assert.throws(
      () => solveOde(linear2D, x0, { ...base, dt }),
      /solveOde\(\): dt must be a finite number > 0/,
    );
  }
  for (const T of [-1, 2.5]) {
    assert.throws(() => solveOde(linear2D, x0, { ...base, T }), RangeError);
  }
  assert.throws(() => solveOde(linear2D, x0, { ...base, T: "3" as unknown as number }), TypeError);
  assert.throws(() => solveOde(linear2D, x0, { ...base, t0: "0" as unknown as number }), TypeError);
  assert.throws(
    () => solveOde(linear2D, x0, { ...base, solsOnly: 1 as unknown as true }),
    TypeError,
  );
  assert.throws(() => solveOde(linear2D, [1, 2, 3], base), /linear2D\(\): x must have shape/);
  assert.throws(
    () => solveOde(linear2D, 1, base),
    /x0 must have at least one axis/,
  );
  assert.throws(() => solveOde("lorenz" as unknown as OdeFn, x0, base), TypeError);
  assert.throws(() => solveOde(linear2D, x0, null as never), TypeError);
  assert.throws(
    () => solveOde(() => tensor([[1, 2]]), x0, base),
    /solveOde\(\): dfx returned a float32 tensor of shape \[1, 2\]/,
  );
  assert.equal(memory().tensors, before, "no leak on errors");
});
