// Node smoke test of the built npm package (run: node --test npm/test/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { getBackend, matmul, setBackend, softmax, tensor } from "../esm/mod.js";

test("cpu backend matmul", async () => {
  await setBackend("cpu");
  assert.equal(getBackend().name, "cpu");
  const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
  assert.deepEqual(await c.array(), [[19, 22], [43, 50]]);
  c.dispose();
});

test("cpu backend softmax", async () => {
  await setBackend("cpu");
  const p = softmax(tensor([[0, Math.log(3)]]));
  const v = await p.array();
  assert.ok(Math.abs(v[0][0] - 0.25) < 1e-6 && Math.abs(v[0][1] - 0.75) < 1e-6);
  p.dispose();
});
