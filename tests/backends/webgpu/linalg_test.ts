/**
 * webgpu vs cpu: the factorisations run as GPU kernels. Cholesky, triangular
 * solves and QR (same Householder convention) compare directly; eigh and SVD
 * compare values directly and vectors up to the sign of each pair, plus
 * reconstruction and orthogonality. NaN inputs and non-SPD matrices give NaN.
 */

import assert from "node:assert/strict";
import type { TensorInfo, TriangularSolveOptions } from "../../../backends/backend.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";
import { both, Checks, cpu, free, gpuTest, type Pair, randomPair } from "./harness.ts";
import type { WebGpuBackend } from "../../../backends/webgpu/mod.ts";

/** Batch of random SPD matrices A = B Bᵀ + n I. */
function spd(g: WebGpuBackend, batch: number, n: number, seed: number): Pair {
  const b = randomArray(batch * n * n, seed);
  const a: number[] = [];
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += b[t * n * n + i * n + k] * b[t * n * n + j * n + k];
        a.push(s);
      }
    }
  }
  return both(g, a, [batch, n, n], "float32");
}

gpuTest("cholesky matches cpu; non-SPD and NaN matrices come back all NaN", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const [batch, n] of [[1, 1], [3, 4], [2, 17], [1, 40]]) {
    const a = spd(g, batch, n, n);
    pairs.push(a);
    checks.add(g.cholesky(a.g), cpu.cholesky(a.c), `cholesky ${batch}x${n}`, {
      rtol: 1e-4,
      atol: 1e-5,
    });
  }
  const bad = both(g, [1, 2, 2, 1, 4, 0, 0, NaN], [2, 2, 2], "float32");
  pairs.push(bad);
  checks.add(g.cholesky(bad.g), cpu.cholesky(bad.c), "cholesky non-SPD / NaN");
  await checks.run();
  free(g, ...pairs);
});

gpuTest("triangularSolve in all 16 option combinations", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  const n = 6, m = 4;
  // Well-conditioned triangular-ish matrix: random plus a strong diagonal.
  const av = Array.from(randomArray(2 * n * n, 3), (v, i) => (i % (n + 1) === 0 ? 4 + v : v));
  const a = both(g, av, [2, n, n], "float32");
  const bl = randomPair(g, [2, n, m], "float32", 4);
  const br = randomPair(g, [2, m, n], "float32", 5);
  pairs.push(a, bl, br);
  for (const lower of [false, true]) {
    for (const leftSide of [false, true]) {
      for (const transposeA of [false, true]) {
        for (const unitDiagonal of [false, true]) {
          const o: TriangularSolveOptions = { lower, leftSide, transposeA, unitDiagonal };
          const b = leftSide ? bl : br;
          checks.add(
            g.triangularSolve(a.g, b.g, o),
            cpu.triangularSolve(a.c, b.c, o),
            `trsv ${JSON.stringify(o)}`,
            {
              rtol: 1e-4,
              atol: 1e-5,
            },
          );
        }
      }
    }
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("qr matches cpu (LAPACK sign convention) for tall, wide, square, batched", async (g) => {
  const checks = new Checks(g);
  const pairs = [];
  for (const shape of [[5, 3], [3, 5], [4, 4], [2, 7, 7], [1, 1], [30, 9]]) {
    const a = randomPair(g, shape, "float32", shape[0] * 7 + shape[1]);
    pairs.push(a);
    const r1 = g.qr(a.g), r2 = cpu.qr(a.c);
    checks.add(r1.q, r2.q, `qr q ${shape}`, { rtol: 1e-3, atol: 1e-4 });
    checks.add(r1.r, r2.r, `qr r ${shape}`, { rtol: 1e-3, atol: 1e-4 });
  }
  await checks.run();
  free(g, ...pairs);
});

/** Flip each column (of `cols` columns, rows×cols row-major per batch) so its largest-|.| entry is positive. */
function canonCols(v: ArrayLike<number>, batch: number, rows: number, cols: number): number[] {
  const out = Array.from(v);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < cols; c++) {
      let best = 0;
      for (let r = 0; r < rows; r++) {
        const x = out[b * rows * cols + r * cols + c];
        if (Math.abs(x) > Math.abs(best)) best = x;
      }
      if (best < 0) { for (let r = 0; r < rows; r++) out[b * rows * cols + r * cols + c] *= -1; }
    }
  }
  return out;
}

async function readBoth(
  g: WebGpuBackend,
  x: TensorInfo,
  y: TensorInfo,
): Promise<[number[], number[]]> {
  const a = Array.from(await g.read(x));
  const b = Array.from(cpu.readSync(y));
  g.dispose(x);
  cpu.dispose(y);
  return [a, b];
}

gpuTest(
  "eigh: ascending values match cpu; vectors match up to sign and reconstruct A",
  async (g) => {
    for (const [batch, n] of [[1, 1], [2, 5], [1, 16], [3, 8]]) {
      const a = spd(g, batch, n, 100 + n);
      const r1 = g.eigh(a.g), r2 = cpu.eigh(a.c);
      const [w1, w2] = await readBoth(g, r1.values, r2.values);
      const [v1, v2] = await readBoth(g, r1.vectors, r2.vectors);
      const scale = Math.max(...w2.map(Math.abs));
      assertAllClose(w1, w2, { rtol: 1e-4, atol: 1e-5 * scale, msg: `eigh values ${batch}x${n}` });
      assertAllClose(canonCols(v1, batch, n, n), canonCols(v2, batch, n, n), {
        rtol: 1e-3,
        atol: 2e-3,
        msg: `eigh vectors ${batch}x${n}`,
      });
      // V diag(w) Vᵀ = A (from the GPU result alone).
      const av = Array.from(cpu.readSync(a.c));
      for (let t = 0; t < batch; t++) {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) {
              s += v1[t * n * n + i * n + k] * w1[t * n + k] *
                v1[t * n * n + j * n + k];
            }
            assert.ok(
              Math.abs(s - av[t * n * n + i * n + j]) < 1e-4 * scale + 1e-5,
              `eigh reconstruct ${t},${i},${j}`,
            );
          }
        }
      }
      free(g, a);
    }
    const bad = both(g, [1, 0, NaN, 1], [2, 2], "float32");
    const r = g.eigh(bad.g);
    assert.ok(Array.from(await g.read(r.values)).every(Number.isNaN));
    g.dispose(r.values);
    g.dispose(r.vectors);
    free(g, bad);
  },
);

gpuTest(
  "svd: descending values match cpu; u, vh match up to pair sign; rank-deficient completion",
  async (g) => {
    for (const shape of [[5, 3], [3, 5], [6, 6], [2, 9, 4], [1, 1], [4, 1]]) {
      const a = randomPair(g, shape, "float32", shape.reduce((x, y) => x * 3 + y, 0));
      const batch = shape.length === 3 ? shape[0] : 1;
      const m = shape[shape.length - 2], n = shape[shape.length - 1], k = Math.min(m, n);
      const r1 = g.svd(a.g), r2 = cpu.svd(a.c);
      const [s1, s2] = await readBoth(g, r1.s, r2.s);
      const [u1, u2] = await readBoth(g, r1.u, r2.u);
      const [h1, h2] = await readBoth(g, r1.vh, r2.vh);
      assertAllClose(s1, s2, { rtol: 1e-4, atol: 1e-5, msg: `svd s ${shape}` });
      // Fix each pair's sign by u's largest entry, then compare u and vh.
      const fix = (u: number[], vh: number[]) => {
        const uu = u.slice(), vv = vh.slice();
        for (let b = 0; b < batch; b++) {
          for (let c = 0; c < k; c++) {
            let best = 0;
            for (let r = 0; r < m; r++) {
              const x = uu[b * m * k + r * k + c];
              if (Math.abs(x) > Math.abs(best)) best = x;
            }
            if (best < 0) {
              for (let r = 0; r < m; r++) uu[b * m * k + r * k + c] *= -1;
              for (let t = 0; t < n; t++) vv[b * k * n + c * n + t] *= -1;
            }
          }
        }
        return [uu, vv];
      };
      const [fu1, fh1] = fix(u1, h1), [fu2, fh2] = fix(u2, h2);
      assertAllClose(fu1, fu2, { rtol: 1e-3, atol: 1e-3, msg: `svd u ${shape}` });
      assertAllClose(fh1, fh2, { rtol: 1e-3, atol: 1e-3, msg: `svd vh ${shape}` });
      free(g, a);
    }
    // Rank 1: u and vh still orthonormal.
    const r1 = both(g, [1, 2, 3, 2, 4, 6, 3, 6, 9], [3, 3], "float32");
    const res = g.svd(r1.g);
    const u = Array.from(await g.read(res.u));
    const s = Array.from(await g.read(res.s));
    assertAllClose(s, [14, 0, 0], { atol: 1e-5 });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let d = 0;
        for (let r = 0; r < 3; r++) d += u[r * 3 + i] * u[r * 3 + j];
        assert.ok(Math.abs(d - (i === j ? 1 : 0)) < 1e-5, `uᵀu ${i},${j} = ${d}`);
      }
    }
    for (const t of [res.u, res.s, res.vh]) g.dispose(t);
    free(g, r1);
  },
);

// ---- Sizes around and beyond the 256 lanes of one workgroup ----
// The factorisations run as sequences of dispatches sized to llvmpipe's loop
// limit (65535 iterations per invocation, all loops together): before that
// split, svd broke from about 53x53, eigh from 128, qr at 256 and cholesky and
// triangularSolve near 400 on lavapipe, silently.

/** Orders checked for every factorisation. */
const SIZES = [1, 31, 32, 33, 64, 65, 100, 128, 256];

/** Largest |x| of an array. */
function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/**
 * Largest |XᵀX - I| over the `cols` columns of the row-major rows×cols
 * matrix at `off` (byCols), or |XXᵀ - I| over its rows.
 */
function orthError(
  x: ArrayLike<number>,
  off: number,
  rows: number,
  cols: number,
  byCols: boolean,
): number {
  const k = byCols ? cols : rows, len = byCols ? rows : cols;
  let e = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let d = 0;
      for (let t = 0; t < len; t++) {
        d += byCols
          ? x[off + t * cols + i] * x[off + t * cols + j]
          : x[off + i * cols + t] * x[off + j * cols + t];
      }
      e = Math.max(e, Math.abs(d - (i === j ? 1 : 0)));
    }
  }
  return e;
}

gpuTest("cholesky and all 16 triangularSolve variants at orders 1 to 400", async (g) => {
  const checks = new Checks(g);
  const pairs: Pair[] = [];
  // 400: a column-by-column or row-by-row loop over all of it exceeds llvmpipe's limit.
  for (const [batch, n] of [...SIZES.map((n) => [1, n]), [1, 400], [3, 65]]) {
    const a = spd(g, batch, n, 200 + n);
    pairs.push(a);
    checks.add(g.cholesky(a.g), cpu.cholesky(a.c), `cholesky ${batch}x${n}`, {
      rtol: 1e-4,
      atol: 1e-4,
    });
  }
  await checks.run();
  for (const [batch, n] of [...SIZES.map((n) => [1, n]), [1, 400], [2, 33]]) {
    // Strong diagonal, small off-diagonal part: well conditioned with a unit diagonal too.
    const av = Array.from(
      randomArray(batch * n * n, 300 + n),
      (v, i) => (i % (n * n)) % (n + 1) === 0 ? 3 + v : v / n,
    );
    const a = both(g, av, [batch, n, n], "float32");
    const bl = randomPair(g, [batch, n, 3], "float32", 400 + n);
    const br = randomPair(g, [batch, 2, n], "float32", 500 + n);
    pairs.push(a, bl, br);
    for (let bits = 0; bits < 16; bits++) {
      const o: TriangularSolveOptions = {
        lower: (bits & 1) !== 0,
        leftSide: (bits & 2) !== 0,
        transposeA: (bits & 4) !== 0,
        unitDiagonal: (bits & 8) !== 0,
      };
      const b = o.leftSide ? bl : br;
      checks.add(
        g.triangularSolve(a.g, b.g, o),
        cpu.triangularSolve(a.c, b.c, o),
        `trsv ${batch}x${n} ${JSON.stringify(o)}`,
        { rtol: 1e-4, atol: 1e-5 },
      );
    }
    await checks.run();
  }
  free(g, ...pairs);
});

gpuTest("qr matches cpu at orders 1 to 256, tall 96x64, wide 64x96 and batched", async (g) => {
  const checks = new Checks(g);
  const pairs: Pair[] = [];
  const shapes = [...SIZES.map((n) => [n, n]), [96, 64], [64, 96], [3, 65, 33], [2, 33, 65]];
  for (const shape of shapes) {
    const a = randomPair(g, shape, "float32", 600 + shape[0] * 3 + shape[1]);
    pairs.push(a);
    const r1 = g.qr(a.g), r2 = cpu.qr(a.c);
    checks.add(r1.q, r2.q, `qr q ${shape}`, { rtol: 1e-3, atol: 1e-4 });
    checks.add(r1.r, r2.r, `qr r ${shape}`, { rtol: 1e-3, atol: 1e-4 });
  }
  await checks.run();
  free(g, ...pairs);
});

gpuTest("eigh at orders 1 to 256 and batched: values match cpu, V diag(w) Vᵀ = A", async (g) => {
  for (const [batch, n] of [...SIZES.map((n) => [1, n]), [3, 33]]) {
    const a = spd(g, batch, n, 700 + n);
    const r1 = g.eigh(a.g), r2 = cpu.eigh(a.c);
    const [w1, w2] = await readBoth(g, r1.values, r2.values);
    const v = await g.read(r1.vectors);
    g.dispose(r1.vectors);
    cpu.dispose(r2.vectors);
    const av = cpu.readSync(a.c);
    for (let t = 0; t < batch; t++) {
      const scale = maxAbs(w2.slice(t * n, t * n + n));
      const msg = `eigh ${batch}x${n} matrix ${t}`;
      assertAllClose(w1.slice(t * n, t * n + n), w2.slice(t * n, t * n + n), {
        rtol: 1e-4,
        atol: 1e-5 * scale,
        msg: `${msg} values`,
      });
      let rec = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) {
            s += v[t * n * n + i * n + k] * w1[t * n + k] * v[t * n * n + j * n + k];
          }
          rec = Math.max(rec, Math.abs(s - av[t * n * n + i * n + j]));
        }
      }
      assert.ok(rec <= 5e-4 * scale, `${msg}: |V diag(w) Vᵀ - A| = ${rec}`);
      const orth = orthError(v, t * n * n, n, n, true);
      assert.ok(orth <= 5e-4, `${msg}: |VᵀV - I| = ${orth}`);
    }
    free(g, a);
  }
});

gpuTest(
  "svd at orders 1 to 256, tall, wide, batched and rank-deficient: U diag(s) Vh = A",
  async (g) => {
    const cases: { shape: number[]; values?: Float32Array }[] = [
      ...SIZES.map((n) => ({ shape: [n, n] })),
      { shape: [96, 64] },
      { shape: [64, 96] },
      { shape: [3, 40, 30] },
      { shape: [2, 30, 40] },
      { shape: [70, 70], values: new Float32Array(70 * 70) },
    ];
    // Rank 40 with the unit vectors e_0..e_39 as singular vectors: completing the last
    // ten rejects forty candidates first.
    for (const [m, n] of [[100, 50], [50, 100]]) {
      const v = new Float32Array(m * n);
      for (let i = 0; i < 40; i++) v[i * n + i] = 1 + i;
      cases.push({ shape: [m, n], values: v });
    }
    for (const { shape, values } of cases) {
      const batch = shape.length === 3 ? shape[0] : 1;
      const m = shape[shape.length - 2], n = shape[shape.length - 1], k = Math.min(m, n);
      const a = values
        ? both(g, values, shape, "float32")
        : randomPair(g, shape, "float32", 800 + m * 3 + n);
      const r1 = g.svd(a.g), r2 = cpu.svd(a.c);
      const [s1, s2] = await readBoth(g, r1.s, r2.s);
      const u = await g.read(r1.u), vh = await g.read(r1.vh);
      for (const t of [r1.u, r1.vh]) g.dispose(t);
      for (const t of [r2.u, r2.vh]) cpu.dispose(t);
      const av = cpu.readSync(a.c);
      for (let b = 0; b < batch; b++) {
        const msg = `svd ${shape} matrix ${b}`;
        const scale = Math.max(maxAbs(s2.slice(b * k, b * k + k)), 1e-30);
        assertAllClose(s1.slice(b * k, b * k + k), s2.slice(b * k, b * k + k), {
          rtol: 1e-4,
          atol: 1e-5 * scale,
          msg: `${msg} values`,
        });
        let rec = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let l = 0; l < k; l++) {
              s += u[b * m * k + i * k + l] * s1[b * k + l] * vh[b * k * n + l * n + j];
            }
            rec = Math.max(rec, Math.abs(s - av[b * m * n + i * n + j]));
          }
        }
        assert.ok(rec <= 1e-5 * scale * Math.sqrt(k) + 1e-6, `${msg}: |U S Vh - A| = ${rec}`);
        const eu = orthError(u, b * m * k, m, k, true);
        const ev = orthError(vh, b * k * n, k, n, false);
        assert.ok(eu <= 1e-3 && ev <= 1e-3, `${msg}: |UᵀU - I| = ${eu}, |Vh Vhᵀ - I| = ${ev}`);
      }
      free(g, a);
    }
  },
);

gpuTest(
  "factorisations free their scratch buffers; oversized inputs are RangeErrors",
  async (g) => {
    const base = g.memory().buffers;
    const a = spd(g, 2, 65, 900);
    const w = randomPair(g, [70, 40], "float32", 901);
    const before = g.memory().buffers;
    const outs: TensorInfo[] = [g.cholesky(a.g)];
    outs.push(g.triangularSolve(outs[0], a.g, {
      lower: true,
      leftSide: true,
      transposeA: false,
      unitDiagonal: false,
    }));
    const e = g.eigh(a.g), q = g.qr(w.g), s = g.svd(w.g);
    outs.push(e.values, e.vectors, q.q, q.r, s.u, s.s, s.vh);
    assert.equal(g.memory().buffers, before + outs.length);
    await g.read(s.s);
    for (const t of outs) g.dispose(t);
    assert.equal(g.memory().buffers, before);
    free(g, a, w);
    // eigh: n ≤ 1024; svd: one Jacobi round of a 1400x1400 matrix exceeds the loop budget.
    const big = g.write(new Float32Array(1025 * 1025), [1025, 1025], "float32");
    assert.throws(() => g.eigh(big), (err: Error) => {
      return err instanceof RangeError && /^eigh\(\): .*up to 1024, got 1025/.test(err.message);
    });
    g.dispose(big);
    const huge = g.write(new Float32Array(1400 * 1400), [1400, 1400], "float32");
    assert.throws(() => g.svd(huge), (err: Error) => {
      return err instanceof RangeError &&
        /^svd\(\): a 1400x1400 matrix is too large/.test(err.message);
    });
    g.dispose(huge);
    assert.equal(g.memory().buffers, base);
  },
);
