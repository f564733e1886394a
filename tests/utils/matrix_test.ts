import assert from "node:assert/strict";
import { matmul, reshape, svd, tensor } from "../../core/ops/mod.ts";
import { decomposeToMps } from "../../utils/matrix.ts";
import { assertAllClose, randomArray } from "../helpers.ts";
import { live, noLeak, read, throwsNoLeak, vals } from "./model/helpers.ts";

/** `core1[0] @ core2[..., 0]` as flat values (disposes the cores). */
function reconstruct(c: { core1: ReturnType<typeof tensor>; core2: ReturnType<typeof tensor> }) {
  const [, I, k] = c.core1.shape;
  const O = c.core2.shape[1];
  const a = reshape(c.core1, [I, k]), b = reshape(c.core2, [k, O]);
  const r = vals(matmul(a, b));
  for (const t of [a, b, c.core1, c.core2]) t.dispose();
  return r;
}

Deno.test("decomposeToMps: core shapes and an exact reconstruction when bondDim ≥ rank", () => {
  const W = [[0.466, -0.106, -3.285], [-0.875, -1.078, 0.279], [0.652, 1.627, 0.763], [
    0.414,
    -0.686,
    -0.094,
  ]];
  const before = live();
  const c = decomposeToMps(W);
  assert.deepEqual(c.core1.shape, [1, 4, 3]);
  assert.deepEqual(c.core2.shape, [3, 3, 1]);
  assertAllClose(reconstruct(c), W.flat(), { atol: 1e-5 });
  assert.equal(live(), before);
});

Deno.test("decomposeToMps truncates to the best rank-k approximation (Eckart–Young error)", () => {
  const I = 12, O = 9;
  const flat = Array.from(randomArray(I * O, 5));
  using w = tensor(flat, { shape: [I, O], dtype: "float64" });
  const { s } = svd(w, { computeUv: false });
  const sv = vals(s);
  for (const k of [1, 3, 9]) {
    const c = decomposeToMps(w, { bondDim: k });
    assert.deepEqual(c.core1.shape, [1, I, k]);
    assert.deepEqual(c.core2.shape, [k, O, 1]);
    assert.equal(c.core1.dtype, "float64");
    const r = reconstruct(c);
    const err = Math.sqrt(r.reduce((a, v, i) => a + (v - flat[i]) ** 2, 0));
    const best = Math.sqrt(sv.slice(k).reduce((a, v) => a + v * v, 0));
    assertAllClose(err, best, { rtol: 1e-9, atol: 1e-12, msg: `k = ${k}` });
  }
});

Deno.test("decomposeToMps: the two cores share sqrt(S) (balanced)", () => {
  const c = decomposeToMps([[3, 0], [0, 2]], { bondDim: 2 });
  const a = read(c.core1), b = read(c.core2);
  // column norms of core1 = row norms of core2 = sqrt of the singular values
  const n1 = [0, 1].map((j) => Math.hypot(a.v[j], a.v[2 + j]));
  const n2 = [0, 1].map((i) => Math.hypot(b.v[2 * i], b.v[2 * i + 1]));
  assertAllClose(n1, [Math.sqrt(3), Math.sqrt(2)], { rtol: 1e-6 });
  assertAllClose(n2, [Math.sqrt(3), Math.sqrt(2)], { rtol: 1e-6 });
});

Deno.test("decomposeToMps rejects bondDim < 1 and non-matrices", () => {
  throwsNoLeak(
    () => decomposeToMps([[1, 2], [3, 4]], { bondDim: 0 }),
    RangeError,
    "decomposeToMps",
    /bondDim/,
  );
  throwsNoLeak(() => decomposeToMps([[1, 2]], { bondDim: 1.5 }), RangeError, "decomposeToMps");
  throwsNoLeak(() => decomposeToMps([1, 2, 3]), TypeError, "decomposeToMps", /2-D/);
  noLeak(() => decomposeToMps([[1]]));
});
