/**
 * Samplers: exactness against the host reference, statistics on 1e5 draws
 * (within 6 standard errors), shapes, dtypes, leaks and bad input.
 */

import assert from "node:assert/strict";
import { memory, tensor } from "../../../mod.ts";
import {
  bernoulli,
  categorical,
  exponential,
  gumbel,
  key,
  type Layout,
  lognormal,
  normal,
  randint,
  uniform,
} from "../../../core/random/mod.ts";
import { bitsRef, countRef, randintRef, threefryRef, unitRef } from "./_ref.ts";

const LAYOUTS: Layout[] = ["partitionable", "legacy"];
const N = 100_000;

function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  return { mean, variance: v / x.length };
}

/** |got − want| ≤ 6 standard errors. */
function within6(got: number, want: number, se: number, what: string): void {
  assert.ok(Math.abs(got - want) <= 6 * se, `${what}: ${got} vs ${want} ± 6·${se}`);
}

Deno.test("uniform: bit-exact [0,1) and f·(max−min)+min in float32 vs the reference", () => {
  for (const layout of LAYOUTS) {
    const b = bitsRef([0, 77], 257, layout);
    using u = uniform([0, 77], [257], { layout });
    assert.equal(u.dtype, "float32");
    assert.deepEqual(Array.from(u.dataSync()), b.map(unitRef));
    using v = uniform([0, 77], [257], { layout, minval: -2.5, maxval: 0.7 });
    const f = Math.fround;
    const scale = f(f(0.7) - f(-2.5));
    const want = b.map((w) => Math.max(f(-2.5), f(f(unitRef(w) * scale) + f(-2.5))));
    assert.deepEqual(Array.from(v.dataSync()), want);
  }
});

Deno.test("uniform: array bounds broadcast over the shape", () => {
  using u = uniform([0, 9], [1000, 2], { minval: [0, 10], maxval: [1, 20] });
  const d = u.dataSync();
  for (let i = 0; i < 1000; i++) {
    assert.ok(d[2 * i] >= 0 && d[2 * i] < 1);
    assert.ok(d[2 * i + 1] >= 10 && d[2 * i + 1] < 20);
  }
  assert.throws(() => uniform([0, 9], [3], { minval: [0, 1] }), TypeError);
});

Deno.test("uniform float64: JAX x64 bits (hi·2^20 + lo>>>12)·2^−52, both layouts", () => {
  const m = 9;
  for (const layout of LAYOUTS) {
    using u = uniform([0, 4], [m], { dtype: "float64", layout });
    assert.equal(u.dtype, "float64");
    let hi: number[], lo: number[];
    if (layout === "partitionable") {
      const ys = Array.from({ length: m }, (_, j) => threefryRef(0, 4, 0, j));
      hi = ys.map((y) => y[0]);
      lo = ys.map((y) => y[1]);
    } else {
      const w = countRef([0, 4], Array.from({ length: 2 * m }, (_, i) => i));
      hi = w.slice(0, m);
      lo = w.slice(m);
    }
    const want = hi.map((h, i) => (h * 2 ** 20 + (lo[i] >>> 12)) * 2 ** -52);
    assert.deepEqual(Array.from(u.dataSync()), want);
  }
});

Deno.test("uniform and normal: moments of 1e5 draws, both layouts", () => {
  for (const layout of LAYOUTS) {
    using u = uniform([0, 1], [N], { layout });
    const mu = moments(u.dataSync());
    within6(mu.mean, 0.5, Math.sqrt(1 / 12 / N), `${layout} uniform mean`);
    within6(mu.variance, 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / N), `${layout} uniform var`);
    using z = normal([0, 2], [N], { layout });
    const mz = moments(z.dataSync());
    within6(mz.mean, 0, Math.sqrt(1 / N), `${layout} normal mean`);
    within6(mz.variance, 1, Math.sqrt(2 / N), `${layout} normal var`);
  }
});

Deno.test("normal: √2·erfinv(u) of the exact uniform on (nextafter(−1, 0), 1)", () => {
  const b = bitsRef([0, 5], 64, "partitionable");
  const f = Math.fround;
  const lo = f(-(1 - 2 ** -24));
  const u = b.map((w) => Math.max(lo, f(f(unitRef(w) * f(1 - lo)) + lo)));
  using z = normal([0, 5], [8, 8]);
  assert.deepEqual(z.shape, [8, 8]);
  const want = u.map((v) => Math.SQRT2 * erfinv64(v));
  // float32 Giles approximation vs the float64 inverse: a few float32 ulps
  for (let i = 0; i < 64; i++) {
    assert.ok(Math.abs(z.dataSync()[i] - want[i]) <= 1e-6 + 2e-6 * Math.abs(want[i]), `${i}`);
  }
});

/** erf in float64: Maclaurin series for |x| < 3, continued fraction of erfc beyond. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 3) {
    let sum = t, term = t;
    for (let n = 1; n < 200; n++) {
      term *= (-t * t) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let cf = 0;
  for (let n = 60; n >= 1; n--) cf = (n / 2) / (t + cf);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + cf));
}

/** erfinv in float64 by bisection on erf (monotone), to ~1e-15. */
function erfinv64(y: number): number {
  let lo = -6, hi = 6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (erf(mid) < y) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

Deno.test("normal float64 and dtype errors", () => {
  using z = normal([0, 1], [1000], { dtype: "float64" });
  assert.equal(z.dtype, "float64");
  assert.throws(() => normal([0, 1], [3], { dtype: "int32" as "float32" }), TypeError);
  assert.throws(() => uniform([0, 1], [3], { dtype: "bf16" as "float32" }), TypeError);
});

Deno.test("bernoulli: uniform < p exactly, frequency, shapes from p, bool dtype", () => {
  using b = bernoulli([0, 3], 0.3, [N]);
  assert.equal(b.dtype, "bool");
  using u = uniform([0, 3], [N]);
  const ud = u.dataSync(), bd = b.dataSync();
  let ones = 0;
  for (let i = 0; i < N; i++) {
    assert.equal(bd[i], ud[i] < Math.fround(0.3) ? 1 : 0);
    ones += bd[i];
  }
  within6(ones / N, 0.3, Math.sqrt(0.21 / N), "bernoulli frequency");
  using p = tensor([[0, 1, 0.5]]);
  using bp = bernoulli([0, 4], p);
  assert.deepEqual(bp.shape, [1, 3]);
  assert.deepEqual(Array.from(bp.dataSync()).slice(0, 2), [0, 1]);
  using bb = bernoulli([0, 4], p, [4, 3]);
  assert.deepEqual(bb.shape, [4, 3]);
  using d = bernoulli([0, 4]);
  assert.deepEqual(d.shape, []);
  assert.throws(() => bernoulli([0, 4], p, [2]), TypeError);
  using ip = tensor([1], { dtype: "int32" });
  assert.throws(() => bernoulli([0, 4], ip), TypeError);
});

Deno.test("exponential, gumbel, lognormal: formulas and moments", () => {
  const f = Math.fround;
  const b = bitsRef([0, 8], 50, "partitionable");
  using e = exponential([0, 8], [50]);
  const ed = e.dataSync();
  b.forEach((w, i) => assert.equal(ed[i], f(-f(Math.log1p(-unitRef(w))))));
  using g = gumbel([0, 8], [50]);
  const gd = g.dataSync();
  b.forEach((w, i) => {
    const u = Math.max(2 ** -126, unitRef(w));
    assert.equal(gd[i], f(-f(Math.log(f(-f(Math.log(u)))))));
  });
  using e2 = exponential([0, 1], [N]);
  const me = moments(e2.dataSync());
  within6(me.mean, 1, Math.sqrt(1 / N), "exponential mean");
  using g2 = gumbel([0, 1], [N]);
  const mg = moments(g2.dataSync());
  within6(mg.mean, 0.5772156649, Math.sqrt((Math.PI ** 2 / 6) / N), "gumbel mean");
  const s = 0.5;
  using l = lognormal([0, 1], s, [N]);
  const ml = moments(l.dataSync());
  const lvar = (Math.exp(s * s) - 1) * Math.exp(s * s);
  within6(ml.mean, Math.exp(s * s / 2), Math.sqrt(lvar / N), "lognormal mean");
  // lognormal = exp(sigma · normal) of the same key
  using z = normal([0, 1], [5]);
  using l5 = lognormal([0, 1], s, [5]);
  const zd = z.dataSync(), ld = l5.dataSync();
  for (let i = 0; i < 5; i++) assert.equal(ld[i], f(Math.exp(f(zd[i] * s))));
  using ls = lognormal([0, 1], [0.1, 0.2, 0.3]);
  assert.deepEqual(ls.shape, [3]);
  assert.throws(() => lognormal([0, 1], [0.1, 0.2], [3]), TypeError);
});

Deno.test("categorical: argmax(gumbel + logits) with JAX's shape rule, frequencies", () => {
  const logits = [Math.log(0.2), Math.log(0.3), Math.log(0.5)];
  using c = categorical([0, 6], [logits], { shape: [N, 1] });
  assert.deepEqual(c.shape, [N, 1]);
  assert.equal(c.dtype, "int32");
  const d = c.dataSync();
  const counts = [0, 0, 0];
  for (let i = 0; i < N; i++) counts[d[i]]++;
  [0.2, 0.3, 0.5].forEach((p, k) =>
    within6(counts[k] / N, p, Math.sqrt(p * (1 - p) / N), `category ${k}`)
  );
  // Exact against the reference: gumbel of shape (4, 1, 3), plus logits, argmax.
  const f = Math.fround;
  using small = categorical([0, 6], [logits], { shape: [4, 1] });
  const g = bitsRef([0, 6], 12, "partitionable").map((w) =>
    f(-f(Math.log(f(-f(Math.log(Math.max(2 ** -126, unitRef(w))))))))
  );
  const want = [0, 1, 2, 3].map((r) => {
    const v = [0, 1, 2].map((k) => f(g[3 * r + k] + f(logits[k])));
    return v.indexOf(Math.max(...v));
  });
  assert.deepEqual(Array.from(small.dataSync()), want);
  // axis 0 and the default shape
  using t = tensor([[0, 0], [0, 0], [20, -20]]);
  using a0 = categorical([0, 1], t, { axis: 0 });
  assert.deepEqual(a0.shape, [2]);
  assert.equal(a0.dataSync()[0], 2); // logits (0, 0, 20): category 2
  assert.ok(a0.dataSync()[1] === 0 || a0.dataSync()[1] === 1); // logits (0, 0, −20)
});

Deno.test("categorical: bad input", () => {
  assert.throws(() => categorical([0, 1], 3), TypeError);
  assert.throws(() => categorical([0, 1], [[1, 2]], { axis: 2 }), RangeError);
  using empty = tensor([[], []]);
  assert.throws(() => categorical([0, 1], empty), RangeError);
  assert.throws(() => categorical([0, 1], [[1, 2], [3, 4]], { shape: [3] }), TypeError);
});

Deno.test("randint: JAX's two-word modulo construction, bounds, int32", () => {
  for (const layout of LAYOUTS) {
    for (const [lo, hi] of [[0, 10], [-5, 7], [3, 4], [0, 65537], [-100, 1000000]]) {
      using r = randint([0, 12], [40], lo, hi, { layout });
      assert.equal(r.dtype, "int32");
      assert.deepEqual(
        Array.from(r.dataSync()),
        randintRef([0, 12], 40, lo, hi, layout),
        `${lo} ${hi}`,
      );
    }
  }
  using same = randint([0, 1], [5], 4, 4); // maxval <= minval → minval
  assert.deepEqual(Array.from(same.dataSync()), [4, 4, 4, 4, 4]);
  using full = randint([0, 1], [2000], -(2 ** 31), 2 ** 31);
  assert.ok(full.dataSync().some((v) => v < 0) && full.dataSync().some((v) => v > 0));
  using freq = randint([0, 2], [N], 0, 4);
  const counts = [0, 0, 0, 0];
  for (const v of freq.dataSync()) counts[v]++;
  counts.forEach((c, k) => within6(c / N, 0.25, Math.sqrt(0.1875 / N), `value ${k}`));
  assert.throws(() => randint([0, 1], [3], 0.5, 3), TypeError);
  assert.throws(() => randint([0, 1], [-3], 0, 3), RangeError);
});

Deno.test("samplers: results only, no leaks, inputs kept, also on errors", () => {
  using k = key(1);
  using p = tensor([0.2, 0.7]);
  const before = memory().tensors;
  const outs = [
    uniform(k, [3], { minval: -1, maxval: 1 }),
    normal(k, [3]),
    bernoulli(k, p),
    exponential(k, [2]),
    lognormal(k, 1, [2]),
    gumbel(k, [2]),
    categorical(k, p),
    randint(k, [2], 0, 5),
  ];
  assert.equal(memory().tensors, before + outs.length);
  for (const t of outs) t.dispose();
  assert.throws(() => uniform([0, 1], [3], { minval: [1, 2] }), TypeError);
  assert.throws(() => bernoulli([0, 1], p, [3]), TypeError);
  assert.equal(memory().tensors, before);
  assert.ok(!k.isDisposed && !p.isDisposed);
});
