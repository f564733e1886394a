import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/creation.ts";
import {
  measureBreadthOfTuningCurve,
  measureBreadthTc,
  measureExcessKurtosis,
  measureFanoFactor,
  measureFiringRate,
  measureGiniIndex,
  measureHoyerSparsity,
  measurePearsonCorrelation,
  measureSparsity,
  measureWorkloadEntropy,
} from "../../../utils/metric/mod.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";
import { noLeak, read, throwsLike } from "./metric_helpers.ts";

const T = 40, D = 5;
/** Spike raster (T x D) with neuron 2 silent. */
const SPIKES = Array.from({ length: T }, (_, t) => {
  const r = randomArray(D, 100 + t);
  return Array.from(r, (v, d) => (d === 2 ? 0 : v > 0.2 ? 1 : 0));
});
const col = (m: number[][], d: number) => m.map((r) => r[d]);
const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const pvar = (v: number[]) => avg(v.map((x) => (x - avg(v)) ** 2));

Deno.test("measureFanoFactor: population variance over mean per neuron; silent → NaN", async () => {
  const want = Array.from({ length: D }, (_, d) => pvar(col(SPIKES, d)) / avg(col(SPIKES, d)));
  const f = await read(measureFanoFactor(SPIKES, { preserveBatch: true }));
  assert.deepEqual(f.shape, [1, D]);
  assert.ok(Number.isNaN(f.v[2]));
  assertAllClose(f.v, want, { rtol: 1e-5 });
  const m = await read(measureFanoFactor(SPIKES));
  assert.deepEqual(m.shape, []);
  assert.ok(Number.isNaN(m.v[0]), "a silent neuron makes the mean NaN, as ngclearn");
  const noSilent = SPIKES.map((r) => r.filter((_, d) => d !== 2));
  const m2 = await read(measureFanoFactor(noSilent));
  assertAllClose(m2.v, [avg(want.filter((_, d) => d !== 2))], { rtol: 1e-5 });
});

Deno.test("measureFiringRate: spikes per step, per neuron or averaged", async () => {
  const want = Array.from({ length: D }, (_, d) => avg(col(SPIKES, d)));
  const r = await read(measureFiringRate(SPIKES, { preserveBatch: true }));
  assert.deepEqual(r.shape, [1, D]);
  assertAllClose(r.v, want, { rtol: 1e-6 });
  assertAllClose((await read(measureFiringRate(SPIKES))).v, [avg(want)], { rtol: 1e-6 });
});

Deno.test("measureWorkloadEntropy: entropy in bits of the column totals", async () => {
  const w = measureWorkloadEntropy([[1, 3, 0, 4], [1, 1, 0, 6]]);
  const a = [2, 4, 0, 10], tot = 16;
  const h = -a.filter((v) => v > 0).reduce((s, v) => s + (v / tot) * Math.log2(v / tot), 0);
  assertAllClose((await read(w.minAct)).v, [0]);
  assertAllClose((await read(w.maxAct)).v, [10]);
  assertAllClose((await read(w.meanAct)).v, [4]);
  assertAllClose((await read(w.entropy)).v, [h], { rtol: 1e-6 });
  const dead = await read(w.deadNeurons);
  assert.deepEqual([dead.v, dead.dtype], [[1], "int32"]);
  const z = measureWorkloadEntropy([[0, 0], [0, 0]]);
  assert.deepEqual((await read(z.entropy)).v.map(Math.abs), [0]);
  for (const t of Object.values(z)) t.dispose();
});

Deno.test("measureBreadthOfTuningCurve: var/mean over conditions, μ = 0 → 0, squeezed", async () => {
  // 2 trials, 3 conditions, 3 neurons; neuron 1 never responds.
  const r = [
    [[1, 0, 2], [2, 0, 2], [3, 0, 2]],
    [[3, 0, 2], [2, 0, 2], [1, 0, 2]],
  ];
  // trial means: neuron0 [2,2,2] → C = 0 → 1; neuron2 constant 2 → 1.
  const b = await read(measureBreadthOfTuningCurve(r, { preserveBatch: true }));
  assert.deepEqual(b.shape, [3]);
  assertAllClose(b.v, [1, 0, 1]);
  const r2 = [[[1], [2], [6]]]; // c = [1,2,6], μ = 3, σ² = 14/3, C = 14/9
  const b2 = await read(measureBreadthOfTuningCurve(r2, { preserveBatch: true }));
  assert.deepEqual(b2.shape, [], "D = 1 squeezes to a scalar");
  assertAllClose(b2.v, [1 / (1 + (14 / 9) ** 2)], { rtol: 1e-6 });
  assertAllClose((await read(measureBreadthOfTuningCurve(r))).v, [2 / 3], { rtol: 1e-6 });
  // Deprecated alias: same on 3-D, seed-era formula on 2-D (no zero guard → NaN).
  assertAllClose((await read(measureBreadthTc(r))).v, [2 / 3], { rtol: 1e-6 });
  const old = await read(measureBreadthTc([[1, 0], [2, 0], [6, 0]], { preserveBatch: true }));
  assert.deepEqual(old.shape, [1, 2]);
  assertAllClose(old.v, [1 / (1 + (14 / 9) ** 2), NaN], { rtol: 1e-6 });
});

Deno.test("measurePearsonCorrelation: per (sample, neuron) over time; constant → 0", async () => {
  const n = 2, t = 6, d = 3;
  const a = Array.from(
    { length: n },
    (_, i) => Array.from({ length: t }, (_, k) => Array.from(randomArray(d, 7 * i + k + 1))),
  );
  const b = a.map((s, i) =>
    s.map((row, k) =>
      row.map((v, j) => (j === 2 && i === 1 ? 0.5 : v * (j - 0.5) + Math.sin(k + j)))
    )
  );
  const ref = (i: number, j: number) => {
    const x = a[i].map((r) => r[j]), y = b[i].map((r) => r[j]);
    const mx = avg(x), my = avg(y);
    const cov = x.reduce((s, v, k) => s + (v - mx) * (y[k] - my), 0);
    const den = Math.sqrt(
      x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0),
    );
    return den === 0 ? 0 : cov / den;
  };
  const r = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => ref(i, j)));
  assert.equal(r[1][2], 0);
  const pb = await read(measurePearsonCorrelation(a, b, { preserveBatch: true }));
  assert.deepEqual(pb.shape, [n, 1]);
  assertAllClose(pb.v, r.map(avg), { rtol: 1e-4, atol: 1e-6 });
  assertAllClose((await read(measurePearsonCorrelation(a, b))).v, [avg(r.flat())], {
    rtol: 1e-4,
    atol: 1e-6,
  });
});

Deno.test("measureGiniIndex: sorted-weight formula, default preserveBatch true", async () => {
  const g = await read(measureGiniIndex([[1, 1, 1, 1], [0, 0, 0, 4], [0, 0, 0, 0], [-1, 0, 0, 1]]));
  assert.deepEqual(g.shape, [4, 1]);
  // [0,0,0,4]: (3·4)/(4·4) = 0.75; all-zero and zero-sum rows are shifted by 1 → 0 and
  // [0,1,1,2] → (−3·0 −1·1 +1·1 +3·2)/(4·4) = 0.375.
  assertAllClose(g.v, [0, 0.75, 0, 0.375], { atol: 1e-6 });
  assertAllClose(
    (await read(measureGiniIndex([[0, 0, 0, 4]], { preserveBatch: false }))).v,
    [0.75],
    {
      atol: 1e-6,
    },
  );
});

Deno.test("measureSparsity: strict > tolerance, flip, preserveBatch default true", async () => {
  const c = [[0, 0.5, 0.5, 1], [0, 0, 0, 0.1]];
  const s = await read(measureSparsity(c));
  assert.deepEqual([s.shape, s.v], [[2, 1], [0.75, 0.25]]);
  assertAllClose((await read(measureSparsity(c, { tolerance: 0.5 }))).v, [0.25, 0]);
  const f = await read(
    measureSparsity(c, { tolerance: 0.5, flipMeasure: true, preserveBatch: false }),
  );
  assert.deepEqual(f.shape, []);
  assertAllClose(f.v, [0.875]);
});

Deno.test("measureHoyerSparsity and measureExcessKurtosis: per row, trailing axes flattened", async () => {
  const h = await read(
    measureHoyerSparsity([[0, 0, 3, 0], [1, 1, 1, 1], [1, 2, 0, 0]], { preserveBatch: true }),
  );
  assert.deepEqual(h.shape, [3], "shape (N,), as ngclearn's code");
  const hoyer = (x: number[]) => {
    const l1 = x.reduce((s, v) => s + Math.abs(v), 0);
    const l2 = Math.sqrt(x.reduce((s, v) => s + v * v, 0) + 1e-8);
    return (2 - l1 / l2) / (2 - 1);
  };
  assertAllClose(h.v, [hoyer([0, 0, 3, 0]), hoyer([1, 1, 1, 1]), hoyer([1, 2, 0, 0])], {
    atol: 1e-6,
  });
  const h3 = await read(measureHoyerSparsity([[[0, 0], [3, 0]]]));
  assertAllClose(h3.v, [1], { atol: 1e-6 });
  const x = Array.from(randomArray(12, 5));
  const m = avg(x), v = pvar(x);
  const k = avg(x.map((e) => (e - m) ** 4)) / (v * v + 1e-8) - 3;
  const kr = await read(
    measureExcessKurtosis([x, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]], { preserveBatch: true }),
  );
  assert.deepEqual(kr.shape, [2, 1]);
  assertAllClose(kr.v, [k, -3], { rtol: 1e-4 });
  const k3 = await read(measureExcessKurtosis([[[x[0], x[1]], [x[2], x[3]]]]));
  const x4 = x.slice(0, 4), m4 = avg(x4), v4 = pvar(x4);
  assertAllClose(k3.v, [avg(x4.map((e) => (e - m4) ** 4)) / (v4 * v4 + 1e-8) - 3], { rtol: 1e-4 });
});

Deno.test("neural statistics: no tensor leaks", async () => {
  const s = tensor(SPIKES);
  const r3 = tensor([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]);
  await noLeak(() => measureFanoFactor(s));
  await noLeak(() => measureFiringRate(s, { preserveBatch: true }));
  await noLeak(() => measureWorkloadEntropy(s));
  await noLeak(() => measureBreadthOfTuningCurve(r3));
  await noLeak(() => measureBreadthTc(s));
  await noLeak(() => measurePearsonCorrelation(r3, r3, { preserveBatch: true }));
  await noLeak(() => measureGiniIndex(s));
  await noLeak(() => measureSparsity(s, { flipMeasure: true }));
  await noLeak(() => measureHoyerSparsity(r3));
  await noLeak(() => measureExcessKurtosis(r3, { preserveBatch: true }));
  s.dispose();
  r3.dispose();
});

Deno.test("neural statistics: bad input is a clear error", async () => {
  const v = [1, 2, 3];
  await throwsLike(() => measureFanoFactor(v), TypeError, "measureFanoFactor", /rank 2/);
  await throwsLike(() => measureFiringRate([[[1]]]), TypeError, "measureFiringRate", /\(T x D\)/);
  await throwsLike(
    () => measureFiringRate(SPIKES, { preserveBatch: "yes" as unknown as boolean }),
    TypeError,
    "measureFiringRate",
  );
  await throwsLike(() => measureWorkloadEntropy(v), TypeError, "measureWorkloadEntropy");
  await throwsLike(
    () => measureBreadthOfTuningCurve(SPIKES),
    TypeError,
    "measureBreadthOfTuningCurve",
    /B x T x D/,
  );
  await throwsLike(() => measureBreadthTc(v), TypeError, "measureBreadthTc");
  await throwsLike(
    () => measurePearsonCorrelation([[[1]]], [[[1], [2]]]),
    TypeError,
    "measurePearsonCorrelation",
    /same shape/,
  );
  await throwsLike(
    () => measurePearsonCorrelation(SPIKES, SPIKES),
    TypeError,
    "measurePearsonCorrelation",
    /N x T x D/,
  );
  await throwsLike(() => measureGiniIndex(v), TypeError, "measureGiniIndex");
  await throwsLike(
    () => measureSparsity(SPIKES, { tolerance: Infinity }),
    RangeError,
    "measureSparsity",
  );
  await throwsLike(
    () => measureSparsity(SPIKES, { tolerance: "0" as unknown as number }),
    TypeError,
    "measureSparsity",
  );
  await throwsLike(
    () => measureHoyerSparsity([[1], [2]]),
    TypeError,
    "measureHoyerSparsity",
    /n = 1/,
  );
  await throwsLike(() => measureHoyerSparsity(v), TypeError, "measureHoyerSparsity");
  await throwsLike(() => measureExcessKurtosis(5), TypeError, "measureExcessKurtosis");
});
