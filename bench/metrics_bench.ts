/**
 * Clustering scores on 1,000,000 labels with 100 classes (cpu backend):
 * `measureAri`, `measureFmi`, `measureVMeasure` from int32 tensors, and the two
 * ways to build the contingency table — counting on the host after one read
 * (what the scores use) against a backend scatter-add of ones into a flat
 * table. The labels are the formulas of `bench/peers/sklearn_metrics.py`
 * (the scikit-learn peer: run it for seconds per score on the same data).
 * Run: `deno bench -A bench/metrics_bench.ts`.
 *
 * @module
 */

import { getBackend, setBackend } from "../core/engine.ts";
import { add, max, mul, scatter, tensor, zeros } from "../mod.ts";
import { measureAri, measureFmi, measureVMeasure } from "../utils/metric/mod.ts";
import { contingency } from "../utils/metric/labels.ts";

await setBackend("cpu");

const N = 1_000_000;
const C = 100;
const t = new Int32Array(N), p = new Int32Array(N);
for (let i = 0; i < N; i++) {
  t[i] = (i * 7919 + ((i * i) % 1009)) % C;
  p[i] = i % 3 === 0 ? (i * 104729 + 17) % C : t[i];
}
const tt = tensor(t, { dtype: "int32" });
const pt = tensor(p, { dtype: "int32" });
console.log(
  `# backend ${getBackend().name}: ARI ${await measureAri(tt, pt)}, FMI ${await measureFmi(
    tt,
    pt,
  )}, V ${await measureVMeasure(tt, pt)}`,
);

Deno.bench({
  name: "measureAri 1e6 labels, 100 classes",
  group: "scores",
  fn: async () => {
    await measureAri(tt, pt);
  },
});
Deno.bench({
  name: "measureFmi 1e6 labels, 100 classes",
  group: "scores",
  fn: async () => {
    await measureFmi(tt, pt);
  },
});
Deno.bench({
  name: "measureVMeasure 1e6 labels, 100 classes",
  group: "scores",
  fn: async () => {
    await measureVMeasure(tt, pt);
  },
});

Deno.bench({
  name: "contingency: host counting after one read",
  group: "contingency",
  baseline: true,
  fn: async () => {
    const [a, b] = await Promise.all([tt.data(), pt.data()]);
    contingency(a as Int32Array, b as Int32Array);
  },
});

Deno.bench({
  name: "contingency: backend scatter-add, then read the table",
  group: "contingency",
  fn: async () => {
    // Sizes must be read first (the table shape depends on the data).
    const mt = max(tt), mp = max(pt);
    const nt = (await mt.item()) + 1, np = (await mp.item()) + 1;
    mt.dispose();
    mp.dispose();
    const idx = add(mul(tt, np), pt);
    const empty = zeros([nt * np], { dtype: "int32" });
    const table = scatter(empty, idx, 1, { mode: "add" });
    await table.data();
    for (const x of [idx, empty, table]) x.dispose();
  },
});
