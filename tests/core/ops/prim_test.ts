import assert from "node:assert/strict";
import { memory, pushTape, type TapeNode, tidy } from "../../../core/engine.ts";
import { tensor } from "../../../core/ops/creation.ts";
import { add, exp, mul } from "../../../core/ops/elementwise.ts";
import { sum } from "../../../core/ops/reduce.ts";
import { topk } from "../../../core/ops/sort.ts";
import { kernel, pFill, scoped } from "../../../core/ops/prim.ts";
import { cpu, expectTensor, noLeak } from "./ops_helpers.ts";

function recording<T>(fn: () => T): { out: T; nodes: TapeNode[] } {
  const nodes: TapeNode[] = [];
  const stop = pushTape({ record: (n) => nodes.push(n) });
  try {
    return { out: fn(), nodes };
  } finally {
    stop();
  }
}

Deno.test("ops record one tape node per kernel, named after the kernel", () => {
  using a = tensor([1, 2], { dtype: "int32" });
  using b = tensor([0.5, 1.5]);
  const { out, nodes } = recording(() => add(a, b));
  assert.deepEqual(nodes.map((n) => n.op), ["cast", "add"]);
  assert.equal(nodes[0].inputs[0], a);
  assert.deepEqual(nodes[0].attrs, { dtype: "float32" });
  assert.equal(nodes[1].inputs[1], b);
  assert.equal(nodes[1].outputs[0], out);
  expectTensor(out, [1.5, 3.5], [2], "float32");
});

Deno.test("reductions record their axes; topk records both outputs", () => {
  using x = tensor([[1, 2], [3, 4]]);
  const r = recording(() => sum(x, { axis: -1, keepdims: true }));
  assert.deepEqual(r.nodes.map((n) => n.op), ["reduce.sum", "reshape"]);
  assert.deepEqual(r.nodes[0].attrs, { axes: [1] });
  assert.deepEqual(r.nodes[1].attrs, { shape: [2, 1] });
  r.out.dispose();
  const t = recording(() => topk(x, 1));
  assert.equal(t.nodes.length, 1);
  assert.equal(t.nodes[0].op, "topk");
  assert.deepEqual(t.nodes[0].outputs, [t.out.values, t.out.indices]);
  t.out.values.dispose();
  t.out.indices.dispose();
});

Deno.test("no attrs are built when nothing records", () => {
  using x = tensor([1]);
  let built = 0;
  const y = kernel("neg", [x], cpu, () => cpu.unary("neg", x.info), () => {
    built++;
    return {};
  });
  assert.equal(built, 0);
  expectTensor(y, [-1], [1], "float32");
});

Deno.test("scoped disposes temporaries, also when the body throws", () => {
  const before = memory().tensors;
  assert.throws(() =>
    scoped(() => {
      pFill(cpu, [3], 1, "float32");
      throw new Error("boom");
    })
  );
  assert.equal(memory().tensors, before);
  noLeak(() => scoped(() => [pFill(cpu, [2], 1, "float32"), pFill(cpu, [2], 2, "int32")]));
});

Deno.test("a 10,000-op loop inside tidy leaves no tensors", () => {
  const before = memory();
  const result = tidy(() => {
    let x = tensor([0.5, -0.25, 1]);
    for (let i = 0; i < 10_000; i++) {
      x = i % 2 === 0 ? add(mul(x, 0.999), 0.001) : exp(mul(x, 0));
    }
    return sum(x);
  });
  assert.equal(memory().tensors, before.tensors + 1);
  assert.equal(result.itemSync(), 3);
  result.dispose();
  assert.equal(memory().tensors, before.tensors);
  assert.equal(memory().backends.cpu.buffers, before.backends.cpu.buffers);
});
