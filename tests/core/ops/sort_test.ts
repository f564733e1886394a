import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/creation.ts";
import { argsort, sort, topk } from "../../../core/ops/sort.ts";
import { expectTensor, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("sort: axes, descending, NaN last, dtypes", () => {
  expectTensor(sort([[3, 1, 2], [0, 5, 4]]), [1, 2, 3, 0, 4, 5], [2, 3], "float32");
  expectTensor(sort([[3, 1], [0, 5]], { axis: 0 }), [0, 1, 3, 5], [2, 2], "float32");
  expectTensor(sort([3, 1, 2], { descending: true }), [3, 2, 1], [3], "float32");
  expectTensor(sort(new Int32Array([3, -1, 2])), [-1, 2, 3], [3], "int32");
  const s = read(sort([NaN, 1, -Infinity, 0]));
  assert.deepEqual(s.v.slice(0, 3), [-Infinity, 0, 1]);
  assert.ok(Number.isNaN(s.v[3]));
  expectTensor(sort(tensor([true, false, true])), [0, 1, 1], [3], "bool");
  expectTensor(sort([]), [], [0], "float32");
  noLeak(() => sort([[3, 1], [2, 0]], { axis: -2 }));
});

Deno.test("argsort is stable in both directions", () => {
  expectTensor(argsort([3, 1, 2, 1]), [1, 3, 2, 0], [4], "int32");
  expectTensor(argsort([3, 1, 3, 1], { descending: true }), [0, 2, 1, 3], [4], "int32");
  expectTensor(argsort([[2, 1], [1, 2]], { axis: 0 }), [1, 0, 0, 1], [2, 2], "int32");
  expectTensor(argsort([NaN, 2, 1]), [2, 1, 0], [3], "int32");
  noLeak(() => argsort([3, 1, 2]));
});

Deno.test("topk: descending values, lower index first on ties, k = 0 and k = n", () => {
  const r = topk([[1, 3, 2, 3], [4, 4, 0, 1]], 2);
  expectTensor(r.values, [3, 3, 4, 4], [2, 2], "float32");
  expectTensor(r.indices, [1, 3, 0, 1], [2, 2], "int32");
  const all = topk(new Int32Array([5, 7, 6]), 3);
  expectTensor(all.values, [7, 6, 5], [3], "int32");
  expectTensor(all.indices, [1, 2, 0], [3], "int32");
  const none = topk([1, 2], 0);
  expectTensor(none.values, [], [0], "float32");
  expectTensor(none.indices, [], [0], "int32");
  noLeak(() => topk([[1, 2, 3]], 2));
});

Deno.test("sorting: bad input", () => {
  throwsNoLeak(() => sort(3), TypeError, "sort", /zero-dimensional/);
  throwsNoLeak(() => argsort([1, 2], { axis: 1 }), RangeError, "argsort", /out of bounds/);
  throwsNoLeak(() => sort([1], null as never), TypeError, "sort", /options/);
  throwsNoLeak(() => topk([1, 2], 3), RangeError, "topk", /\[0, 2\]/);
  throwsNoLeak(() => topk([1, 2], -1), RangeError, "topk");
  throwsNoLeak(() => topk([1, 2], 1.5), RangeError, "topk");
  throwsNoLeak(() => topk(1, 1), TypeError, "topk", /rank >= 1/);
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => topk(d, 1), TypeError, "topk", /disposed/);
});
