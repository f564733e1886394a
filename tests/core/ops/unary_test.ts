import assert from "node:assert/strict";
import type { UnaryOp } from "../../../backends/backend.ts";
import { tensor } from "../../../core/ops/creation.ts";
import * as U from "../../../core/ops/unary.ts";
import { assertAllClose } from "../../helpers.ts";
import { expectTensor, noF64, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

const sgm = (x: number) => 1 / (1 + Math.exp(-x));
const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** Float ops with a JS reference and inputs inside their domain. */
const FLOAT_REF: [keyof typeof U, (x: number) => number, number[]][] = [
  ["neg", (x) => -x, [-1.5, 0.25, 3]],
  ["abs", Math.abs, [-1.5, 0.25, 3]],
  ["exp", Math.exp, [-1, 0, 2.5]],
  ["expm1", Math.expm1, [-1, 1e-7, 2]],
  ["log", Math.log, [0.5, 1, 10]],
  ["log1p", Math.log1p, [-0.5, 1e-7, 3]],
  ["log2", Math.log2, [0.5, 8, 10]],
  ["sqrt", Math.sqrt, [0, 2, 9]],
  ["rsqrt", (x) => 1 / Math.sqrt(x), [0.25, 2, 9]],
  ["square", (x) => x * x, [-1.5, 0, 3]],
  ["reciprocal", (x) => 1 / x, [-4, 0.5, 3]],
  ["sin", Math.sin, [-1, 0, 2]],
  ["cos", Math.cos, [-1, 0, 2]],
  ["tan", Math.tan, [-1, 0, 1.2]],
  ["asin", Math.asin, [-1, 0, 0.5]],
  ["acos", Math.acos, [-1, 0, 0.5]],
  ["atan", Math.atan, [-10, 0, 2]],
  ["sinh", Math.sinh, [-1, 0, 2]],
  ["cosh", Math.cosh, [-1, 0, 2]],
  ["tanh", Math.tanh, [-1, 0, 2]],
  ["asinh", Math.asinh, [-1, 0, 2]],
  ["acosh", Math.acosh, [1, 2, 10]],
  ["atanh", Math.atanh, [-0.5, 0, 0.9]],
  ["sigmoid", sgm, [-3, 0, 2]],
  ["erf", (x) => [-0.8427007929497149, 0, 0.9953222650189527][[-1, 0, 2].indexOf(x)], [-1, 0, 2]],
  ["erfinv", (x) => [-0.4769362762044699, 0, 0.7328690779592167][[-0.5, 0, 0.7].indexOf(x)], [
    -0.5,
    0,
    0.7,
  ]],
  ["floor", Math.floor, [-1.5, 0.2, 2.7]],
  ["ceil", Math.ceil, [-1.5, 0.2, 2.7]],
  ["round", roundHalfEven, [-2.5, 0.5, 1.5]],
  ["trunc", Math.trunc, [-1.5, 0.2, 2.7]],
  ["sign", Math.sign, [-1.5, 0, 2.7]],
];

Deno.test("float unary ops match JS references in float32 and float64", () => {
  for (const [name, ref, xs] of FLOAT_REF) {
    const fn = U[name] as (x: unknown) => ReturnType<typeof U.exp>;
    const want = xs.map(ref);
    const r32 = read(fn(tensor(xs)));
    assert.equal(r32.dtype, "float32", name);
    assertAllClose(r32.v, want, { rtol: 4e-6, atol: 1e-6, msg: name });
    const r64 = read(fn(tensor(xs, { dtype: "float64" })));
    assert.equal(r64.dtype, "float64", name);
    assertAllClose(r64.v, xs.map(ref), { rtol: 1e-12, atol: 1e-14, msg: `${name} f64` });
  }
});

Deno.test("float-only ops cast int32 and bool inputs to float32 (as jnp)", () => {
  expectTensor(U.sqrt(new Int32Array([4, 9])), [2, 3], [2], "float32");
  const e = read(U.exp(tensor([true, false])));
  assert.equal(e.dtype, "float32");
  assertAllClose(e.v, [Math.E, 1]);
  expectTensor(U.reciprocal(new Int32Array([2])), [0.5], [1], "float32");
});

Deno.test("rounding ops keep integers and bools unchanged; arithmetic ops promote bool to int32", () => {
  for (const op of ["floor", "ceil", "round", "trunc"] as const) {
    expectTensor(U[op](new Int32Array([-3, 4])), [-3, 4], [2], "int32");
    expectTensor(U[op](tensor([true, false])), [1, 0], [2], "bool");
  }
  expectTensor(U.neg(new Int32Array([3, -4])), [-3, 4], [2], "int32");
  expectTensor(U.abs(new Int32Array([3, -4])), [3, 4], [2], "int32");
  expectTensor(U.square(new Int32Array([3, -4])), [9, 16], [2], "int32");
  expectTensor(U.sign(new Int32Array([3, 0, -4])), [1, 0, -1], [3], "int32");
  expectTensor(U.neg(tensor([true, false])), [-1, 0], [2], "int32");
  expectTensor(U.abs(tensor([true])), [1], [1], "int32");
});

Deno.test("sign keeps NaN; round is half-to-even; log of 0 is -Infinity", () => {
  const s = read(U.sign([NaN, -0.5]));
  assert.ok(Number.isNaN(s.v[0]));
  assert.equal(s.v[1], -1);
  expectTensor(U.round([0.5, 1.5, 2.5, -1.5]), [0, 2, 2, -2], [4], "float32");
  expectTensor(U.log([0]), [-Infinity], [1], "float32");
  assert.ok(Number.isNaN(read(U.sqrt([-1])).v[0]));
});

Deno.test("predicates return bool; integer inputs are never NaN or infinite", () => {
  expectTensor(U.isnan([NaN, 1, Infinity]), [1, 0, 0], [3], "bool");
  expectTensor(U.isinf([NaN, 1, -Infinity]), [0, 0, 1], [3], "bool");
  expectTensor(U.isfinite([NaN, 1, Infinity]), [0, 1, 0], [3], "bool");
  expectTensor(U.isnan(new Int32Array([1, 2])), [0, 0], [2], "bool");
  expectTensor(U.isinf(tensor([true])), [0], [1], "bool");
  expectTensor(U.isfinite(new Int32Array([1])), [1], [1], "bool");
  expectTensor(U.logicalNot([0, 2, -1]), [1, 0, 0], [3], "bool");
  expectTensor(U.logicalNot(tensor([true, false])), [0, 1], [2], "bool");
});

Deno.test("bitwiseNot on int32, uint32 and bool; floats are a TypeError", () => {
  expectTensor(U.bitwiseNot(new Int32Array([0, 5, -1])), [-1, -6, 0], [3], "int32");
  expectTensor(U.bitwiseNot(new Uint32Array([0])), [0xffffffff], [1], "uint32");
  expectTensor(U.bitwiseNot(tensor([true, false])), [0, 1], [2], "bool");
  throwsNoLeak(() => U.bitwiseNot([1.5]), TypeError, "bitwiseNot", /float32/);
});

Deno.test("unary ops keep shapes (0-d, empty) and do not leak", () => {
  expectTensor(U.neg(3), [-3], [], "float32");
  expectTensor(U.exp(tensor([], { shape: [0, 2] })), [], [0, 2], "float32");
  using x = tensor([[1, 2], [3, 4]]);
  for (const [name] of FLOAT_REF) {
    noLeak(() => (U[name] as (x: unknown) => unknown)(x));
    noLeak(() => (U[name] as (x: unknown) => unknown)([[1, 2]]));
    noLeak(() => (U[name] as (x: unknown) => unknown)(new Int32Array([1, 2])));
  }
  assert.equal(x.isDisposed, false);
});

Deno.test("unary ops: bad input", () => {
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => U.exp(d), TypeError, "exp", /disposed/);
  throwsNoLeak(() => U.sqrt("x" as never), TypeError, "sqrt");
  throwsNoLeak(() => U.unaryOp("nope" as UnaryOp, [1]), TypeError, "unaryOp", /unknown/);
  throwsNoLeak(() => U.unaryOp("bitsToUnit", [1]), TypeError, "bitsToUnit", /uint32/);
  throwsNoLeak(() => U.log(tensor([[1], [2, 3]] as never)), TypeError, "tensor");
  using f = tensor([1], { backend: noF64 });
  expectTensor(U.exp(f), [Math.fround(Math.E)], [1], "float32");
});
