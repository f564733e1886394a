/**
 * The example systems of odes.py: values against the formulas of spec
 * diffeq.md (float64), batched states, dtype following x, options, errors.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { memory, setBackend } from "../../../core/engine.ts";
import { scalar, tensor } from "../../../core/ops/mod.ts";
import {
  cubic2D,
  linear2D,
  linear3D,
  lorenz,
  oscillator,
  type Time,
} from "../../../utils/diffeq/mod.ts";
import type { TensorLike } from "../../../core/ops/convert.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";

await setBackend("cpu");

type V = number[];
type Sys = (t: Time, x: TensorLike, params?: unknown) => Tensor;
const FORMULAS: Record<string, [Sys, number, (x: V) => V]> = {
  linear2D: [linear2D, 2, ([a, b]) => [-0.1 * a + 2 * b, -2 * a - 0.1 * b]],
  cubic2D: [cubic2D, 2, ([a, b]) => [-0.1 * a ** 3 + 2 * b ** 3, -2 * a ** 3 - 0.1 * b ** 3]],
  lorenz: [lorenz, 3, ([a, b, c]) => [10 * b - 10 * a, 28 * a - a * c - b, a * b - (8 / 3) * c]],
  linear3D: [linear3D, 3, ([a, b, c]) => [-0.1 * a + 2 * b, -2 * a - 0.1 * b, -0.3 * c]],
  oscillator: [oscillator, 3, ([x, y, z]) => {
    const [mu1, mu2, omega, alpha, beta, sigma] = [0.05, -0.01, 3.0, -2.0, -5.0, 1.1];
    return [
      mu1 * x + sigma * x * y,
      mu2 * y + (omega + alpha * y + beta * z) * z - sigma * x * x,
      mu2 * z - omega * y - alpha * y * y - beta * z * y,
    ];
  }],
};

for (const [name, [f, n, ref]] of Object.entries(FORMULAS)) {
  Deno.test(`${name}: formula on a batch (4, 3, n) in float64; t and params unused`, () => {
    const vals = Array.from(randomArray(12 * n, n + 3)).map((v) => 3 * v);
    using x = tensor(vals, { shape: [4, 3, n], dtype: "float64" });
    const before = memory().tensors;
    using dx = f(0.7, x, { ignored: true });
    assert.deepEqual([...dx.shape], [4, 3, n]);
    assert.equal(dx.dtype, "float64");
    const want: number[] = [];
    for (let i = 0; i < 12; i++) want.push(...ref(vals.slice(i * n, (i + 1) * n)));
    assertAllClose(dx.dataSync(), want, { rtol: 1e-13, atol: 1e-13, msg: name });
    // a 0-d tensor time gives the same result (t is unused)
    using t = scalar(5, "float64");
    using dx2 = f(t, x, undefined);
    assert.deepEqual([...dx2.dataSync()], [...dx.dataSync()]);
    assert.equal(memory().tensors, before + 3, "only dx, t, dx2 are new");
  });

  Deno.test(`${name}: float32 input stays float32; suggested x0; wrong last axis is a TypeError`, () => {
    const x0: Record<string, V> = {
      linear2D: [3, -1.5],
      cubic2D: [2, 0],
      lorenz: [-8, 7, 27],
      linear3D: [1, 1, -1],
      oscillator: [0.5, 0.05, 0.1],
    };
    using dx = f(0, x0[name], null);
    assert.equal(dx.dtype, "float32");
    assertAllClose(dx.dataSync(), ref(x0[name]), { rtol: 1e-6, atol: 1e-6 });
    const wrong = new Array(n + 1).fill(1);
    assert.throws(
      () => f(0, wrong, null),
      new RegExp(`${name}\\(\\): x must have shape \\(\\.\\.\\., ${n}\\)`),
    );
  });
}

Deno.test("lorenz: the suggested x0 gives [150, -15, -128]", () => {
  using dx = lorenz(0, [-8, 7, 27]);
  assert.deepEqual([...dx.dataSync()], [150, -15, -128]);
});

Deno.test("oscillator: keyword coefficients override the defaults; unknown or non-number ones throw", () => {
  const x = [0.5, 0.05, 0.1];
  using d = oscillator(0, tensor(x, { dtype: "float64" }), null, { omega: 2, sigma: 0 });
  const [a, b, c] = x;
  const [mu1, mu2, omega, alpha, beta, sigma] = [0.05, -0.01, 2, -2.0, -5.0, 0];
  assertAllClose(d.dataSync(), [
    mu1 * a + sigma * a * b,
    mu2 * b + (omega + alpha * b + beta * c) * c - sigma * a * a,
    mu2 * c - omega * b - alpha * b * b - beta * c * b,
  ], { rtol: 1e-14 });
  assert.throws(() => oscillator(0, x, null, { gamma: 1 } as never), RangeError);
  assert.throws(() => oscillator(0, x, null, { omega: "3" } as never), TypeError);
});

Deno.test("systems reject integer and 0-d states", () => {
  using xi = tensor([1, 2], { dtype: "int32" });
  assert.throws(() => linear2D(0, xi), /linear2D\(\): x must be a float tensor, got dtype int32/);
  assert.throws(() => lorenz(0, 1), /lorenz\(\): x must have at least one axis/);
});
