import assert from "node:assert/strict";
import { arange, tensor, zeros } from "../../../core/ops/creation.ts";
import * as S from "../../../core/ops/shape.ts";
import { expectTensor, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("shape.ts re-exports the joining and slicing ops", () => {
  for (
    const name of [
      "concat",
      "stack",
      "split",
      "tile",
      "repeat",
      "slice",
      "stridedSlice",
      "pad",
      "flip",
    ]
  ) {
    assert.equal(typeof (S as Record<string, unknown>)[name], "function", name);
  }
});

Deno.test("reshape: -1, scalars, empty, dtype kept", () => {
  expectTensor(S.reshape([1, 2, 3, 4, 5, 6], [2, -1]), [1, 2, 3, 4, 5, 6], [2, 3], "float32");
  expectTensor(S.reshape(new Int32Array([7]), []), [7], [], "int32");
  expectTensor(S.reshape(5, [1, 1]), [5], [1, 1], "float32");
  expectTensor(S.reshape(zeros([0, 3]), [3, 0]), [], [3, 0], "float32");
  expectTensor(S.reshape([1, 2, 3, 4], 4), [1, 2, 3, 4], [4], "float32");
  using x = tensor([1, 2]);
  const y = S.reshape(x, [2]);
  assert.notEqual(y, x);
  y.dispose();
  assert.equal(x.isDisposed, false);
  assert.deepEqual(Array.from(x.dataSync()), [1, 2]);
});

Deno.test("reshape order F matches numpy", () => {
  // np.reshape(np.arange(6), (2, 3), order="F") = [[0, 2, 4], [1, 3, 5]]
  expectTensor(S.reshape(arange(6), [2, 3], { order: "F" }), [0, 2, 4, 1, 3, 5], [2, 3], "int32");
  // np.reshape([[0, 1, 2], [3, 4, 5]], (3, 2), order="F") = [[0, 4], [3, 2], [1, 5]]
  expectTensor(S.reshape([[0, 1, 2], [3, 4, 5]], [3, 2], { order: "F" }), [0, 4, 3, 2, 1, 5], [
    3,
    2,
  ], "float32");
  // np.reshape([[0, 1, 2], [3, 4, 5]], -1, order="F") = [0, 3, 1, 4, 2, 5]
  expectTensor(
    S.reshape([[0, 1, 2], [3, 4, 5]], [-1], { order: "F" }),
    [0, 3, 1, 4, 2, 5],
    [6],
    "float32",
  );
  // 3-D: np.arange(8).reshape((2, 2, 2), order="F").ravel() = [0, 4, 2, 6, 1, 5, 3, 7]
  expectTensor(
    S.reshape(arange(8), [2, 2, 2], { order: "F" }),
    [0, 4, 2, 6, 1, 5, 3, 7],
    [2, 2, 2],
    "int32",
  );
  noLeak(() => S.reshape([[0, 1, 2], [3, 4, 5]], [3, 2], { order: "F" }));
});

Deno.test("reshape: bad input", () => {
  throwsNoLeak(() => S.reshape([1, 2, 3], [2, 2]), TypeError, "reshape", /\[3\].*\[2, 2\]/);
  throwsNoLeak(() => S.reshape([1, 2, 3], [2, -1]), TypeError, "reshape");
  throwsNoLeak(() => S.reshape([1, 2, 3, 4], [-1, -1]), RangeError, "reshape", /one -1/);
  throwsNoLeak(() => S.reshape([1, 2], [-2, -1]), RangeError, "reshape");
  throwsNoLeak(() => S.reshape([1, 2], [1.5]), RangeError, "reshape");
  throwsNoLeak(() => S.reshape([1, 2], "2" as never), TypeError, "reshape");
  throwsNoLeak(() => S.reshape([1, 2], [2], { order: "A" as never }), RangeError, "reshape");
  throwsNoLeak(() => S.reshape([], [0, -1]), TypeError, "reshape");
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => S.reshape(d, [1]), TypeError, "reshape", /disposed/);
});

Deno.test("flatten, expandDims, squeeze", () => {
  expectTensor(S.flatten([[1, 2], [3, 4]]), [1, 2, 3, 4], [4], "float32");
  expectTensor(S.flatten(3), [3], [1], "float32");
  assert.deepEqual(read(S.expandDims([1, 2], 0)).shape, [1, 2]);
  assert.deepEqual(read(S.expandDims([1, 2], -1)).shape, [2, 1]);
  assert.deepEqual(read(S.expandDims([1, 2], [0, -1])).shape, [1, 2, 1]);
  assert.deepEqual(read(S.expandDims(5, 0)).shape, [1]);
  assert.deepEqual(read(S.squeeze([[[1], [2]]])).shape, [2]);
  assert.deepEqual(read(S.squeeze([[[1], [2]]], -1)).shape, [1, 2]);
  assert.deepEqual(read(S.squeeze([[[1], [2]]], [0, 2])).shape, [2]);
  assert.deepEqual(read(S.squeeze([[1]])).shape, []);
  throwsNoLeak(() => S.expandDims([1, 2], 3), RangeError, "expandDims", /out of bounds/);
  throwsNoLeak(() => S.expandDims([1, 2], [0, 0]), RangeError, "expandDims", /repeated/);
  throwsNoLeak(() => S.expandDims([1, 2], "0" as never), TypeError, "expandDims");
  throwsNoLeak(() => S.squeeze([[1, 2]], 1), TypeError, "squeeze", /length is 2/);
  throwsNoLeak(() => S.squeeze([[1, 2]], 2), RangeError, "squeeze");
  throwsNoLeak(() => S.squeeze([[[1]]], [0, -3]), RangeError, "squeeze", /repeated/);
});

Deno.test("broadcastTo", () => {
  expectTensor(S.broadcastTo([1, 2], [3, 2]), [1, 2, 1, 2, 1, 2], [3, 2], "float32");
  expectTensor(S.broadcastTo([[1], [2]], [2, 3]), [1, 1, 1, 2, 2, 2], [2, 3], "float32");
  expectTensor(S.broadcastTo(tensor(true), [2]), [1, 1], [2], "bool");
  expectTensor(S.broadcastTo(new Int32Array([4]), [2, 0]), [], [2, 0], "int32");
  expectTensor(S.broadcastTo([1, 2], [2]), [1, 2], [2], "float32");
  expectTensor(S.broadcastTo(7, 3), [7, 7, 7], [3], "float32");
  noLeak(() => S.broadcastTo([1, 2], [4, 2]));
  throwsNoLeak(() => S.broadcastTo([1, 2], [3]), TypeError, "broadcastTo", /\[2\] to \[3\]/);
  throwsNoLeak(() => S.broadcastTo([[1, 2]], [2]), TypeError, "broadcastTo");
  throwsNoLeak(() => S.broadcastTo([1], [-1]), RangeError, "broadcastTo");
  throwsNoLeak(() => S.broadcastTo([1], "2" as never), TypeError, "broadcastTo");
});

Deno.test("transpose, swapAxes, moveAxis", () => {
  expectTensor(S.transpose([[1, 2, 3], [4, 5, 6]]), [1, 4, 2, 5, 3, 6], [3, 2], "float32");
  using x = tensor(Array.from({ length: 24 }, (_, i) => i), { shape: [2, 3, 4] });
  const t = read(S.transpose(x, [1, -1, 0]));
  assert.deepEqual(t.shape, [3, 4, 2]);
  // x[a][b][c] = 12a + 4b + c; t[b][c][a]
  assert.deepEqual(t.v.slice(0, 4), [0, 12, 1, 13]);
  assert.deepEqual(read(S.transpose(5)).shape, []);
  assert.deepEqual(read(S.swapAxes(x, 0, 2)).shape, [4, 3, 2]);
  assert.deepEqual(read(S.moveAxis(x, 0, -1)).shape, [3, 4, 2]);
  assert.deepEqual(read(S.moveAxis(x, [0, 1], [-1, -2])).shape, [4, 3, 2]);
  assert.deepEqual(read(S.moveAxis(x, -1, 0)).shape, [4, 2, 3]);
  const m = read(S.moveAxis(x, 2, 0));
  const s = read(S.transpose(x, [2, 0, 1]));
  assert.deepEqual(m.v, s.v);
  throwsNoLeak(() => S.transpose(x, [0, 1]), TypeError, "transpose", /3 axes/);
  throwsNoLeak(() => S.transpose(x, [0, 0, 1]), RangeError, "transpose", /repeated/);
  throwsNoLeak(() => S.transpose(x, [0, 1, 3]), RangeError, "transpose");
  throwsNoLeak(() => S.swapAxes(x, 0, 3), RangeError, "swapAxes");
  throwsNoLeak(() => S.moveAxis(x, [0, 1], [0]), TypeError, "moveAxis");
  throwsNoLeak(() => S.moveAxis(x, [0, 0], [1, 2]), RangeError, "moveAxis", /repeated/);
  throwsNoLeak(() => S.moveAxis(x, [0, 1], [2, -1]), RangeError, "moveAxis", /repeated/);
});
