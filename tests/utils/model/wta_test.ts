import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/mod.ts";
import { key } from "../../../core/random/mod.ts";
import * as M from "../../../utils/model/mod.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";
import { noLeak, read, throwsNoLeak, vals } from "./helpers.ts";

const XW = [
  [-0.08, 0.12, 0.35, 1.18, -1.55, 1.62, 1.28, -0.04],
  [0.34, -1.0, -0.16, -0.35, 1.69, -0.5, -0.81, 0.2],
  [0.5, 0.9, 0.9, 0.1, 0.9, -0.3, 0.2, 0.0],
];

/** Host reference of bkwta: `[x ≥ k-th largest of the row]`. */
function refBkwta(x: number[][], k: number): number[] {
  return x.flatMap((r) => {
    const kth = [...r].sort((a, b) => b - a)[k - 1];
    return r.map((v) => +(v >= kth));
  });
}

Deno.test("bkwta keeps the k largest per row, ties with the k-th all win", () => {
  const y = noLeak(() => read(M.bkwta(XW, { nWTA: 2 })));
  assert.deepEqual(y.shape, [3, 8]);
  assert.deepEqual(y.v, refBkwta(XW, 2));
  assert.equal(y.v.slice(16).reduce((a, b) => a + b), 3, "three tied 0.9 values all win");
  assert.deepEqual(vals(M.bkwta(XW)), refBkwta(XW, 5), "default nWTA = 5");
  assert.deepEqual(vals(M.bkwta(XW, { nWTA: 8 })), new Array(24).fill(1));
});

Deno.test("bkwta on a larger random batch matches the host reference", () => {
  const B = 64, D = 50;
  const flat = Array.from(randomArray(B * D, 3), (v) => Math.fround(v));
  const x = Array.from({ length: B }, (_, i) => flat.slice(i * D, (i + 1) * D));
  for (const k of [1, 7, 50]) {
    assert.deepEqual(vals(M.bkwta(x, { nWTA: k })), refBkwta(x, k), `k = ${k}`);
  }
});

Deno.test("bkwta rejects k < 1, k > width, non-integer k and non-2-D input", () => {
  throwsNoLeak(() => M.bkwta(XW, { nWTA: 0 }), RangeError, "bkwta", /nWTA.*\[1, 8\].*0/);
  throwsNoLeak(() => M.bkwta(XW, { nWTA: -1 }), RangeError, "bkwta");
  throwsNoLeak(() => M.bkwta(XW, { nWTA: 9 }), RangeError, "bkwta", /9/);
  throwsNoLeak(() => M.bkwta(XW, { nWTA: 1.5 }), RangeError, "bkwta");
  // deno-lint-ignore no-explicit-any
  throwsNoLeak(() => M.bkwta(XW, { nWTA: "2" as any }), TypeError, "bkwta");
  throwsNoLeak(() => M.bkwta([1, 2, 3], { nWTA: 1 }), TypeError, "bkwta", /2-D/);
});

Deno.test("oneHot (ngclearn one_hot): one-hot of the row argmax, first max wins", () => {
  const P = [[0.1, 0.7, 0.2], [0.4, 0.4, 0.2], [0, 0, 0], [0.2, 0.3, 0.5]];
  const y = noLeak(() => read(M.oneHot(P)));
  assert.equal(y.dtype, "float32");
  assert.deepEqual(y.v, [0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
  throwsNoLeak(() => M.oneHot([1, 2]), TypeError, "oneHot");
});

const XL = [
  [-0.94, 0.55, -0.01, 0.25, -0.31, -0.54, -0.54, -0.66],
  [0.1, 0.2, 0.3, 0.4, 5.0, 6.0, 7.0, 8.0],
  [-0.75, -0.74, 0.81, -0.94, -0.84, -0.44, 0.14, 0.81],
];
const ML = [[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1]];

/** Host reference of the lkwta threshold mask. */
function refLkwtaMask(x: number[][], m: number[][], k: number): number[] {
  const lo = Math.min(...x.flat()) - 1;
  return x.flatMap((r) => {
    let kth = Infinity;
    for (const g of m) {
      const filled = r.map((v, d) => v * g[d] + (1 - g[d]) * lo).sort((a, b) => b - a);
      kth = Math.min(kth, filled[k - 1]);
    }
    return r.map((v) => +(v >= kth));
  });
}

Deno.test("lkwta / dLkwta / kwta / dKwta follow the min-over-groups threshold", () => {
  for (const k of [1, 2, 3]) {
    const mask = refLkwtaMask(XL, ML, k);
    assert.deepEqual(vals(M.dLkwta(XL, ML, { nWTA: k })), mask, `dLkwta k=${k}`);
    assert.deepEqual(vals(M.dKwta(XL, ML, { nWTA: k })), mask, `dKwta k=${k}`);
    const xf = XL.flat().map(Math.fround);
    assertAllClose(vals(M.lkwta(XL, ML, { nWTA: k })), mask.map((b, i) => b * xf[i]));
    assertAllClose(vals(M.kwta(XL, ML, { nWTA: k })), mask.map((b, i) => b * xf[i]));
  }
  // row 1: the strong group keeps all four units (not a strict per-group k-WTA)
  assert.deepEqual(vals(M.dLkwta(XL, ML)).slice(8, 16), [0, 0, 0, 1, 1, 1, 1, 1]);
  // clipval > 0 clips the output
  const c = vals(M.lkwta(XL, ML, { nWTA: 2, clipval: 0.5 }));
  assert.ok(c.every((v) => Math.abs(v) <= 0.5));
  assertAllClose(c.slice(8, 16), [0, 0, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5]);
});

Deno.test("lkwta input checks", () => {
  throwsNoLeak(() => M.lkwta(XL, [[1, 1, 0]]), TypeError, "lkwta", /\(G x 8\)/);
  throwsNoLeak(() => M.lkwta(XL, ML, { nWTA: 0 }), RangeError, "lkwta");
  throwsNoLeak(() => M.dLkwta(XL, ML, { nWTA: 9 }), RangeError, "dLkwta");
  throwsNoLeak(() => M.lkwta(XL[0], ML), TypeError, "lkwta", /2-D/);
});

Deno.test("quantileLkwta / dQuantileLkwta use the linear quantile at (D − k)/D per group", () => {
  const x = [[0.25, -0.5, 1.0, 0.75, -1.0, 0.5, 2.0, 1.5], [
    -1.375,
    1.375,
    1.75,
    -1.375,
    0.5,
    -1.5,
    -0.75,
    -0.625,
  ]];
  const m = [[1, 1, 1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1, 1, 1]];
  assert.deepEqual(vals(M.dQuantileLkwta(x, m, { nWTA: 2 })), [
    0,
    0,
    1,
    1,
    0,
    0,
    1,
    1,
    0,
    1,
    1,
    0,
    1,
    0,
    0,
    1,
  ]);
  assertAllClose(vals(M.quantileLkwta(x, m, { nWTA: 2 })), [
    0,
    0,
    1,
    0.75,
    0,
    0,
    2,
    1.5,
    0,
    1.375,
    1.75,
    0,
    0.5,
    0,
    0,
    -0.625,
  ]);
  // a unit in two winning groups counts twice
  const both = vals(M.dQuantileLkwta([[1, 2, 3, 4]], [[1, 1, 1, 1], [1, 1, 1, 1]], { nWTA: 1 }));
  assert.deepEqual(both, [0, 0, 0, 2]);
  throwsNoLeak(() => M.quantileLkwta(x, m), RangeError, "quantileLkwta", /nWTA/); // default 20 > 8
});

Deno.test("groupMean spreads group means back to units", () => {
  const x = [[0.263, 0.741, -0.692, 1.997, 0.205, -0.125]];
  const m = [[1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0], [0, 0, 0, 0, 1, 1]];
  const g0 = (0.263 + 0.741) / 2, g1 = (-0.692 + 1.997 + 0.205) / 3, g2 = (0.205 - 0.125) / 2;
  assertAllClose(noLeak(() => vals(M.groupMean(x, m))), [g0, g0, g1, g1, g1 + g2, g2], {
    atol: 1e-6,
  });
  // an empty group is 0/0 = NaN and spreads everywhere (as ngclearn)
  assert.ok(vals(M.groupMean([[1, 2]], [[1, 1], [0, 0]])).every(Number.isNaN));
  throwsNoLeak(() => M.groupMean(x, [[1, 1]]), TypeError, "groupMean");
});

Deno.test("sampleValuesByGroup replaces active groups by a one-hot pick, keeps the others", () => {
  using k = key(3);
  const y = noLeak(() =>
    vals(M.sampleValuesByGroup(k, [[0, 0, 0, 0, 2.5, 0, -1, 0.5, -3]], { nGroups: 3 }))
  );
  assert.deepEqual(y, [0, 0, 0, 0, 1, 0, -1, 0.5, -3]);
  // many draws: the pick frequency follows the values (a higher value wins more often)
  const wins = [0, 0];
  for (let s = 0; s < 40; s++) {
    using ks = key(s);
    const v = vals(M.sampleValuesByGroup(ks, [[1, 3]], { nGroups: 1 }));
    wins[v.indexOf(1)]++;
  }
  assert.ok(wins[1] > wins[0], `value 3 should win more often, got ${wins}`);
  // the same key gives the same pick
  using k2 = key(11);
  const a = vals(M.sampleValuesByGroup(k2, [[1, 1, 1, 1]], { nGroups: 1 }));
  const b = vals(M.sampleValuesByGroup(k2, [[1, 1, 1, 1]], { nGroups: 1 }));
  assert.deepEqual(a, b);
  throwsNoLeak(
    () => M.sampleValuesByGroup(k, [[1, 2, 3]], { nGroups: 2 }),
    RangeError,
    "sampleValuesByGroup",
  );
  throwsNoLeak(
    () => M.sampleValuesByGroup(k, [[1, 2]], { nGroups: 0 }),
    RangeError,
    "sampleValuesByGroup",
  );
});

Deno.test("float64 batches stay float64", () => {
  using x = tensor(XW, { dtype: "float64" });
  assert.equal(read(M.bkwta(x, { nWTA: 2 })).dtype, "float64");
});
