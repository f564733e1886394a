import assert from "node:assert/strict";
import type { DType } from "../../../backends/backend.ts";
import { tensor } from "../../../core/ops/creation.ts";
import { measureAri, measureFmi, measureVMeasure } from "../../../utils/metric/mod.ts";
import { contingency, denseIds, readLabels } from "../../../utils/metric/labels.ts";
import { assertAllClose } from "../../helpers.ts";
import { hasF64, noLeak, throwsLike } from "./metric_helpers.ts";

/** Deterministic labelings (the same formulas fed scikit-learn 1.2.1 for the values below). */
function gen1(n = 600): [Int32Array, Int32Array] {
  const t = new Int32Array(n), p = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = (7 * i * i + 3 * i + 1) % 37;
    p[i] = (t[i] + ((i * i) % 11 < 4 ? i % 5 : 0)) % 41;
  }
  return [t, p];
}
/** 1500 x 1802 classes over 3000 samples: too many cells for the dense table (bucketed path). */
function gen2(n = 3000): [Int32Array, Int32Array] {
  const t = new Int32Array(n), p = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = (13 * i * i + i) % 2999;
    p[i] = (7 * i + ((i * i) % 5)) % 2003;
  }
  return [t, p];
}
// sklearn.metrics: adjusted_rand_score, fowlkes_mallows_score, v_measure_score, (beta = 0.5)
const SK1 = [0.4802332056492833, 0.5113066268280477, 0.7169455114056299, 0.7359474206050354];
const SK2 = [-0.00031842179140132657, 0.0, 0.9133590706072334, 0.9156353785717002];

async function scores(t: ArrayLike<number>, p: ArrayLike<number>): Promise<number[]> {
  const a = Array.from(t), b = Array.from(p);
  return [
    await measureAri(a, b),
    await measureFmi(a, b),
    await measureVMeasure(a, b),
    await measureVMeasure(a, b, { beta: 0.5 }),
  ];
}

Deno.test("ARI, FMI, V-measure match scikit-learn (dense and bucketed tables)", async () => {
  const [t1, p1] = gen1();
  assertAllClose(await scores(t1, p1), SK1, { rtol: 1e-12, atol: 1e-15 });
  const [t2, p2] = gen2();
  assertAllClose(await scores(t2, p2), SK2, { rtol: 1e-10, atol: 1e-15 });
  // Unique vs pairs: 5000 x 2500 classes (bucketed), sklearn: ARI 0, FMI 0, V 0.9575829487604863.
  const u = Array.from({ length: 5000 }, (_, i) => i);
  const h = u.map((i) => Math.floor(i / 2));
  assertAllClose((await scores(u, h)).slice(0, 3), [0, 0, 0.9575829487604863], { rtol: 1e-12 });
});

Deno.test("scores: tensors of every label dtype, read once, no leaks", async () => {
  const [t1, p1] = gen1();
  const dtypes: DType[] = ["int32", "float32", "uint32", ...(hasF64() ? ["float64" as const] : [])];
  for (const dtype of dtypes) {
    const t = tensor(t1, { dtype }), p = tensor(p1, { dtype });
    const got = await noLeak(async () => [
      await measureAri(t, p),
      await measureFmi(t, p),
      await measureVMeasure(t, p),
      await measureVMeasure(t, p, { beta: 0.5 }),
    ]);
    assertAllClose(got, SK1, { rtol: 1e-12, atol: 1e-15 });
    assert.deepEqual(
      Array.from(await t.data()),
      Array.from(t1),
      "the input tensor is not modified",
    );
    t.dispose();
    p.dispose();
  }
  const b = tensor([true, true, false, false]);
  assert.equal(await measureAri(b, [1, 1, 0, 0]), 1);
  b.dispose();
});

Deno.test("scores: invariant to relabelling (negative, huge and gapped labels)", async () => {
  const [t1, p1] = gen1();
  const [t2, p2] = gen2();
  const relabel = (x: Int32Array, f: (v: number) => number) => Array.from(x, f);
  for (const [t, p, want] of [[t1, p1, SK1], [t2, p2, SK2]] as const) {
    const tt = relabel(t, (v) => v * 1_000_003 - 2_000_000_000); // huge range: Map renumbering
    const pp = relabel(p, (v) => -v - 5); // negative labels
    assertAllClose(await scores(tt, pp), want, { rtol: 1e-10, atol: 1e-15 });
    // Swapped roles: ARI, FMI and V (beta 1) are symmetric; beta 0.5 is not.
    const swapped = await scores(pp, tt);
    assertAllClose(swapped.slice(0, 3), want.slice(0, 3), { rtol: 1e-10, atol: 1e-15 });
    assertAllClose(swapped[3], (await scores(p, t))[3], { rtol: 1e-10 });
    assert.ok(Math.abs(swapped[3] - want[3]) > 1e-6);
  }
});

Deno.test("scores: symmetric cases and the edge values of ngclearn", async () => {
  assert.equal(await measureAri([0, 0, 1, 1], [0, 1, 0, 1]), -0.5);
  assert.equal(await measureFmi([0, 0, 1, 1], [0, 1, 0, 1]), 0);
  assert.equal(await measureVMeasure([0, 0, 1, 1], [0, 1, 0, 1]), 0);
  assert.equal(await measureAri([0, 0, 0, 0], [3, 3, 3, 3]), 1);
  assert.equal(await measureFmi([0, 0, 0, 0], [3, 3, 3, 3]), 1);
  assert.equal(await measureVMeasure([0, 0, 0, 0], [3, 3, 3, 3]), 1);
  // N <= 1: ARI 1, FMI 0, V 0 (ngclearn's conventions).
  assert.deepEqual(await scores([4], [2]), [1, 0, 0, 0]);
  assert.deepEqual(await scores([], []), [1, 0, 0, 0]);
  // beta weights homogeneity: beta = 0 gives the homogeneity alone.
  assertAllClose(await measureVMeasure([0, 0, 1, 1], [0, 0, 1, 2], { beta: 0 }), 1, {
    rtol: 1e-12,
  });
});

Deno.test("contingency: dense and bucketed counts agree with a brute-force table", () => {
  for (const [t0, p0] of [gen1(), gen2()]) {
    const ref = new Map<string, number>();
    for (let i = 0; i < t0.length; i++) {
      const k = `${t0[i]},${p0[i]}`;
      ref.set(k, (ref.get(k) ?? 0) + 1);
    }
    const c = contingency(t0.slice(), p0.slice());
    assert.equal(c.n, t0.length);
    assert.deepEqual([...c.cells].sort((a, b) => a - b), [...ref.values()].sort((a, b) => a - b));
    assert.equal(c.rows.reduce((s, v) => s + v, 0), t0.length);
    assert.equal(c.cols.reduce((s, v) => s + v, 0), t0.length);
  }
  const l = new Int32Array([10, -4, 10]);
  assert.equal(denseIds(l), 15);
  assert.deepEqual(Array.from(l), [14, 0, 14]);
});

Deno.test("scores: linear-time counting handles 1e6 labels quickly", async () => {
  const n = 1_000_000;
  const t = new Int32Array(n), p = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = (i * 7919) % 100;
    p[i] = i % 3 === 0 ? (i * 104729) % 100 : t[i];
  }
  const tt = tensor(t), pt = tensor(p);
  const start = performance.now();
  const ari = await measureAri(tt, pt);
  const ms = performance.now() - start;
  tt.dispose();
  pt.dispose();
  assert.ok(ari > 0.3 && ari < 1, `ari ${ari}`);
  assert.ok(ms < 2000, `1e6 labels took ${ms.toFixed(0)} ms`);
});

Deno.test("label scores: bad input is a clear error (before any readback)", async () => {
  for (
    const [name, f] of [["measureAri", measureAri], ["measureFmi", measureFmi], [
      "measureVMeasure",
      measureVMeasure,
    ]] as const
  ) {
    await throwsLike(() => f([0, 1, 1, 2], [0, 1, 1]), TypeError, name, /same length, got 4 and 3/);
    await throwsLike(
      () => f([0, 1.5], [0, 1]),
      TypeError,
      name,
      /integer labels, found 1\.5 at index 1/,
    );
    await throwsLike(() => f([0, NaN], [0, 1]), TypeError, name, /integer/);
    await throwsLike(() => f([[0, 1]], [0, 1]), TypeError, name, /flat array/);
    await throwsLike(() => f([0, 1], [0, 2 ** 40]), RangeError, name, /int32 range/);
    await throwsLike(() => f("01" as unknown as number[], [0, 1]), TypeError, name);
    const m = tensor([[0, 1], [1, 0]], { dtype: "int32" });
    await throwsLike(() => f(m, [0, 1]), TypeError, name, /1-D/);
    const half = tensor([0.5, 1]);
    await throwsLike(() => f(half, [0, 1]), TypeError, name, /integer/);
    m.dispose();
    half.dispose();
  }
  await throwsLike(
    () => measureVMeasure([0], [0], { beta: -1 }),
    RangeError,
    "measureVMeasure",
    /beta/,
  );
  await throwsLike(
    () => measureVMeasure([0], [0], { beta: NaN }),
    RangeError,
    "measureVMeasure",
    /beta/,
  );
  await throwsLike(() => readLabels("demo", "x", [true, 2.5]), TypeError, "demo");
});
