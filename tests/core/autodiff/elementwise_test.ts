/**
 * Gradients of the elementwise ops against central differences (float64,
 * cpu), and JAX's conventions at kinks and ties.
 */

import assert from "node:assert/strict";
import { checkGrad } from "./check_grad.ts";
import * as o from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import { assertAllClose } from "../../helpers.ts";

const X = [0.31, -0.42, 0.77, -0.93, 0.12];
const POS = [0.35, 0.9, 1.7, 2.4, 0.6];
const UNIT = [0.3, -0.45, 0.6, -0.8, 0.05];
const ABOVE1 = [1.2, 1.7, 2.5, 3.1, 1.05];

const UNARY: [string, (x: Tensor) => Tensor, number[]][] = [
  ["neg", o.neg, X],
  ["abs", o.abs, X],
  ["exp", o.exp, X],
  ["expm1", o.expm1, X],
  ["log", o.log, POS],
  ["log1p", o.log1p, UNIT],
  ["log2", o.log2, POS],
  ["sqrt", o.sqrt, POS],
  ["rsqrt", o.rsqrt, POS],
  ["square", o.square, X],
  ["reciprocal", o.reciprocal, POS],
  ["sin", o.sin, X],
  ["cos", o.cos, X],
  ["tan", o.tan, X],
  ["asin", o.asin, UNIT],
  ["acos", o.acos, UNIT],
  ["atan", o.atan, X],
  ["sinh", o.sinh, X],
  ["cosh", o.cosh, X],
  ["tanh", o.tanh, X],
  ["asinh", o.asinh, X],
  ["acosh", o.acosh, ABOVE1],
  ["atanh", o.atanh, UNIT],
  ["sigmoid", o.sigmoid, X],
  ["erf", o.erf, X],
  ["erfinv", o.erfinv, UNIT],
];

for (const [name, f, xs] of UNARY) {
  Deno.test(`grad: unary ${name} matches central differences`, () => {
    checkGrad(f, [xs]);
  });
}

Deno.test("grad: rounding ops have zero gradient (JAX)", () => {
  for (const f of [o.floor, o.ceil, o.round, o.trunc, o.sign]) {
    const g = grad((x: Tensor) => o.sum(f(x)))(o.tensor([0.3, 1.7, -2.2], { dtype: "float64" }));
    assert.deepEqual([...g.dataSync()], [0, 0, 0]);
    g.dispose();
  }
});

Deno.test("grad: abs at 0 is 0 (sign convention)", () => {
  using x = o.tensor([0, -2, 3]);
  using g = grad((t: Tensor) => o.sum(o.abs(t)))(x);
  assert.deepEqual([...g.dataSync()], [0, -1, 1]);
});

const A = [[0.3, -1.2, 0.8], [1.5, 0.4, -0.7]];
const B = [[0.9, 0.25, -1.1], [-0.6, 1.3, 0.45]];
const BPOS = [[0.9, 0.25, 1.1], [0.6, 1.3, 0.45]];

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, number[][], number[][]][] = [
  ["add", o.add, A, B],
  ["sub", o.sub, A, B],
  ["mul", o.mul, A, B],
  ["div", o.div, A, B],
  ["pow", o.pow, BPOS, A],
  ["maximum", o.maximum, A, B],
  ["minimum", o.minimum, A, B],
  ["atan2", o.atan2, A, B],
  ["mod", o.mod, A, B],
  ["logaddexp", o.logaddexp, A, B],
];

for (const [name, f, a, b] of BINARY) {
  Deno.test(`grad: binary ${name} matches central differences`, () => {
    checkGrad(f, [a, b]);
  });
  Deno.test(`grad: binary ${name} with broadcasting sums back to operand shapes`, () => {
    // [2, 3] op [3] and [2, 1] op [1, 3] (both operands broadcast)
    checkGrad(f, [a, b[0]]);
    checkGrad(f, [[[a[0][0]], [a[1][1]]], [b[1]]]);
  });
}

Deno.test("grad: scalar-number operands are constants", () => {
  checkGrad((x) => o.add(o.mul(x, 3), 2), [X]);
  checkGrad((x) => o.pow(x, 3), [X]);
  checkGrad((x) => o.div(1, x), [POS]);
});

Deno.test("grad: maximum/minimum split ties 0.5/0.5 (JAX)", () => {
  using a = o.tensor([1, 2, 3]);
  using b = o.tensor([1, 5, 0]);
  const [ga, gb] = grad((x: Tensor, y: Tensor) => o.sum(o.maximum(x, y)), { argnums: [0, 1] })(
    a,
    b,
  );
  assert.deepEqual([...ga.dataSync()], [0.5, 0, 1]);
  assert.deepEqual([...gb.dataSync()], [0.5, 1, 0]);
  const [ha, hb] = grad((x: Tensor, y: Tensor) => o.sum(o.minimum(x, y)), { argnums: [0, 1] })(
    a,
    b,
  );
  assert.deepEqual([...ha.dataSync()], [0.5, 1, 0]);
  assert.deepEqual([...hb.dataSync()], [0.5, 0, 1]);
  for (const t of [ga, gb, ha, hb]) t.dispose();
});

Deno.test("grad: pow conventions at zero base and zero exponent (JAX)", () => {
  using a = o.tensor([0, 2, 0]);
  using b = o.tensor([2, 0, 0]);
  const [ga, gb] = grad((x: Tensor, y: Tensor) => o.sum(o.pow(x, y)), { argnums: [0, 1] })(a, b);
  // d/da: b·a^(b−1) → [0, 0 (b = 0), 0 (b = 0)]; d/db: log(a)·a^b with log(1) at a = 0
  assert.deepEqual([...ga.dataSync()], [0, 0, 0]);
  assertAllClose(gb.dataSync(), [0, Math.LN2, 0]);
  ga.dispose();
  gb.dispose();
});

Deno.test("grad: where/select gives no gradient to the condition and splits the branches", () => {
  checkGrad((a, b) => o.where(o.greater(a, b), a, o.mul(b, b)), [A, B]);
  checkGrad((a) => o.where([true, false, true], a, 0), [A[0]]);
  // broadcast branches
  checkGrad((a, b) => o.where([[true], [false]], a, b), [A[0], [[0.5], [1.5]]]);
});

Deno.test("grad: clip passes the gradient inside the bounds only", () => {
  using x = o.tensor([-2, 0.5, 3]);
  using g = grad((t: Tensor) => o.sum(o.clip(t, -1, 1)))(x);
  assert.deepEqual([...g.dataSync()], [0, 1, 0]);
  checkGrad((t) => o.clip(t, -0.5, 0.5), [[0.1, -0.2, 0.3, 0.45]]);
});

Deno.test("grad: cast float→float passes through, to int gives no gradient", () => {
  // through float32 (linear, so a large step is exact up to float32 rounding)
  checkGrad((x) => o.cast(o.mul(o.cast(x, "float32"), 2), "float64"), [[0.5, 0.25]], {
    h: 1e-2,
    rtol: 1e-4,
  });
  using x = o.tensor([1.5, 2.5], { dtype: "float64" });
  using g = grad((t: Tensor) => o.sum(o.mul(o.cast(o.cast(t, "int32"), "float64"), t)))(x);
  // only the direct factor contributes: d/dx (int(x)·x) = int(x)
  assert.deepEqual([...g.dataSync()], [1, 2]);
  assert.equal(g.dtype, "float64");
});

Deno.test("grad: softmax, logSoftmax, logSumExp, sigmoid chains", () => {
  checkGrad((x) => o.softmax(x), [A]);
  checkGrad((x) => o.logSoftmax(x, { axis: 0 }), [A]);
  checkGrad((x) => o.logSumExp(x, { axis: 1 }), [A]);
  checkGrad((x) => o.mul(o.sigmoid(x), o.tanh(x)), [X]);
});
