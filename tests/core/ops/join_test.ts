import assert from "node:assert/strict";
import { arange, tensor } from "../../../core/ops/creation.ts";
import { concat, repeat, split, stack, tile } from "../../../core/ops/join.ts";
import { cpu, expectTensor, noF64, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("concat: axes, negative axis, promotion, empty parts", () => {
  expectTensor(concat([[[1, 2]], [[3, 4]]], 0), [1, 2, 3, 4], [2, 2], "float32");
  expectTensor(concat([[[1, 2]], [[3, 4]]], -1), [1, 2, 3, 4], [1, 4], "float32");
  expectTensor(concat([[[1], [2]], [[3, 4], [5, 6]]], 1), [1, 3, 4, 2, 5, 6], [2, 3], "float32");
  expectTensor(concat([new Int32Array([1]), [0.5]]), [1, 0.5], [2], "float32");
  expectTensor(concat([new Int32Array([1]), tensor([true])]), [1, 1], [2], "int32");
  expectTensor(concat([[1, 2], []]), [1, 2], [2], "float32");
  using x = tensor([1, 2]);
  const c = concat([x]);
  assert.notEqual(c, x);
  expectTensor(c, [1, 2], [2], "float32");
  using y = tensor([3], { backend: noF64 });
  const z = concat([[1], y]);
  assert.equal(z.backend, noF64);
  expectTensor(z, [1, 3], [2], "float32");
  noLeak(() => concat([x, [3, 4], new Int32Array([5])]));
});

Deno.test("concat: bad input", () => {
  throwsNoLeak(() => concat([]), RangeError, "concat", /at least one/);
  throwsNoLeak(() => concat([[1, 2], [[3]]]), TypeError, "concat", /differ/);
  throwsNoLeak(() => concat([[[1, 2]], [[3]]], 0), TypeError, "concat", /differ outside axis 0/);
  throwsNoLeak(() => concat([1, 2] as never), TypeError, "concat", /zero-dimensional/);
  throwsNoLeak(() => concat([[1], [2]], 1), RangeError, "concat", /out of bounds/);
  throwsNoLeak(() => concat("ab" as never), TypeError, "concat");
  using a = tensor([1], { backend: noF64 });
  using b = tensor([1], { backend: cpu });
  throwsNoLeak(() => concat([a, b]), TypeError, "concat", /different backends/);
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => concat([[1], d]), TypeError, "concat", /disposed/);
});

Deno.test("stack", () => {
  expectTensor(stack([[1, 2], [3, 4]]), [1, 2, 3, 4], [2, 2], "float32");
  expectTensor(stack([[1, 2], [3, 4]], 1), [1, 3, 2, 4], [2, 2], "float32");
  expectTensor(stack([[1, 2], [3, 4]], -1), [1, 3, 2, 4], [2, 2], "float32");
  expectTensor(stack([1, 2, 3]), [1, 2, 3], [3], "float32");
  expectTensor(stack([[1, 2]]), [1, 2], [1, 2], "float32");
  expectTensor(stack([new Int32Array([1]), new Int32Array([2])]), [1, 2], [2, 1], "int32");
  noLeak(() => stack([[1, 2], [3, 4]], 1));
  throwsNoLeak(() => stack([[1, 2], [3]]), TypeError, "stack", /same shape/);
  throwsNoLeak(() => stack([[1, 2], [3, 4]], 3), RangeError, "stack");
  throwsNoLeak(() => stack([]), RangeError, "stack");
});

Deno.test("split into sections and at indices", () => {
  const parts = split(arange(6), 3);
  assert.deepEqual(parts.map((p) => read(p).v), [[0, 1], [2, 3], [4, 5]]);
  const at = split(arange(5), [1, 3, 10]);
  assert.deepEqual(at.map((p) => read(p).v), [[0], [1, 2], [3, 4], []]);
  const neg = split(arange(5), [-2]);
  assert.deepEqual(neg.map((p) => read(p).v), [[0, 1, 2], [3, 4]]);
  const dec = split(arange(5), [3, 1]);
  assert.deepEqual(dec.map((p) => read(p).shape), [[3], [0], [4]]);
  const cols = split([[1, 2, 3, 4], [5, 6, 7, 8]], 2, -1);
  assert.deepEqual(cols.map((p) => read(p)), [
    { v: [1, 2, 5, 6], shape: [2, 2], dtype: "float32" },
    { v: [3, 4, 7, 8], shape: [2, 2], dtype: "float32" },
  ]);
  noLeak(() => split([[1, 2], [3, 4]], 2, 1));
  throwsNoLeak(() => split([0, 1, 2, 3, 4], 2), RangeError, "split", /equal sections/);
  throwsNoLeak(() => split([0, 1, 2, 3, 4], 0), RangeError, "split");
  throwsNoLeak(() => split([0, 1, 2, 3, 4], [1.5]), RangeError, "split");
  throwsNoLeak(() => split([0, 1, 2, 3, 4], 1, 1), RangeError, "split");
  throwsNoLeak(() => split(3, 1), TypeError, "split", /zero-dimensional/);
  throwsNoLeak(() => split([0, 1, 2, 3], "2" as never), TypeError, "split");
});

Deno.test("tile follows numpy", () => {
  expectTensor(tile([1, 2], 2), [1, 2, 1, 2], [4], "float32");
  expectTensor(tile([[1, 2]], [2, 2]), [1, 2, 1, 2, 1, 2, 1, 2], [2, 4], "float32");
  // np.tile([1, 2], (2, 1)) = [[1, 2], [1, 2]]
  expectTensor(tile([1, 2], [2, 1]), [1, 2, 1, 2], [2, 2], "float32");
  // np.tile([[1], [2]], 2) = [[1, 1], [2, 2]]
  expectTensor(tile([[1], [2]], 2), [1, 1, 2, 2], [2, 2], "float32");
  expectTensor(tile(new Int32Array([3]), 0), [], [0], "int32");
  expectTensor(tile(5, [2]), [5, 5], [2], "float32");
  noLeak(() => tile([[1, 2]], [3, 1]));
  throwsNoLeak(() => tile([1], -1), RangeError, "tile");
  throwsNoLeak(() => tile([1], [1.5]), RangeError, "tile");
  throwsNoLeak(() => tile([1], "2" as never), TypeError, "tile");
});

Deno.test("repeat follows numpy", () => {
  expectTensor(repeat([[1, 2], [3, 4]], 2), [1, 1, 2, 2, 3, 3, 4, 4], [8], "float32");
  expectTensor(repeat([[1, 2], [3, 4]], 2, 0), [1, 2, 1, 2, 3, 4, 3, 4], [4, 2], "float32");
  expectTensor(repeat([[1, 2], [3, 4]], [1, 2], -1), [1, 2, 2, 3, 4, 4], [2, 3], "float32");
  expectTensor(repeat(new Int32Array([1, 2, 3]), [0, 1, 2]), [2, 3, 3], [3], "int32");
  expectTensor(repeat([1, 2], 0), [], [0], "float32");
  expectTensor(repeat(7, 3), [7, 7, 7], [3], "float32");
  noLeak(() => repeat([[1, 2]], 3, 1));
  throwsNoLeak(() => repeat([1, 2], [1]), TypeError, "repeat", /expected 2/);
  throwsNoLeak(() => repeat([1, 2], -1), RangeError, "repeat");
  throwsNoLeak(() => repeat([1, 2], [1, -1]), RangeError, "repeat");
  throwsNoLeak(() => repeat([1, 2], 2, 1), RangeError, "repeat", /out of bounds/);
  throwsNoLeak(() => repeat([1, 2], "2" as never), TypeError, "repeat");
});
