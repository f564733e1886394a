/**
 * scan: jax.lax.scan semantics (pytrees, null xs with length, reverse, zero
 * length), differentiability (against central differences), bounded memory
 * over 10,000 steps, no readback, and errors.
 */

import assert from "node:assert/strict";
import "../../backends/registry.ts";
import { memory, setBackend } from "../../core/engine.ts";
import * as o from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import { scan } from "../../core/scan.ts";
import { grad, treeLeaves } from "../../core/autodiff/mod.ts";
import { checkGrad } from "./autodiff/check_grad.ts";
import { assertAllClose } from "../helpers.ts";

await setBackend("cpu");

function disposeAll(...xs: unknown[]): void {
  for (const x of xs) for (const t of treeLeaves(x as never)) t.dispose();
}

Deno.test("scan: running sum with stacked outputs", () => {
  using xs = o.tensor([[1, 2], [3, 4], [5, 6]]);
  using init = o.zeros([2]);
  const before = memory().tensors;
  const [c, ys] = scan(
    (carry: Tensor, x: Tensor) => {
      const s = o.add(carry, x);
      return [s, s];
    },
    init,
    xs,
  );
  assert.deepEqual([...c.dataSync()], [9, 12]);
  assert.deepEqual([...ys.shape], [3, 2]);
  assert.deepEqual([...ys.dataSync()], [1, 2, 4, 6, 9, 12]);
  assert.equal(memory().tensors, before + 2);
  disposeAll(c, ys);
  assert.ok(!init.isDisposed && !xs.isDisposed);
});

Deno.test("scan: reverse keeps ys aligned with xs (as JAX)", () => {
  using xs = o.tensor([1, 2, 3, 4]);
  using init = o.tensor(0);
  const [c, ys] = scan(
    (carry: Tensor, x: Tensor) => {
      const s = o.add(carry, x);
      return [s, s];
    },
    init,
    xs,
    { reverse: true },
  );
  assert.equal(c.itemSync(), 10);
  assert.deepEqual([...ys.dataSync()], [10, 9, 7, 4]);
  disposeAll(c, ys);
});

Deno.test("scan: pytree carry and xs, null y, xs null with length", () => {
  using a = o.tensor([[1], [2], [3]]);
  using b = o.tensor([10, 20, 30]);
  using h = o.tensor([0]);
  using n = o.tensor(0);
  type C = { h: Tensor; count: readonly [Tensor, null] };
  const [c, ys] = scan(
    (carry: C, x: { a: Tensor; b: Tensor }) =>
      [
        { h: o.add(carry.h, x.a), count: [o.add(carry.count[0], 1), null] },
        { prod: o.mul(x.a, x.b), same: x.b },
      ] as const,
    { h, count: [n, null] } as C,
    { a, b },
  );
  assert.deepEqual([...c.h.dataSync()], [6]);
  assert.equal(c.count[0].itemSync(), 3);
  assert.equal(c.count[1], null);
  assert.deepEqual([...ys.prod.shape], [3, 1]);
  assert.deepEqual([...ys.prod.dataSync()], [10, 40, 90]);
  assert.deepEqual([...ys.same.dataSync()], [10, 20, 30]);
  disposeAll(c, ys);

  const [k, none] = scan((carry: Tensor, _x: null) => [o.mul(carry, 2), null] as const, n, null, {
    length: 5,
  });
  assert.equal(none, null);
  assert.equal(k.itemSync(), 0);
  k.dispose();
  using one = o.tensor(1);
  const [p, ps] = scan((carry: Tensor) => [o.mul(carry, 2), carry] as const, one, null, {
    length: 4,
  });
  assert.equal(p.itemSync(), 16);
  assert.deepEqual([...ps.dataSync()], [1, 2, 4, 8]);
  disposeAll(p, ps);
});

Deno.test("scan: a step that passes the carry through or returns captured tensors", () => {
  using w = o.tensor([1, 2]);
  using init = o.tensor([5, 5]);
  using xs = o.zeros([3, 2]);
  const before = memory().tensors;
  const [c, ys] = scan((carry: Tensor, _x: Tensor) => [carry, w] as const, init, xs);
  assert.deepEqual([...c.dataSync()], [5, 5]);
  assert.notEqual(c, init);
  assert.deepEqual([...ys.dataSync()], [1, 2, 1, 2, 1, 2]);
  disposeAll(c, ys);
  assert.equal(memory().tensors, before);
  assert.ok(!w.isDisposed && !init.isDisposed);
});

Deno.test("scan: zero steps give a copy of init and empty ys shaped like one step", () => {
  using init = o.tensor([1, 2]);
  using xs = o.zeros([0, 3]);
  const before = memory().tensors;
  const [c, ys] = scan(
    (carry: Tensor, x: Tensor) => [carry, { y: o.sum(x), z: o.mul(carry, 2) }] as const,
    init,
    xs,
  );
  assert.deepEqual([...c.dataSync()], [1, 2]);
  assert.notEqual(c, init);
  assert.deepEqual([...ys.y.shape], [0]);
  assert.deepEqual([...ys.z.shape], [0, 2]);
  disposeAll(c, ys);
  assert.equal(memory().tensors, before);
});

Deno.test("scan: 10,000 steps hold a constant number of live tensors", () => {
  using init = o.zeros([8]);
  using drive = o.ones([8]);
  const counts: number[] = [];
  const before = memory().tensors;
  let i = 0;
  const [c, ys] = scan(
    (h: Tensor) => {
      if (i++ % 1000 === 999) counts.push(memory().tensors);
      return [o.tanh(o.add(o.mul(h, 0.5), drive)), null] as const;
    },
    init,
    null,
    { length: 10000 },
  );
  assert.equal(ys, null);
  assert.equal(counts.length, 10);
  assert.ok(counts.every((n) => n === counts[0]), `live tensors grew: ${counts}`);
  assert.equal(memory().tensors, before + 1);
  // fixed point of h = tanh(h/2 + 1)
  const v = c.dataSync()[0];
  assertAllClose([v], [Math.tanh(v / 2 + 1)], { rtol: 1e-6 });
  c.dispose();
  // with stacked outputs the count stays bounded too (blocks of 64)
  const m0 = memory().tensors;
  let peak = 0;
  const [c2, ys2] = scan(
    (h: Tensor) => {
      peak = Math.max(peak, memory().tensors - m0);
      const n = o.add(h, 1);
      return [n, o.sum(n)] as const;
    },
    init,
    null,
    { length: 10000 },
  );
  assert.ok(peak < 200, `peak live tensors ${peak}`);
  assert.deepEqual([...ys2.shape], [10000]);
  assert.equal(ys2.dataSync()[9999], 80000);
  disposeAll(c2, ys2);
  assert.equal(memory().tensors, m0);
});

Deno.test("scan: no readback between steps (readSync is never called)", () => {
  using init = o.tensor([0.5]);
  using xs = o.tensor([[1], [2], [3]]);
  const orig = init.backend.readSync;
  let reads = 0;
  (init.backend as { readSync: unknown }).readSync = (...a: unknown[]) => {
    reads++;
    return (orig as (...b: unknown[]) => unknown).apply(init.backend, a);
  };
  try {
    const [c, ys] = scan(
      (h: Tensor, x: Tensor) => {
        const n = o.add(o.mul(h, x), 1);
        return [n, n] as const;
      },
      init,
      xs,
    );
    assert.equal(reads, 0);
    disposeAll(c, ys);
  } finally {
    (init.backend as { readSync: unknown }).readSync = orig;
  }
});

Deno.test("scan: grad through a scan matches central differences", () => {
  // h_{t+1} = tanh(W h_t + x_t); loss weights every h_t (stacked ys) and the final carry
  const W = [[0.5, -0.3, 0.2], [0.1, 0.4, -0.6], [-0.2, 0.3, 0.25]];
  const X = [[0.1, -0.2, 0.3], [0.5, 0.1, -0.4], [-0.3, 0.2, 0.6], [0.05, -0.15, 0.2]];
  const H0 = [0.2, -0.1, 0.4];
  const rnn = (w: Tensor, xs: Tensor, h0: Tensor) => {
    const [h, hs] = scan(
      (h: Tensor, x: Tensor) => {
        const n = o.tanh(o.add(o.matmul(w, h), x));
        return [n, n] as const;
      },
      h0,
      xs,
    );
    return o.concat([o.reshape(hs, [-1]), h]);
  };
  checkGrad(rnn, [W, X, H0]);
  checkGrad((w, xs, h0) => {
    const [h, hs] = scan(
      (h: Tensor, x: Tensor) => {
        const n = o.mul(o.sin(o.matmul(w, h)), x);
        return [n, o.sum(n)] as const;
      },
      h0,
      xs,
      { reverse: true },
    );
    return o.concat([hs, h]);
  }, [W, X, H0]);
  // a carry pytree and a captured parameter
  checkGrad((w, h0) => {
    const [c] = scan(
      (c: { a: Tensor; b: Tensor }) =>
        [{ a: o.add(c.a, o.mul(c.b, w)), b: o.mul(c.b, 0.9) }, null] as const,
      { a: o.zerosLike(h0), b: h0 },
      null,
      { length: 6 },
    );
    return o.mul(c.a, c.a);
  }, [[0.5, 1.5, -1], H0]);
});

Deno.test("scan: grad through a long scan frees everything afterwards", () => {
  using w = o.tensor([[0.5, 0.1], [-0.2, 0.3]]);
  using h0 = o.tensor([1, -1]);
  const before = memory().tensors;
  const g = grad((w: Tensor) => {
    const [h] = scan((h: Tensor) => [o.tanh(o.matmul(w, h)), null] as const, h0, null, {
      length: 500,
    });
    return o.sum(h);
  })(w);
  assert.deepEqual([...g.shape], [2, 2]);
  assert.ok([...g.dataSync()].every(Number.isFinite));
  g.dispose();
  assert.equal(memory().tensors, before);
});

Deno.test("scan: bad inputs are TypeError/RangeError with clear messages", () => {
  using init = o.tensor([0, 0]);
  using xs = o.zeros([3, 2]);
  using ys = o.zeros([4, 2]);
  const before = memory().tensors;
  const check = (f: () => unknown, type: typeof TypeError, re: RegExp) => {
    assert.throws(f, (e: unknown) => e instanceof type && re.test((e as Error).message));
    assert.equal(memory().tensors, before, "leak on error");
  };
  check(
    () => scan((c: Tensor) => [o.concat([c, c]), null] as const, init, xs),
    TypeError,
    /^scan\(\): step changed carry leaf 0 from \[2\] float32 to \[4\] float32/,
  );
  check(
    () => scan((c: Tensor) => [{ c }, null] as never, init, xs),
    TypeError,
    /^scan\(\): step must return a carry with the structure of init T, got \{c: T\}/,
  );
  check(
    () => scan((c: Tensor) => c as never, init, xs),
    TypeError,
    /^scan\(\): step must return \[carry, y\]/,
  );
  let k = 0;
  check(
    () =>
      scan(
        (c: Tensor) => [o.add(c, 1), k++ === 0 ? o.zeros([2]) : o.zeros([3])] as const,
        init,
        xs,
      ),
    TypeError,
    /^scan\(\): step returned y leaf 0 as \[3\] float32 after \[2\] float32/,
  );
  check(
    () => scan((c: Tensor) => [c, null] as const, init, { a: xs, b: ys }),
    TypeError,
    /^scan\(\): xs leaves must share their leading size, got \[3, 2\] and \[4, 2\]/,
  );
  check(
    () => scan((c: Tensor) => [c, null] as const, init, xs, { length: 5 }),
    TypeError,
    /^scan\(\): length 5 does not match the leading size 3 of xs/,
  );
  check(() => scan((c: Tensor) => [c, null] as const, init, null), TypeError, /length is required/);
  check(
    () => scan((c: Tensor) => [c, null] as const, init, null, { length: -1 }),
    RangeError,
    /^scan\(\): length must be a non-negative integer, got -1/,
  );
  check(
    () => scan((c: Tensor) => [c, null] as const, init, [1, 2] as never),
    TypeError,
    /^scan\(\): xs at \[0\] must be a Tensor/,
  );
  check(
    () =>
      scan(
        (c: Tensor) => {
          if (c.size > 0) throw new RangeError("inside");
          return [c, null] as const;
        },
        init,
        xs,
      ),
    RangeError,
    /inside/,
  );
});
