/**
 * The model utilities, surrogates, initializers and `decomposeToMps` on every
 * available backend, compared with the cpu backend (float32 tolerances).
 *
 * @module
 */

import assert from "node:assert/strict";
import { backends, collectTensors, memory, setBackend, tidy } from "../../../core/engine.ts";
import { matmul, reshape, sum } from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { grad } from "../../../core/autodiff/mod.ts";
import { key } from "../../../core/random/mod.ts";
import * as M from "../../../utils/model/mod.ts";
import * as S from "../../../utils/surrogate.ts";
import { DistributionGenerator as G } from "../../../utils/distribution.ts";
import { decomposeToMps } from "../../../utils/matrix.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";
import { X } from "./helpers.ts";

const R = Array.from({ length: 6 }, (_, i) => Array.from(randomArray(10, 20 + i)));
const MASK = [[1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]];

/** Named computations; each returns tensors (nested in arrays/objects). */
const CASES: Record<string, () => unknown> = {
  activations: () =>
    [
      M.relu,
      M.dRelu,
      M.lrelu,
      M.relu6,
      M.dRelu6,
      M.tanh,
      M.dTanh,
      M.sigmoid,
      M.dSigmoid,
      M.softplus,
      M.telu,
      M.dTelu,
      M.silu,
      M.dGelu,
      M.heaviside,
      (x: number[][]) => M.elu(x, { alpha: 0.3 }),
      (x: number[][]) => M.dElu(x),
      (x: number[][]) => M.sine(x, { omega0: 1.5 }),
      (x: number[][]) => M.swish(x, 0.5),
      (x: number[][]) => M.inverseLogistic(x),
      (x: number[][]) => M.thresholdCauchy(x, 0.5),
      (x: number[][]) => M.thresholdSoft(x, 0.5),
      (x: number[][]) => M.clampMin(x, 0),
      (x: number[][]) => M.binarize(x),
    ].map((f) => f(X)),
  softmax: () => [M.softmax(R, { tau: 0.5 }), M.dSoftmax(R)],
  wta: () => [
    M.bkwta(R, { nWTA: 3 }),
    M.oneHot(R),
    M.lkwta(R, MASK, { nWTA: 2, clipval: 0.5 }),
    M.dLkwta(R, MASK, { nWTA: 2 }),
    M.quantileLkwta(R, MASK, { nWTA: 4 }),
    M.groupMean(R, MASK),
  ],
  matrices: () => [
    M.normalizeMatrix(R, 2, { order: 2 }),
    M.normalizeBlockMatrix(R, [2, 5], { axis: 5 }),
    M.normalizeBlockMatrix(R, [3, 2], { order: 1, axis: 1 }),
    M.layerNormalize(R, { shift: 0.5 }),
    M.createBlockMatrix([[1, 0], [0, 2]], [2, 3], { alphaInh: 0.5 }),
    M.eyeWrapped(4, -1, { values: [1, 2, 3, 4] }),
    M.chebyshevNorm(R),
    M.tensorstats(R),
  ],
  random: () => {
    const k = key(7);
    const out = [
      M.dropOut(k, R, { rate: 0.4 }),
      M.sampleValuesByGroup(k, R, { nGroups: 5 }),
      G.uniform({ low: -1, high: 1, colMask: 4, rowMask: 3 })([6, 10], 3),
      G.gaussian({ mean: 1, std: 0.5, amax: 1.2, lowerTriangle: true })([6, 10], 4),
      G.logGaussian({ sigma: 0.3, hollow: true })([5, 5], 5),
    ];
    k.dispose();
    return out;
  },
  surrogate: () => {
    const est = S.arctanEstimator();
    const sec = S.secantLifEstimator({ omitScale: false });
    const v = reshape(X.flat(), [3, 6]);
    const out = [
      est.dSpikeFx(X, 0.5),
      sec.dSpikeFx(X),
      grad((x: Tensor) => sum(est.spikeFx(x, 0.2)))(v),
    ];
    v.dispose();
    return out;
  },
  mps: () => {
    const cores = decomposeToMps(R, { bondDim: 3 });
    const out = tidy(() => matmul(reshape(cores.core1, [6, 3]), reshape(cores.core2, [3, 10])));
    cores.core1.dispose();
    cores.core2.dispose();
    return out;
  },
};

async function readAll(v: unknown): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of collectTensors(v)) {
    out.push(Array.from(await t.data()));
    t.dispose();
  }
  return out;
}

Deno.test("model utilities agree with the cpu backend on every available backend", async () => {
  await setBackend("cpu");
  const ref: Record<string, number[][]> = {};
  for (const [name, f] of Object.entries(CASES)) ref[name] = await readAll(f());
  const names = (await backends()).filter((r) => r.available && r.name !== "cpu").map((r) =>
    r.name
  );
  for (const b of names) {
    await setBackend(b);
    const before = memory().tensors;
    for (const [name, f] of Object.entries(CASES)) {
      const got = await readAll(f());
      assert.equal(got.length, ref[name].length, `${b} ${name}`);
      got.forEach((g, i) =>
        assertAllClose(g, ref[name][i], { rtol: 2e-4, atol: 2e-5, msg: `${b} ${name}[${i}]` })
      );
    }
    assert.equal(memory().tensors, before, `${b}: tensors leaked`);
  }
  await setBackend("cpu");
});
