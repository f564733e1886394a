import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/creation.ts";
import {
  argwhere,
  booleanMask,
  diag,
  diagonal,
  nonzero,
  oneHot,
  scatter,
  take,
  takeAlongAxis,
  tril,
  triu,
} from "../../../core/ops/indexing.ts";
import { collectTensors, memory } from "../../../core/engine.ts";
import { cpu, expectTensor, noF64, noLeak, throwsNoLeak } from "./ops_helpers.ts";

const M = [[1, 2, 3], [4, 5, 6]];

Deno.test("take: axes, flattened, negative and clamped indices, index shapes", () => {
  expectTensor(take(M, [1, 0], 0), [4, 5, 6, 1, 2, 3], [2, 3], "float32");
  expectTensor(take(M, [2, -1], 1), [3, 3, 6, 6], [2, 2], "float32");
  expectTensor(take(M, [[0], [5]]), [1, 6], [2, 1], "float32");
  expectTensor(take(M, 4), [5], [], "float32");
  // out of range: clamped, as JAX indexing
  expectTensor(take([10, 20, 30], [7, -7]), [30, 10], [2], "float32");
  expectTensor(take([10, 20, 30], new Uint32Array([2])), [30], [1], "float32");
  expectTensor(take([10, 20, 30], tensor([0, -1], { dtype: "int32" })), [10, 30], [2], "float32");
  expectTensor(take(new Int32Array([5, 6]), []), [], [0], "int32");
  using idx = tensor([1], { dtype: "int32" });
  noLeak(() => take(M, idx, -1));
  noLeak(() => take(M, [[1, -1]], 0));
  assert.equal(idx.isDisposed, false);
});

Deno.test("take: bad input", () => {
  throwsNoLeak(() => take(M, [0.5]), RangeError, "take", /integers/);
  throwsNoLeak(() => take(M, [true] as never), TypeError, "take");
  using fidx = tensor([1]);
  throwsNoLeak(() => take(M, fidx), TypeError, "take", /integer tensor/);
  throwsNoLeak(() => take(M, new Float32Array([1])), TypeError, "take");
  throwsNoLeak(() => take(M, [0], 2), RangeError, "take", /out of bounds/);
  throwsNoLeak(() => take([], [0]), RangeError, "take", /empty axis/);
  using other = tensor([0], { dtype: "int32", backend: noF64 });
  throwsNoLeak(() => take(M, other), TypeError, "take", /cpu-nof64/);
  const d = tensor([0], { dtype: "int32" });
  d.dispose();
  throwsNoLeak(() => take(M, d), TypeError, "take", /disposed/);
});

Deno.test("takeAlongAxis", () => {
  const x = [[10, 30, 20], [60, 40, 50]];
  expectTensor(takeAlongAxis(x, [[1], [0]], 1), [30, 60], [2, 1], "float32");
  expectTensor(takeAlongAxis(x, [[0, 1, 0]], 0), [10, 40, 20], [1, 3], "float32");
  expectTensor(takeAlongAxis(x, [[-1, 0]], -1), [20, 10, 50, 60], [2, 2], "float32");
  expectTensor(takeAlongAxis(x, [5, 0]), [50, 10], [2], "float32");
  noLeak(() => takeAlongAxis(x, [[2], [2]], 1));
  throwsNoLeak(() => takeAlongAxis(x, [1, 0], 1), TypeError, "takeAlongAxis", /rank/);
  throwsNoLeak(() => takeAlongAxis(x, [[0], [0], [0]], 1), TypeError, "takeAlongAxis", /broadcast/);
  throwsNoLeak(() => takeAlongAxis(x, [[0.5]], 1), RangeError, "takeAlongAxis");
  throwsNoLeak(() => takeAlongAxis(x, [[0]], 2), RangeError, "takeAlongAxis");
});

Deno.test("scatter: set and add along axes, duplicates, negative and dropped indices", () => {
  expectTensor(scatter([0, 0, 0, 0], [1, 3], [5, 7]), [0, 5, 0, 7], [4], "float32");
  expectTensor(scatter([0, 0, 0, 0], [1, -1, 9], 2), [0, 2, 0, 2], [4], "float32");
  expectTensor(scatter([0, 0], [1, 1], [5, 7]), [0, 7], [2], "float32");
  expectTensor(scatter([0, 0], [1, 1], [5, 7], { mode: "add" }), [0, 12], [2], "float32");
  expectTensor(
    scatter([[1, 1], [1, 1]], [0, 0], 1, { axis: 1, mode: "add" }),
    [3, 1, 3, 1],
    [2, 2],
    "float32",
  );
  expectTensor(scatter([[1, 1], [1, 1]], [1], [[9, 8]]), [1, 1, 9, 8], [2, 2], "float32");
  expectTensor(scatter(new Int32Array([1, 2]), [0], [2.9]), [2, 2], [2], "int32");
  expectTensor(scatter(tensor([true, true]), [0], false), [0, 1], [2], "bool");
  using x = tensor([1, 2, 3]);
  noLeak(() => scatter(x, [0], 5));
  assert.deepEqual(Array.from(x.dataSync()), [1, 2, 3]);
});

Deno.test("scatter: bad input", () => {
  throwsNoLeak(() => scatter([0, 0], [0, 1], [1, 2, 3]), TypeError, "scatter", /do not broadcast/);
  throwsNoLeak(
    () => scatter([0, 0], [0], 1, { mode: "mul" as never }),
    RangeError,
    "scatter",
    /mode/,
  );
  throwsNoLeak(() => scatter([0, 0], [0], 1, { axis: 1 }), RangeError, "scatter");
  throwsNoLeak(() => scatter(1, [0], 1), TypeError, "scatter", /zero-dimensional/);
  using b = tensor([true]);
  throwsNoLeak(() => scatter(b, [0], true, { mode: "add" }), TypeError, "scatter", /bool/);
  throwsNoLeak(() => scatter([0, 0], [0.5], 1), RangeError, "scatter");
});

Deno.test("oneHot", () => {
  expectTensor(oneHot([0, 2, 5, -1], 3), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], [4, 3], "float32");
  expectTensor(oneHot(new Int32Array([1]), 2, { dtype: "int32" }), [0, 1], [1, 2], "int32");
  expectTensor(oneHot([[1], [0]], 2, { dtype: "bool" }), [0, 1, 1, 0], [2, 1, 2], "bool");
  expectTensor(oneHot(1, 3), [0, 1, 0], [3], "float32");
  expectTensor(oneHot([1], 0), [], [1, 0], "float32");
  noLeak(() => oneHot([0, 1, 2], 3));
  throwsNoLeak(() => oneHot([0], -1), RangeError, "oneHot", /depth/);
  throwsNoLeak(() => oneHot([0], 1.5), RangeError, "oneHot");
  using nf = tensor([0], { backend: noF64 });
  throwsNoLeak(() => oneHot(nf, 2, { dtype: "float64" }), TypeError, "oneHot", /float64/);
  throwsNoLeak(() => oneHot([0], 2, { dtype: "half" as never }), TypeError, "oneHot");
});

Deno.test("tril and triu (with k, batches)", () => {
  const x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  expectTensor(tril(x), [1, 0, 0, 4, 5, 0, 7, 8, 9], [3, 3], "float32");
  expectTensor(tril(x, -1), [0, 0, 0, 4, 0, 0, 7, 8, 0], [3, 3], "float32");
  expectTensor(triu(x), [1, 2, 3, 0, 5, 6, 0, 0, 9], [3, 3], "float32");
  expectTensor(triu(x, 1), [0, 2, 3, 0, 0, 6, 0, 0, 0], [3, 3], "float32");
  expectTensor(
    tril([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    [1, 0, 3, 4, 5, 0, 7, 8],
    [2, 2, 2],
    "float32",
  );
  expectTensor(triu(tensor([[1, 2, 3]], { dtype: "int32" }), -1), [1, 2, 3], [1, 3], "int32");
  expectTensor(tril(tensor([[true, true], [true, true]])), [1, 0, 1, 1], [2, 2], "bool");
  noLeak(() => tril(x, 1));
  throwsNoLeak(() => tril([1, 2]), TypeError, "tril", /rank >= 2/);
  throwsNoLeak(() => triu(x, 0.5), RangeError, "triu");
});

Deno.test("diagonal and diag", () => {
  expectTensor(diagonal(M), [1, 5], [2], "float32");
  expectTensor(diagonal(M, { offset: 1 }), [2, 6], [2], "float32");
  expectTensor(diagonal(M, { offset: -1 }), [4], [1], "float32");
  expectTensor(diagonal(M, { offset: 3 }), [], [0], "float32");
  // np.diagonal(a, axis1=1, axis2=2) for a of shape (2, 2, 2) = [[0, 3], [4, 7]]
  const a = Array.from({ length: 8 }, (_, i) => i);
  expectTensor(diagonal(tensor(a, { shape: [2, 2, 2] }), { axis1: 1, axis2: 2 }), [0, 3, 4, 7], [
    2,
    2,
  ], "float32");
  // np.diagonal(a) (axes 0, 1) = [[0, 6], [1, 7]]
  expectTensor(diagonal(tensor(a, { shape: [2, 2, 2] })), [0, 6, 1, 7], [2, 2], "float32");
  expectTensor(diag([1, 2]), [1, 0, 0, 2], [2, 2], "float32");
  expectTensor(diag([1, 2], 1), [0, 1, 0, 0, 0, 2, 0, 0, 0], [3, 3], "float32");
  expectTensor(diag(new Int32Array([1, 2]), -1), [0, 0, 0, 1, 0, 0, 0, 2, 0], [3, 3], "int32");
  expectTensor(diag([[1, 2], [3, 4]], -1), [3], [1], "float32");
  noLeak(() => diag([1, 2, 3]));
  noLeak(() => diagonal(M, { offset: -1 }));
  throwsNoLeak(() => diagonal([1, 2]), TypeError, "diagonal", /rank >= 2/);
  throwsNoLeak(() => diagonal(M, { axis1: 1, axis2: -1 }), RangeError, "diagonal", /differ/);
  throwsNoLeak(() => diagonal(M, { offset: 0.5 }), RangeError, "diagonal");
  throwsNoLeak(() => diag([[[1]]]), TypeError, "diag", /1-D or 2-D/);
  throwsNoLeak(() => diag([1], 0.5), RangeError, "diag");
});

async function asyncNoLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = memory().tensors;
  const out = await fn();
  for (const t of collectTensors(out)) t.dispose();
  assert.equal(memory().tensors, before);
  return out;
}

Deno.test("argwhere, nonzero and booleanMask (asynchronous)", async () => {
  expectTensor(await argwhere([[0, 1], [2, 0]]), [0, 1, 1, 0], [2, 2], "int32");
  expectTensor(await argwhere([NaN, 0]), [0], [1, 1], "int32");
  expectTensor(await argwhere(tensor(3)), [], [1, 0], "int32");
  expectTensor(await argwhere([0, 0]), [], [0, 1], "int32");
  const [r, c] = await nonzero([[0, 1], [2, 0]]);
  expectTensor(r, [0, 1], [2], "int32");
  expectTensor(c, [1, 0], [2], "int32");
  expectTensor(await booleanMask([[1, 2], [3, 4], [5, 6]], [true, false, true]), [1, 2, 5, 6], [
    2,
    2,
  ], "float32");
  expectTensor(
    await booleanMask([[1, 2], [3, 4]], [[false, true], [true, false]]),
    [2, 3],
    [2],
    "float32",
  );
  expectTensor(await booleanMask(new Int32Array([1, 2]), [false, false]), [], [0], "int32");
  await asyncNoLeak(() => argwhere([[1, 0], [1, 1]]));
  await asyncNoLeak(() => nonzero([[1, 0], [1, 1]]));
  await asyncNoLeak(() => booleanMask([1, 2, 3], [1, 0, 1]));
});

Deno.test("argwhere, nonzero and booleanMask: bad input", async () => {
  using nf = tensor([true], { backend: noF64 });
  using x = tensor([1], { backend: cpu });
  const n = memory().tensors;
  await assert.rejects(
    () => nonzero(5),
    (e: Error) => e instanceof TypeError && e.message.startsWith("nonzero(): "),
  );
  await assert.rejects(
    () => booleanMask([[1, 2]], [true, false]),
    (e: Error) => e instanceof TypeError && /leading axes/.test(e.message),
  );
  await assert.rejects(() => argwhere("x" as never), TypeError);
  await assert.rejects(() => booleanMask(x, nf), /lives on cpu-nof64/);
  assert.equal(memory().tensors, n);
});
