import assert from "node:assert/strict";
import fc from "fast-check";
import { tensor, zeros } from "../../../core/ops/creation.ts";
import {
  all,
  any,
  argmax,
  argmin,
  countNonzero,
  cumsum,
  max,
  mean,
  min,
  prod,
  sum,
} from "../../../core/ops/reduce.ts";
import { assertAllClose } from "../../helpers.ts";
import { expectTensor, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

const X = [[1, 5, 3], [4, 2, 6]];

Deno.test("sum and prod: axes, negative axes, keepdims, dtypes", () => {
  expectTensor(sum(X), [21], [], "float32");
  expectTensor(sum(X, { axis: 0 }), [5, 7, 9], [3], "float32");
  expectTensor(sum(X, { axis: -1, keepdims: true }), [9, 12], [2, 1], "float32");
  expectTensor(sum(X, { axis: [0, 1], keepdims: true }), [21], [1, 1], "float32");
  expectTensor(sum(X, { axis: [] }), [1, 5, 3, 4, 2, 6], [2, 3], "float32");
  expectTensor(sum(new Int32Array([1, 2])), [3], [], "int32");
  expectTensor(sum(tensor([true, true, false])), [2], [], "int32");
  expectTensor(sum(tensor([0.5], { dtype: "float64" })), [0.5], [], "float64");
  expectTensor(sum(zeros([0, 2]), { axis: 0 }), [0, 0], [2], "float32");
  expectTensor(sum(7), [7], [], "float32");
  expectTensor(prod(X, { axis: 1 }), [15, 48], [2], "float32");
  expectTensor(prod(tensor([true, false])), [0], [], "int32");
  expectTensor(prod(zeros([0])), [1], [], "float32");
  noLeak(() => sum(X, { axis: 1, keepdims: true }));
  using b = tensor([true]);
  noLeak(() => sum(b, { axis: [] }));
});

Deno.test("max, min propagate NaN; empty axes are refused", () => {
  expectTensor(max(X), [6], [], "float32");
  expectTensor(max(X, { axis: 0, keepdims: true }), [4, 5, 6], [1, 3], "float32");
  expectTensor(min(X, { axis: -1 }), [1, 2], [2], "float32");
  expectTensor(min(new Int32Array([3, -2])), [-2], [], "int32");
  expectTensor(max(tensor([false, true])), [1], [], "bool");
  assert.ok(Number.isNaN(read(max([1, NaN, 3])).v[0]));
  assert.ok(Number.isNaN(read(min([1, NaN, 3])).v[0]));
  expectTensor(max(zeros([0, 2]), { axis: 1 }), [], [0], "float32");
  throwsNoLeak(() => max([]), RangeError, "max", /zero-size/);
  throwsNoLeak(() => min([[], []], { axis: 1 }), RangeError, "min", /zero-size/);
});

Deno.test("any and all test != 0", () => {
  expectTensor(any([[0, 0], [0, 3]], { axis: 1 }), [0, 1], [2], "bool");
  expectTensor(all([[1, 0], [2, 3]], { axis: -1, keepdims: true }), [0, 1], [2, 1], "bool");
  expectTensor(all([]), [1], [], "bool");
  expectTensor(any([]), [0], [], "bool");
  expectTensor(any([NaN]), [1], [], "bool");
});

Deno.test("argmax and argmin: first index wins ties, NaN, flattened, keepdims", () => {
  expectTensor(argmax([[1, 9, 9], [7, 0, 2]], { axis: 1 }), [1, 0], [2], "int32");
  expectTensor(argmin([[1, 9, 9], [7, 0, 2]], { axis: 0 }), [0, 1, 1], [3], "int32");
  expectTensor(argmax([[1, 9, 9], [7, 0, 2]]), [1], [], "int32");
  expectTensor(argmax([[1, 9], [9, 0]], { keepdims: true }), [1], [1, 1], "int32");
  expectTensor(argmin([[1, 9], [0, 0]], { axis: -1, keepdims: true }), [0, 0], [2, 1], "int32");
  expectTensor(argmax([1, NaN, 3, NaN]), [1], [], "int32");
  expectTensor(argmin([1, NaN, -3]), [1], [], "int32");
  expectTensor(argmax(tensor([false, true, true])), [1], [], "int32");
  throwsNoLeak(() => argmax([]), RangeError, "argmax", /empty/);
  throwsNoLeak(() => argmin([[], []], { axis: 1 }), RangeError, "argmin", /empty/);
  throwsNoLeak(() => argmax([1], { axis: [0] as never }), TypeError, "argmax", /single integer/);
  throwsNoLeak(() => argmax([1], { axis: 1 }), RangeError, "argmax", /out of bounds/);
});

Deno.test("mean: int → float32, float64 kept, empty → NaN", () => {
  expectTensor(mean(X, { axis: 0 }), [2.5, 3.5, 4.5], [3], "float32");
  expectTensor(mean(new Int32Array([1, 2])), [1.5], [], "float32");
  expectTensor(mean(tensor([true, false, false, false])), [0.25], [], "float32");
  expectTensor(mean(tensor([1, 2], { dtype: "float64" })), [1.5], [], "float64");
  expectTensor(mean(X, { axis: [0, 1], keepdims: true }), [3.5], [1, 1], "float32");
  assert.ok(Number.isNaN(read(mean([])).v[0]));
  assertAllClose(read(mean([0.1, 0.2, 0.3])).v, [0.2]);
  noLeak(() => mean(new Int32Array([1, 2, 3]), { axis: 0 }));
  throwsNoLeak(() => mean(X, { axis: 2 }), RangeError, "mean", /out of bounds/);
});

Deno.test("countNonzero", () => {
  expectTensor(countNonzero([[0, 1], [2, 3]], { axis: 1 }), [1, 2], [2], "int32");
  expectTensor(countNonzero([[0, 1], [2, NaN]]), [3], [], "int32");
  expectTensor(countNonzero(tensor([true, false]), { keepdims: true }), [1], [1], "int32");
  noLeak(() => countNonzero([0, 1, 2]));
});

Deno.test("cumsum: axes, exclusive, reverse, bool → int32", () => {
  expectTensor(cumsum([[1, 2, 3], [4, 5, 6]], 1), [1, 3, 6, 4, 9, 15], [2, 3], "float32");
  expectTensor(cumsum([[1, 2, 3], [4, 5, 6]], 0), [1, 2, 3, 5, 7, 9], [2, 3], "float32");
  expectTensor(cumsum([[1, 2], [3, 4]]), [1, 3, 6, 10], [4], "float32");
  expectTensor(cumsum([1, 2, 3], -1, { exclusive: true }), [0, 1, 3], [3], "float32");
  expectTensor(cumsum([1, 2, 3], 0, { reverse: true }), [6, 5, 3], [3], "float32");
  expectTensor(cumsum([1, 2, 3], 0, { reverse: true, exclusive: true }), [5, 3, 0], [3], "float32");
  expectTensor(cumsum(tensor([true, true])), [1, 2], [2], "int32");
  noLeak(() => cumsum([[1, 2]], 1));
  throwsNoLeak(() => cumsum([1], 1), RangeError, "cumsum");
  throwsNoLeak(() => cumsum([1], 0, null as never), TypeError, "cumsum");
});

Deno.test("reductions: bad input", () => {
  throwsNoLeak(() => sum(X, { axis: 2 }), RangeError, "sum", /out of bounds/);
  throwsNoLeak(() => sum(X, { axis: [0, -2] }), RangeError, "sum", /repeated/);
  throwsNoLeak(() => prod(X, { axis: 0.5 }), TypeError, "prod", /integer/);
  throwsNoLeak(() => max(X, 1 as never), TypeError, "max", /options/);
  throwsNoLeak(() => any("x" as never), TypeError, "any");
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => sum(d), TypeError, "sum", /disposed/);
});

/** Naive reduction over `axes` of a row-major array. */
function naiveReduce(
  v: number[],
  shape: number[],
  axes: number[],
  init: number,
  f: (a: number, b: number) => number,
): { v: number[]; shape: number[] } {
  const out = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const size = out.reduce((p, d) => p * d, 1);
  const res = new Array<number>(size).fill(init);
  for (let flat = 0; flat < v.length; flat++) {
    let r = flat, o = 0, stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const c = r % shape[d];
      r = Math.floor(r / shape[d]);
      if (!axes.includes(d)) o += c * stride;
      stride *= out[d];
    }
    res[o] = f(res[o], v[flat]);
  }
  return { v: res, shape: shape.filter((_, i) => !axes.includes(i)) };
}

Deno.test("property: sum and max over random axes match naive loops", () => {
  const arb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((
    shape,
  ) =>
    fc.tuple(
      fc.constant(shape),
      fc.subarray(shape.map((_, i) => i)),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.integer({ min: -50, max: 50 }), {
        minLength: shape.reduce((p, d) => p * d, 1),
        maxLength: shape.reduce((p, d) => p * d, 1),
      }),
    )
  );
  fc.assert(
    fc.property(arb, ([shape, axes, negative, keepdims, values]) => {
      const axisArg = negative ? axes.map((a) => a - shape.length) : axes;
      using x = tensor(values, { shape });
      const opts = { axis: axes.length === 0 ? undefined : axisArg, keepdims };
      const used = axes.length === 0 ? shape.map((_, i) => i) : axes;
      for (
        const [fn, init, f] of [
          [sum, 0, (a: number, b: number) => a + b],
          [max, -Infinity, Math.max],
        ] as const
      ) {
        const want = naiveReduce(values, shape, used, init, f);
        const got = read(fn(x, opts));
        assert.deepEqual(
          got.shape,
          keepdims ? shape.map((d, i) => (used.includes(i) ? 1 : d)) : want.shape,
        );
        assert.deepEqual(got.v, want.v);
      }
    }),
    { numRuns: 200 },
  );
});
