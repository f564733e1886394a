/**
 * Process (replaces ngclearn's JaxProcessesMixin): scan over inputs with
 * stacked results, stored previous state/result and their ownership, the
 * held state left alone by scan (as ngclearn) unless updateState, run() as
 * one written-back step, pytree states, an ODE-driven process, gradients,
 * errors and leaks.
 */

import assert from "node:assert/strict";
import "../../backends/registry.ts";
import { memory, setBackend } from "../../core/engine.ts";
import { add, mul, sum, tensor } from "../../core/ops/mod.ts";
import { grad } from "../../core/autodiff/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import { Process } from "../../utils/process.ts";
import { type OdeFn, stepRk4 } from "../../utils/diffeq/mod.ts";
import { assertAllClose } from "../helpers.ts";

await setBackend("cpu");

type Leaky = { v: Tensor };
const leakyStep = (s: Leaky, x: Tensor) => {
  const v = add(mul(s.v, 0.5), x);
  return [{ v }, v] as const;
};

Deno.test("scan: stacked results, stored final state, held state untouched", () => {
  const before = memory().tensors;
  {
    using v0 = tensor([0, 0]);
    using p = new Process(leakyStep, { v: v0 }, { name: "leaky" });
    assert.notEqual(p.state.v, v0, "the initial state is copied");
    using xs = tensor([[1, 0], [1, 2], [0, 0]]);
    assert.equal(p.previousState, null);
    const [last, ys] = p.scan(xs);
    assert.deepEqual([...ys.shape], [3, 2]);
    assert.deepEqual([...ys.dataSync()], [1, 0, 1.5, 2, 0.75, 1]);
    assert.deepEqual([...last.v.dataSync()], [0.75, 1]);
    assert.equal(p.previousState, last, "what scan returns is what it stores");
    assert.equal(p.previousResult, ys);
    assert.deepEqual([...p.state.v.dataSync()], [0, 0], "scan does not write back (as ngclearn)");
    // a second scan replaces (and frees) the stored ones
    const [last2] = p.scan(xs);
    assert.ok(last.v.isDisposed && ys.isDisposed);
    assert.deepEqual([...last2.v.dataSync()], [0.75, 1]);
    p.clear();
    assert.equal(p.previousState, null);
    assert.equal(p.previousResult, null);
    assert.ok(last2.v.isDisposed);
    assert.ok(!v0.isDisposed);
  }
  assert.equal(memory().tensors, before, "dispose frees everything the process owns");
});

Deno.test("scan options: state, storeState/storeResults false (caller owns), updateState", () => {
  const before = memory().tensors;
  {
    using zero = tensor([0]);
    using p = new Process(leakyStep, { v: zero });
    using xs = tensor([[1], [1]]);
    using start = tensor([4]);
    const [last, ys] = p.scan(xs, { state: { v: start }, storeState: false, storeResults: false });
    assert.deepEqual([...ys.dataSync()], [3, 2.5]);
    assert.equal(p.previousState, null);
    assert.equal(p.previousResult, null);
    assert.ok(!start.isDisposed, "options.state is not consumed");
    last.v.dispose();
    ys.dispose();
    p.scan(xs, { updateState: true });
    assert.deepEqual([...p.state.v.dataSync()], [1.5]);
    assert.notEqual(p.state.v, p.previousState!.v, "the new state is a copy");
    p.state = { v: start };
    assert.deepEqual([...p.state.v.dataSync()], [4]);
    assert.notEqual(p.state.v, start);
  }
  assert.equal(memory().tensors, before, "leak");
});

Deno.test("run: one step, written back; null inputs with length", () => {
  const before = memory().tensors;
  {
    using zeros = tensor([0, 0]);
    using p = new Process(leakyStep, { v: zeros });
    using x = tensor([1, 2]);
    using y1 = p.run(x);
    using y2 = p.run(x);
    assert.deepEqual([...y1.shape], [2]);
    assert.deepEqual([...y2.dataSync()], [1.5, 3]);
    assert.deepEqual([...p.state.v.dataSync()], [1.5, 3]);
    using c0 = tensor(0);
    using counter = new Process((s: Tensor, _x: null) => {
      const n = add(s, 1);
      return [n, null] as const;
    }, c0);
    const [n, none] = counter.scan(null, { length: 5 });
    assert.equal(n.itemSync(), 5);
    assert.equal(none, null);
    assert.equal(counter.run(null), null);
    assert.equal(counter.state.itemSync(), 1);
  }
  assert.equal(memory().tensors, before, "leak");
});

Deno.test("an ODE-driven process: RK4 neuron with an input current per step", () => {
  // tau dv/dt = -v + I, I held constant over each step
  const dv: OdeFn<Tensor> = (_t, v, current) => mul(add(mul(v, -1), current), 1 / 0.02);
  using t0 = tensor(0);
  using v0 = tensor([0, 0]);
  using p = new Process((s: { t: Tensor; v: Tensor }, i: Tensor) => {
    const r = stepRk4(dv, { t: s.t, x: s.v }, { dt: 0.001, params: i });
    return [{ t: r.t, v: r.x }, r.x] as const;
  }, { t: t0, v: v0 });
  using currents = tensor(Array.from({ length: 200 }, () => [1, 2]));
  const [last, vs] = p.scan(currents);
  assert.deepEqual([...vs.shape], [200, 2]);
  // v(t) = I (1 - e^{-t/tau}) at t = 0.2 (10 tau)
  assertAllClose(last.v.dataSync(), [1 - Math.exp(-10), 2 * (1 - Math.exp(-10))], { rtol: 1e-5 });
  assertAllClose(last.t.itemSync(), 0.2, { rtol: 1e-5 });
});

Deno.test("gradients flow through Process.scan (w.r.t. the starting state)", () => {
  using p = new Process(leakyStep, { v: tensor([0], { dtype: "float64" }) });
  using xs = tensor([[1], [2], [3]], { dtype: "float64" });
  using v0 = tensor([1], { dtype: "float64" });
  const f = (v: Tensor) => {
    const [, ys] = p.scan(xs, { state: { v }, storeState: false, storeResults: false });
    return sum(ys);
  };
  using g = grad(f)(v0);
  // ys_k = 0.5^k v0 + ..., so d sum / d v0 = 0.5 + 0.25 + 0.125
  assertAllClose(g.dataSync(), [0.875], { rtol: 1e-15 });
});

Deno.test("errors: bad step, options, structure changes, use after dispose", () => {
  assert.throws(() => new Process(null as never, null as never), TypeError);
  using init = tensor([0]);
  const p = new Process(leakyStep, { v: init });
  using xs = tensor([[1]]);
  assert.throws(
    () => p.scan(xs, { storeState: "yes" as never }),
    /Process.scan\(\): storeState must be a boolean/,
  );
  assert.throws(() => p.scan(null, { length: -1 }), RangeError);
  assert.throws(() => p.scan(xs, null as never), TypeError);
  const bad = new Process(
    (s: Tensor, x: Tensor) => [add(s, x) as Tensor, null] as const,
    tensor([0]),
  );
  using wide = tensor([[1, 2]]);
  assert.throws(() => bad.scan(wide), /scan\(\): step changed carry leaf 0/);
  bad.dispose();
  p.dispose();
  p.dispose(); // twice is fine
  assert.throws(() => p.scan(xs), /process "process" was disposed/);
  assert.throws(() => p.state, TypeError);
});
