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
