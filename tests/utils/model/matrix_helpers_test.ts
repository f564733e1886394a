import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/mod.ts";
import { key } from "../../../core/random/mod.ts";
import * as M from "../../../utils/model/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { live, noLeak, read, throwsNoLeak, vals } from "./helpers.ts";

const DATA = [[0.254, 0, -0.08], [-0.047, 0, -1.897], [-0.631, 0, -0.649], [1.787, 0, 2.168]];

function colNorm(a: number[][], j: number, p: 1 | 2): number {
  const c = a.map((r) => Math.abs(r[j]));
  return p === 1 ? c.reduce((s, v) => s + v) : Math.sqrt(c.reduce((s, v) => s + v * v));
}

Deno.test("normalizeMatrix: L1 (default) and L2 along columns or rows; zero columns stay zero", () => {
  const y = noLeak(() => read(M.normalizeMatrix(DATA, 1)));
  const n = [0, 1, 2].map((j) => Math.max(colNorm(DATA, j, 1), 1e-8));
  assertAllClose(y.v, DATA.flatMap((r) => r.map((v, j) => v / n[j])), { atol: 1e-6 });
  const y2 = vals(M.normalizeMatrix(DATA, 2, { order: 2, axis: 1 }));
  const rn = DATA.map((r) => Math.sqrt(r.reduce((s, v) => s + v * v, 0)));
  assertAllClose(y2, DATA.flatMap((r, i) => r.map((v) => 2 * v / rn[i])), { atol: 1e-6 });
  // one target per column
  const per = vals(M.normalizeMatrix(DATA, [[1, 1, 2]]));
  assertAllClose(per, y.v.map((v, i) => (i % 3 === 2 ? 2 * v : v)), { atol: 1e-6 });
  // any order other than 2 is L1 (as ngclearn)
  assertAllClose(vals(M.normalizeMatrix(DATA, 1, { order: 3 })), y.v);
  throwsNoLeak(() => M.normalizeMatrix(DATA, 1, { axis: 2 }), RangeError, "normalizeMatrix");
});

/** Host reference of normalizeBlockMatrix for vector norms over a block's rows or columns. */
function refBlock(m: number[][], r: number, c: number, p: number, axis: 0 | 1, target = 1) {
  const out = m.map((row) => row.slice());
  for (let bi = 0; bi < m.length / r; bi++) {
    for (let bj = 0; bj < m[0].length / c; bj++) {
      const lines = axis === 0 ? c : r;
      for (let l = 0; l < lines; l++) {
        const cells: [number, number][] = [];
        for (let t = 0; t < (axis === 0 ? r : c); t++) {
          cells.push(axis === 0 ? [bi * r + t, bj * c + l] : [bi * r + l, bj * c + t]);
        }
        const nrm = p === 1
          ? cells.reduce((s, [i, j]) => s + Math.abs(m[i][j]), 0)
          : Math.sqrt(cells.reduce((s, [i, j]) => s + m[i][j] ** 2, 0));
        for (const [i, j] of cells) out[i][j] = m[i][j] * target / (nrm + 1e-8);
      }
    }
  }
  return out.flat();
}

const BM = [
  [-0.707, -0.006, -0.54, -0.783, -1.62, 0.705],
  [-1.817, 1.921, 1.426, 0.913, -1.012, -0.482],
  [-0.408, -0.465, 0.69, -1.447, 1.309, -2.342],
  [1.316, 0.048, -0.052, 0.753, -1.462, -0.678],
];

Deno.test("normalizeBlockMatrix: per block column (axis 0), per block row (axis 1), spectral (other)", () => {
  assertAllClose(noLeak(() => vals(M.normalizeBlockMatrix(BM, [2, 3]))), refBlock(BM, 2, 3, 2, 0), {
    atol: 1e-6,
  });
  assertAllClose(
    vals(M.normalizeBlockMatrix(BM, [2, 3], { order: 1, axis: 1 })),
    refBlock(BM, 2, 3, 1, 1),
    {
      atol: 1e-6,
    },
  );
  // axis -1: every 2x2 block gets spectral norm normTarg
  const y = vals(M.normalizeBlockMatrix(BM, [2, 2], { order: 2, axis: -1, normTarg: 3 }));
  for (let bi = 0; bi < 2; bi++) {
    for (let bj = 0; bj < 3; bj++) {
      const a = y[(2 * bi) * 6 + 2 * bj], b = y[(2 * bi) * 6 + 2 * bj + 1];
      const c = y[(2 * bi + 1) * 6 + 2 * bj], d = y[(2 * bi + 1) * 6 + 2 * bj + 1];
      // largest singular value of [[a, b], [c, d]]
      const s1 = a * a + b * b + c * c + d * d;
      const det = a * d - b * c;
      const smax = Math.sqrt((s1 + Math.sqrt(s1 * s1 - 4 * det * det)) / 2);
      assertAllClose(smax, 3, { rtol: 1e-5, msg: `block ${bi},${bj}` });
    }
  }
  throwsNoLeak(
    () => M.normalizeBlockMatrix(BM, [3, 3]),
    RangeError,
    "normalizeBlockMatrix",
    /divide/,
  );
  // deno-lint-ignore no-explicit-any
  throwsNoLeak(() => M.normalizeBlockMatrix(BM, [2] as any), TypeError, "normalizeBlockMatrix");
  throwsNoLeak(() => M.normalizeBlockMatrix(BM, [0, 2]), RangeError, "normalizeBlockMatrix");
  throwsNoLeak(
    () => M.normalizeBlockMatrix(BM, [2, 2], { order: "fro" }),
    RangeError,
    "normalizeBlockMatrix",
    /vector norm order/,
  );
  throwsNoLeak(
    () => M.normalizeBlockMatrix(BM, [2, 2], { axis: 2, order: 3 }),
    RangeError,
    "normalizeBlockMatrix",
    /matrix norm order/,
  );
  // "fro" is a valid matrix order: every block gets Frobenius norm 1
  const fro = vals(M.normalizeBlockMatrix(BM, [2, 3], { axis: 2, order: "fro" }));
  assertAllClose(Math.hypot(...[0, 1, 2, 6, 7, 8].map((i) => fro[i])), 1, { rtol: 1e-5 });
});

Deno.test("layerNormalize: row means, ONE global sigma, broadcast shift and scale", () => {
  const x = [[0.754, 1.528, -1.006, 1.468], [1.101, 1.082, 0.09, 1.35], [
    -1.12,
    2.068,
    -0.231,
    -0.286,
  ]];
  const mu = x.map((r) => r.reduce((a, b) => a + b) / 4);
  const c = x.map((r, i) => r.map((v) => v - mu[i]));
  const sigma = Math.sqrt(c.flat().reduce((s, v) => s + v * v, 0) / 12);
  assertAllClose(noLeak(() => vals(M.layerNormalize(x))), c.flat().map((v) => v / sigma), {
    atol: 1e-5,
  });
  const shift = [[0.5, -0.5, 0, 1]], scale = [[2, 1, 0.5, 1]];
  assertAllClose(
    vals(M.layerNormalize(x, { shift, scale })),
    c.flatMap((r) => r.map((v, j) => (v / sigma) * scale[0][j] + shift[0][j])),
    { atol: 1e-5 },
  );
  // (B x 1 x D): the mean over axis 1 is x itself, so the output is the shift
  assert.deepEqual(
    vals(M.layerNormalize([[[-0.751, -1.129, 0.173]], [[-0.392, 0.031, 0.99]]], { shift: 0.25 })),
    [
      0.25,
      0.25,
      0.25,
      0.25,
      0.25,
      0.25,
    ],
  );
  throwsNoLeak(() => M.layerNormalize([1, 2]), TypeError, "layerNormalize");
});

Deno.test("createBlockMatrix tiles the block where the map is positive", () => {
  // defaults: all-ones blocks (off-diagonal −(−1) = +1)
  const y = noLeak(() => read(M.createBlockMatrix([[1, 0], [0, 2], [1, -1]], [2, 2])));
  assert.deepEqual(y.shape, [6, 4]);
  assert.deepEqual(y.v, [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
  const z = read(M.createBlockMatrix([[1, 0], [0, 2]], [2, 3], { alphaInh: 0.5, alphaExc: 2 }));
  assert.deepEqual(z.shape, [4, 6]);
  assertAllClose(z.v, [
    ...[2, -0.5, -0.5, 0, 0, 0],
    ...[-0.5, 2, -0.5, 0, 0, 0],
    ...[0, 0, 0, 2, -0.5, -0.5],
    ...[0, 0, 0, -0.5, 2, -0.5],
  ], { atol: 0, rtol: 0 });
  throwsNoLeak(() => M.createBlockMatrix([[1]], [0, 2]), RangeError, "createBlockMatrix");
  throwsNoLeak(() => M.createBlockMatrix([1, 0], [2, 2]), TypeError, "createBlockMatrix", /2-D/);
});

Deno.test("eyeWrapped places values on the wrapped k-th diagonal (floor mod)", () => {
  const y = noLeak(() => read(M.eyeWrapped(4, 1, { values: [1, 2, 3, 4] })));
  assert.deepEqual(y.shape, [4, 4]);
  assert.deepEqual(y.v, [0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 4, 0, 0, 0]);
  const z = vals(M.eyeWrapped(5, -2, { values: 0.5 }));
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      assert.equal(z[i * 5 + j], j === (((i - 2) % 5) + 5) % 5 ? 0.5 : 0);
    }
  }
  assert.deepEqual(vals(M.eyeWrapped(2, 0)), [1, 0, 0, 1]);
  throwsNoLeak(() => M.eyeWrapped(3, 1, { values: [1, 2] }), TypeError, "eyeWrapped", /N = 3/);
  throwsNoLeak(() => M.eyeWrapped(0, 1), RangeError, "eyeWrapped");
  throwsNoLeak(() => M.eyeWrapped(3, 0.5), RangeError, "eyeWrapped");
});

Deno.test("dropOut: inverted dropout mask from the key", () => {
  using k = key(7);
  const data = [[0.8, -0.011, -0.819, -1.252, -0.864], [1.257, 1.094, 0.878, 0.201, 1.178]];
  const r0 = noLeak(() => {
    const { output, mask } = M.dropOut(k, data);
    return { output: read(output), mask: read(mask) };
  });
  assert.deepEqual(r0.mask.v, new Array(10).fill(1));
  assertAllClose(r0.output.v, data.flat());
  const big = new Array(4000).fill(1);
  const { output, mask } = M.dropOut(k, [big], { rate: 0.25 });
  const m = vals(mask);
  assert.ok(m.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6));
  const kept = m.filter((v) => v > 0).length / 4000;
  assert.ok(Math.abs(kept - 0.75) < 0.04, `kept fraction ${kept}`);
  assertAllClose(vals(output), m);
  // same key, same mask
  const again = M.dropOut(k, [big], { rate: 0.25 });
  assert.deepEqual(vals(again.mask), m);
  again.output.dispose();
  throwsNoLeak(() => M.dropOut(k, data, { rate: 1 }), RangeError, "dropOut", /rate/);
  throwsNoLeak(() => M.dropOut(k, data, { rate: -0.1 }), RangeError, "dropOut");
});

Deno.test("tensorstats returns 0-d tensors {mean, std, mag, min, max}; lists of tensors pool", () => {
  const x = [[0.2, -1.795, -1.7, 1.334], [0.083, -1.487, -1.221, 0.417], [
    1.772,
    0.941,
    -2.143,
    -0.263,
  ]];
  const before = live();
  const s = M.tensorstats(x);
  const f = x.flat();
  const mean = f.reduce((a, b) => a + b) / f.length;
  const std = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length);
  for (const t of Object.values(s)) assert.deepEqual(t.shape, []);
  assertAllClose(s.mean.itemSync(), mean, { rtol: 1e-5 });
  assertAllClose(s.std.itemSync(), std, { rtol: 1e-5 });
  assertAllClose(s.mag.itemSync(), 2.143, { rtol: 1e-6 });
  assertAllClose(s.min.itemSync(), -2.143, { rtol: 1e-6 });
  assertAllClose(s.max.itemSync(), 1.772, { rtol: 1e-6 });
  for (const t of Object.values(s)) t.dispose();
  assert.equal(live(), before);
  using a = tensor([1, 2]);
  using b = tensor([[3], [4]]);
  const p = M.tensorstats([a, b]);
  assert.equal(p.mean.itemSync(), 2.5);
  assert.equal(p.max.itemSync(), 4);
  for (const t of Object.values(p)) t.dispose();
  const r = M.tensorstats({ w: a, v: b });
  assert.equal(r.min.itemSync(), 1);
  for (const t of Object.values(r)) t.dispose();
  using c = tensor([1, 2, 3]);
  throwsNoLeak(() => M.tensorstats([a, c]), TypeError, "tensorstats", /same size/);
  // deno-lint-ignore no-explicit-any
  throwsNoLeak(() => M.tensorstats("x" as any), TypeError, "tensorstats");
});

Deno.test("pullEquations lists every component's equation (ngclearn raises IndexError)", () => {
  const ctrl = {
    components: {
      z0: { equation: "dz/dt = -z + I" },
      W: { weights: 1 },
      z1: { equation: () => "callable: skipped" },
      z2: { equation: "v' = -v" },
    },
  };
  assert.equal(M.pullEquations(ctrl), "\nz0:  dz/dt = -z + I\nz2:  v' = -v");
  assert.equal(M.pullEquations({ components: new Map([["a", {}]]) }), "");
  // deno-lint-ignore no-explicit-any
  assert.throws(() => M.pullEquations({} as any), TypeError);
});
