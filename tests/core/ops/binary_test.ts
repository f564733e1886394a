import assert from "node:assert/strict";
import fc from "fast-check";
import type { BinaryOp } from "../../../backends/backend.ts";
import { tensor } from "../../../core/ops/creation.ts";
import * as B from "../../../core/ops/binary.ts";
import { assertAllClose } from "../../helpers.ts";
import { expectTensor, noF64, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("arithmetic values with broadcasting", () => {
  expectTensor(B.add([[1], [2]], [10, 20, 30]), [11, 21, 31, 12, 22, 32], [2, 3], "float32");
  expectTensor(B.sub([5, 6], [[1], [2]]), [4, 5, 3, 4], [2, 2], "float32");
  expectTensor(B.mul([1, 2, 3], 2), [2, 4, 6], [3], "float32");
  expectTensor(B.div([1, 3], [4, 2]), [0.25, 1.5], [2], "float32");
  expectTensor(B.pow([2, 3, 4], [3, 2, 0.5]), [8, 9, 2], [3], "float32");
});

Deno.test("floorDiv and mod follow Python (sign of the divisor)", () => {
  expectTensor(B.floorDiv([7, -7, 7, -7], [2, 2, -2, -2]), [3, -4, -4, 3], [4], "float32");
  expectTensor(B.mod([7, -7, 7, -7], [3, 3, -3, -3]), [1, 2, -2, -1], [4], "float32");
  const i = (v: number[]) => new Int32Array(v);
  expectTensor(B.floorDiv(i([7, -7, 7, -7]), i([2, 2, -2, -2])), [3, -4, -4, 3], [4], "int32");
  expectTensor(B.mod(i([7, -7, 7, -7]), i([3, 3, -3, -3])), [1, 2, -2, -1], [4], "int32");
  expectTensor(B.floorDiv(i([5]), i([0])), [0], [1], "int32");
});

Deno.test("maximum/minimum propagate NaN; atan2 quadrants", () => {
  const mx = read(B.maximum([1, 5, NaN], [3, 2, 0]));
  assert.deepEqual(mx.v.slice(0, 2), [3, 5]);
  assert.ok(Number.isNaN(mx.v[2]));
  const mn = read(B.minimum([1, NaN], [3, 0]));
  assert.equal(mn.v[0], 1);
  assert.ok(Number.isNaN(mn.v[1]));
  assertAllClose(read(B.atan2([1, 1, -1], [1, -1, -1])).v, [
    Math.PI / 4,
    3 * Math.PI / 4,
    -3 * Math.PI / 4,
  ]);
});

Deno.test("promotion: int32 + float32 → float32; weak JS numbers keep the tensor dtype", () => {
  const i = new Int32Array([1, 2]);
  expectTensor(B.add(i, [0.5, 0.5]), [1.5, 2.5], [2], "float32");
  expectTensor(B.add(i, 3), [4, 5], [2], "int32");
  expectTensor(B.mul(i, 2.5), [2.5, 5], [2], "float32");
  expectTensor(B.add(tensor([1], { dtype: "float64" }), tensor([2])), [3], [1], "float64");
  expectTensor(B.add(tensor([1], { dtype: "float64" }), 0.1), [1.1], [1], "float64");
  expectTensor(
    B.add(tensor([0.5]), 0.1),
    [Math.fround(Math.fround(0.5) + Math.fround(0.1))],
    [1],
    "float32",
  );
  expectTensor(B.add(new Uint32Array([1]), new Int32Array([2])), [3], [1], "int32");
  expectTensor(B.add(tensor([true, false]), 2), [3, 2], [2], "int32");
  expectTensor(B.mul(tensor([true, false]), 0.5), [0.5, 0], [2], "float32");
  expectTensor(B.sub(3, [1, 2]), [2, 1], [2], "float32");
});

Deno.test("integer division gives float32 (as jnp true_divide)", () => {
  expectTensor(B.div(new Int32Array([1, 3]), new Int32Array([2, 2])), [0.5, 1.5], [2], "float32");
  expectTensor(B.div(tensor([true]), tensor([true])), [1], [1], "float32");
  expectTensor(B.div(new Int32Array([1]), 0), [Infinity], [1], "float32");
  expectTensor(B.atan2(new Int32Array([0]), new Int32Array([1])), [0], [1], "float32");
  expectTensor(
    B.div(tensor([1], { dtype: "float64" }), new Int32Array([4])),
    [0.25],
    [1],
    "float64",
  );
});

Deno.test("bool arithmetic follows jnp: add/max = or, mul/min = and, sub refused", () => {
  const t = () => tensor([true, true, false, false]);
  const f = () => tensor([true, false, true, false]);
  expectTensor(B.add(t(), f()), [1, 1, 1, 0], [4], "bool");
  expectTensor(B.maximum(t(), f()), [1, 1, 1, 0], [4], "bool");
  expectTensor(B.mul(t(), f()), [1, 0, 0, 0], [4], "bool");
  expectTensor(B.minimum(t(), f()), [1, 0, 0, 0], [4], "bool");
  expectTensor(B.pow(t(), f()), [1, 1, 0, 1], [4], "int32");
  expectTensor(B.equal(t(), f()), [1, 0, 0, 1], [4], "bool");
  using a = t();
  using b = f();
  throwsNoLeak(() => B.sub(a, b), TypeError, "sub", /bool/);
});

Deno.test("comparisons promote then return bool", () => {
  const x = [1, 2, 3];
  expectTensor(B.equal(x, 2), [0, 1, 0], [3], "bool");
  expectTensor(B.notEqual(x, 2), [1, 0, 1], [3], "bool");
  expectTensor(B.less(x, 2), [1, 0, 0], [3], "bool");
  expectTensor(B.lessEqual(x, 2), [1, 1, 0], [3], "bool");
  expectTensor(B.greater(x, 2), [0, 0, 1], [3], "bool");
  expectTensor(B.greaterEqual(x, 2), [0, 1, 1], [3], "bool");
  expectTensor(B.less(new Int32Array([1, 2]), 1.5), [1, 0], [2], "bool");
  expectTensor(B.equal([NaN], [NaN]), [0], [1], "bool");
  expectTensor(B.notEqual([NaN], [NaN]), [1], [1], "bool");
});

Deno.test("logical ops test != 0; bitwise ops and shifts on integers", () => {
  expectTensor(B.logicalAnd([0, 1, 2, 0], [0, 0, 3, 5]), [0, 0, 1, 0], [4], "bool");
  expectTensor(B.logicalOr([0, 1, 2, 0], [0, 0, 3, 5]), [0, 1, 1, 1], [4], "bool");
  expectTensor(B.logicalXor([0, 1, 2, 0], [0, 0, 3, 5]), [0, 1, 0, 1], [4], "bool");
  const i = (v: number[]) => new Int32Array(v);
  expectTensor(B.bitwiseAnd(i([12, -1]), i([10, 7])), [8, 7], [2], "int32");
  expectTensor(B.bitwiseOr(i([12, 0]), i([10, 7])), [14, 7], [2], "int32");
  expectTensor(B.bitwiseXor(i([12, -1]), i([10, 0])), [6, -1], [2], "int32");
  expectTensor(B.bitwiseAnd(i([12]), 6), [4], [1], "int32");
  expectTensor(B.bitwiseOr(tensor([true, false]), tensor([false, false])), [1, 0], [2], "bool");
  expectTensor(B.shiftLeft(i([1, 1]), i([3, 33])), [8, 2], [2], "int32");
  expectTensor(B.shiftRight(i([-16]), i([2])), [-4], [1], "int32");
  expectTensor(
    B.shiftRight(new Uint32Array([0x80000000]), new Uint32Array([31])),
    [1],
    [1],
    "uint32",
  );
  expectTensor(B.shiftLeft(tensor([true]), 2), [4], [1], "int32");
  for (const op of ["bitwiseAnd", "bitwiseOr", "bitwiseXor", "shiftLeft", "shiftRight"] as const) {
    throwsNoLeak(() => B[op]([1.5], i([1])), TypeError, op, /integer/);
  }
});

Deno.test("binary ops: bad input", () => {
  throwsNoLeak(() => B.add([1, 2, 3], [1, 2]), TypeError, "add", /\[3\].*\[2\]/);
  throwsNoLeak(() => B.mul([[1, 2, 3]], [[1, 2], [3, 4]]), TypeError, "mul", /\[1, 3\].*\[2, 2\]/);
  using row = tensor([[1, 2]]);
  throwsNoLeak(() => B.equal(row, [[1, 0, 0], [2, 0, 0]]), TypeError, "equal", /broadcast/);
  using f64 = tensor([1], { dtype: "float64" });
  using nf = tensor([1], { backend: noF64 });
  throwsNoLeak(() => B.add(f64, nf), TypeError, "add", /different backends/);
  throwsNoLeak(
    () => B.add([1], tensor([1], { dtype: "float64", backend: noF64 })),
    TypeError,
    "tensor",
  );
  throwsNoLeak(() => B.binaryOp("nope" as BinaryOp, 1, 2), TypeError, "binaryOp", /unknown/);
  throwsNoLeak(() => B.add("a" as never, 1), TypeError, "add");
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => B.add(d, 1), TypeError, "add", /disposed/);
  throwsNoLeak(() => B.add(1, d), TypeError, "add", /disposed/);
  assert.equal(B.broadcastShape("f", [2, 1, 3], [4, 1], []).join(), "2,4,3");
  throwsNoLeak(() => B.broadcastShape("f", [2], [3]), TypeError, "f", /cannot be broadcast/);
});

Deno.test("binary ops keep inputs alive and do not leak", () => {
  using a = tensor([[1, 2], [3, 4]]);
  using b = tensor([1, 2], { dtype: "int32" });
  for (const op of ["add", "sub", "mul", "div", "pow", "maximum", "equal", "logicalAnd"] as const) {
    noLeak(() => B[op](a, b));
    noLeak(() => B[op](a, 2));
    noLeak(() => B[op]([[1, 2]], 3));
  }
  noLeak(() => B.bitwiseAnd(b, 3));
  assert.ok(!a.isDisposed && !b.isDisposed);
});

/** Naive broadcasting reference over flat row-major values. */
function naiveBinary(
  f: (x: number, y: number) => number,
  a: number[],
  as: number[],
  b: number[],
  bs: number[],
): { v: number[]; shape: number[] } {
  const rank = Math.max(as.length, bs.length);
  const pa = [...new Array(rank - as.length).fill(1), ...as];
  const pb = [...new Array(rank - bs.length).fill(1), ...bs];
  const shape = pa.map((d, i) => Math.max(d, pb[i]) * (d === 0 || pb[i] === 0 ? 0 : 1));
  const size = shape.reduce((p, d) => p * d, 1);
  const v: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let r = flat, ia = 0, ib = 0, sa = 1, sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const c = r % shape[d];
      r = Math.floor(r / shape[d]);
      ia += (pa[d] === 1 ? 0 : c) * sa;
      ib += (pb[d] === 1 ? 0 : c) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    v.push(f(a[ia], b[ib]));
  }
  return { v, shape };
}

const shapePair = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 4 }).chain((
  base,
) =>
  fc.tuple(
    fc.constant(base),
    fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
    fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
    fc.integer({ min: 0, max: base.length }),
    fc.integer({ min: 0, max: base.length }),
  ).map(([s, ones1, ones2, dropA, dropB]) => {
    const a = s.map((d, i) => (ones1[i] ? 1 : d)).slice(dropA);
    const b = s.map((d, i) => (ones2[i] ? 1 : d)).slice(dropB);
    return [a, b] as const;
  })
);

const OPS: [BinaryOp, (x: number, y: number) => number][] = [
  ["add", (x, y) => x + y],
  ["sub", (x, y) => x - y],
  ["mul", (x, y) => x * y],
  ["maximum", Math.max],
  ["greater", (x, y) => (x > y ? 1 : 0)],
];

Deno.test("property: binary ops on random compatible shapes match a naive broadcast", () => {
  fc.assert(
    fc.property(
      shapePair,
      fc.integer({ min: 0, max: OPS.length - 1 }),
      fc.integer(),
      ([as, bs], k, seed) => {
        const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
        const rnd = (n: number, s: number) =>
          Array.from({ length: n }, (_, i) => ((i * 7919 + s) % 13) - 6);
        const av = rnd(size(as), seed), bv = rnd(size(bs), seed >>> 3);
        const [op, f] = OPS[k];
        const want = naiveBinary(f, av, [...as], bv, [...bs]);
        for (const dtype of ["float32", "int32"] as const) {
          using ta = tensor(av, { shape: as, dtype });
          using tb = tensor(bv, { shape: bs, dtype });
          const r = noLeak(() => read(B.binaryOp(op, ta, tb)));
          assert.deepEqual(r.shape, want.shape);
          assert.equal(r.dtype, op === "greater" ? "bool" : dtype);
          const z = (v: number[]) => v.map((x) => (x === 0 ? 0 : x)); // -0 == 0
          assert.deepEqual(z(r.v), z(want.v));
        }
      },
    ),
    { numRuns: 150 },
  );
});
