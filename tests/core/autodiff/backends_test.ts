/**
 * The same gradients on every available backend: float32 gradients on each
 * backend (webgpu, blas, cpu) against cpu float64 gradients. A backend that
 * is unavailable here is skipped unless `NGC_REQUIRE_BACKENDS` names it.
 */

import assert from "node:assert/strict";
import "../../../backends/registry.ts";
import type { Backend, DType } from "../../../backends/backend.ts";
import { backendByName, backends, memory, tidy } from "../../../core/engine.ts";
import * as o from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import { scan } from "../../../core/scan.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";

const required = (Deno.env.get("NGC_REQUIRE_BACKENDS") ?? "").split(",").map((s) => s.trim())
  .filter(Boolean);
const reports = await backends();
const cpu = await backendByName("cpu");

/** Live tensors and live storage buffers over all backends. */
function counts(): [number, number] {
  const m = memory();
  return [m.tensors, Object.values(m.backends).reduce((n, b) => n + b.buffers, 0)];
}

interface Case {
  readonly name: string;
  readonly shapes: readonly number[][];
  readonly f: (...xs: Tensor[]) => Tensor;
  /** Map the random inputs (e.g. to SPD matrices); default identity. */
  readonly prep?: (vals: number[][]) => number[][];
}

const spdPrep = (n: number) => ([a]: number[][]) => [
  Array.from({ length: n * n }, (_, q) => {
    const i = Math.floor(q / n), j = q % n;
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * a[j * n + k];
    return s;
  }),
];

const CASES: Case[] = [
  { name: "unary chain", shapes: [[6]], f: (x) => o.mul(o.tanh(x), o.exp(o.sin(x))) },
  {
    name: "binary broadcast",
    shapes: [[2, 3], [3]],
    f: (a, b) => o.div(o.mul(a, b), o.add(o.square(b), 1)),
  },
  {
    name: "max / prod / cumsum",
    shapes: [[3, 4]],
    f: (x) =>
      o.concat([o.max(x, { axis: 1 }), o.prod(x, { axis: 0 }), o.reshape(o.cumsum(x, 1), [-1])]),
  },
  {
    name: "softmax / logSumExp",
    shapes: [[3, 4]],
    f: (x) => o.add(o.softmax(x), o.logSumExp(x, { axis: 1, keepdims: true })),
  },
  {
    name: "slice / pad / flip",
    shapes: [[4, 5]],
    f: (x) =>
      o.pad(o.flip(o.stridedSlice(x, [1, 0], [4, 5], [1, 2]), 1), [[1, 0], [2, 1]], {
        mode: "reflect",
      }),
  },
  {
    name: "take / takeAlongAxis / scatter",
    shapes: [[4, 3], [2, 3]],
    f: (x, u) =>
      o.add(
        o.take(o.scatter(x, [3, 0], u, { mode: "add" }), [1, 3, 3], 0),
        o.takeAlongAxis(x, [[2, 0, 1]], 0),
      ),
  },
  {
    name: "sort / topk",
    shapes: [[3, 5]],
    f: (x) => o.concat([o.reshape(o.sort(x), [-1]), o.reshape(o.topk(x, 2).values, [-1])]),
  },
  {
    name: "matmul batch + transposes",
    shapes: [[2, 3, 4], [2, 5, 4]],
    f: (a, b) => o.matmul(a, b, { transposeB: true }),
  },
  {
    name: "conv2d strided, grouped",
    shapes: [[1, 4, 6, 6], [4, 2, 3, 3]],
    f: (x, w) => o.conv2d(x, w, { strides: 2, padding: "SAME", groups: 2 }),
  },
  { name: "cholesky", shapes: [[4, 4]], prep: spdPrep(4), f: (a) => o.cholesky(a) },
  {
    name: "triangularSolve",
    shapes: [[3, 3], [3, 2]],
    prep: ([a, b]) => [a.map((v, q) => (q % 4 === 0 ? 2 + v : v)), b],
    f: (a, b) => o.triangularSolve(a, b, { transposeA: true }),
  },
  { name: "eigh values", shapes: [[4, 4]], prep: spdPrep(4), f: (a) => o.eigh(a).values },
  { name: "svd values", shapes: [[4, 3]], f: (a) => o.svd(a, { computeUv: false }).s },
  { name: "qr", shapes: [[4, 3]], f: (a) => o.add(o.sum(o.qr(a).q), o.sum(o.qr(a).r)) },
  {
    name: "scan rnn",
    shapes: [[3, 3], [5, 3]],
    f: (w, xs) => {
      const [h, hs] = scan(
        (h: Tensor, x: Tensor) => {
          const n = o.tanh(o.add(o.matmul(w, h), x));
          return [n, n] as const;
        },
        o.zeros([3], { dtype: w.dtype, backend: w.backend }),
        xs,
      );
      return o.add(o.sum(hs), o.sum(h));
    },
  },
];

function inputs(c: Case): number[][] {
  const raw = c.shapes.map((s, i) =>
    Array.from(randomArray(s.reduce((a, b) => a * b, 1), 100 + i)).map((v) => v * 0.9)
  );
  return c.prep ? c.prep(raw) : raw;
}

/** Gradients of Σ w ∘ f(...) w.r.t. every input, on `b` in `dtype`. */
async function grads(c: Case, b: Backend, dtype: DType): Promise<number[][]> {
  const vals = inputs(c);
  const xs = vals.map((v, i) => o.tensor(v, { shape: c.shapes[i], dtype, backend: b }));
  const probe = tidy(() => c.f(...xs));
  const w = o.tensor(Array.from(randomArray(probe.size, 7)), {
    shape: probe.shape,
    dtype,
    backend: b,
  });
  probe.dispose();
  const gs = grad((...ts: Tensor[]) => o.sum(o.mul(c.f(...ts), w)), {
    argnums: xs.map((_, i) => i),
  })(...xs) as Tensor[];
  const out: number[][] = [];
  for (const g of gs) {
    assert.equal(g.backend, b);
    assert.equal(g.dtype, dtype);
    out.push(Array.from(await g.data()));
  }
  for (const t of [...gs, ...xs, w]) t.dispose();
  return out;
}

Deno.test("autodiff backends: required backends are available", () => {
  for (const name of required) {
    const r = reports.find((x) => x.name === name);
    if (!r) throw new Error(`NGC_REQUIRE_BACKENDS names unknown backend "${name}"`);
    if (!r.available) throw new Error(`required backend ${name} is unavailable: ${r.reason}`);
  }
});

for (const report of reports) {
  Deno.test({
    name: `autodiff backends [${report.name}]: float32 gradients match cpu float64`,
    ignore: !report.available && !required.includes(report.name),
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      if (!report.available) {
        throw new Error(`backend ${report.name} unavailable: ${report.reason}`);
      }
      const b = await backendByName(report.name);
      for (const c of CASES) {
        const before = counts();
        let want: number[][], got: number[][];
        try {
          want = await grads(c, cpu, "float64");
          got = await grads(c, b, "float32");
        } catch (e) {
          throw new Error(`${c.name}: ${e}`);
        }
        got.forEach((g, i) =>
          assertAllClose(g, want[i], { rtol: 2e-3, atol: 2e-4, msg: `${c.name} d/dx${i}` })
        );
        assert.deepEqual(counts(), before, `${c.name}: tensors or buffers leaked`);
      }
    },
  });
}
