/**
 * Keys, split, fold_in, bits and the raw block against the host reference
 * (tests/core/random/_ref.ts), layouts, and bad input.
 */

import assert from "node:assert/strict";
import { memory, tensor } from "../../../mod.ts";
import {
  bits,
  foldIn,
  getDefaultLayout,
  key,
  type Layout,
  setDefaultLayout,
  split,
  threefry2x32,
} from "../../../core/random/mod.ts";
import { bitsRef, countRef, splitRef, threefryRef } from "./_ref.ts";

const LAYOUTS: Layout[] = ["partitionable", "legacy"];
const KEYS = [[0, 0], [0, 42], [123456789, 987654321], [0xffffffff, 1], [2718843009, 1272950319]];

Deno.test("key: [0, seed mod 2^32] for int64 seeds (x64 disabled)", () => {
  const cases: [number | bigint, number[]][] = [
    [0, [0, 0]],
    [7, [0, 7]],
    [2 ** 31 + 99, [0, 2 ** 31 + 99]],
    [-1, [0, 4294967295]],
    [2 ** 32 + 5, [0, 5]],
    [-(2 ** 32) - 2, [0, 4294967294]],
    [2n ** 63n - 1n, [0, 4294967295]],
    [-(2n ** 63n), [0, 0]],
  ];
  for (const [seed, want] of cases) {
    using k = key(seed);
    assert.equal(k.dtype, "uint32");
    assert.deepEqual(Array.from(k.dataSync()), want, `seed ${seed}`);
  }
});

Deno.test("key: from a 0-d int32/uint32 tensor on the device", () => {
  using s = tensor(-3, { dtype: "int32" });
  using k = key(s);
  assert.deepEqual(Array.from(k.dataSync()), [0, 4294967293]);
  assert.equal(s.isDisposed, false);
});

Deno.test("key: bad seeds", () => {
  assert.throws(() => key(1.5), TypeError);
  assert.throws(() => key(NaN), TypeError);
  assert.throws(() => key(Infinity), TypeError);
  assert.throws(() => key("3" as unknown as number), TypeError);
  assert.throws(() => key(2n ** 63n), RangeError);
  assert.throws(() => key(2 ** 64), RangeError);
  using f = tensor(1.0);
  assert.throws(() => key(f), TypeError);
  using v = tensor([1, 2], { dtype: "int32" });
  assert.throws(() => key(v), TypeError);
  assert.throws(() => key(-1.5), /key\(\): seed must be an integer/);
});

Deno.test("split: matches the reference in both layouts", () => {
  for (const layout of LAYOUTS) {
    for (const k of KEYS) {
      for (const n of [1, 2, 3, 7]) {
        using ks = split(k, n, { layout });
        assert.deepEqual(ks.shape, [n, 2]);
        assert.deepEqual(ks.arraySync(), splitRef(k, n, layout), `${layout} ${k} ${n}`);
      }
    }
  }
});

Deno.test("split: default num is 2; num 0 gives [0, 2]; bad num", () => {
  using ks = split([0, 1]);
  assert.deepEqual(ks.shape, [2, 2]);
  using none = split([0, 1], 0);
  assert.deepEqual(none.shape, [0, 2]);
  assert.throws(() => split([0, 1], 1.5), TypeError);
  assert.throws(() => split([0, 1], -1), RangeError);
  assert.throws(() => split([0, 1], 2, { layout: "other" as Layout }), RangeError);
});

Deno.test("foldIn: tf(key; 0, data) in every layout, number or tensor data", () => {
  for (const k of KEYS) {
    for (const d of [0, 1, 4, 12345, 0xffffffff]) {
      for (const layout of LAYOUTS) {
        const prev = setDefaultLayout(layout);
        try {
          using out = foldIn(k, d);
          assert.deepEqual(Array.from(out.dataSync()), threefryRef(k[0], k[1], 0, d));
        } finally {
          setDefaultLayout(prev);
        }
      }
    }
  }
  using d = tensor(-1, { dtype: "int32" });
  using out = foldIn([0, 7], d);
  assert.deepEqual(Array.from(out.dataSync()), threefryRef(0, 7, 0, 0xffffffff));
});

Deno.test("foldIn: bad data", () => {
  assert.throws(() => foldIn([0, 0], 1.5), TypeError);
  assert.throws(() => foldIn([0, 0], -1), RangeError);
  assert.throws(() => foldIn([0, 0], 2 ** 32), RangeError);
  using f = tensor(2);
  assert.throws(() => foldIn([0, 0], f), TypeError);
});

Deno.test("bits: matches the reference, odd and large sizes, both layouts", () => {
  for (const layout of LAYOUTS) {
    for (const k of KEYS) {
      for (const m of [1, 2, 5, 1001]) {
        using b = bits(k, [m], { layout });
        assert.equal(b.dtype, "uint32");
        assert.deepEqual(Array.from(b.dataSync()), bitsRef(k, m, layout), `${layout} ${k} ${m}`);
      }
    }
  }
});

Deno.test("bits: shapes (scalar, number, nested, empty) and bad shapes", () => {
  using s = bits([0, 3]);
  assert.deepEqual(s.shape, []);
  using one = bits([0, 3], 4);
  assert.deepEqual(one.shape, [4]);
  using m = bits([0, 3], [2, 3, 4]);
  assert.deepEqual(m.shape, [2, 3, 4]);
  assert.deepEqual(Array.from(m.dataSync()), bitsRef([0, 3], 24, getDefaultLayout()));
  using e = bits([0, 3], [3, 0]);
  assert.deepEqual(e.shape, [3, 0]);
  assert.throws(() => bits([0, 3], [-1]), RangeError);
  assert.throws(() => bits([0, 3], [1.5]), RangeError);
  assert.throws(() => bits([0, 3], "3" as unknown as number[]), TypeError);
});

Deno.test("setDefaultLayout switches the stream and returns the previous default", () => {
  assert.equal(getDefaultLayout(), "partitionable");
  const prev = setDefaultLayout("legacy");
  try {
    assert.equal(prev, "partitionable");
    using b = bits([0, 0], [4]);
    assert.deepEqual(Array.from(b.dataSync()), [4146024105, 967050713, 2718843009, 1272950319]);
    using p = bits([0, 0], [4], { layout: "partitionable" }); // per-call option wins
    assert.deepEqual(Array.from(p.dataSync()), bitsRef([0, 0], 4, "partitionable"));
  } finally {
    setDefaultLayout(prev);
  }
  assert.throws(() => setDefaultLayout("x" as Layout), RangeError);
  assert.equal(getDefaultLayout(), "partitionable");
});

Deno.test("threefry2x32: raw block over count arrays of any shape", () => {
  const counts = [5, 9, 100, 0xffffffff, 3, 77, 1];
  using y = threefry2x32([1, 2], counts);
  assert.deepEqual(Array.from(y.dataSync()), countRef([1, 2], counts));
  using c = tensor([[1, 2], [3, 4]], { dtype: "uint32" });
  using y2 = threefry2x32([0, 42], c);
  assert.deepEqual(y2.shape, [2, 2]);
  assert.deepEqual(Array.from(y2.dataSync()), countRef([0, 42], [1, 2, 3, 4]));
  using u = threefry2x32([0, 0], new Uint32Array([0, 0]));
  assert.deepEqual(Array.from(u.dataSync()), [1797259609, 2579123966]);
});

Deno.test("threefry2x32: bad counts", () => {
  assert.throws(() => threefry2x32([0, 0], [-1, 0]), RangeError);
  assert.throws(() => threefry2x32([0, 0], [0.5, 0]), TypeError);
  using f = tensor([1, 2]);
  assert.throws(() => threefry2x32([0, 0], f), TypeError);
});

Deno.test("keys: tensor, array and Uint32Array give the same stream; bad keys", () => {
  using kt = tensor([0, 42], { dtype: "uint32" });
  using a = bits(kt, [3]);
  using b = bits([0, 42], [3]);
  using c = bits(new Uint32Array([0, 42]), [3]);
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.deepEqual(b.dataSync(), c.dataSync());
  assert.throws(() => bits([1, 2, 3], [2]), TypeError);
  assert.throws(() => bits([1.5, 2], [2]), TypeError);
  assert.throws(() => bits([-1, 2], [2]), RangeError);
  assert.throws(() => bits([2 ** 32, 2], [2]), RangeError);
  assert.throws(() => bits("k" as unknown as number[], [2]), TypeError);
  using f = tensor([0, 42]);
  assert.throws(() => bits(f, [2]), /bits\(\): key must be a uint32 tensor of shape \[2\]/);
  using k3 = tensor([0, 1, 2], { dtype: "uint32" });
  assert.throws(() => split(k3), TypeError);
  const dead = tensor([0, 1], { dtype: "uint32" });
  dead.dispose();
  assert.throws(() => split(dead), TypeError);
});

Deno.test("keys: inputs stay alive and only the result is left allocated", () => {
  using k = key(3);
  const before = memory().tensors;
  const out = [split(k, 4), foldIn(k, 9), bits(k, [10]), threefry2x32(k, [1, 2, 3])];
  assert.equal(memory().tensors, before + out.length);
  assert.equal(k.isDisposed, false);
  for (const t of out) t.dispose();
  assert.equal(memory().tensors, before);
  assert.throws(() => bits(k, [-2]), RangeError);
  assert.equal(memory().tensors, before, "nothing leaks on error");
});
