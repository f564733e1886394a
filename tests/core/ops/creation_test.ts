import assert from "node:assert/strict";
import {
  arange,
  eye,
  full,
  fullLike,
  linspace,
  meshgrid,
  ones,
  onesLike,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from "../../../core/ops/creation.ts";
import { assertAllClose } from "../../helpers.ts";
import { cpu, expectTensor, noF64, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("tensor: values, dtype, shape; a Tensor input is copied, cast and reshaped", () => {
  expectTensor(tensor([[1, 2], [3, 4]]), [1, 2, 3, 4], [2, 2], "float32");
  expectTensor(tensor([1.9, -1.9], { dtype: "int32" }), [1, -1], [2], "int32");
  expectTensor(
    tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }),
    [1, 2, 3, 4],
    [2, 2],
    "int32",
  );
  expectTensor(tensor(true), [1], [], "bool");
  using x = tensor([1, 2, 3, 4]);
  const copy = tensor(x);
  assert.notEqual(copy, x);
  expectTensor(copy, [1, 2, 3, 4], [4], "float32");
  expectTensor(tensor(x, { dtype: "int32", shape: [2, 2] }), [1, 2, 3, 4], [2, 2], "int32");
  assert.equal(x.isDisposed, false);
  noLeak(() => tensor(x, { dtype: "bool" }));
});

Deno.test("tensor: bad input", () => {
  using x = tensor([1, 2, 3]);
  throwsNoLeak(() => tensor(x, { shape: [2, 2] }), TypeError, "tensor", /3 values/);
  throwsNoLeak(() => tensor([[1, 2], [3]]), TypeError, "tensor", /ragged/);
  throwsNoLeak(
    () => tensor([1, 2], { dtype: "float64", backend: noF64 }),
    TypeError,
    "tensor",
    /float64/,
  );
  throwsNoLeak(
    () => tensor(x, { dtype: "float16" as never }),
    TypeError,
    "tensor",
    /unknown dtype/,
  );
  throwsNoLeak(() => tensor(x, { backend: noF64 }), TypeError, "tensor", /toBackend/);
  throwsNoLeak(() => tensor("abc" as never), TypeError, "tensor");
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => tensor(d), TypeError, "tensor", /disposed/);
});

Deno.test("scalar", () => {
  expectTensor(scalar(2.5), [2.5], [], "float32");
  expectTensor(scalar(7, "int32"), [7], [], "int32");
  expectTensor(scalar(false), [0], [], "bool");
  throwsNoLeak(() => scalar([1] as never), TypeError, "scalar");
  throwsNoLeak(() => scalar(1, "float16" as never), TypeError, "scalar", /unknown dtype/);
});

Deno.test("zeros, ones, full and their dtypes", () => {
  expectTensor(zeros([2, 3]), [0, 0, 0, 0, 0, 0], [2, 3], "float32");
  expectTensor(ones(2, { dtype: "int32" }), [1, 1], [2], "int32");
  expectTensor(zeros([]), [0], [], "float32");
  expectTensor(zeros([0, 3]), [], [0, 3], "float32");
  expectTensor(full([2], 2.7, { dtype: "int32" }), [2, 2], [2], "int32");
  expectTensor(full([2], -2.7, { dtype: "int32" }), [-2, -2], [2], "int32");
  expectTensor(full([2], true), [1, 1], [2], "bool");
  expectTensor(full([1], 0.1), [Math.fround(0.1)], [1], "float32");
  expectTensor(full([1], 0.1, { dtype: "float64" }), [0.1], [1], "float64");
  expectTensor(full([1], NaN, { dtype: "int32" }), [0], [1], "int32");
  assert.equal(zeros([2], { backend: noF64 }).backend, noF64);
});

Deno.test("zeros, ones, full: bad input", () => {
  throwsNoLeak(() => zeros([-1]), RangeError, "zeros");
  throwsNoLeak(() => ones([1.5]), RangeError, "ones");
  throwsNoLeak(() => full("3" as never, 1), TypeError, "full");
  throwsNoLeak(() => full([2], "x" as never), TypeError, "full");
  throwsNoLeak(
    () => zeros([2], { dtype: "float64", backend: noF64 }),
    TypeError,
    "zeros",
    /float64/,
  );
  throwsNoLeak(() => ones([2], { dtype: "int8" as never }), TypeError, "ones", /unknown dtype/);
});

Deno.test("zerosLike, onesLike, fullLike keep shape, dtype and backend", () => {
  using x = tensor([[1, 2, 3]], { dtype: "int32", backend: noF64 });
  const z = zerosLike(x);
  assert.equal(z.backend, noF64);
  expectTensor(z, [0, 0, 0], [1, 3], "int32");
  expectTensor(onesLike(x, { dtype: "bool" }), [1, 1, 1], [1, 3], "bool");
  expectTensor(fullLike(x, 4.9), [4, 4, 4], [1, 3], "int32");
  expectTensor(fullLike([1.5, 2], 0.5), [0.5, 0.5], [2], "float32");
  noLeak(() => zerosLike([[1, 2]]));
  throwsNoLeak(() => zerosLike(x, { dtype: "float64" }), TypeError, "zerosLike", /float64/);
  const d = tensor([1]);
  d.dispose();
  throwsNoLeak(() => onesLike(d), TypeError, "onesLike", /disposed/);
});

Deno.test("eye", () => {
  expectTensor(eye(2), [1, 0, 0, 1], [2, 2], "float32");
  expectTensor(eye(2, { m: 3, k: 1 }), [0, 1, 0, 0, 0, 1], [2, 3], "float32");
  expectTensor(eye(3, { m: 2, k: -1, dtype: "int32" }), [0, 0, 1, 0, 0, 1], [3, 2], "int32");
  expectTensor(eye(2, { k: 5 }), [0, 0, 0, 0], [2, 2], "float32");
  expectTensor(eye(0), [], [0, 0], "float32");
  throwsNoLeak(() => eye(-1), RangeError, "eye");
  throwsNoLeak(() => eye(2, { m: 1.5 }), RangeError, "eye");
  throwsNoLeak(() => eye(2, { k: 0.5 }), RangeError, "eye");
  throwsNoLeak(() => eye(2, { dtype: "float64", backend: noF64 }), TypeError, "eye");
});

Deno.test("arange follows numpy (length, negative steps, dtypes)", () => {
  expectTensor(arange(5), [0, 1, 2, 3, 4], [5], "int32");
  expectTensor(arange(2, 5), [2, 3, 4], [3], "int32");
  expectTensor(arange(5, 0, -2), [5, 3, 1], [3], "int32");
  expectTensor(arange(0, 1, 0.25), [0, 0.25, 0.5, 0.75], [4], "float32");
  expectTensor(arange(3, { dtype: "float32" }), [0, 1, 2], [3], "float32");
  expectTensor(arange(1, 3, { dtype: "float64" }), [1, 2], [2], "float64");
  expectTensor(arange(5, 2), [], [0], "int32");
  expectTensor(arange(0.5), [0], [1], "float32");
  // numpy: np.arange(0, 1, 0.1) has 10 elements (ceil((1 - 0) / 0.1))
  assert.equal(read(arange(0, 1, 0.1)).v.length, 10);
  throwsNoLeak(() => arange(0, 5, 0), RangeError, "arange", /step/);
  throwsNoLeak(() => arange(Infinity), RangeError, "arange");
  throwsNoLeak(() => arange("3" as never), TypeError, "arange");
  throwsNoLeak(() => arange(3, { dtype: "float64", backend: noF64 }), TypeError, "arange");
});

Deno.test("linspace follows numpy", () => {
  expectTensor(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], [5], "float32");
  expectTensor(linspace(0, 1, 4, { endpoint: false }), [0, 0.25, 0.5, 0.75], [4], "float32");
  expectTensor(linspace(2, 3, 1), [2], [1], "float32");
  expectTensor(linspace(2, 3, 0), [], [0], "float32");
  expectTensor(linspace(-1, 1, 4, { dtype: "int32" }), [-1, -1, 0, 1], [4], "int32");
  assertAllClose(read(linspace(0, 1, 3, { dtype: "float64" })).v, [0, 0.5, 1], { rtol: 0 });
  assert.equal(read(linspace(0, 1)).v.length, 50);
  throwsNoLeak(() => linspace(0, 1, -1), RangeError, "linspace");
  throwsNoLeak(() => linspace(0, "1" as never), TypeError, "linspace");
});

Deno.test("meshgrid xy and ij", () => {
  const [X, Y] = meshgrid([1, 2, 3], [10, 20]);
  expectTensor(X, [1, 2, 3, 1, 2, 3], [2, 3], "float32");
  expectTensor(Y, [10, 10, 10, 20, 20, 20], [2, 3], "float32");
  const [I, J] = meshgrid(new Int32Array([1, 2, 3]), [10, 20], { indexing: "ij" });
  expectTensor(I, [1, 1, 2, 2, 3, 3], [3, 2], "int32");
  expectTensor(J, [10, 20, 10, 20, 10, 20], [3, 2], "float32");
  noLeak(() => meshgrid([1, 2], [3]));
  throwsNoLeak(() => meshgrid([[1]], [1]), TypeError, "meshgrid", /1-D/);
  throwsNoLeak(() => meshgrid([1], [1], { indexing: "xz" as never }), RangeError, "meshgrid");
  using a = tensor([1], { backend: noF64 });
  using b = tensor([1], { backend: cpu });
  throwsNoLeak(() => meshgrid(a, b), TypeError, "meshgrid", /different backends/);
});
