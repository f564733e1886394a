/**
 * permutation and choice (JAX): against the host reference, the JAX
 * algorithms re-derived on the host, statistics and bad input.
 */

import assert from "node:assert/strict";
import { memory, tensor } from "../../../mod.ts";
import { choice, type Layout, permutation, randint, uniform } from "../../../core/random/mod.ts";
import { searchsortedLeft } from "../../../core/random/choice.ts";
import { shuffleRounds } from "../../../core/random/permutation.ts";
import { bitsRef, permutationRef, unitRef } from "./_ref.ts";

const LAYOUTS: Layout[] = ["partitionable", "legacy"];

Deno.test("permutation: sort rounds per JAX (0, 1, 2 rounds) vs the reference", () => {
  assert.deepEqual([0, 1, 2, 1625, 1626, 2_600_000].map(shuffleRounds), [0, 0, 1, 1, 2, 2]);
  for (const layout of LAYOUTS) {
    for (const n of [0, 1, 2, 13, 1626, 3000]) {
      using p = permutation([0, 21], n, { layout });
      assert.equal(p.dtype, "int32");
      assert.deepEqual(
        Array.from(p.dataSync()),
        permutationRef([0, 21], n, layout),
        `${layout} ${n}`,
      );
    }
  }
});

Deno.test("permutation: arrays along an axis follow the index permutation", () => {
  using x = tensor([[1, 2, 3], [4, 5, 6]]);
  using p0 = permutation([0, 3], x);
  const idx = permutationRef([0, 3], 2, "partitionable");
  assert.deepEqual(p0.arraySync(), idx.map((i) => [[1, 2, 3], [4, 5, 6]][i]));
  using p1 = permutation([0, 3], x, { axis: -1 });
  const idx3 = permutationRef([0, 3], 3, "partitionable");
  assert.deepEqual(p1.arraySync(), [[1, 2, 3], [4, 5, 6]].map((r) => idx3.map((i) => r[i])));
  assert.equal(x.isDisposed, false);
});

Deno.test("permutation: bad input", () => {
  assert.throws(() => permutation([0, 1], 2.5), TypeError);
  assert.throws(() => permutation([0, 1], -1), RangeError);
  using s = tensor(3);
  assert.throws(() => permutation([0, 1], s), TypeError);
  assert.throws(() => permutation([0, 1], [1, 2], { axis: 1 }), RangeError);
});

Deno.test("choice without p: randint with replacement, permutation prefix without", () => {
  for (const layout of LAYOUTS) {
    using c = choice([0, 4], 9, { shape: [2, 3], layout });
    using r = randint([0, 4], [2, 3], 0, 9, { layout });
    assert.deepEqual(c.arraySync(), r.arraySync());
    using w = choice([0, 4], 9, { shape: [5], replace: false, layout });
    assert.deepEqual(Array.from(w.dataSync()), permutationRef([0, 4], 9, layout).slice(0, 5));
  }
  using one = choice([0, 4], 9);
  assert.deepEqual(one.shape, []);
  using arr = tensor([[10, 11], [20, 21], [30, 31]]);
  using rows = choice([0, 4], arr, { shape: [2], replace: false });
  const perm = permutationRef([0, 4], 3, "partitionable");
  assert.deepEqual(
    rows.arraySync(),
    perm.slice(0, 2).map((i) => [[10, 11], [20, 21], [30, 31]][i]),
  );
  using cols = choice([0, 4], arr, { shape: [4, 1], axis: 1 });
  assert.deepEqual(cols.shape, [3, 4, 1]);
  using none = choice([0, 4], 0, { shape: [0] });
  assert.deepEqual(none.shape, [0]);
});

Deno.test("choice with p and replacement: searchsorted(cumsum(p), total·(1 − u))", () => {
  const p = [0.1, 0, 0.25, 0.4, 0.25];
  const f = Math.fround;
  let acc = 0;
  const cum = p.map((v) => (acc = f(acc + f(v)))); // float32 cumsum
  const total = cum[cum.length - 1];
  for (const layout of LAYOUTS) {
    using c = choice([0, 8], 5, { shape: [300], p, layout });
    const u = bitsRef([0, 8], 300, layout).map(unitRef);
    const want = u.map((x) => {
      const r = f(total * f(1 - x));
      return cum.findIndex((v) => !(v < r));
    });
    assert.deepEqual(Array.from(c.dataSync()), want);
    assert.ok(!c.dataSync().includes(1), "a zero-probability entry is never drawn");
  }
  using many = choice([0, 9], 3, { shape: [100_000], p: [0.2, 0.3, 0.5] });
  const counts = [0, 0, 0];
  for (const v of many.dataSync()) counts[v]++;
  [0.2, 0.3, 0.5].forEach((q, k) => {
    const se = Math.sqrt(q * (1 - q) / 100_000);
    assert.ok(Math.abs(counts[k] / 100_000 - q) <= 6 * se, `category ${k}`);
  });
});

Deno.test("choice with p without replacement: top-k of gumbel + log p", () => {
  const p = [0.05, 0.3, 0.15, 0.2, 0.3];
  const f = Math.fround;
  using c = choice([0, 2], 5, { shape: [3], replace: false, p });
  const g = bitsRef([0, 2], 5, "partitionable").map((w) =>
    f(-f(Math.log(f(-f(Math.log(Math.max(2 ** -126, unitRef(w))))))))
  );
  const score = g.map((v, i) => f(v + f(Math.log(f(p[i])))));
  const want = [0, 1, 2, 3, 4].sort((a, b) => score[b] - score[a] || a - b).slice(0, 3);
  assert.deepEqual(Array.from(c.dataSync()), want);
  using all = choice([0, 2], 5, { shape: [5], replace: false, p });
  assert.deepEqual(Array.from(all.dataSync()).sort(), [0, 1, 2, 3, 4]);
});

Deno.test("searchsortedLeft: counts of strictly smaller values, ties and ends", () => {
  using s = tensor([1, 2, 2, 2, 5]);
  using q = tensor([[0, 1, 2], [3, 5, 9]]);
  using i = searchsortedLeft(s, q);
  assert.deepEqual(i.arraySync(), [[0, 0, 1], [4, 4, 5]]);
});

Deno.test("choice: bad input", () => {
  assert.throws(() => choice([0, 1], 3, { p: [0.5, 0.4, 0.2] }), RangeError); // sums to 1.1
  assert.throws(() => choice([0, 1], 3, { p: [0.5, 0.6, -0.1] }), RangeError);
  assert.throws(() => choice([0, 1], 3, { p: [0.5, 0.5] }), TypeError);
  assert.throws(() => choice([0, 1], 3, { shape: [4], replace: false }), RangeError);
  assert.throws(() => choice([0, 1], 0, { shape: [1] }), RangeError);
  assert.throws(() => choice([0, 1], 2.5), TypeError);
  assert.throws(() => choice([0, 1], -2), RangeError);
  assert.throws(() => choice([0, 1], 3, { shape: [-1] }), RangeError);
  using s = tensor(4);
  assert.throws(() => choice([0, 1], s), TypeError);
  using pt = tensor([0.25, 0.25, 0.25]);
  assert.throws(
    () => choice([0, 1], 3, { p: pt }),
    RangeError,
    "a float32 tensor p summing to 0.75",
  );
  assert.throws(() => choice([0, 1], 3, { p: [NaN, 0.5, 0.5] }), RangeError);
});

Deno.test("choice, permutation: no leaks; inputs stay alive", () => {
  using k = uniform([0, 1], [1]); // something live before
  using arr = tensor([1, 2, 3, 4]);
  const before = memory().tensors;
  const outs = [
    choice([0, 1], arr, { shape: [2] }),
    choice([0, 1], 4, { shape: [3], p: [0.25, 0.25, 0.25, 0.25] }),
    choice([0, 1], 4, { shape: [3], replace: false, p: [0.25, 0.25, 0.25, 0.25] }),
    permutation([0, 1], arr),
  ];
  assert.equal(memory().tensors, before + outs.length);
  outs.forEach((t) => t.dispose());
  assert.throws(() => choice([0, 1], arr, { shape: [9], replace: false }), RangeError);
  assert.equal(memory().tensors, before);
  assert.ok(!arr.isDisposed && !k.isDisposed);
});
