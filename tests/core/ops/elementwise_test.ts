import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/creation.ts";
import * as E from "../../../core/ops/elementwise.ts";
import { assertAllClose } from "../../helpers.ts";
import { cpu, expectTensor, noF64, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("elementwise.ts re-exports the unary and binary ops", () => {
  for (
    const name of ["exp", "neg", "bitwiseNot", "add", "div", "shiftRight", "unaryOp", "binaryOp"]
  ) {
    assert.equal(typeof (E as Record<string, unknown>)[name], "function", name);
  }
});

Deno.test("where: three-way broadcast, promotion, weak scalars, non-bool conditions", () => {
  expectTensor(E.where([true, false, true], [1, 2, 3], 0), [1, 0, 3], [3], "float32");
  expectTensor(E.where([[true], [false]], [1, 2], [10, 20]), [1, 2, 10, 20], [2, 2], "float32");
  expectTensor(
    E.where([1, 0], new Int32Array([1, 2]), new Int32Array([7, 8])),
    [1, 8],
    [2],
    "int32",
  );
  expectTensor(E.where([0, 2], new Int32Array([1, 2]), 0.5), [0.5, 2], [2], "float32");
  expectTensor(E.where([NaN, 0], 1, 2), [1, 2], [2], "float32");
  expectTensor(E.where(true, tensor([true]), false), [1], [1], "bool");
  using c = tensor([true, false], { backend: noF64 });
  const r = E.where(c, 1, [5, 6]);
  assert.equal(r.backend, noF64);
  expectTensor(r, [1, 6], [2], "float32");
  noLeak(() => E.where([true, false], [1, 2], 3));
});

Deno.test("where: bad input", () => {
  throwsNoLeak(() => E.where([true, false, true], [1, 2], 0), TypeError, "where", /broadcast/);
  using c = tensor([true], { backend: noF64 });
  using v = tensor([1], { backend: cpu });
  throwsNoLeak(() => E.where(c, v, 0), TypeError, "where", /toBackend/);
  const d = tensor([true]);
  d.dispose();
  throwsNoLeak(() => E.where(d, 1, 0), TypeError, "where", /disposed/);
});

Deno.test("cast: truncation, NaN → 0, bool, float64 capability", () => {
  expectTensor(E.cast([1.7, -1.7, NaN, 0], "int32"), [1, -1, 0, 0], [4], "int32");
  expectTensor(E.cast([0, 0.5, -2], "bool"), [0, 1, 1], [3], "bool");
  expectTensor(E.cast(tensor([true, false]), "float32"), [1, 0], [2], "float32");
  expectTensor(E.cast(new Int32Array([-1]), "uint32"), [0xffffffff], [1], "uint32");
  expectTensor(E.cast([0.1], "float64"), [Math.fround(0.1)], [1], "float64");
  using x = tensor([1, 2]);
  const same = E.cast(x, "float32");
  assert.notEqual(same, x);
  expectTensor(same, [1, 2], [2], "float32");
  using nf = tensor([1], { backend: noF64 });
  throwsNoLeak(() => E.cast(nf, "float64"), TypeError, "cast", /float64/);
  throwsNoLeak(() => E.cast(x, "float16" as never), TypeError, "cast", /unknown dtype/);
  noLeak(() => E.cast([[1, 2]], "int32"));
});

Deno.test("bitsToUnit maps uint32 bits to [0, 1) like jax.random.uniform", () => {
  const r = read(E.bitsToUnit(new Uint32Array([0, 1 << 9, 0x80000000, 0xffffffff])));
  assert.equal(r.dtype, "float32");
  assert.deepEqual(r.v.slice(0, 3), [0, 2 ** -23, 0.5]);
  assert.equal(r.v[3], 1 - 2 ** -23);
  throwsNoLeak(() => E.bitsToUnit(new Int32Array([1])), TypeError, "bitsToUnit", /uint32/);
});

Deno.test("clip: both bounds, one bound, array bounds, promotion", () => {
  expectTensor(E.clip([-2, 0.5, 3], 0, 1), [0, 0.5, 1], [3], "float32");
  expectTensor(E.clip([-2, 0.5, 3], undefined, 1), [-2, 0.5, 1], [3], "float32");
  expectTensor(E.clip([-2, 0.5, 3], 0), [0, 0.5, 3], [3], "float32");
  expectTensor(E.clip([-2, 0.5, 3], null, null), [-2, 0.5, 3], [3], "float32");
  expectTensor(E.clip([[1, 5], [3, 7]], [2, 4], 6), [2, 5, 3, 6], [2, 2], "float32");
  expectTensor(E.clip(new Int32Array([-5, 5]), -1, 1), [-1, 1], [2], "int32");
  expectTensor(E.clip(new Int32Array([-5, 5]), -1.5, 1), [-1.5, 1], [2], "float32");
  using x = tensor([1]);
  const c = E.clip(x);
  assert.notEqual(c, x);
  c.dispose();
  throwsNoLeak(() => E.clip([1, 2, 3], [0, 1]), TypeError, "maximum", /broadcast/);
  noLeak(() => E.clip([1, 2, 3], 1, 2));
});

Deno.test("nanToNum replaces NaN and infinities", () => {
  expectTensor(
    E.nanToNum([NaN, Infinity, -Infinity, 1]),
    [0, 3.4028234663852886e38, -3.4028234663852886e38, 1],
    [4],
    "float32",
  );
  expectTensor(
    E.nanToNum(tensor([NaN, Infinity, -Infinity], { dtype: "float64" }), { nan: 1, neginf: -2 }),
    [1, Number.MAX_VALUE, -2],
    [3],
    "float64",
  );
  expectTensor(E.nanToNum(new Int32Array([3])), [3], [1], "int32");
  throwsNoLeak(() => E.nanToNum([1], { nan: "0" as never }), TypeError, "nanToNum");
  noLeak(() => E.nanToNum([NaN, 1]));
  assertAllClose(read(E.nanToNum([0.5])).v, [0.5]);
});
