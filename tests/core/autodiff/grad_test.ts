/**
 * The grad / valueAndGrad / customVjp / stopGradient API: argnums, pytrees,
 * aux outputs, cotangents, higher order, errors and leaks.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { memory, setBackend, tidy } from "../../../core/engine.ts";
import * as o from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import {
  customVjp,
  grad,
  stopGradient,
  treeLeaves,
  treeMap,
  valueAndGrad,
} from "../../../core/autodiff/mod.ts";
import { kernel } from "../../../core/ops/prim.ts";
import { assertAllClose } from "../../helpers.ts";

await setBackend("cpu");

/** Run `fn`, dispose what it returns, and assert no tensor leaked. */
function noLeak(fn: () => unknown): void {
  const before = memory().tensors;
  const out = fn();
  for (const t of treeLeaves(out as never)) t.dispose();
  assert.equal(memory().tensors, before, "tensors leaked");
}

function throwsNoLeak(fn: () => unknown, type: typeof TypeError | typeof RangeError, re: RegExp) {
  const before = memory().tensors;
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
    assert.match((e as Error).message, re);
    return true;
  });
  assert.equal(memory().tensors, before, "tensors leaked on error");
}

const f2 = (w: Tensor, x: Tensor) => o.sum(o.mul(o.mul(w, w), x));

Deno.test("grad: argnums default, number and list", () => {
  using w = o.tensor([1, 2, 3]);
  using x = o.tensor([1, 1, 2]);
  noLeak(() => {
    const g = grad(f2)(w, x);
    assert.deepEqual([...g.dataSync()], [2, 4, 12]);
    assert.equal(g.dtype, "float32");
    const gx = grad(f2, { argnums: 1 })(w, x);
    assert.deepEqual([...gx.dataSync()], [1, 4, 9]);
    const both = grad(f2, { argnums: [1, 0] })(w, x);
    assert.deepEqual([...both[0].dataSync()], [1, 4, 9]);
    assert.deepEqual([...both[1].dataSync()], [2, 4, 12]);
    return [g, gx, both];
  });
});

Deno.test("grad: pytrees of parameters (objects, arrays, null slots)", () => {
  using a = o.tensor([[1, 2], [3, 4]]);
  using b = o.tensor([0.5, -0.5]);
  using c = o.tensor(2);
  noLeak(() => {
    const params = { layer: { w: a, b }, extra: [c, null] };
    type P = typeof params;
    const loss = (p: P) => o.sum(o.mul(o.add(o.matmul(p.layer.w, p.layer.b), 1), p.extra[0]!));
    const g = grad(loss)(params);
    assert.deepEqual(Object.keys(g), ["layer", "extra"]);
    assert.equal(g.extra[1], null);
    assert.deepEqual([...g.layer.w.dataSync()], [1, -1, 1, -1]);
    assert.deepEqual([...g.layer.b.dataSync()], [8, 12]);
    // Σ(W·b + 1) = (0.5 − 1 + 1) + (1.5 − 2 + 1) = 1
    assert.deepEqual([...g.extra[0]!.dataSync()], [1]);
    return g;
  });
});

Deno.test("grad: an unused input gets zeros; a captured tensor is a constant", () => {
  using x = o.tensor([1, 2]);
  using y = o.tensor([3, 4]);
  noLeak(() => {
    const [gx, gy] = grad((a: Tensor, _b: Tensor) => o.sum(o.exp(a)), { argnums: [0, 1] })(x, y);
    assert.deepEqual([...gy.dataSync()], [0, 0]);
    assertAllClose(gx.dataSync(), [Math.E, Math.exp(2)]);
    // d/dt Σ t·x with x captured (even though it is the same tensor passed as t): x
    const gc = grad((t: Tensor) => o.sum(o.mul(t, x)))(x);
    assert.deepEqual([...gc.dataSync()], [1, 2]);
    return [gx, gy, gc];
  });
});

Deno.test("grad: f returning its argument, or a constant", () => {
  using s = o.tensor(3);
  noLeak(() => {
    const g = grad((t: Tensor) => t)(s);
    assert.deepEqual([...g.dataSync()], [1]);
    const [v, g2] = valueAndGrad((t: Tensor) => t)(s);
    assert.equal(v.itemSync(), 3);
    assert.notEqual(v, s);
    const z = grad((_t: Tensor) => o.tensor(5))(s);
    assert.deepEqual([...z.dataSync()], [0]);
    return [g, v, g2, z];
  });
  assert.ok(!s.isDisposed);
});

Deno.test("grad: float64 inputs give float64 gradients", () => {
  using x = o.tensor([0.5, 1.5], { dtype: "float64" });
  noLeak(() => {
    const g = grad((t: Tensor) => o.sum(o.sin(t)))(x);
    assert.equal(g.dtype, "float64");
    assertAllClose(g.dataSync(), [Math.cos(0.5), Math.cos(1.5)], { rtol: 1e-14, atol: 0 });
    return g;
  });
});

Deno.test("grad: hasAux returns [grads, aux]; valueAndGrad returns [[value, aux], grads]", () => {
  using x = o.tensor([1, 2, 3]);
  noLeak(() => {
    const f = (t: Tensor): [Tensor, { sq: Tensor; n: number }] => {
      const sq = o.mul(t, t);
      return [o.sum(sq), { sq, n: 3 }];
    };
    const [g, aux] = grad(f, { hasAux: true })(x);
    assert.deepEqual([...g.dataSync()], [2, 4, 6]);
    assert.deepEqual([...aux.sq.dataSync()], [1, 4, 9]);
    assert.equal(aux.n, 3);
    const [[v, aux2], g2] = valueAndGrad(f, { hasAux: true })(x);
    assert.equal(v.itemSync(), 14);
    assert.deepEqual([...aux2.sq.dataSync()], [1, 4, 9]);
    return [g, aux.sq, v, aux2.sq, g2];
  });
});

Deno.test("valueAndGrad: a cotangent pulls back a non-scalar output (VJP)", () => {
  using x = o.tensor([[1, 2], [3, 4]]);
  using ct = o.tensor([[1, 0], [2, 1]]);
  noLeak(() => {
    const [y, g] = valueAndGrad((t: Tensor) => o.mul(t, t), { cotangent: ct })(x);
    assert.deepEqual([...y.dataSync()], [1, 4, 9, 16]);
    assert.deepEqual([...g.dataSync()], [2, 0, 12, 8]);
    // the cotangent passed straight through is copied, not aliased
    const [y2, h] = valueAndGrad((t: Tensor) => o.reshape(t, [4]), { cotangent: [1, 2, 3, 4] })(
      x,
    );
    assert.deepEqual([...h.dataSync()], [1, 2, 3, 4]);
    const [y3, i] = valueAndGrad((t: Tensor) => t, { cotangent: ct })(x);
    assert.notEqual(i, ct);
    assert.deepEqual([...i.dataSync()], [1, 0, 2, 1]);
    return [y, g, y2, h, y3, i];
  });
  throwsNoLeak(
    () => valueAndGrad((t: Tensor) => o.mul(t, 2), { cotangent: [1, 2] })(x),
    TypeError,
    /^valueAndGrad\(\): cotangent has shape \[2\], f returned shape \[2, 2\]/,
  );
});

Deno.test("grad: higher order (grad of grad)", () => {
  using x = o.tensor([0.5, -1, 2]);
  noLeak(() => {
    const d1 = (t: Tensor) => o.sum(grad((u: Tensor) => o.sum(o.mul(o.mul(u, u), u)))(t));
    const d2 = grad(d1)(x); // d/dx Σ 3x² = 6x
    assertAllClose(d2.dataSync(), [3, -6, 12]);
    const s = grad((t: Tensor) => o.sum(grad((u: Tensor) => o.sum(o.sin(u)))(t)))(x);
    assertAllClose(s.dataSync(), [-Math.sin(0.5), Math.sin(1), -Math.sin(2)]);
    return [d2, s];
  });
});

Deno.test("grad: intermediates disposed inside f, tidy inside f, grad inside tidy", () => {
  using x = o.tensor([0, 1]);
  noLeak(() => {
    const g = grad((t: Tensor) => {
      const e = o.exp(t);
      const s = o.sum(e);
      e.dispose();
      return tidy(() => o.mul(s, 2));
    })(x);
    assertAllClose(g.dataSync(), [2, 2 * Math.E]);
    const h = tidy(() => grad((t: Tensor) => o.sum(o.square(t)))(x));
    assert.deepEqual([...h.dataSync()], [0, 2]);
    return [g, h];
  });
});

Deno.test("grad: bad inputs are TypeError/RangeError with clear messages, without leaks", () => {
  using x = o.tensor([[1, 2, 3], [4, 5, 6]]);
  using i = o.tensor([1, 2], { dtype: "int32" });
  throwsNoLeak(
    () => grad((t: Tensor) => o.mul(t, 2))(x),
    TypeError,
    /^grad\(\): f must return a scalar \(0-d\) tensor, got shape \[2, 3\]; use valueAndGrad with a cotangent or sum first$/,
  );
  throwsNoLeak(
    () => grad((t: Tensor) => o.sum(t))(i),
    TypeError,
    /^grad\(\): argument 0 has dtype int32; only float tensors can be differentiated/,
  );
  throwsNoLeak(
    () => grad((p: { a: Tensor; b: Tensor }) => o.sum(p.a))({ a: x, b: i }),
    TypeError,
    /^grad\(\): argument 0 \(leaf 1\) has dtype int32/,
  );
  throwsNoLeak(
    () => grad((_t: Tensor) => 3 as unknown as Tensor)(x),
    TypeError,
    /^grad\(\): f must return a Tensor, got number/,
  );
  throwsNoLeak(
    () => grad((t: Tensor) => o.argmax(t))(x),
    TypeError,
    /^grad\(\): f must return a float tensor, got dtype int32/,
  );
  throwsNoLeak(
    () => grad((t: number) => o.tensor(t) as Tensor)(3),
    TypeError,
    /^grad\(\): argument 0 must be a Tensor.*got number \(wrap values with tensor\(\)\)/,
  );
  throwsNoLeak(
    () => grad(f2, { argnums: 2 })(x, x),
    RangeError,
    /^grad\(\): argnums 2 is out of range/,
  );
  assert.throws(() => grad(f2, { argnums: 0.5 }), /^TypeError: grad\(\): argnums must be integers/);
  assert.throws(() => grad(f2, { argnums: [0, 0] }), RangeError);
  assert.throws(() => grad(f2, { argnums: -1 }), RangeError);
  assert.throws(() => grad(3 as never), /^TypeError: grad\(\): f must be a function/);
  throwsNoLeak(
    () =>
      grad((t: Tensor) => {
        const y = o.exp(t);
        if (y) throw new RangeError("boom");
        return y;
      })(x),
    RangeError,
    /boom/,
  );
  throwsNoLeak(
    () => grad((t: Tensor) => [o.sum(t)] as unknown as [Tensor, number], { hasAux: true })(x),
    TypeError,
    /^grad\(\): with hasAux, f must return \[value, aux\]/,
  );
});

Deno.test("grad: an op without a gradient rule is a clear TypeError, without leaks", () => {
  using x = o.tensor([1, 2]);
  const mystery = (t: Tensor) =>
    kernel("mystery", [t], t.backend, () => t.backend.unary("exp", t.info));
  throwsNoLeak(
    () => grad((t: Tensor) => o.sum(mystery(t)))(x),
    TypeError,
    /^grad\(\): op "mystery" has no gradient rule; use stopGradient\(\) around it or customVjp\(\)$/,
  );
  // stopped, it is a constant
  noLeak(() => {
    const g = grad((t: Tensor) => o.sum(o.mul(stopGradient(mystery(t)), t)))(x);
    assertAllClose(g.dataSync(), [Math.E, Math.exp(2)]);
    return g;
  });
});

// ---- customVjp / stopGradient

const spike = customVjp(
  (v: Tensor, thr: number) => o.cast(o.greater(v, thr), "float32"),
  ({ inputs: [v, thr] }, g) => {
    const s = o.sigmoid(o.mul(o.sub(v, thr), 4));
    return [o.mul(g, o.mul(o.mul(s, o.sub(1, s)), 4)), null];
  },
);

Deno.test("customVjp: a Heaviside spike with a surrogate derivative", () => {
  using v = o.tensor([-1, 0.5, 2]);
  noLeak(() => {
    const s = spike(v, 0.5);
    assert.deepEqual([...s.dataSync()], [0, 0, 1]);
    const g = grad((t: Tensor) => o.sum(o.mul(spike(t, 0.5), [1, 2, 3])))(v);
    const sg = (x: number) => 1 / (1 + Math.exp(-4 * (x - 0.5)));
    assertAllClose(g.dataSync(), [-1, 0.5, 2].map((x, i) => (i + 1) * 4 * sg(x) * (1 - sg(x))));
    // without customVjp the gradient of a step is zero
    const z = grad((t: Tensor) => o.sum(o.cast(o.greater(t, 0.5), "float32")))(v);
    assert.deepEqual([...z.dataSync()], [0, 0, 0]);
    return [s, g, z];
  });
});

Deno.test("customVjp: composes with other ops and with saved outputs", () => {
  using x = o.tensor([0.2, 0.7]);
  // exp with its output reused in bwd
  const myExp = customVjp((t: Tensor) => o.exp(t), ({ output }, g) => [o.mul(g, output)]);
  noLeak(() => {
    const g = grad((t: Tensor) => o.sum(o.mul(myExp(o.mul(t, 2)), t)))(x);
    // d/dt (t·e^{2t}) = e^{2t}(1 + 2t)
    assertAllClose(g.dataSync(), [0.2, 0.7].map((t) => Math.exp(2 * t) * (1 + 2 * t)));
    return g;
  });
});

Deno.test("customVjp: bad backward rules are TypeErrors, without leaks", () => {
  using x = o.tensor([1, 2]);
  const wrongLen = customVjp((t: Tensor) => o.mul(t, 2), (_s, g) => [g, g]);
  throwsNoLeak(
    () => grad((t: Tensor) => o.sum(wrongLen(t)))(x),
    TypeError,
    /^customVjp\(\): bwd must return an array with one cotangent per argument \(1\), got 2 entries/,
  );
  const wrongShape = customVjp((t: Tensor) => o.mul(t, 2), () => [[1, 2, 3]]);
  throwsNoLeak(
    () => grad((t: Tensor) => o.sum(wrongShape(t)))(x),
    TypeError,
    /^customVjp\(\): bwd returned a cotangent of shape \[3\] for argument 0 of shape \[2\]/,
  );
  const intOut = customVjp((t: Tensor) => o.argmax(t), () => [null]);
  throwsNoLeak(
    () => grad((t: Tensor) => o.sum(o.cast(intOut(t), "float32")))(x),
    TypeError,
    /^customVjp\(\): f must return a float tensor, got dtype int32/,
  );
  assert.throws(
    () => customVjp(o.exp, 3 as never),
    /^TypeError: customVjp\(\): bwd must be a function/,
  );
});

Deno.test("stopGradient: tensors and pytrees are constants for grad", () => {
  using x = o.tensor([1, 2]);
  noLeak(() => {
    const g = grad((t: Tensor) => o.sum(o.mul(t, stopGradient(t))))(x);
    assert.deepEqual([...g.dataSync()], [1, 2]);
    const h = grad((t: Tensor) => {
      const p = stopGradient({ a: t, b: [o.mul(t, 3)] });
      return o.sum(o.add(o.mul(p.a, p.b[0]!), t));
    })(x);
    assert.deepEqual([...h.dataSync()], [1, 1]);
    const c = stopGradient(x);
    assert.notEqual(c, x);
    assert.deepEqual([...c.dataSync()], [1, 2]);
    return [g, h, c];
  });
});

Deno.test("treeMap and treeLeaves keep structure and reject non-tensor leaves", () => {
  using a = o.tensor([1]);
  const t = treeMap({ x: [a, null] }, (l) => o.add(l, 1)) as { x: [Tensor, null] };
  assert.deepEqual([...t.x[0].dataSync()], [2]);
  assert.equal(t.x[1], null);
  t.x[0].dispose();
  assert.throws(
    () => treeLeaves({ a: 3 } as never),
    /^TypeError: treeLeaves\(\): tree at \.a must be a Tensor, null, or an array\/object of them, got number/,
  );
});
