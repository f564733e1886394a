/**
 * `checkGrad`: compare the gradients of `grad` with central differences in
 * float64 on the cpu backend, and assert that nothing leaked.
 *
 * @module
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import { memory, setBackend, tidy } from "../../../core/engine.ts";
import { mul, sum, tensor } from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import { assertAllClose, flat, randomArray } from "../../helpers.ts";

await setBackend("cpu");

/** A test input: nested numbers (float64 on cpu). */
export type Input = number | number[] | number[][] | number[][][] | number[][][][];

function shapeOf(x: Input): number[] {
  const s: number[] = [];
  let c: unknown = x;
  while (Array.isArray(c)) {
    s.push(c.length);
    c = c[0];
  }
  return s;
}

/** Options of {@link checkGrad}. */
export interface CheckGradOptions {
  /** Finite-difference step (default 1e-6). */
  readonly h?: number;
  /** Relative tolerance (default 1e-6). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-7). */
  readonly atol?: number;
  /** Seed of the random output weights (default 7). */
  readonly seed?: number;
}

/**
 * Check `grad` of `Σ w ∘ f(...inputs)` (fixed random weights `w`, so every
 * output component is exercised) against central differences at step `h`,
 * input by input and element by element. Returns the analytic gradients.
 */
export function checkGrad(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Input[],
  options: CheckGradOptions = {},
): number[][] {
  const h = options.h ?? 1e-6;
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? 1e-7;
  const shapes = inputs.map(shapeOf);
  const values = inputs.map((x) => flat(x));
  const before = memory().tensors;
  const probe = tidy(() =>
    f(...values.map((v, i) => tensor(v, { shape: shapes[i], dtype: "float64" })))
  );
  const outShape = [...probe.shape];
  probe.dispose();
  const wVals = Array.from(
    randomArray(Math.max(outShape.reduce((a, b) => a * b, 1), 1), options.seed ?? 7),
  );
  const w = tensor(wVals.slice(0, outShape.reduce((a, b) => a * b, 1)), {
    shape: outShape,
    dtype: "float64",
  });
  const loss = (...xs: Tensor[]) => sum(mul(f(...xs), w));
  const evalAt = (vals: number[][]): number => {
    const t = tidy(() =>
      loss(...vals.map((v, i) => tensor(v, { shape: shapes[i], dtype: "float64" })))
    );
    const r = t.itemSync();
    t.dispose();
    return r;
  };
  const xs = values.map((v, i) => tensor(v, { shape: shapes[i], dtype: "float64" }));
  const argnums = inputs.map((_, i) => i);
  const gs = grad(loss, { argnums })(...xs) as Tensor[];
  const analytic = gs.map((g, i) => {
    assert.deepEqual([...g.shape], shapes[i], `gradient ${i} shape`);
    assert.equal(g.dtype, "float64", `gradient ${i} dtype`);
    return Array.from(g.dataSync());
  });
  for (const t of [...gs, ...xs]) t.dispose();
  values.forEach((v, i) => {
    const numeric = v.map((_, j) => {
      const plus = values.map((u) => [...u]), minus = values.map((u) => [...u]);
      plus[i][j] += h;
      minus[i][j] -= h;
      return (evalAt(plus) - evalAt(minus)) / (2 * h);
    });
    assertAllClose(analytic[i], numeric, { rtol, atol, msg: `d/dinput${i}` });
  });
  w.dispose();
  assert.equal(memory().tensors, before, "tensors leaked");
  return analytic;
}
